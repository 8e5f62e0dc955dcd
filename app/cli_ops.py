"""Operator commands: `sightline backup DIR`, `sightline restore DIR`, `sightline tenant erase SLUG --yes`,
`sightline user erase EMAIL`, `sightline user export EMAIL` and `sightline operator-log`.

The work is done in db/backup.py and db/erasure.py; after a tenant erasure this module also rebuilds the pooled
industry dataset (training/, which db/ must not import) so that no pooled training data is derived from the erased
tenant. Errors are UserErrors, printed as one line by the CLI (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from app.cli_output import echo_rows


def backup_cmd(dest: Path = typer.Argument(..., metavar="DIR", help="A new (or empty) folder for the backup")) -> None:
    """Back up the database (pg_dump) and the data folder's secrets, datasets, adapters and job folders."""
    from db import backup, erasure

    result = backup.backup(dest)
    m = result.manifest
    if m["source"]["migration"] is not None and "public.operator_log" in m["database"]["row_counts"]:
        erasure.log_event("backup", details={"rows": result.rows, "files": result.files})
    typer.echo(f"backup written to {result.path}: {result.rows} row(s) in {len(m['database']['row_counts'])} "
               f"table(s), {result.files} file(s), database at migration {m['source']['migration']}")
    typer.echo("it holds the deployment's secrets: keep it encrypted and access-controlled", err=True)


def restore_cmd(
    src: Path = typer.Argument(..., metavar="DIR", help="A folder written by `sightline backup`"),
    replace: bool = typer.Option(False, "--replace", help="Drop the current database and overwrite differing files"),
) -> None:
    """Restore a backup into this data folder's (empty) database; checksums are verified first."""
    from db import backup, erasure

    result = backup.restore(src, replace=replace)
    erasure.log_event("restore", details={"rows": sum(result.row_counts.values()), "files": result.files})
    moved = f"; {result.paths_rewritten} stored path(s) moved to this data folder" if result.paths_rewritten else ""
    typer.echo(f"restored {sum(result.row_counts.values())} row(s) in {len(result.row_counts)} table(s) and "
               f"{result.files} file(s) from {result.path}{moved}")


def tenant_erase_cmd(
    slug: str,
    yes: bool = typer.Option(False, "--yes", help="Confirm: every row and file of the tenant is deleted for good"),
) -> None:
    """Erase a tenant: its rows in every table, documents, datasets, adapters, job folders, API keys (logged)."""
    from config.errors import UserError
    from db import erasure

    if not yes:
        raise UserError(f"this deletes every row and file of tenant {slug!r} for good; re-run with --yes to confirm")
    result = erasure.erase_tenant(slug)
    typer.echo(f"erased tenant {slug} ({result.tenant_id}): {result.total_rows} row(s) in {len(result.rows)} "
               f"table(s), {len(result.files_removed)} folder(s) of datasets, jobs and adapters")
    for table, n in sorted(result.rows.items()):
        typer.echo(f"  {table:<22} {n:>8}")
    typer.echo(f"pooled industry aggregates recomputed without it: {result.aggregates} cell(s)")
    rebuilt = _rebuild_industry_dataset()
    if rebuilt:
        typer.echo(rebuilt)
    typer.echo("recorded in the operator log (`sightline operator-log`); backups taken before now still hold the "
               "tenant until they expire")


def _rebuild_industry_dataset() -> str | None:
    """Rebuild the pooled industry dataset from the refreshed aggregates, when one exists."""
    from training.datasets import INDUSTRY_DATASET, DatasetError, get_dataset
    from training.industry_builder import build_industry_dataset

    try:
        previous = get_dataset(INDUSTRY_DATASET).version.version
    except DatasetError:
        return None
    ds = build_industry_dataset()
    if ds.version.version == previous:
        return f"pooled dataset {INDUSTRY_DATASET}@{previous} unchanged (no aggregate of it involved the tenant)"
    return (f"pooled dataset {INDUSTRY_DATASET} rebuilt without it: {INDUSTRY_DATASET}@{ds.version.version} is "
            f"current (was @{previous}); retrain the industry adapter from it (`sightline train --dataset "
            f"{INDUSTRY_DATASET}`)")


def user_erase_cmd(email: str) -> None:
    """Erase a user: their threads, messages, feedback, conversation memory, audit rows and the user (logged)."""
    from db import erasure

    result = erasure.erase_user(email)
    typer.echo(f"erased user {result.user_id} of tenant {result.tenant_slug}: {result.total_rows} row(s)")
    for table, n in sorted(result.rows.items()):
        typer.echo(f"  {table:<22} {n:>8}")


def user_export_cmd(
    email: str,
    out: Path = typer.Option(None, "--out", help="Write the JSON to this file (default: standard output)"),
) -> None:
    """Export a user's threads, messages and feedback as JSON (logged, without the e-mail)."""
    from db import erasure

    data = erasure.export_user(email)
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n")
    typer.echo(f"{len(data['threads'])} thread(s), {sum(len(t['messages']) for t in data['threads'])} message(s), "
               f"{len(data['feedback'])} feedback row(s) -> {out}", err=True)


def operator_log_cmd(limit: int = typer.Option(50, "--limit")) -> None:
    """The operator log: erasures, exports, backups and restores (no personal data), newest first."""
    from db import erasure

    echo_rows(erasure.operator_log(limit), "the operator log is empty",
              lambda r: f"{r['at']:%Y-%m-%d %H:%M:%S}  {r['action']:<12} {r['subject']:<44} "
                        f"{json.dumps(r['details'], sort_keys=True)}")
