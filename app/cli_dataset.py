"""`sightline dataset ...`: add (validate + store a content-addressed version), list, show, rollback, build-industry."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from app.cli_output import fail

dataset_cli = typer.Typer(no_args_is_help=True, help="Training datasets: validate, version, roll back.")


def _user_errors() -> tuple[type[Exception], ...]:
    from training.datasets import DatasetError
    from training.splits import SplitError

    return (DatasetError, SplitError)


@dataset_cli.command("add")
def dataset_add(
    file: Path = typer.Argument(..., help=".jsonl (prompt/completion or chat), .csv (text,label), .txt, .pdf, .docx"),
    name: str = typer.Option(..., "--name", help="Dataset name (lowercase letters, digits, '-', '_')"),
    tenant: str = typer.Option(None, "--tenant", help="Tenant slug: the dataset belongs to (and trains) that tenant "
                                                        "only. Without it the dataset is pooled."),
    redact: bool = typer.Option(False, "--redact", help="Replace PII with <TYPE> placeholders in the stored version"),
    dedupe: bool = typer.Option(False, "--dedupe", help="Drop exact and near duplicates"),
    split: str = typer.Option("80/10/10", "--split", help="train/val/test percentages"),
    seed: int = typer.Option(42, "--seed", help="Split seed"),
    strict: bool = typer.Option(False, "--strict", help="Store nothing if there is any error or warning"),
    min_tokens: int = typer.Option(2, "--min-tokens", help="Warn below this many tokens per record"),
    max_tokens: int = typer.Option(1024, "--max-tokens", help="Warn above this many tokens per record"),
    as_json: bool = typer.Option(False, "--json", help="Print the validation report as JSON"),
) -> None:
    """Validate FILE and store it as a new version of dataset NAME (the same content gives the same version)."""
    from training.datasets import add_dataset
    from training.validate import Options, format_report

    if not file.is_file():
        fail(f"{file}: no such file")
    options = Options(redact=redact, dedupe=dedupe, split=split, seed=seed, strict=strict, min_tokens=min_tokens,
                      max_tokens=max_tokens)
    try:
        result = add_dataset(file, name, tenant_slug=tenant, options=options)
    except _user_errors() as exc:
        fail(str(exc))
    report = result.prepared.report
    typer.echo(json.dumps(report, indent=2, default=str) if as_json else format_report(report))
    if result.dataset is None:
        fail(f"{file.name}: {report.get('fatal')}; nothing stored", code=1)
    ds = result.dataset
    v = ds.version
    if result.created:
        state = "stored new version"
    elif result.became_current:
        state = "same content as stored version; made current again"
    else:
        state = "unchanged: same content as the current version"
    scope = f"tenant {ds.tenant_slug}" if ds.scope == "tenant" else "pooled"
    typer.echo(f"{state} {ds.name}@{v.version} ({scope}; train={v.counts['train']} val={v.counts['val']} "
               f"test={v.counts['test']}; anonymized={'yes' if v.anonymized else 'no'}) in {v.path}", err=as_json)


@dataset_cli.command("list")
def dataset_list() -> None:
    """List datasets with their current version."""
    from training.datasets import list_datasets, list_versions

    datasets = list_datasets()
    if not datasets:
        typer.echo("no datasets yet (try `sightline dataset add FILE --name NAME` or `dataset build-industry`)")
    for ds in datasets:
        v = ds.version
        scope = f"tenant:{ds.tenant_slug}" if ds.scope == "tenant" else "pooled"
        n = sum(v.counts.values())
        typer.echo(f"{ds.name:<24} {scope:<22} {v.version}  {len(list_versions(ds.name))} version(s)  {n:>6} records  "
                   f"{v.format:<17} anonymized={'yes' if v.anonymized else 'no'}")


@dataset_cli.command("show")
def dataset_show(
    ref: str = typer.Argument(..., help="NAME or NAME@VERSION"),
    as_json: bool = typer.Option(False, "--json", help="Print the validation report as JSON"),
) -> None:
    """Show a dataset version (the current one by default) and its validation report."""
    from training.datasets import get_dataset, list_versions
    from training.validate import format_report

    try:
        ds = get_dataset(ref)
        versions = list_versions(ds.name)
    except _user_errors() as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(ds.version.report, indent=2, default=str))
        return
    v = ds.version
    scope = f"tenant {ds.tenant_slug} (trains adapter tenant:{ds.tenant_slug} only)" if ds.scope == "tenant" else \
        f"pooled ({'anonymized: may train the industry model' if v.anonymized else 'NOT anonymized: trains nothing'})"
    typer.echo(f"{ds.name}@{v.version}{' (current)' if v.version == ds.current_version else ''}")
    typer.echo(f"scope: {scope}")
    typer.echo(f"created {v.created_at:%Y-%m-%d %H:%M:%S %Z} from {v.source_name}; redacted={v.redacted} "
               f"deduped={v.deduped} builder={v.builder or '-'}")
    typer.echo(f"files: {v.path}")
    typer.echo("versions: " + ", ".join(x.version + ("*" if x.version == ds.current_version else "")
                                        for x in versions))
    typer.echo("")
    typer.echo(format_report(v.report))


@dataset_cli.command("rollback")
def dataset_rollback(name: str, version: str) -> None:
    """Make VERSION (an id or a unique prefix) the current version of NAME."""
    from training.datasets import rollback

    try:
        ds = rollback(name, version)
    except _user_errors() as exc:
        fail(str(exc))
    typer.echo(f"{ds.name}: current version is now {ds.current_version}")


@dataset_cli.command("build-industry")
def dataset_build_industry(
    split: str = typer.Option("80/10/10", "--split", help="train/val/test percentages"),
    seed: int = typer.Option(42, "--seed", help="Split seed"),
) -> None:
    """Build the pooled, anonymized "industry" dataset from the shipped optical Q&A and the industry aggregates."""
    from training.industry_builder import build_industry_dataset

    try:
        ds = build_industry_dataset(split=split, seed=seed)
    except _user_errors() as exc:
        fail(str(exc))
    b = ds.version.report.get("builder", {})
    v = ds.version
    typer.echo(f"industry@{v.version}: {b.get('qa_records')} Q&A + {b.get('aggregate_records')} aggregate record(s) "
               f"({b.get('aggregate_rows')} aggregate rows); dropped {b.get('dropped_for_pii')} for PII, "
               f"{b.get('dropped_for_tenant_names')} for tenant names; train={v.counts['train']} "
               f"val={v.counts['val']} test={v.counts['test']}")
