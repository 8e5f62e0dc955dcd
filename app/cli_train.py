"""`sightline train [--queue]`, `sightline worker`, `sightline jobs list/show/logs/cancel`, `sightline eval JOB` and
`sightline models list/show/promote/rollback/leak-test/calibrate-leak/export`: the operator commands of fine-tuning, its
job queue and the registry."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from app.cli_output import fail

jobs_cli = typer.Typer(no_args_is_help=True, help="Training jobs: list, show, logs, cancel.")
models_cli = typer.Typer(no_args_is_help=True, help="Model registry: versions, gated promotion, rollback, export.")


def _user_errors() -> tuple[type[Exception], ...]:
    from db.model_registry import AliasError
    from training.base_model import BaseModelError
    from training.datasets import DatasetError, ScopeError
    from training.evaluate import EvalError
    from training.export import ExportError
    from training.jobs import JobError
    from training.presets import PresetError
    from training.registry import PromotionError

    return (ScopeError, DatasetError, PresetError, BaseModelError, JobError, EvalError, PromotionError, AliasError,
            ExportError)


def train_cmd(
    dataset: str = typer.Option(None, "--dataset", help="NAME or NAME@VERSION (default: the current version)"),
    preset: str = typer.Option("quick", "--preset", help="quick | balanced | quality | cost"),
    adapter_for: str = typer.Option("industry", "--adapter-for", help="industry or tenant:<slug>"),
    base: str = typer.Option(None, "--base", help="A safetensors model directory (default: the packaged "
                                                  "SmolLM2-135M-Instruct, converted on first use)"),
    epochs: float = typer.Option(None, "--epochs"),
    lr: float = typer.Option(None, "--lr"),
    batch_size: int = typer.Option(None, "--batch-size"),
    lora_r: int = typer.Option(None, "--lora-r"),
    lora_alpha: int = typer.Option(None, "--lora-alpha"),
    max_len: int = typer.Option(None, "--max-len", help="Tokens per example (longer ones are truncated)"),
    warmup: int = typer.Option(None, "--warmup", help="Warm-up steps"),
    weight_decay: float = typer.Option(None, "--weight-decay"),
    max_steps: int = typer.Option(None, "--max-steps", help="Stop after N optimizer steps (overrides --epochs)"),
    eval_every: int = typer.Option(None, "--eval-every", help="Steps between validation passes"),
    checkpoint_every: int = typer.Option(None, "--checkpoint-every", help="Steps between checkpoints"),
    log_every: int = typer.Option(None, "--log-every", help="Steps between loss events"),
    resume: str = typer.Option(None, "--resume", help="Resume JOB from its last checkpoint"),
    estimate_only: bool = typer.Option(False, "--estimate-only", help="Print the time/cost estimate and exit"),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr"),
    queue: bool = typer.Option(False, "--queue", help="Queue the job for `sightline worker` instead of training "
                                                      "in the foreground"),
    priority: int = typer.Option(0, "--priority", help="With --queue: higher runs first (default 0)"),
) -> None:
    """Fine-tune a LoRA adapter on a dataset. Re-running the same command resumes its unfinished job."""
    from training import jobs, registry
    from training.trainer import format_estimate, plan_run, run, start_or_resume

    try:
        if resume:
            job = jobs.get_job(resume)
            if job.status in ("succeeded", "cancelled"):
                fail(f"job {job.id} is {job.status}; only a queued, failed or interrupted job can be resumed")
            if job.process_alive():
                fail(f"job {job.id} is running (pid {job.pid} on {job.host})")
            typer.echo(f"resuming job {job.id} ({job.dataset_ref} -> {job.target}, preset {job.preset}) at step "
                       f"{job.step}/{job.total_steps}")
        else:
            if not dataset:
                fail("--dataset NAME[@VERSION] is required (or --resume JOB)")
            plan = plan_run(dataset, preset=preset, adapter_for=adapter_for, base=base, epochs=epochs, lr=lr,
                            batch_size=batch_size, lora_r=lora_r, lora_alpha=lora_alpha, max_len=max_len,
                            warmup=warmup, weight_decay=weight_decay, max_steps=max_steps, eval_every=eval_every,
                            checkpoint_every=checkpoint_every, log_every=log_every)
            ds = plan.dataset
            typer.echo(f"dataset {ds.name}@{ds.version.version} -> adapter {plan.target}; preset {plan.preset}; "
                       f"base {plan.base_path}")
            typer.echo(format_estimate(plan))
            if estimate_only:
                return
            job, resumed = start_or_resume(plan)
            if resumed:
                typer.echo(f"resuming unfinished job {job.id} of the same command at step {job.step}/"
                           f"{job.total_steps}")
            else:
                typer.echo(f"job {job.id} -> {job.job_dir} (model version "
                           f"{registry.version_for_job(job.id).id})")
        if queue:
            from training.queue import enqueue

            job, queue_id = enqueue(job, priority)
            where = "already waiting in the queue" if queue_id is None else f"queued (priority {job.priority})"
            typer.echo(f"job {job.id} {where}; `sightline worker` runs it; follow it with `sightline jobs show "
                       f"{job.id}` and `sightline jobs logs {job.id}`")
            return
        done = run(job, progress=progress)
    except _user_errors() as exc:
        fail(str(exc))
    r = done.result or {}
    typer.echo(f"job {done.id} {done.status} ({r.get('stopped')}) after {done.step} steps: {r.get('s_per_step')} "
               f"s/step, {r.get('tokens_per_s')} tokens/s on {r.get('device')}; best validation loss "
               f"{_fmt(done.best_val_loss)} at step {done.best_step}")
    typer.echo(f"adapter: {r.get('adapter')}\nloss curve: {r.get('loss_curve')}")
    if done.status == "succeeded":
        typer.echo(f"next: sightline eval {done.id}")
    else:
        raise typer.Exit(1)


def _fmt(x: float | None, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


@jobs_cli.command("list")
def jobs_list(limit: int = typer.Option(20, "--limit")) -> None:
    """Newest jobs first."""
    from training import jobs

    rows = jobs.list_jobs(limit)
    if not rows:
        typer.echo("no training jobs yet (try `sightline train --dataset industry --preset quick`)")
    for j in rows:
        status = j.status + ("?" if j.status == "running" and not j.process_alive() else "")
        status += f" p{j.priority}" if j.status == "queued" and j.priority else ""
        typer.echo(f"{j.id}  {status:<10} {j.step:>5}/{j.total_steps:<5} {j.target:<18} {j.dataset_ref:<28} "
                   f"{j.preset:<9} val={_fmt(j.best_val_loss)}  {j.created_at:%Y-%m-%d %H:%M}")
    if any(j.status == "running" and not j.process_alive() for j in rows):
        typer.echo("?: the trainer process is gone (crashed or killed); `sightline train --resume JOB` continues it")


@jobs_cli.command("show")
def jobs_show(job_ref: str = typer.Argument(..., metavar="JOB"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """A job's settings, estimate vs. measurement, and its loss table."""
    from training import jobs
    from training.curves import loss_table

    try:
        j = jobs.get_job(job_ref)
    except _user_errors() as exc:
        fail(str(exc))
    table = loss_table(j.id)
    if as_json:
        typer.echo(json.dumps({"id": j.id, "status": j.status, "target": j.target, "dataset": j.dataset_ref,
                               "preset": j.preset, "base_model": j.base_model, "config": j.config, "step": j.step,
                               "total_steps": j.total_steps, "estimate": j.estimate, "result": j.result,
                               "error": j.error, "job_dir": str(j.job_dir), "losses": table}, default=str))
        return
    alive = "" if j.status != "running" else (" (trainer alive)" if j.process_alive() else " (trainer gone: resume)")
    typer.echo(f"job {j.id}: {j.status}{alive}, step {j.step}/{j.total_steps}")
    typer.echo(f"  {j.dataset_ref} -> {j.target}; preset {j.preset}; base {j.base_model}")
    typer.echo(f"  folder {j.job_dir}")
    typer.echo("  config " + ", ".join(f"{k}={v}" for k, v in j.config.items()))
    if j.estimate:
        typer.echo(f"  estimate: {j.estimate.get('seconds')} s ({j.estimate.get('s_per_step')} s/step on "
                   f"{j.estimate.get('device')}), ${j.estimate.get('cost')}")
    if j.result:
        r = j.result
        typer.echo(f"  measured: {r.get('train_seconds')} s training, {r.get('s_per_step')} s/step, "
                   f"{r.get('tokens_per_s')} tokens/s ({r.get('device')}, {r.get('dtype')}); stopped: "
                   f"{r.get('stopped')}; resumed from {r.get('resumed_from') or '-'}")
    if j.error:
        typer.echo(f"  error: {j.error}")
    typer.echo(f"  best validation loss {_fmt(j.best_val_loss)} at step {j.best_step}")
    typer.echo("\n  step  epoch   train_loss  val_loss      lr")
    for row in table:
        typer.echo(f"  {row['step']:>4}  {_fmt(row['epoch'], 2):>5}   {_fmt(row['train_loss']):>10}  "
                   f"{_fmt(row['val_loss']):>8}  {_fmt(row['lr'], 6):>9}")


@jobs_cli.command("logs")
def jobs_logs(job_ref: str = typer.Argument(..., metavar="JOB"),
              output: Path = typer.Option(None, "--output", "-o", help="Write the log to this file"),
              tail: int = typer.Option(0, "--tail", help="Only the last N lines")) -> None:
    """Download a queued job's log (the trainer's output as its worker(s) stored it, every attempt)."""
    from training import jobs

    try:
        j = jobs.get_job(job_ref)
    except _user_errors() as exc:
        fail(str(exc))
    text = jobs.read_log(j.id)
    if not text:
        fail(f"job {j.id} has no log yet ({j.status}; logs are kept for jobs run by `sightline worker`)", 1)
    if tail:
        text = "\n".join(text.splitlines()[-tail:]) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(text.encode())} bytes of job {j.id}'s log -> {output}")
    else:
        typer.echo(text, nl=False)


def worker_cmd(
    slots: int = typer.Option(None, "--slots", help="Jobs run at once, one per slot (default "
                                                    "SIGHTLINE_WORKER_SLOTS; on GPU hosts one per visible GPU)"),
    burst: bool = typer.Option(False, "--burst", help="Exit when the queue is empty instead of waiting"),
) -> None:
    """Run queued training jobs (highest priority first), resume those of dead workers, send notifications."""
    import logging

    from config import get_settings
    from training.queue import run_worker

    logging.getLogger("procrastinate").setLevel(logging.INFO)
    logging.getLogger("training").setLevel(logging.INFO)
    n = slots or get_settings().worker_slots
    typer.echo(f"worker: {n} slot(s) on queue 'training'" + (" (burst)" if burst else " (Ctrl-C to stop)"), err=True)
    run_worker(n, burst=burst)


@jobs_cli.command("cancel")
def jobs_cancel(job_ref: str = typer.Argument(..., metavar="JOB")) -> None:
    """Mark a job cancelled; a running trainer stops before its next step."""
    from training import jobs

    try:
        j = jobs.cancel(job_ref)
    except _user_errors() as exc:
        fail(str(exc))
    typer.echo(f"job {j.id} cancelled" + (" (the trainer stops after its current step)"
                                          if j.process_alive() else ""))


def eval_cmd(
    job_ref: str = typer.Argument(..., metavar="JOB"),
    max_examples: int = typer.Option(20, "--max-examples", help="Held-out answers generated for ROUGE-L"),
    max_new_tokens: int = typer.Option(96, "--max-new-tokens"),
    threshold: float = typer.Option(1.15, "--max-regression-ratio",
                                    help="Largest allowed tuned/base perplexity ratio on the regression set"),
    leak: bool = typer.Option(True, "--leak/--no-leak", help="Also run the leak test (needed for production)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Evaluate a finished job against its base model (+ the leak test) and record the result in the registry."""
    from training.evaluate import evaluate_job, metrics_table
    from training.leak import leak_gate

    def say(msg: str) -> None:
        typer.echo(f"... {msg}", err=True)

    try:
        res = evaluate_job(job_ref, max_examples=max_examples, max_new_tokens=max_new_tokens, threshold=threshold,
                           progress=say)
        leak_result = leak_gate(res.version, progress=say) if leak else None
    except _user_errors() as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps({"version": res.version, "passed": res.passed, "metrics": res.metrics,
                               "leak_test": leak_result, "report": str(res.report_md)}, default=str))
    else:
        typer.echo(metrics_table(res.metrics))
        typer.echo(f"\nevaluation {'PASSED' if res.passed else 'FAILED'}"
                   + ("" if res.passed else ": " + "; ".join(res.metrics["failed_checks"])))
        if leak_result:
            typer.echo(_leak_line(leak_result))
        typer.echo(f"report: {res.report_md}")
        if res.passed and (leak_result or {}).get("passed"):
            typer.echo(f"next: sightline models promote {res.version}")
    if not res.passed or (leak_result is not None and not leak_result["passed"]):
        raise typer.Exit(1)


def _leak_line(r: dict) -> str:
    exp = ", ".join(f"x{e['repetitions']}: rank {e['rank']}/{e['candidates']} exp {e['exposure']}"
                    for e in r["exposure"])
    p = r["pipeline"]
    return (f"leak test {'PASSED' if r['passed'] else 'FAILED'}" + (f" ({r['reason']})" if r.get("reason") else "")
            + f": pipeline {p['mode']}: {len(p.get('survivors', []))} canary(ies) survived; exposure {exp}")


@models_cli.command("list")
def models_list(target: str = typer.Option(None, "--target", help="industry or tenant:<slug>")) -> None:
    """Registered model versions, newest first per target."""
    from training.registry import list_versions

    rows = list_versions(target)
    if not rows:
        typer.echo("no model versions yet (`sightline train` registers one per job)")
    for v in rows:
        m = v.metrics or {}
        ppl = m.get("perplexity", {})
        gates = f"eval={_yes(v.eval_passed)} leak={_yes(v.leak_passed)}"
        typer.echo(f"{v.id:<20} {v.status:<10} {v.target:<18} job={v.job_id} ({v.job_status or '-'}) "
                   f"{v.dataset:<28} ppl {ppl.get('base', '-')}->{ppl.get('tuned', '-')}  {gates}")


def _yes(x: bool | None) -> str:
    return "-" if x is None else ("pass" if x else "FAIL")


@models_cli.command("show")
def models_show(version: str) -> None:
    """One version: paths, metrics, leak test, notes."""
    from training.registry import get_version

    try:
        v = get_version(version)
    except _user_errors() as exc:
        fail(str(exc))
    typer.echo(f"{v.id}: {v.status} ({v.target}); job {v.job_id} ({v.job_status}); dataset {v.dataset}")
    typer.echo(f"  base {v.base_model}\n  adapter {v.adapter_path}\n  eval report {v.eval_report or '-'}")
    if v.metrics:
        from training.evaluate import metrics_table

        typer.echo("\n" + metrics_table(v.metrics) + "\n")
    typer.echo(f"  evaluation: {_yes(v.eval_passed)}")
    if v.leak_test:
        typer.echo("  " + _leak_line(v.leak_test))
    else:
        typer.echo("  leak test: -")
    if v.note:
        typer.echo(f"  note: {v.note}")


@models_cli.command("promote")
def models_promote(
    version: str,
    to: str = typer.Option("production", "--to", help="production (needs passing eval + leak test) or staging"),
) -> None:
    """Make VERSION its target's production (or staging) version; the agent uses it from the next request."""
    from training.registry import promote

    try:
        new, previous = promote(version, to)
    except _user_errors() as exc:
        fail(str(exc))
    typer.echo(f"{new.target}@{to} -> {new.id}" + (f" (was {previous.id}, now {previous.status})" if previous else ""))


@models_cli.command("rollback")
def models_rollback(alias: str = typer.Argument("industry@production", help="industry[@production] or "
                                                                              "tenant:<slug>[@production]")) -> None:
    """Put back the version that was production before the current one."""
    from training.registry import rollback

    try:
        restored, rolled_back = rollback(alias)
    except _user_errors() as exc:
        fail(str(exc))
    target = rolled_back.target
    if restored:
        typer.echo(f"{target}@production -> {restored.id} (rolled back {rolled_back.id}, now {rolled_back.status})")
    else:
        typer.echo(f"{target}@production is now unset (rolled back {rolled_back.id}; nothing was promoted before it)")


@models_cli.command("leak-test")
def models_leak_test(version: str,
                     candidates: int = typer.Option(1000, "--candidates", help="Random candidates per canary")) -> None:
    """Run (again) the canary leak test for VERSION and record it."""
    from training.leak import leak_gate

    try:
        result = leak_gate(version, n=candidates, progress=lambda m: typer.echo(f"... {m}", err=True))
    except _user_errors() as exc:
        fail(str(exc))
    typer.echo(_leak_line(result))
    if not result["passed"]:
        raise typer.Exit(1)


@models_cli.command("calibrate-leak")
def models_calibrate_leak(
    steps: int = typer.Option(40, "--steps"),
    base: str = typer.Option(None, "--base"),
    candidates: int = typer.Option(1000, "--candidates"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Test-only: train briefly on canary notes with the anonymizer bypassed and report the exposures it measures."""
    from training.base_model import base_model_path
    from training.leak import calibrate

    try:
        result = calibrate(base_model_path(base), steps=steps, n=candidates,
                           progress=lambda m: typer.echo(f"... {m}", err=True))
    except _user_errors() as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"{result['records']} raw notes, {result['steps']} steps ({result['epochs']} epochs) in "
               f"{result['train_seconds']} s, loss {result['first_loss']} -> {result['last_loss']}")
    typer.echo("repetitions  secret        rank before -> after (of N)   exposure before -> after")
    for b, a in zip(result["before"], result["after"], strict=True):
        typer.echo(f"{a['repetitions']:>11}  {a['secret']}  {b['rank']:>6} -> {a['rank']:<6} ({a['candidates']})"
                   f"        {b['exposure']:>6} -> {a['exposure']}")


@models_cli.command("export")
def models_export(
    out: Path = typer.Argument(..., help="Folder to write base/, adapters/, lora-modules.txt, manifest.json"),
    served_root: str = typer.Option(None, "--served-root", help="Where OUT is mounted on the server (e.g. /models)"),
    staging: bool = typer.Option(False, "--staging", help="Also export staging versions (as <name>-staging)"),
) -> None:
    """Export the base model and the promoted adapters for vLLM (`deploy/vllm/serve.sh`)."""
    from training.export import export

    try:
        result = export(out, stages=("production", "staging") if staging else ("production",),
                        served_root=served_root)
    except _user_errors() as exc:
        fail(str(exc))
    typer.echo(f"base -> {result.base}")
    for name, vid in sorted(result.adapters.items()):
        typer.echo(f"adapter {name} ({vid}) -> {result.root / 'adapters' / name}")
    typer.echo(f"--lora-modules {result.lora_modules}")
