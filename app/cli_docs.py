"""The `sightline docs` commands: add a tenant's documents, list them, search them as a user."""

from __future__ import annotations

from pathlib import Path

import typer

docs_cli = typer.Typer(no_args_is_help=True, help="Tenant documents for the docs tool: add, list, search.")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@docs_cli.command("add")
def docs_add(
    paths: list[Path] = typer.Argument(..., help="Files (.txt .md .pdf .docx)"),
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    name: str = typer.Option(None, "--name", help="Logical document name instead of the file name (one file only)"),
) -> None:
    """Add or update documents; unchanged files are skipped, changed files replace their chunks."""
    from db import registry
    from tools.ingest import IngestError, add_documents

    if name is not None and len(paths) != 1:
        _fail("--name can be used with one file only")
    try:
        t = registry.get_tenant(tenant)
        results = add_documents(t.id, paths, names=[name] if name is not None else None)
    except (registry.RegistryError, IngestError) as exc:
        _fail(str(exc))
    for r in results:
        typer.echo(f"{r.status:<9} {r.source} ({r.chunks} chunk(s)) \"{r.title}\"")


@docs_cli.command("list")
def docs_list(tenant: str = typer.Option(..., "--tenant", help="Tenant slug")) -> None:
    """List a tenant's documents with their chunk counts."""
    from db import registry
    from tools.ingest import list_documents

    try:
        t = registry.get_tenant(tenant)
    except registry.RegistryError as exc:
        _fail(str(exc))
    docs = list_documents(t.id)
    if not docs:
        typer.echo(f"no documents for {tenant} yet (sightline docs add FILE --tenant {tenant})")
    for d in docs:
        typer.echo(f"{d.source:<40} {d.chunks:>5} chunk(s)  {d.updated_at:%Y-%m-%d %H:%M}  {d.title}")


@docs_cli.command("search")
def docs_search(
    query: str = typer.Argument(..., help="Question or keywords"),
    as_user: str = typer.Option(..., "--as", help="E-mail of the user to search as (their tenant's documents)"),
    k: int = typer.Option(5, "--k", help="Number of chunks"),
) -> None:
    """Search the documents of a user's tenant, as the docs tool does."""
    from db import registry
    from tools.docs_search import search

    try:
        principal = registry.principal_for(as_user)
        hits = search(principal, query, k)
    except (registry.RegistryError, ValueError) as exc:
        _fail(str(exc))
    if not hits:
        typer.echo("no matching documents")
    for h in hits:
        snippet = " ".join(h.content.split())[:160]
        typer.echo(f"{h.score:.3f}  {h.source}#{h.chunk_index}  {h.title}\n       {snippet}")
