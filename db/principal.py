"""The Principal: who is asking (user, tenant, roles), built only from a verified identity, never from text.

`channel` says how the caller signed in: "app" (the chat UI through the identity provider, the CLI) or "widget" (a
widget token minted by a tenant API key, or the session it was exchanged for). `thread_scope` says which chat threads
the caller may see: "all" of the user's, or only those made through the widget ("widget"; the default for widget
callers unless the key's tenant opted in). Widget principals never carry the admin role (docs/security.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

Channel = Literal["app", "widget"]
ThreadScope = Literal["all", "widget"]


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_slug: str
    email: str
    roles: frozenset[str] = field(default_factory=lambda: frozenset({"member"}))
    channel: Channel = "app"
    thread_scope: ThreadScope = "all"
    key_id: str | None = None  # the API key (its public prefix) a widget principal's token was minted with

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def via_widget(self) -> bool:
        return self.channel == "widget"
