"""Model registry aliases at request time: `resolve("industry@production")` -> the adapter to serve (one indexed query
as the app role, under row-level security). The write side (register, promote, rollback) is `training/registry.py`."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from config.errors import UserError
from db.engine import app_engine
from db.session import tenant_session

ALIAS_RE = re.compile(r"^(?P<target>industry|tenant:[a-z0-9][a-z0-9-]{0,62})@(?P<stage>production|staging)$")
STAGES = ("production", "staging")

_QUERY = sa.text(
    "SELECT id, target, status, base_model, adapter_path, dataset_name, dataset_version FROM model_versions "
    "WHERE target = :target AND status = :stage"
)


class AliasError(UserError, ValueError):
    """Not an alias: use `industry@production` or `tenant:<slug>@production` (or `@staging`)."""


@dataclass(frozen=True)
class ModelRef:
    """One registered model version as the serving side needs it."""

    version: str  # e.g. "industry-v3"
    target: str  # "industry" | "tenant:<slug>"
    status: str
    base_model: str
    adapter_path: str
    dataset: str  # "name@version"

    @property
    def served_name(self) -> str:
        """The adapter's model name on a vLLM server (`--lora-modules industry=... tenant-acme=...`)."""
        return self.target.replace(":", "-")


def parse_alias(alias: str) -> tuple[str, str]:
    """'industry@production' -> ('industry', 'production'); 'tenant:acme' alone means '@production'."""
    if "@" not in alias:
        alias = f"{alias}@production"
    m = ALIAS_RE.match(alias)
    if not m:
        raise AliasError(f"{alias!r} is not a model alias: use industry@production or tenant:<slug>@production "
                         "(or @staging)")
    return m["target"], m["stage"]


def resolve(alias: str, *, tenant_id: uuid.UUID | str | None = None) -> ModelRef | None:
    """The version an alias points at now, or None (nothing promoted, or the registry table does not exist yet).

    Industry aliases are read with no tenant set (industry versions are visible to every session). A tenant alias is
    read inside `tenant_session(tenant_id)`, so row-level security only ever shows that tenant's own versions: pass
    the Principal's tenant id, never one taken from a request.
    """
    target, stage = parse_alias(alias)
    params = {"target": target, "stage": stage}
    try:
        if target == "industry":
            with app_engine().connect() as conn:
                row = conn.execute(_QUERY, params).first()
        else:
            if tenant_id is None:
                return None
            with tenant_session(tenant_id) as conn:
                row = conn.execute(_QUERY, params).first()
    except sa.exc.ProgrammingError:  # schema older than migration 0006
        return None
    if row is None:
        return None
    return ModelRef(version=row.id, target=row.target, status=row.status, base_model=row.base_model,
                    adapter_path=row.adapter_path, dataset=f"{row.dataset_name}@{row.dataset_version}")
