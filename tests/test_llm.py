"""Chat-model factory: GGUF -> safetensors conversion, the in-process model (invoke, streaming off the event loop,
stop strings, LoRA adapters) and the OpenAI-compatible path against a real `transformers serve` server."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import config
from agents.llm import LocalChatModel, build_chat_model, supports_tool_calling
from agents.local_model import load_local_model, local_model_path, unload_local_models
from config import Settings

PROMPT = "What does an anti-reflective coating on eyeglasses do?"


def _settings(data_dir: Path, **env: str) -> Settings:
    return Settings(SIGHTLINE_DATA_DIR=str(data_dir), SIGHTLINE_LOCAL_MODEL_DIR="", **env)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path, float]:
    """Convert the packaged GGUF into a fresh data dir; returns (settings, model dir, seconds the conversion took)."""
    unload_local_models()
    settings = _settings(tmp_path_factory.mktemp("llm-data"), SIGHTLINE_MAX_NEW_TOKENS="16")
    t0 = time.perf_counter()
    path = local_model_path(settings)
    return settings, path, time.perf_counter() - t0


@pytest.fixture(scope="module")
def base_answer(converted: tuple[Settings, Path, float]) -> str:
    settings, _, _ = converted
    return build_chat_model(settings).invoke(PROMPT).content


# ------------------------------------------------------------------------------------------- settings and factory


def test_settings_reject_unknown_backend() -> None:
    with pytest.raises(ValueError):
        Settings(SIGHTLINE_LLM="llamafile")


def test_openai_path_requires_a_base_url_so_it_never_calls_api_openai_com(tmp_path: Path) -> None:
    settings = _settings(tmp_path, SIGHTLINE_LLM="openai", OPENAI_BASE_URL="")
    with pytest.raises(ValueError, match="OPENAI_BASE_URL"):
        build_chat_model(settings)


def test_local_factory_is_lazy_and_has_no_tool_calling(tmp_path: Path) -> None:
    model = build_chat_model(_settings(tmp_path))
    assert isinstance(model, LocalChatModel)
    assert model.model_name == "smollm2-135m-instruct"
    assert not supports_tool_calling(model)
    assert not (tmp_path / "models").exists()  # nothing converted or loaded until the first call


# ------------------------------------------------------------------------------------------- local model


@pytest.mark.slow
def test_conversion_happens_once_and_safetensors_load_is_much_faster(converted) -> None:
    settings, path, convert_s = converted
    assert path == settings.data_dir / "models" / "smollm2-135m-instruct"
    weights = path / "model.safetensors"
    assert weights.is_file() and (path / "config.json").is_file() and (path / "tokenizer.json").is_file()
    assert "quantization_config" not in (path / "config.json").read_text()
    assert not list(path.parent.glob(".*tmp*"))  # no half-written conversion left behind
    mtime = weights.stat().st_mtime_ns

    t0 = time.perf_counter()
    assert local_model_path(settings) == path
    assert time.perf_counter() - t0 < 1.0
    assert weights.stat().st_mtime_ns == mtime  # not converted again

    unload_local_models()
    runtime = load_local_model(path)
    assert runtime.path == path.resolve()
    assert runtime.model.config.model_type == "llama"
    assert getattr(runtime.model, "hf_quantizer", None) is None
    assert runtime.load_seconds * 3 < convert_s, (runtime.load_seconds, convert_s)
    assert load_local_model(path) is runtime  # one model per process


@pytest.mark.slow
def test_local_model_dir_override_is_used_as_is(converted, tmp_path: Path) -> None:
    _, path, _ = converted
    settings = Settings(SIGHTLINE_DATA_DIR=str(tmp_path), SIGHTLINE_LOCAL_MODEL_DIR=str(path))
    assert local_model_path(settings) == path
    assert build_chat_model(settings).model_name == path.name
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_text("not a model")
    with pytest.raises(ValueError, match="not a model directory"):
        local_model_path(Settings(SIGHTLINE_DATA_DIR=str(tmp_path), SIGHTLINE_LOCAL_MODEL_DIR=str(junk)))
    assert not (tmp_path / "models").exists()  # nothing converted into the default location


@pytest.mark.slow
def test_invoke_returns_text_with_model_metadata(converted, base_answer: str) -> None:
    settings, path, _ = converted
    message = build_chat_model(settings).invoke(PROMPT)
    assert message.content.strip()
    assert message.content == base_answer  # greedy decoding is deterministic
    assert message.response_metadata["model_name"] == "smollm2-135m-instruct"
    assert message.response_metadata["base_model"] == str(path.resolve())
    assert message.response_metadata["adapter"] is None
    assert 0 < message.usage_metadata["output_tokens"] <= 16
    assert message.usage_metadata["input_tokens"] > 5


@pytest.mark.slow
def test_stop_string_cuts_the_answer(converted, base_answer: str) -> None:
    settings, _, _ = converted
    words = base_answer.split()
    assert len(words) >= 4, base_answer
    stop = " " + words[3]
    cut = base_answer[: base_answer.index(stop)]
    message = build_chat_model(settings).invoke(PROMPT, stop=[stop])
    assert message.content == cut
    assert message.response_metadata["finish_reason"] == "stop"


@pytest.mark.slow
def test_astream_yields_chunks_and_keeps_the_event_loop_responsive(converted) -> None:
    settings, _, _ = converted
    model = build_chat_model(settings.model_copy(update={"max_new_tokens": 32}))

    async def run() -> tuple[list[str], list[float], float, float, float]:
        ticks: list[float] = []
        done = asyncio.Event()

        async def ticker() -> None:
            while not done.is_set():
                ticks.append(time.perf_counter())
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.02)
        start = time.perf_counter()
        first = 0.0
        pieces: list[str] = []
        async for chunk in model.astream("List five things an optician checks during an eye exam."):
            if chunk.content:
                first = first or time.perf_counter()
                pieces.append(chunk.content)
        end = time.perf_counter()
        done.set()
        await task
        return pieces, ticks, start, first, end

    pieces, ticks, start, first, end = asyncio.run(run())
    assert len(pieces) >= 5, pieces
    assert "".join(pieces).strip()
    assert end - start > 1.0  # generation took long enough that a blocked loop would show
    assert first < end - 0.3  # chunks arrive while generating, not all at the end
    during = [t for t in ticks if start <= t <= end]
    gaps = [b - a for a, b in zip([start, *during], [*during, end], strict=True)]
    assert max(gaps) < 0.5, max(gaps)  # the ticker kept ticking while the model generated


@pytest.mark.slow
def test_ainvoke_does_not_block_the_event_loop(converted, base_answer: str) -> None:
    settings, _, _ = converted
    model = build_chat_model(settings)

    async def run() -> tuple[str, int, float]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        start = time.perf_counter()
        message = await model.ainvoke(PROMPT)
        elapsed = time.perf_counter() - start
        task.cancel()
        return message.content, ticks, elapsed

    text, ticks, elapsed = asyncio.run(run())
    assert text == base_answer
    assert ticks >= elapsed / 0.01 * 0.1, (ticks, elapsed)  # a blocked loop would tick once or twice


@pytest.mark.slow
def test_abandoned_stream_stops_generation_and_frees_the_model(converted) -> None:
    settings, path, _ = converted
    runtime = load_local_model(path)
    gen = runtime.generate([{"role": "user", "content": "Write a long story about glasses."}], max_new_tokens=200)
    pieces = iter(gen)
    assert next(pieces)
    pieces.close()  # the consumer goes away (closed stream, cancelled request)
    gen.join(timeout=10)
    assert 0 < gen.completion_tokens < 200
    assert runtime.lock.acquire(timeout=1)  # the next request is not stuck behind it
    runtime.lock.release()


def _tiny_adapters(base_dir: Path, outs: list[Path]) -> list[Path]:
    """Random rank-4 LoRA adapters for the base model (lora_B is zero after init: set so the output changes)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)  # a private copy, not the shared one
    peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    for seed, out in enumerate(outs, start=1):
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, param in peft_model.named_parameters():
                if "lora_A" in name or "lora_B" in name:
                    param.copy_(torch.randn(param.shape, generator=gen) * (0.02 if "lora_A" in name else 0.2))
        peft_model.save_pretrained(out)
    return outs


@pytest.mark.slow
def test_lora_adapter_changes_the_answer_and_is_named(converted, base_answer: str, tmp_path: Path) -> None:
    settings, path, _ = converted
    one, two = _tiny_adapters(path, [tmp_path / "tenant-one", tmp_path / "tenant-two"])

    with_one = build_chat_model(settings, adapter=str(one)).invoke(PROMPT)
    assert with_one.content.strip()
    assert with_one.content != base_answer
    assert with_one.response_metadata["adapter"] == "tenant-one"
    assert with_one.response_metadata["model_name"] == "smollm2-135m-instruct+tenant-one"
    assert with_one.response_metadata["adapter_path"] == str(one.resolve())

    with_two = build_chat_model(settings, adapter=str(two)).invoke(PROMPT)
    assert with_two.content not in (base_answer, with_one.content)
    assert with_two.response_metadata["adapter"] == "tenant-two"

    # Adapters share one base: switching back gives the same answers, and the base answers without any adapter.
    assert build_chat_model(settings, adapter=str(one)).invoke(PROMPT).content == with_one.content
    assert build_chat_model(settings).invoke(PROMPT).content == base_answer
    assert len(load_local_model(path).adapters) == 2


# ------------------------------------------------------------------------------------------- OpenAI-compatible path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def openai_server(converted, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real OpenAI-compatible server: `transformers serve` pinned to the converted model, offline, on 127.0.0.1."""
    _, path, _ = converted
    port = _free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OTEL_SDK_DISABLED": "true"}
    cmd = [sys.executable, "-c", "from transformers.cli.transformers import main; main()", "serve", str(path),
           "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"transformers serve exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"transformers serve not ready after 120 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/v1", str(path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def openai_env(openai_server: tuple[str, str]) -> Iterator[None]:
    """SIGHTLINE_LLM=openai pointed at the test server, through the environment and the settings singleton."""
    base_url, model_name = openai_server
    values = {"SIGHTLINE_LLM": "openai", "OPENAI_BASE_URL": base_url, "SIGHTLINE_OPENAI_MODEL": model_name,
              "SIGHTLINE_MAX_NEW_TOKENS": "16", "OPENAI_API_KEY": "not-needed"}
    with config.env_overrides(**values):
        yield


@pytest.mark.slow
def test_openai_compatible_server_answers(openai_server, openai_env) -> None:
    from langchain_openai import ChatOpenAI

    model = build_chat_model()
    assert isinstance(model, ChatOpenAI)
    assert supports_tool_calling(model)
    message = model.invoke(PROMPT)
    assert message.content.strip()
    assert message.response_metadata["model_name"].startswith(openai_server[1])
    assert 0 < message.usage_metadata["output_tokens"] <= 16


@pytest.mark.slow
def test_openai_compatible_server_streams(openai_server, openai_env) -> None:
    model = build_chat_model()
    pieces = [chunk.content for chunk in model.stream(PROMPT) if chunk.content]
    assert len(pieces) >= 3, pieces
    assert "".join(pieces).strip()

    async def astream() -> list[str]:
        return [chunk.content async for chunk in model.astream("Say hello.") if chunk.content]

    assert len(asyncio.run(astream())) >= 2


def test_openai_model_name_comes_from_model_or_adapter(tmp_path: Path) -> None:
    settings = _settings(tmp_path, SIGHTLINE_LLM="openai", OPENAI_BASE_URL="http://127.0.0.1:9/v1")
    assert build_chat_model(settings).model_name == "sightline-base"
    assert build_chat_model(settings, adapter="industry").model_name == "industry"
    assert build_chat_model(settings, adapter="industry", model="tenant-7").model_name == "tenant-7"
