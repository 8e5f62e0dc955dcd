"""`sightline ask`: one question as a user (resolved like a login), printed as text or one JSON object."""

from __future__ import annotations

import json

import typer


def ask_cmd(
    question: str = typer.Argument(..., help="The question"),
    as_user: str = typer.Option(..., "--as", help="E-mail of the user to ask as (must be mapped to a tenant)"),
    thread: str = typer.Option(None, "--thread", help="Conversation thread id (follow-up questions)"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object"),
) -> None:
    """Ask the agent a question as a user of a tenant."""
    from agents import answer_sync
    from db.registry import RegistryError, principal_for
    from safety.input_checks import InputRejected

    try:
        principal = principal_for(as_user)
    except RegistryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        final = answer_sync(principal, question, thread)
    except (InputRejected, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        keys = ("answer", "route", "sql", "rows", "sources", "model", "latency_ms", "thread_id", "columns",
                "error", "guard", "flags", "interpretation", "chart")
        out = {k: final.get(k) for k in keys}
        if out["sources"]:
            out["sources"] = [{k: v for k, v in s.items() if k != "text"} | {"text": s["text"][:300]}
                              for s in out["sources"]]
        typer.echo(json.dumps(out, ensure_ascii=False, default=str))
    else:
        typer.echo(final.get("answer", ""))
        typer.echo(f"\n[route={final.get('route')} model={final.get('model')} thread={final.get('thread_id')}]")
