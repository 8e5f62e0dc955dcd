"""The loss curve of a job (train loss per logging step, validation loss per evaluation) as `loss.png` in its folder,
and the de-duplicated loss table (a resumed run logs the steps after its checkpoint again; the later entry wins)."""

from __future__ import annotations

from pathlib import Path

from training import jobs


def loss_table(job_id: str) -> list[dict[str, float | int | None]]:
    """One row per step that has a train and/or validation loss, latest event per (kind, step), by step."""
    rows: dict[int, dict[str, float | int | None]] = {}
    for e in jobs.events(job_id, ("log", "eval")):
        row = rows.setdefault(e.step, {"step": e.step, "epoch": e.epoch, "train_loss": None, "val_loss": None,
                                       "lr": None, "tokens": None, "seconds": None})
        if e.kind == "log":
            row.update(train_loss=e.train_loss, lr=e.lr, tokens=e.tokens, seconds=e.seconds, epoch=e.epoch)
        else:
            row["val_loss"] = e.val_loss
    return [rows[s] for s in sorted(rows)]


def plot_job(job_id: str, job_dir: Path) -> Path:
    """Write `<job_dir>/loss.png` and return its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = loss_table(job_id)
    train = [(r["step"], r["train_loss"]) for r in table if r["train_loss"] is not None]
    val = [(r["step"], r["val_loss"]) for r in table if r["val_loss"] is not None]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    if train:
        ax.plot(*zip(*train, strict=True), label="train loss", color="#1f77b4")
    if val:
        ax.plot(*zip(*val, strict=True), label="validation loss", color="#d62728", marker="o")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss (mean token NLL, completion only)")
    ax.set_title(f"job {job_id}")
    ax.grid(alpha=0.3)
    if train or val:
        ax.legend()
    fig.tight_layout()
    path = job_dir / "loss.png"
    fig.savefig(path)
    plt.close(fig)
    return path
