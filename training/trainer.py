"""LoRA fine-tuning, readable top to bottom: plan a run (scope check, steps, time/cost estimate), then one plain torch
loop over a DataLoader with checkpoints + resume, validation + early stopping, cancel polling, a progress bar, loss
events in PostgreSQL and a loss-curve PNG in the job folder.

    plan = plan_run("industry", preset="quick", adapter_for="industry")   # raises ScopeError before anything runs
    job = start_or_resume(plan)                                           # a new job, or the unfinished one
    job = run(job)                                                        # trains; safe to kill -9 and re-run

CUDA with bf16 autocast is used when available (through accelerate); otherwise float32 on the CPU. Same code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import config  # noqa: F401  (offline switches before transformers is imported)
from config import get_settings
from training import jobs
from training.base_model import base_model_path, load_base, load_tokenizer
from training.batches import Example, ResumableBatchSampler, batches_per_epoch, collate, encode_records, padded_tokens
from training.datasets import Dataset, check_training_scope, get_dataset, load_split
from training.presets import CPU_S_PER_KTOKEN, EVAL_COST_RATIO, TrainConfig, build_config
from training.scoring import examples_nll, mean_nll

log = logging.getLogger(__name__)

STATE_FILE = "trainer_state.pt"
CHECKPOINT_RE = re.compile(r"^step-\d{6}$")


# --------------------------------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Plan:
    """A resolved `sightline train` command: what would run, how long it should take, and its fingerprint."""

    dataset: Dataset
    target: str  # "industry" | "tenant:<slug>"
    tenant_id: Any
    base_path: Path
    preset: str
    config: TrainConfig
    total_steps: int
    estimate: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        key = {"dataset": f"{self.dataset.name}@{self.dataset.version.version}", "target": self.target,
               "base": str(self.base_path), "preset": self.preset, "config": self.config.to_json()}
        return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def device_kind() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def total_steps_for(n_train: int, cfg: TrainConfig) -> int:
    """Optimizer steps: `max_steps` when given, else epochs x batches per epoch / gradient accumulation."""
    if cfg.max_steps:
        return cfg.max_steps
    micro = math.ceil(cfg.epochs * batches_per_epoch(n_train, cfg.batch_size))
    return max(1, math.ceil(micro / cfg.grad_accum))


def plan_run(dataset_ref: str, *, preset: str, adapter_for: str, base: str | None = None,
             **overrides: Any) -> Plan:
    """Resolve the dataset and config, enforce the training scope, and estimate time and cost (nothing is trained).

    Raises ScopeError (the dataset may not train `adapter_for`), DatasetError, PresetError, BaseModelError.
    """
    dataset = get_dataset(dataset_ref)
    check_training_scope(dataset, adapter_for)  # the one place the rule lives; checked again when the job starts
    cfg = build_config(preset, **overrides)
    tenant_id = None
    if adapter_for != "industry":
        from db.registry import RegistryError, get_tenant

        slug = adapter_for.split(":", 1)[1]
        try:
            tenant_id = get_tenant(slug).id
        except RegistryError as exc:
            from training.datasets import ScopeError

            raise ScopeError(str(exc)) from exc
    base_path = base_model_path(base)
    tokenizer = load_tokenizer(base_path)
    train, dropped = encode_records(load_split(dataset, "train"), tokenizer, cfg.max_len)
    if not train:
        from training.datasets import DatasetError

        raise DatasetError(f"dataset {dataset.name}@{dataset.version.version} has no trainable examples")
    val, _ = encode_records(load_split(dataset, "val")[:cfg.max_val_examples], tokenizer, cfg.max_len)
    steps = total_steps_for(len(train), cfg)
    estimate = estimate_run(train, val, cfg, steps)
    estimate["dropped_examples"] = dropped
    return Plan(dataset=dataset, target=adapter_for, tenant_id=tenant_id, base_path=base_path, preset=preset,
                config=cfg, total_steps=steps, estimate=estimate)


def estimate_run(train: list[Example], val: list[Example], cfg: TrainConfig, steps: int) -> dict[str, Any]:
    """Tokens x steps from the dataset, times the seconds per 1,000 padded tokens measured on this host (the median
    of its finished jobs), or the constant measured on the CI machine before it has any."""
    device = device_kind()
    micro = steps * cfg.grad_accum
    padded = padded_tokens(train, cfg.batch_size, cfg.seed, micro)
    label_tokens = sum(ex.n_labels for ex in train)
    n_evals = (steps // cfg.eval_every + 1) if val else 0
    val_tokens = sum(len(ex.input_ids) for ex in val)
    try:
        measured = jobs.measured_s_per_ktoken(device)
    except Exception:  # noqa: BLE001 - an estimate must never block a run
        measured = None
    if measured:
        rate, source = measured[0], f"median of {measured[1]} finished job(s) on this host"
    elif device == "cpu":
        rate, source = CPU_S_PER_KTOKEN, "constant measured on the 2-core CI machine"
    else:
        rate, source = CPU_S_PER_KTOKEN / 40, "rough guess for a GPU (no job measured on this host yet)"
    seconds = (padded + n_evals * val_tokens * EVAL_COST_RATIO) / 1000 * rate
    per_hour = get_settings().train_cost_per_hour
    return {"device": device, "steps": steps, "examples": len(train), "epochs": round(micro / batches_per_epoch(
        len(train), cfg.batch_size), 2), "examples_per_step": cfg.batch_size * cfg.grad_accum,
        "train_tokens_per_epoch": sum(len(ex.input_ids) for ex in train), "label_tokens_per_epoch": label_tokens,
        "padded_tokens": padded, "val_examples": len(val), "evals": n_evals, "s_per_ktoken": round(rate, 3),
        "rate_source": source, "seconds": round(seconds, 1), "s_per_step": round(seconds / steps, 2),
        "cost_per_hour": per_hour, "cost": round(seconds / 3600 * per_hour, 4)}


def format_estimate(plan: Plan) -> str:
    e = plan.estimate
    minutes = e["seconds"] / 60
    return (f"estimate: {e['steps']} steps x {e['examples_per_step']} examples ({e['epochs']} epoch(s) of "
            f"{e['examples']}), {e['padded_tokens']:,} padded tokens, {e['evals']} validation pass(es) on "
            f"{e['val_examples']} examples\n"
            f"          ~{minutes:.1f} min on {e['device']} ({e['s_per_step']} s/step; {e['s_per_ktoken']} s per 1k "
            f"tokens, {e['rate_source']}); cost ~${e['cost']:.4f} at ${e['cost_per_hour']}/h")


def start_or_resume(plan: Plan) -> tuple[jobs.Job, bool]:
    """(job, resumed): the newest unfinished job of the same command (dataset version, target, base, config), or a
    new queued one with its model version registered as `training`. A job still running elsewhere is refused."""
    from training import registry

    job = jobs.find_unfinished(plan.fingerprint)
    if job is not None:
        if job.process_alive():
            raise jobs.JobError(f"job {job.id} (the same command) is already running (pid {job.pid} on {job.host}); "
                                f"`sightline jobs cancel {job.id}` to stop it")
        return job, True
    job = jobs.create_job(target=plan.target, tenant_id=plan.tenant_id, dataset_name=plan.dataset.name,
                          dataset_version=plan.dataset.version.version, preset=plan.preset,
                          base_model=str(plan.base_path), config=plan.config.to_json(), fingerprint=plan.fingerprint,
                          total_steps=plan.total_steps, estimate=plan.estimate)
    registry.create_version(job)
    return job, False


# --------------------------------------------------------------------------------------------------- checkpoints


def checkpoints(job_dir: Path) -> list[Path]:
    """Complete checkpoints, oldest first (a checkpoint is written to a temp folder and renamed when complete)."""
    root = job_dir / "checkpoints"
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("step-*") if CHECKPOINT_RE.match(p.name) and (p / STATE_FILE).is_file())


def _atomic_dir(final: Path, write: Callable[[Path], None]) -> None:
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    write(tmp)
    old = final.with_name(final.name + ".old")
    if final.exists():
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _rng_state() -> dict[str, Any]:
    import numpy as np
    import torch

    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict[str, Any]) -> None:
    import numpy as np
    import torch

    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(job_dir: Path, model: Any, optimizer: Any, scheduler: Any, state: dict[str, Any],
                    keep: int) -> Path:
    """adapter + optimizer + scheduler + RNG + step, atomically; older checkpoints beyond `keep` are deleted."""
    import torch

    final = job_dir / "checkpoints" / f"step-{state['step']:06d}"

    def write(tmp: Path) -> None:
        model.save_pretrained(tmp)
        torch.save({**state, "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                    "rng": _rng_state()}, tmp / STATE_FILE)

    _atomic_dir(final, write)
    for old in checkpoints(job_dir)[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _save_adapter(model: Any, final: Path, meta: dict[str, Any]) -> None:
    def write(tmp: Path) -> None:
        model.save_pretrained(tmp)
        (tmp / "training.json").write_text(json.dumps(meta, indent=2) + "\n")

    _atomic_dir(final, write)


# --------------------------------------------------------------------------------------------------- the loop


def _lr_lambda(warmup: int, total: int) -> Callable[[int], float]:
    """Linear warm-up to the peak, then cosine decay to 10% of it."""

    def f(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

    return f


def lora_config(cfg: TrainConfig) -> Any:
    """The LoRA adapter every run trains (rank, alpha, dropout and target modules from the config)."""
    from peft import LoraConfig

    return LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                      target_modules=cfg.target_modules, task_type="CAUSAL_LM")


@dataclass(frozen=True)
class StepResult:
    """What one optimizer step trained: its loss (summed over micro-batches) and token counts."""

    loss: float
    padded_tokens: int  # batch x longest example, summed over micro-batches
    tokens: int  # non-padding tokens (attention mask)
    label_tokens: int  # tokens the loss was computed on


def train_step(model: Any, batches: Iterator[dict[str, Any]], accelerator: Any, optimizer: Any, scheduler: Any,
               params: list[Any], cfg: TrainConfig) -> StepResult:
    """One optimizer step: `cfg.grad_accum` micro-batches from `batches` (forward under autocast, backward), gradient
    clipping, optimizer and scheduler step, gradients zeroed."""
    loss_sum = 0.0
    padded = tokens = labelled = 0
    for _ in range(cfg.grad_accum):
        batch = {k: v.to(accelerator.device) for k, v in next(batches).items()}
        with accelerator.autocast():
            loss = model(**batch).loss / cfg.grad_accum
        accelerator.backward(loss)
        loss_sum += float(loss.detach())
        padded += int(batch["input_ids"].numel())
        tokens += int(batch["attention_mask"].sum())
        labelled += int((batch["labels"] != -100).sum())
    if cfg.max_grad_norm:
        accelerator.clip_grad_norm_(params, cfg.max_grad_norm)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    return StepResult(loss=loss_sum, padded_tokens=padded, tokens=tokens, label_tokens=labelled)


def run(job: jobs.Job, *, progress: bool = True, on_step: Callable[[int, float], None] | None = None) -> jobs.Job:
    """Train `job` from scratch or from its last checkpoint until it finishes, stops early, or is cancelled.

    `on_step(step, loss)` is called after every optimizer step (tests use it to cancel at a known step).
    """
    from training import registry

    dataset = get_dataset(job.dataset_name, job.dataset_version)
    check_training_scope(dataset, job.target)  # a resumed job is re-checked too
    job = jobs.mark_running(job.id)
    try:
        return _train(job, dataset, progress=progress, on_step=on_step)
    except BaseException as exc:
        message = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"{type(exc).__name__}: {exc}"
        jobs.add_event(job.id, "status", jobs.get_job(job.id).step, message=f"failed: {message}")
        jobs.finish(job.id, "failed", error=message)
        registry.job_finished(jobs.get_job(job.id))
        raise


def _train(job: jobs.Job, dataset: Dataset, *, progress: bool,
           on_step: Callable[[int, float], None] | None) -> jobs.Job:
    import torch
    from accelerate import Accelerator
    from peft import PeftModel, get_peft_model
    from torch.utils.data import DataLoader
    from tqdm import tqdm

    from training import registry

    cfg = TrainConfig.from_json(job.config)
    job_dir = job.job_dir
    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()
    accelerator = Accelerator(cpu=not cuda, mixed_precision="bf16" if bf16 else "no")
    device = accelerator.device
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)

    # ---- data: the stored splits, chat template, completion-only labels
    base_path = Path(job.base_model)
    tokenizer = load_tokenizer(base_path)
    pad_id = tokenizer.pad_token_id
    train, _ = encode_records(load_split(dataset, "train"), tokenizer, cfg.max_len)
    val, _ = encode_records(load_split(dataset, "val")[:cfg.max_val_examples], tokenizer, cfg.max_len)
    total = job.total_steps

    # ---- model: base + LoRA on every linear layer, or the adapter of the last checkpoint
    model = load_base(base_path)
    ckpts = checkpoints(job_dir)
    resume = ckpts[-1] if ckpts else None
    if resume is not None:
        model = PeftModel.from_pretrained(model, resume, is_trainable=True)
    else:
        model = get_peft_model(model, lora_config(cfg))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(cfg.warmup, total))
    state: dict[str, Any] = {"step": 0, "best_val_loss": None, "best_step": None, "bad_evals": 0,
                             "padded_tokens": 0, "label_tokens": 0, "train_seconds": 0.0, "resumed_from": []}
    if resume is not None:
        saved = torch.load(resume / STATE_FILE, map_location="cpu", weights_only=False)
        optimizer.load_state_dict(saved.pop("optimizer"))
        scheduler.load_state_dict(saved.pop("scheduler"))
        _set_rng_state(saved.pop("rng"))
        state.update(saved)
        state["resumed_from"] = [*state["resumed_from"], state["step"]]
        best = job_dir / "best" / "training.json"
        if best.is_file() and json.loads(best.read_text())["step"] > state["step"]:
            shutil.rmtree(job_dir / "best")  # from steps after the checkpoint: they are trained again
        jobs.add_event(job.id, "status", state["step"], message=f"resumed from checkpoint {resume.name}")
    else:
        jobs.add_event(job.id, "status", 0, message=f"started on {device.type}{' bf16' if bf16 else ''}: "
                                                      f"{len(train)} train / {len(val)} val examples, {total} steps")
    model, optimizer = accelerator.prepare(model, optimizer)
    model.train()

    start = state["step"]
    sampler = ResumableBatchSampler(len(train), cfg.batch_size, cfg.seed, start * cfg.grad_accum,
                                    total * cfg.grad_accum)
    loader = DataLoader(train, batch_sampler=sampler, collate_fn=lambda b: collate(b, pad_id))
    batches = iter(loader)
    per_epoch = batches_per_epoch(len(train), cfg.batch_size)
    bar = tqdm(total=total, initial=start, unit="step", disable=not progress, file=sys.stderr, dynamic_ncols=True,
               desc=f"job {job.id}")
    window: list[float] = []
    session_steps, session_seconds, session_padded = 0, 0.0, 0
    stopped = "completed"
    step = start

    def validate() -> float | None:
        if not val:
            return None
        return mean_nll(examples_nll(model, val, pad_id=pad_id, device=device, batch_size=cfg.batch_size * 2))

    while step < total:
        # -- one optimizer step over grad_accum micro-batches
        t0 = time.perf_counter()
        done = train_step(model, batches, accelerator, optimizer, scheduler, params, cfg)
        loss_sum = done.loss
        state["padded_tokens"] += done.padded_tokens
        session_padded += done.padded_tokens
        state["label_tokens"] += done.label_tokens
        dt = time.perf_counter() - t0
        step += 1
        state["step"] = step
        state["train_seconds"] += dt
        session_steps += 1
        session_seconds += dt
        window.append(loss_sum)
        bar.update(1)
        bar.set_postfix(loss=f"{loss_sum:.3f}", val=f"{state['best_val_loss']:.3f}" if state["best_val_loss"] else "-")
        epoch = step * cfg.grad_accum / per_epoch

        # -- loss events
        if step % cfg.log_every == 0 or step == total:
            jobs.add_event(job.id, "log", step, epoch=round(epoch, 3), train_loss=sum(window) / len(window),
                           lr=scheduler.get_last_lr()[0], tokens=state["padded_tokens"],
                           seconds=round(state["train_seconds"], 3))
            window = []

        # -- validation and early stopping
        if val and (step % cfg.eval_every == 0 or step == total):
            val_loss = validate()
            improved = state["best_val_loss"] is None or val_loss < state["best_val_loss"] - cfg.min_delta
            jobs.add_event(job.id, "eval", step, epoch=round(epoch, 3), val_loss=val_loss,
                           message="improved" if improved else f"no improvement ({state['bad_evals'] + 1})")
            if improved:
                state.update(best_val_loss=val_loss, best_step=step, bad_evals=0)
                _save_adapter(accelerator.unwrap_model(model), job_dir / "best",
                              {"job": job.id, "step": step, "val_loss": val_loss})
                jobs.update_best(job.id, val_loss, step)
            else:
                state["bad_evals"] += 1
            if cfg.patience and state["bad_evals"] >= cfg.patience:
                stopped = "early_stopping"

        # -- checkpoint
        if step % cfg.checkpoint_every == 0 and step < total and stopped == "completed":
            path = save_checkpoint(job_dir, accelerator.unwrap_model(model), optimizer, scheduler, state,
                                   cfg.keep_checkpoints)
            jobs.add_event(job.id, "checkpoint", step, message=path.name)

        # -- heartbeat + cancel poll (one round trip per step)
        if jobs.heartbeat(job.id, step) != "running":
            stopped = "cancelled"
        if on_step is not None:
            on_step(step, loss_sum)
        if stopped != "completed":
            break
    bar.close()

    # ---- the result: the best validated adapter (or the last one without a validation split)
    unwrapped = accelerator.unwrap_model(model)
    final = job_dir / "adapter"
    if (job_dir / "best").is_dir():
        _atomic_dir(final, lambda tmp: _copy_tree(job_dir / "best", tmp))
    else:
        _save_adapter(unwrapped, final, {"job": job.id, "step": step, "val_loss": None})
    result = {
        "stopped": stopped, "steps_done": step, "device": device.type, "dtype": "bf16" if bf16 else "float32",
        "threads": torch.get_num_threads(), "train_seconds": round(state["train_seconds"], 2),
        "s_per_step": round(session_seconds / session_steps, 3) if session_steps else None,
        "s_per_ktoken": round(session_seconds / (session_padded / 1000), 3) if session_padded else None,
        "tokens_per_s": round(session_padded / session_seconds, 1) if session_seconds else None,
        "padded_tokens": state["padded_tokens"], "label_tokens": state["label_tokens"],
        "best_val_loss": state["best_val_loss"], "best_step": state["best_step"],
        "resumed_from": state["resumed_from"], "adapter": str(final),
    }
    from training.curves import plot_job

    try:
        result["loss_curve"] = str(plot_job(job.id, job_dir))
    except Exception as exc:  # noqa: BLE001 - a missing plot must not fail a finished run
        log.warning("loss curve not written: %s", exc)
    (job_dir / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    jobs.add_event(job.id, "status", step, message=stopped)
    status = "cancelled" if stopped == "cancelled" else "succeeded"
    done = jobs.finish(job.id, status, step=step, result=result)
    registry.job_finished(done)
    return done


def _copy_tree(src: Path, dst: Path) -> None:
    for item in src.iterdir():
        shutil.copy2(item, dst / item.name)


def main(argv: list[str] | None = None) -> int:
    """`python -m training.trainer JOB`: run one job (what `sightline train` runs)."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m training.trainer JOB_ID", file=sys.stderr)
        return 2
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    job = run(jobs.get_job(args[0]))
    print(json.dumps({"job": job.id, "status": job.status}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
