"""The base model the trainer fine-tunes: which directory (`base_model_path()`) and loading it (`load_base()`,
`load_for_eval()`) on CPU or CUDA.

The default base is the chat model's directory (SIGHTLINE_LOCAL_MODEL_DIR or `<data_dir>/models/smollm2-135m-instruct`),
converted from the packaged GGUF on first use by modelfiles/, the one module that owns the model files for both the
chat model (agents/) and training.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import config  # noqa: F401  (offline switches before transformers is imported)
from modelfiles import MODEL_DIR_NAME, ensure_model_dir, is_model_dir
from modelfiles import ModelFilesError as BaseModelError

logger = logging.getLogger(__name__)

DEFAULT_BASE = MODEL_DIR_NAME

__all__ = ["BaseModelError", "DEFAULT_BASE", "base_model_path", "is_model_dir", "load_base", "load_for_eval",
           "load_tokenizer"]


def base_model_path(base: str | Path | None = None) -> Path:
    """The directory to fine-tune: `base` when it is a safetensors model directory, else the default (converted from
    the packaged GGUF the first time, ~20-60 s)."""
    if base not in (None, "", DEFAULT_BASE):
        path = Path(str(base)).expanduser()
        if not is_model_dir(path):
            raise BaseModelError(f"--base {base}: not a model directory (expected config.json and *.safetensors)")
        return path.resolve()
    return ensure_model_dir().resolve()


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
