"""Benchmark: our LoRA trainer step (training/trainer.py) against TRL's SFTTrainer with the same model, data, batches
and settings, one after the other in one process: seconds per optimizer step and trained (non-padding) tokens/s.

.venv/bin/python -m bench training                          # 20 measured steps each, batch 4, CPU float32 (~3 min)
.venv/bin/python -m bench training --device cuda --steps 50  # CUDA with bf16 autocast (same code)
.venv/bin/python -m bench.bench_training --batch-size 8 --warmup-steps 3

Both train SmolLM2-135M-Instruct (the packaged default base) with LoRA all-linear from the `balanced` preset's
TrainConfig on training/data/optical_qa.jsonl, completion-only loss, each batch padded to its longest example, AdamW,
the same learning rate, warm-up and clipping. TRL gets the records as conversational prompt/completion pairs and
tokenizes them itself; its batches hold the same examples in the same order as ours (a sequential sampler over our
seeded order). The first `--warmup-steps` steps of each are not timed. On a host with several GPUs make one visible
(CUDA_VISIBLE_DEVICES=0): the Trainer refuses nn.DataParallel.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import config  # noqa: F401  (offline switches before transformers is imported)
from bench.common import print_table

QA_FILE = Path(__file__).resolve().parents[1] / "training" / "data" / "optical_qa.jsonl"


@dataclass
class Measured:
    """One trainer's run: per-step end times and, per optimizer step, its loss and token counts."""

    name: str
    ends: list[float] = field(default_factory=list)  # perf_counter() after each optimizer step (device synced)
    losses: list[float] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)  # non-padding tokens per step
    padded: list[int] = field(default_factory=list)  # batch x longest example per step
    labels: list[int] = field(default_factory=list)  # tokens the loss is computed on, per step

    def seconds(self, warmup: int) -> float:
        """Wall time of the steps after the first `warmup` ones (from the end of the last untimed step)."""
        return self.ends[-1] - self.ends[warmup - 1]

    def s_per_step(self, warmup: int) -> float:
        return self.seconds(warmup) / (len(self.ends) - warmup)

    def tokens_per_s(self, warmup: int) -> float:
        return sum(self.tokens[warmup:]) / self.seconds(warmup)

    def row(self, warmup: int, device: str) -> list[str]:
        n = len(self.ends) - warmup
        losses = self.losses[warmup:] or [float("nan")]
        return [self.name, device, str(n), f"{self.s_per_step(warmup):.3f}", f"{self.tokens_per_s(warmup):,.0f}",
                f"{sum(self.padded[warmup:]) / self.seconds(warmup):,.0f}", f"{sum(self.labels[warmup:]) / n:.0f}",
                f"{sum(losses) / len(losses):.3f}"]


def load_records(max_len: int, tokenizer: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    """The packaged Q&A file as normalized chat records and their encoded examples (same order, none dropped)."""
    from training.batches import encode_records
    from training.formats import parse_file

    parsed = parse_file(QA_FILE)
    records = [r.to_json() for r in parsed.records]
    examples, dropped = encode_records(records, tokenizer, max_len)
    if parsed.errors or dropped:
        raise SystemExit(f"{QA_FILE}: {len(parsed.errors)} bad record(s), {dropped} dropped at --max-len {max_len}")
    return records, examples


def batch_order(n_examples: int, cfg: Any, micro_batches: int) -> list[list[int]]:
    """Our trainer's seeded example order, cut into consecutive batches (so a sequential sampler sees the same ones)."""
    from training.batches import ResumableBatchSampler

    need = micro_batches * cfg.batch_size
    order: list[int] = []
    for idx in ResumableBatchSampler(n_examples, cfg.batch_size, cfg.seed):  # endless: epoch after epoch
        order.extend(idx)
        if len(order) >= need:
            break
    return [order[i:i + cfg.batch_size] for i in range(0, need, cfg.batch_size)]


def sync(device: str) -> None:
    import torch

    if device == "cuda":
        torch.cuda.synchronize()


def free_memory(device: str) -> None:
    import torch

    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()


def run_ours(base_path: Path, examples: list[Any], batches: list[list[int]], cfg: Any, device: str, bf16: bool,
             pad_id: int) -> Measured:
    """training.trainer.train_step over a DataLoader of our collated batches, as `_train` runs it (minus the job
    bookkeeping: no loss events, checkpoints, validation or heartbeats)."""
    import torch
    from accelerate import Accelerator
    from peft import get_peft_model
    from torch.utils.data import DataLoader

    from training.base_model import load_base
    from training.batches import collate
    from training.trainer import _lr_lambda, lora_config, train_step

    accelerator = Accelerator(cpu=device == "cpu", mixed_precision="bf16" if bf16 else "no")
    torch.manual_seed(cfg.seed)
    model = get_peft_model(load_base(base_path), lora_config(cfg))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps = len(batches) // cfg.grad_accum
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(cfg.warmup, steps))
    model, optimizer = accelerator.prepare(model, optimizer)
    model.train()
    loader = iter(DataLoader(examples, batch_sampler=batches, collate_fn=lambda b: collate(b, pad_id)))
    out = Measured("ours (training.trainer)")
    for _ in range(steps):
        done = train_step(model, loader, accelerator, optimizer, scheduler, params, cfg)
        sync(device)
        out.ends.append(time.perf_counter())
        out.losses.append(done.loss)
        out.tokens.append(done.tokens)
        out.padded.append(done.padded_tokens)
        out.labels.append(done.label_tokens)
    del model, optimizer, accelerator
    free_memory(device)
    return out


def run_trl(base_path: Path, records: list[dict[str, Any]], examples: list[Any], batches: list[list[int]], cfg: Any,
            device: str, bf16: bool) -> tuple[Measured, str]:
    """TRL's SFTTrainer on the same examples in the same order; returns the measurements and a note on how its
    tokenization compares with ours."""
    from accelerate.state import AcceleratorState
    from datasets import Dataset
    from transformers import PrinterCallback, TrainerCallback

    from training.base_model import load_base, load_tokenizer
    from training.trainer import lora_config

    try:
        from trl import SFTConfig, SFTTrainer
    except ImportError as exc:
        raise SystemExit(f"TRL is not importable ({exc}): pip install -r requirements.lock") from exc

    AcceleratorState._reset_state(reset_partial_state=True)  # our run's Accelerator must not leak into the Trainer's
    order = [i for idx in batches for i in idx]
    rows = [{"prompt": records[i]["messages"][:-1], "completion": records[i]["messages"][-1:]} for i in order]
    out = Measured("TRL SFTTrainer")
    steps = len(batches) // cfg.grad_accum

    class Timer(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            sync(device)
            out.ends.append(time.perf_counter())

        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, float] | None = None,
                   **kwargs: Any) -> None:
            if logs and "loss" in logs:
                out.losses.append(float(logs["loss"]))

    with tempfile.TemporaryDirectory(prefix="sightline-bench-trl-") as tmp:
        args = SFTConfig(
            output_dir=tmp, max_steps=steps, per_device_train_batch_size=cfg.batch_size,
            gradient_accumulation_steps=cfg.grad_accum, learning_rate=cfg.lr, weight_decay=cfg.weight_decay,
            max_grad_norm=cfg.max_grad_norm, optim="adamw_torch", warmup_steps=cfg.warmup,
            lr_scheduler_type="cosine_with_min_lr", lr_scheduler_kwargs={"min_lr_rate": 0.1}, seed=cfg.seed,
            max_length=cfg.max_len, packing=False, padding_free=False, pad_to_multiple_of=None,
            completion_only_loss=True, gradient_checkpointing=False, bf16=bf16, use_cpu=device == "cpu",
            train_sampling_strategy="sequential", eval_strategy="no", save_strategy="no", report_to="none",
            logging_steps=1, disable_tqdm=True, dataloader_num_workers=0,
        )
        trainer = SFTTrainer(model=load_base(base_path), args=args, train_dataset=Dataset.from_list(rows),
                             processing_class=load_tokenizer(base_path), peft_config=lora_config(cfg),
                             callbacks=[Timer()])
        trainer.remove_callback(PrinterCallback)
        note = compare_tokenization(trainer.train_dataset, [examples[i] for i in order])
        collator = trainer.data_collator
        per_batch: list[tuple[int, int, int]] = []

        def counting(features: list[dict[str, Any]]) -> dict[str, Any]:
            batch = collator(features)
            per_batch.append((int(batch["attention_mask"].sum()), int(batch["input_ids"].numel()),
                              int((batch["labels"] != -100).sum())))
            return batch

        trainer.data_collator = counting
        trainer.train()
        for s in range(steps):
            micro = per_batch[s * cfg.grad_accum:(s + 1) * cfg.grad_accum]
            out.tokens.append(sum(m[0] for m in micro))
            out.padded.append(sum(m[1] for m in micro))
            out.labels.append(sum(m[2] for m in micro))
        del trainer
    free_memory(device)
    return out, note


def compare_tokenization(prepared: Any, ours: list[Any]) -> str:
    """How TRL's prepared rows differ from our encoded examples: input ids, and labelled tokens per example."""
    same_ids = sum(1 for row, ex in zip(prepared, ours, strict=True) if row["input_ids"] == ex.input_ids)
    extra = [sum(1 for t in row["labels"] if t != -100) - ex.n_labels for row, ex in zip(prepared, ours, strict=True)]
    return (f"TRL vs ours: identical input ids in {same_ids}/{len(ours)} examples; TRL labels "
            f"{sum(extra) / len(extra):+.2f} tokens per example (min {min(extra):+d}, max {max(extra):+d})")


def main(argv: list[str] | None = None) -> list[list[str]]:
    parser = argparse.ArgumentParser(prog="python -m bench training",
                                     description="Our LoRA trainer vs TRL SFTTrainer: s/step and tokens/s.")
    parser.add_argument("--steps", type=int, default=20, help="timed optimizer steps per trainer (default 20)")
    parser.add_argument("--warmup-steps", type=int, default=2, help="untimed steps first (default 2, >= 1)")
    parser.add_argument("--batch-size", type=int, default=4, help="examples per step (default 4)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                        help="auto: cuda (bf16 autocast when supported) when available, else cpu (float32)")
    args = parser.parse_args(argv or [])
    if args.steps < 1 or args.warmup_steps < 1:
        parser.error("--steps and --warmup-steps must be >= 1")

    import torch

    from training.base_model import base_model_path, load_tokenizer
    from training.presets import build_config

    device = args.device if args.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda: no CUDA device")
    bf16 = device == "cuda" and torch.cuda.is_bf16_supported()
    total = args.steps + args.warmup_steps
    cfg = build_config("balanced", batch_size=args.batch_size, max_steps=total)
    base_path = base_model_path()
    tokenizer = load_tokenizer(base_path)
    records, examples = load_records(cfg.max_len, tokenizer)
    batches = batch_order(len(examples), cfg, total * cfg.grad_accum)

    ours = run_ours(base_path, examples, batches, cfg, device, bf16, tokenizer.pad_token_id)
    trl, note = run_trl(base_path, records, examples, batches, cfg, device, bf16)

    w = args.warmup_steps
    where = f"{device} {'bf16 autocast' if bf16 else 'float32'}"
    if device == "cpu":
        where += f", {torch.get_num_threads()} threads"
    else:
        where += f", {torch.cuda.get_device_name()}"
    ratio = ours.tokens_per_s(w) / trl.tokens_per_s(w)
    rows = [ours.row(w, device), trl.row(w, device),
            ["ours / TRL", "", "", f"{ours.s_per_step(w) / trl.s_per_step(w):.2f}", f"{ratio:.2f}x", "", "", ""]]
    print_table(f"LoRA training, ours vs TRL SFTTrainer ({base_path.name}, {cfg.target_modules} r={cfg.lora_r}, "
                f"batch {cfg.batch_size}, {args.steps} timed steps after {w} warm-up; {where})",
                ["trainer", "device", "steps", "s/step", "tokens/s", "padded tok/s", "label tok/step", "mean loss"],
                rows)
    print(note)
    return rows


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
