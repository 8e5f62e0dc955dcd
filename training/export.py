"""`sightline models export DIR`: what a vLLM server needs, in one folder: the base model unmerged (safetensors +
tokenizer, no GGUF quantization config), every promoted adapter with `base_model_name_or_path` pointing at that base,
the `--lora-modules` argument and a manifest. `deploy/vllm/serve.sh` serves it."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.errors import UserError
from db.model_registry import ModelRef
from training.registry import ModelVersion, list_versions

BASE_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
              "special_tokens_map.json", "chat_template.jinja", "vocab.json", "merges.txt")
ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors", "training.json")


class ExportError(UserError, ValueError):
    """Nothing to export, or adapters trained on different base models."""


@dataclass(frozen=True)
class Export:
    root: Path
    served_root: str
    base: Path
    adapters: dict[str, str]  # served name -> version id

    @property
    def lora_modules(self) -> str:
        return " ".join(f"{name}={self.served_root}/adapters/{name}" for name in sorted(self.adapters))


def _served_name(v: ModelVersion) -> str:
    return ModelRef(version=v.id, target=v.target, status=v.status, base_model=v.base_model,
                    adapter_path=str(v.adapter_path), dataset=v.dataset).served_name


def export(out: Path, *, stages: tuple[str, ...] = ("production",), served_root: str | None = None) -> Export:
    """Write `out/base/`, `out/adapters/<served name>/`, `out/lora-modules.txt` and `out/manifest.json`.

    `served_root` is where `out` will be mounted on the serving host (default: `out` itself); adapter configs and the
    `--lora-modules` line use it. Adapters trained from a GGUF-loaded base would otherwise name a site-packages path.
    """
    versions = [v for v in list_versions() if v.status in stages]
    if not versions:
        raise ExportError(f"no model version is in {' or '.join(stages)} (see `sightline models list`)")
    bases = {v.base_model for v in versions}
    if len(bases) > 1:
        raise ExportError(f"the promoted adapters were trained on different base models: {', '.join(sorted(bases))}")
    base_src = Path(bases.pop())
    out = out.expanduser().resolve()
    root = served_root or str(out)
    (out / "adapters").mkdir(parents=True, exist_ok=True)

    base_dst = out / "base"
    base_dst.mkdir(exist_ok=True)
    for f in sorted(base_src.glob("*.safetensors")) + [base_src / n for n in BASE_FILES]:
        if f.is_file():
            shutil.copy2(f, base_dst / f.name)
    index = base_src / "model.safetensors.index.json"
    if index.is_file():
        shutil.copy2(index, base_dst / index.name)
    cfg_path = base_dst / "config.json"
    cfg: dict[str, Any] = json.loads(cfg_path.read_text())
    if cfg.pop("quantization_config", None) is not None:  # a GGUF-loaded config: vLLM would try to dequantize
        cfg_path.write_text(json.dumps(cfg, indent=2) + "\n")

    adapters: dict[str, str] = {}
    for v in versions:
        name = _served_name(v) if v.status == "production" else f"{_served_name(v)}-{v.status}"
        dst = out / "adapters" / name
        shutil.rmtree(dst, ignore_errors=True)
        dst.mkdir()
        for n in ADAPTER_FILES:
            if (v.adapter_path / n).is_file():
                shutil.copy2(v.adapter_path / n, dst / n)
        acfg = json.loads((dst / "adapter_config.json").read_text())
        acfg["base_model_name_or_path"] = f"{root}/base"
        (dst / "adapter_config.json").write_text(json.dumps(acfg, indent=2) + "\n")
        adapters[name] = v.id
    result = Export(root=out, served_root=root, base=base_dst, adapters=adapters)
    (out / "lora-modules.txt").write_text(result.lora_modules + "\n")
    (out / "manifest.json").write_text(json.dumps({
        "base": {"path": f"{root}/base", "source": str(base_src)},
        "adapters": {name: {"version": vid, "path": f"{root}/adapters/{name}"} for name, vid in adapters.items()},
        "lora_modules": result.lora_modules,
        "max_lora_rank": max(json.loads((out / "adapters" / n / "adapter_config.json").read_text()).get("r", 8)
                             for n in adapters),
    }, indent=2) + "\n")
    return result
