"""The Principal: who is asking (user, tenant, roles), built only from a verified identity, never from text."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_slug: str
    email: str
    roles: frozenset[str] = field(default_factory=lambda: frozenset({"member"}))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles
