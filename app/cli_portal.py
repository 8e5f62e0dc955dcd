"""The fine-tuning portal's actions that had no command yet, on the existing `sightline dataset` and `sightline models`
groups: dataset quality/preview/diff/redact and the labeling queue; model archive, card, human ratings and the
evaluation report as PDF/XLSX. They call the same functions as the console (app/admin/portal_*.py) with the operator
scope of a shell on the server. (Upload, versions, rollback, training, cancel, evaluation and promotion are
`sightline dataset add|show|rollback`, `train --queue`, `jobs cancel`, `eval`, `models promote|rollback`.)"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from app.cli_dataset import dataset_cli
from app.cli_train import models_cli


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _scope():  # noqa: ANN202
    from app.admin.portal_scope import cli_scope

    return cli_scope()


def _errors() -> tuple[type[Exception], ...]:
    from app.admin.portal_scope import PortalError
    from training.datasets import DatasetError

    return (PortalError, DatasetError)


@dataset_cli.command("quality")
def dataset_quality(ref: str = typer.Argument(..., help="NAME or NAME@VERSION"),
                    as_json: bool = typer.Option(False, "--json")) -> None:
    """The quality score (0-100) of a dataset version, with every point taken off explained."""
    from app.admin.portal_datasets import get_dataset, quality_score

    try:
        d = get_dataset(_scope(), ref)
    except _errors() as exc:
        _fail(str(exc))
    q = quality_score(d.version.report)
    if as_json:
        typer.echo(json.dumps(q))
        return
    typer.echo(f"{d.name}@{d.version.version}: quality {q['score']}/100 ({q['grade']})")
    for item in q["items"]:
        typer.echo(f"  -{item['penalty']:>5}  {item['check']}: {item['why']}")


@dataset_cli.command("preview")
def dataset_preview(ref: str = typer.Argument(..., help="NAME or NAME@VERSION"),
                    split: str = typer.Option("train", "--split"), page: int = typer.Option(1, "--page"),
                    per_page: int = typer.Option(20, "--per-page"),
                    as_json: bool = typer.Option(False, "--json")) -> None:
    """One page of a version's stored records, with the PII types found in each."""
    from app.admin.portal_datasets import preview

    try:
        p = preview(_scope(), ref, split=split, page=page, per_page=per_page)
    except _errors() as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(p))
        return
    typer.echo(f"{p['dataset']}@{p['version']} {p['split']}: page {p['page']}/{p['pages']} ({p['total']} records)")
    for r in p["records"]:
        text = " | ".join(f"{m['role']}: {m['content']}" for m in r["messages"])
        pii = f"  [PII: {', '.join(r['pii'])}]" if r["pii"] else ""
        label = f"  [label: {r['label']}]" if r.get("label") is not None else ""
        typer.echo(f"{r['index'] + 1:>5}. {text[:160]}{label}{pii}")


@dataset_cli.command("diff")
def dataset_diff(name: str, old: str, new: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """What changed between two versions of a dataset."""
    from app.admin.portal_datasets import diff_versions

    try:
        d = diff_versions(_scope(), name, old, new)
    except _errors() as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(d, default=str))
        return
    typer.echo(f"{name}: {d['old']} -> {d['new']}: +{d['added']} -{d['removed']} records, {d['moved']} moved between "
               f"splits, {d['unchanged']} unchanged")
    for n in d["numbers"]:
        typer.echo(f"  {n['what']}: {n['old']} -> {n['new']}")
    for e in d["added_examples"]:
        typer.echo(f"  + [{e['split']}] {e['text'][:150]}")
    for e in d["removed_examples"]:
        typer.echo(f"  - [{e['split']}] {e['text'][:150]}")


@dataset_cli.command("redact")
def dataset_redact(ref: str = typer.Argument(..., help="NAME or NAME@VERSION")) -> None:
    """Store a new version with PII replaced by placeholders (scanned again); it becomes current."""
    from app.admin.portal_datasets import redact_version

    try:
        res = redact_version(_scope(), ref)
    except _errors() as exc:
        _fail(str(exc))
    v = res.dataset.version
    typer.echo(f"{res.dataset.name}@{v.version}: redacted, anonymized={'yes' if v.anonymized else 'no'}, "
               f"{(v.report.get('pii') or {}).get('records_with_pii', 0)} record(s) had PII")


@dataset_cli.command("label-queue")
def dataset_label_queue(name: str, file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Queue a file's unlabeled records (CSV text without label, JSON lines with a prompt and no completion)."""
    from app.admin.portal_datasets import queue_file

    try:
        n = queue_file(_scope(), name, file.name, file.read_bytes())
    except _errors() as exc:
        _fail(str(exc))
    typer.echo(f"{n} unlabeled record(s) queued for labeling in {name}")


@dataset_cli.command("labels")
def dataset_labels(name: str, state: str = typer.Option("unlabeled", "--state", help="unlabeled | labeled | all"),
                   page: int = typer.Option(1, "--page")) -> None:
    """The labeling queue of a dataset."""
    from app.admin.portal_datasets import label_items

    try:
        q = label_items(_scope(), name, state=state, page=page)
    except _errors() as exc:
        _fail(str(exc))
    c = q["counts"]
    typer.echo(f"{name}: {c['unlabeled']} unlabeled, {c['labeled']} labeled, {c['used']} in a version; page "
               f"{q['page']}/{q['pages']}")
    for i in q["items"]:
        typer.echo(f"{i.id:>6}  {i.kind:<17} {i.text[:70]!r:<72} -> {i.label!r}")


@dataset_cli.command("label")
def dataset_label(name: str, item: int, label: str) -> None:
    """Label queued item ITEM of dataset NAME (the class, or the completion of a prompt)."""
    from app.admin.portal_datasets import set_label

    try:
        i = set_label(_scope(), name, item, label)
    except _errors() as exc:
        _fail(str(exc))
    typer.echo(f"item {i.id} labeled {i.label!r}")


@dataset_cli.command("label-build")
def dataset_label_build(name: str) -> None:
    """Store a new version: the current records plus the labeled items not yet in a version."""
    from app.admin.portal_datasets import build_from_labels

    try:
        res = build_from_labels(_scope(), name)
    except _errors() as exc:
        _fail(str(exc))
    v = res.dataset.version
    typer.echo(f"{name}@{v.version}: train={v.counts['train']} val={v.counts['val']} test={v.counts['test']}")


@models_cli.command("archive")
def models_archive(version: str) -> None:
    """Archive a version that is not in production."""
    from app.admin.portal_models import archive

    try:
        v = archive(_scope(), version)
    except _errors() as exc:
        _fail(str(exc))
    typer.echo(f"{v.id} archived")


@models_cli.command("card")
def models_card(version: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The model card of a version (data, settings, scores, gates, limits), as Markdown."""
    from app.admin.portal_models import model_card

    try:
        card = model_card(_scope(), version)
    except _errors() as exc:
        _fail(str(exc))
    typer.echo(json.dumps(card, default=str) if as_json else card["markdown"])


@models_cli.command("rate")
def models_rate(
    version: str,
    example_set: str = typer.Option("held_out", "--set", help="held_out | regression"),
    index: int = typer.Option(..., "--index", help="Example number in the report, from 0"),
    side: str = typer.Option(..., "--side", help="base | tuned"),
    relevance: int = typer.Option(..., "--relevance", min=1, max=5),
    correctness: int = typer.Option(..., "--correctness", min=1, max=5),
    style: int = typer.Option(..., "--style", min=1, max=5),
    helpfulness: int = typer.Option(..., "--helpfulness", min=1, max=5),
    safe: str = typer.Option(..., "--safe", help="yes | no"),
    comment: str = typer.Option(None, "--comment"),
) -> None:
    """Rate one answer of a version's evaluation report (stored per answer and rater)."""
    from app.admin.portal_eval import save_rating

    try:
        r = save_rating(_scope(), version, example_set=example_set, example_index=index, side=side,
                        scores={"relevance": relevance, "correctness": correctness, "style": style,
                                "helpfulness": helpfulness}, safe=safe, comment=comment)
    except _errors() as exc:
        _fail(str(exc))
    typer.echo(f"rated {version} {r.example_set} #{r.example_index} {r.side} as {r.rater}")


@models_cli.command("ratings")
def models_ratings(version: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The human ratings of a version's evaluation answers, with the mean per side."""
    from app.admin.portal_eval import ratings, summary

    try:
        rows = ratings(_scope(), version)
    except _errors() as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps({"ratings": [r.__dict__ for r in rows], "summary": summary(rows)}))
        return
    for side, s in summary(rows).items():
        typer.echo(f"{side}: " + (", ".join(f"{k} {v}" for k, v in s.items()) if s.get("n") else "no ratings"))


@models_cli.command("report")
def models_report(version: str, fmt: str = typer.Option("pdf", "--format", help="pdf | xlsx"),
                  output: Path = typer.Option(..., "--output", "-o")) -> None:
    """Export a version's evaluation report (metrics, leak test, side-by-side answers, ratings) as PDF or XLSX."""
    from app.admin.portal_eval import export_pdf, export_xlsx

    if fmt not in ("pdf", "xlsx"):
        _fail("--format must be pdf or xlsx")
    try:
        data = (export_pdf if fmt == "pdf" else export_xlsx)(_scope(), version)
    except _errors() as exc:
        _fail(str(exc))
    output.write_bytes(data)
    typer.echo(f"{len(data)} bytes -> {output}")
