"""Training presets (quick | balanced | quality | cost) as plain values, the command-line overrides, and the measured
step-time constants the time/cost estimate falls back on before this machine has finished a job of its own."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from config.errors import UserError


@dataclass(frozen=True)
class TrainConfig:
    """Everything that shapes a run. Its JSON is stored with the job; its hash (with the dataset version, target and
    base) identifies "the same command" for resume."""

    epochs: float = 1.0
    lr: float = 5e-4
    batch_size: int = 4
    grad_accum: int = 1
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    target_modules: str = "all-linear"  # measured: all-linear r=8 learns facts, q,v-only does not
    max_len: int = 512  # tokens per example (chat template included); longer examples are truncated
    warmup: int = 10  # optimizer steps of linear warm-up, then cosine decay to 10% of lr
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    max_steps: int = 0  # 0: epochs decide
    eval_every: int = 25  # optimizer steps between validation passes (and early-stopping checks)
    log_every: int = 5  # optimizer steps between loss events
    checkpoint_every: int = 25  # optimizer steps between checkpoints (adapter + optimizer + scheduler + RNG + step)
    keep_checkpoints: int = 2
    patience: int = 3  # validation passes without improvement before early stopping (0: never stop early)
    min_delta: float = 0.002  # improvement in validation loss that counts
    max_val_examples: int = 64  # validation passes use at most this many examples (the first ones, fixed)
    seed: int = 42

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


PRESETS: dict[str, TrainConfig] = {
    # A first adapter in a few minutes on a laptop CPU: one epoch, short evaluation intervals.
    "quick": TrainConfig(epochs=1, lr=1e-3, batch_size=4, lora_r=8, lora_alpha=16, max_len=384, warmup=5,
                         eval_every=10, log_every=2, checkpoint_every=10, patience=0),
    # The default for real data: three epochs with early stopping.
    "balanced": TrainConfig(epochs=3, lr=5e-4, batch_size=4, lora_r=8, lora_alpha=16, max_len=512, warmup=10,
                            eval_every=25, log_every=5, checkpoint_every=25, patience=3),
    # More capacity and more passes, a lower learning rate, batch 8 (4 x 2 accumulated), weight decay.
    "quality": TrainConfig(epochs=5, lr=2e-4, batch_size=4, grad_accum=2, lora_r=16, lora_alpha=32, max_len=1024,
                           warmup=20, weight_decay=0.01, eval_every=25, log_every=5, checkpoint_every=25, patience=3),
    # The fewest tokens that still train every linear layer: one epoch, rank 4, short examples, batch 8.
    "cost": TrainConfig(epochs=1, lr=1e-3, batch_size=8, lora_r=4, lora_alpha=8, max_len=256, warmup=5,
                        eval_every=20, log_every=5, checkpoint_every=20, patience=2),
}

OVERRIDES = ("epochs", "lr", "batch_size", "lora_r", "lora_alpha", "max_len", "warmup", "weight_decay", "max_steps",
             "eval_every", "checkpoint_every", "log_every")

# Seconds per 1,000 padded tokens of training (forward + backward + optimizer step, LoRA all-linear, float32), measured
# with SmolLM2-135M on the 2-core CI VM (torch 2.13 CPU, 2 threads): see docs/training.md "Measured". Used for the
# estimate until this machine has a finished job of its own (then the median of its jobs is used instead).
CPU_S_PER_KTOKEN = 4.0
# Validation forward passes cost about a third of a training step per token.
EVAL_COST_RATIO = 0.35


class PresetError(UserError, ValueError):
    """Unknown preset or an override out of range."""


def build_config(preset: str, **overrides: Any) -> TrainConfig:
    """The preset with the given overrides (None means: keep the preset's value)."""
    if preset not in PRESETS:
        raise PresetError(f"unknown preset {preset!r}: choose one of {', '.join(PRESETS)}")
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(given) - set(OVERRIDES)
    if unknown:
        raise PresetError(f"unknown override(s): {', '.join(sorted(unknown))}")
    cfg = replace(PRESETS[preset], **given)
    checks = [(cfg.epochs > 0, "--epochs must be > 0"), (cfg.lr > 0, "--lr must be > 0"),
              (cfg.batch_size >= 1, "--batch-size must be >= 1"), (cfg.lora_r >= 1, "--lora-r must be >= 1"),
              (cfg.lora_alpha >= 1, "--lora-alpha must be >= 1"), (cfg.max_len >= 16, "--max-len must be >= 16"),
              (cfg.warmup >= 0, "--warmup must be >= 0"), (cfg.weight_decay >= 0, "--weight-decay must be >= 0"),
              (cfg.max_steps >= 0, "--max-steps must be >= 0"), (cfg.eval_every >= 1, "--eval-every must be >= 1"),
              (cfg.checkpoint_every >= 1, "--checkpoint-every must be >= 1"), (cfg.log_every >= 1, "--log-every >= 1")]
    for ok, message in checks:
        if not ok:
            raise PresetError(message)
    return cfg
