"""Who may see and change what in the fine-tuning portal (one place, used by the pages, the REST API and the CLI).

A `PortalScope` is built from the signed-in console user (or is the CLI's operator scope):

- an **operator** sees the control plane: pooled datasets, the industry model, and every tenant's datasets, jobs and
  adapters (what the `sightline` CLI on the server sees);
- a **tenant admin** sees only their tenant's datasets (read through `tenant_session()` under row-level security),
  the jobs and model versions whose target is `tenant:<their slug>`, and may train only that adapter. The training
  scope rule itself (`training.datasets.check_training_scope`) is applied again by the trainer.

Anything outside the scope is reported as "not found" (`PortalNotFound`), so a tenant admin cannot probe another
tenant's dataset names or job ids (`scoped_lookup` does it for anything that belongs to a training target).
"""

from __future__ import annotations

import getpass
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import sqlalchemy as sa

from config.errors import UserError


class PortalError(UserError, ValueError):
    """A request the portal refuses with a message (bad input, a gate not passed)."""


class PortalNotFound(PortalError, LookupError):
    """Unknown, or outside the caller's scope (the two are not told apart)."""


@dataclass(frozen=True)
class PortalScope:
    operator: bool
    tenant_id: uuid.UUID | None  # the tenant admin's tenant (None for operators)
    tenant_slug: str | None
    rater: str  # "user:<uuid>" or "cli:<name>": who rates, labels and starts jobs (never an e-mail)
    user_id: uuid.UUID | None = None

    @property
    def label(self) -> str:
        return "operator" if self.operator else f"admin of {self.tenant_slug}"

    def targets(self) -> list[str]:
        """Adapters this scope may train and promote."""
        if not self.operator:
            return [f"tenant:{self.tenant_slug}"]
        from db.registry import list_tenants

        return ["industry", *[f"tenant:{t.slug}" for t in list_tenants()]]

    def may_target(self, target: str) -> bool:
        return self.operator or target == f"tenant:{self.tenant_slug}"

    def may_tenant(self, tenant_id: uuid.UUID | None) -> bool:
        """A row scoped to `tenant_id` (None: pooled / industry) is visible."""
        return self.operator or (tenant_id is not None and tenant_id == self.tenant_id)


class _Targeted(Protocol):
    @property
    def target(self) -> str: ...


T = TypeVar("T", bound=_Targeted)


def scoped_lookup(scope: PortalScope, load: Callable[[], T], *, unknown: type[Exception] | tuple[type[Exception], ...],
                  missing: str) -> T:
    """`load()` something that belongs to a training target (a job, a model version). Unknown (`load` raises
    `unknown`) or outside the scope (the message `missing`): `PortalNotFound` either way."""
    try:
        obj = load()
    except unknown as exc:
        raise PortalNotFound(str(exc)) from exc
    if not scope.may_target(obj.target):
        raise PortalNotFound(missing)
    return obj


def cli_scope() -> PortalScope:
    """The operator scope of the `sightline` CLI (a shell on the server is the control plane)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "", getpass.getuser() or "operator")[:64] or "operator"
    return PortalScope(operator=True, tenant_id=None, tenant_slug=None, rater=f"cli:{name}")


def scope_for(*, operator: bool, tenant_id: uuid.UUID | None, tenant_slug: str | None,
              user_id: uuid.UUID | None) -> PortalScope:
    rater = f"user:{user_id}" if user_id else "cli:console"
    if not operator and (tenant_id is None or not tenant_slug):
        raise PortalError("a tenant admin scope needs a tenant")
    return PortalScope(operator=operator, tenant_id=None if operator else tenant_id,
                       tenant_slug=None if operator else tenant_slug, rater=rater, user_id=user_id)


def visible_dataset_names(scope: PortalScope) -> set[str] | None:
    """Dataset names a tenant admin may see, read as the app role under RLS (None: all, for operators)."""
    if scope.operator:
        return None
    from db.session import tenant_session

    with tenant_session(scope.tenant_id, role="admin", readonly=False) as conn:
        return set(conn.execute(sa.text("SELECT name FROM datasets")).scalars())
