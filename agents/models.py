"""Which chat models a turn uses: tool choice, SQL writer, docs summarizer, the industry model (and its adapter)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

import config
from agents.llm import build_chat_model, supports_tool_calling
from db.principal import Principal
from prompts import load as load_prompt

_lock = threading.Lock()
_models: dict[tuple[str, str | None], BaseChatModel] = {}


class sql(BaseModel):  # noqa: N801 - tool names as the model sees them
    """Answer from the company's own business data (sales, revenue, stock, stores, products, patient counts)."""

    question: str = Field(description="the user's question")


class docs(BaseModel):  # noqa: N801
    """Answer from the company's own documents, policies and procedures."""

    query: str = Field(description="what to look up")


class industry(BaseModel):  # noqa: N801
    """Answer general optical/eyewear knowledge and industry-wide benchmarks or trends."""

    question: str = Field(description="the user's question")


def chat_model(adapter: str | None = None) -> BaseChatModel:
    """One chat model instance per (backend, adapter) per process."""
    key = (config.get_settings().llm, adapter)
    with _lock:
        model = _models.get(key)
        if model is None:
            model = build_chat_model(adapter=adapter)
            _models[key] = model
        return model


def industry_adapter() -> str | None:
    """The industry adapter to use (a path for the local model, a served name for OpenAI-compatible servers).

    Resolved at request time from the model registry (`industry@production`, one indexed query), so a promote or
    rollback takes effect on the next request; falls back to SIGHTLINE_INDUSTRY_ADAPTER when nothing is promoted.
    """
    from db.model_registry import resolve

    settings = config.get_settings()
    try:
        ref = resolve("industry@production")
    except Exception:  # noqa: BLE001 - the registry being unreachable must not break the industry tool
        ref = None
    if ref is not None:
        return ref.adapter_path if settings.llm == "local" else ref.served_name
    return settings.industry_adapter or None


def tenant_adapter(principal: Principal) -> str | None:
    """The caller's own tenant adapter (`tenant:<slug>@production`), or None. The tenant comes from the verified
    Principal, never from the request; row-level security shows a session only its own tenant's versions."""
    from db.model_registry import resolve

    try:
        ref = resolve(f"tenant:{principal.tenant_slug}@production", tenant_id=principal.tenant_id)
    except Exception:  # noqa: BLE001
        return None
    if ref is None:
        return None
    return ref.adapter_path if config.get_settings().llm == "local" else ref.served_name


def staged_adapter(principal: Principal) -> str | None:
    """The `staging` version of the tenant's staged rollout (training/monitoring.py) when the caller's user is in
    its staging arm (a stable hash of the user id under the configured share, or a chosen user), else None."""
    from db.model_registry import resolve
    from training.monitoring import get_rollout, staged_alias

    try:
        rollout = get_rollout(principal.tenant_id)
        alias = staged_alias(principal, rollout.target) if rollout else None
        ref = resolve(alias, tenant_id=principal.tenant_id) if alias else None
    except Exception:  # noqa: BLE001 - a rollout lookup failure serves production
        return None
    if ref is None:
        return None
    return ref.adapter_path if config.get_settings().llm == "local" else ref.served_name


@dataclass
class AgentModels:
    """The models of one turn. Built per turn; the chat models themselves are shared per process."""

    base: BaseChatModel
    tool_calling: bool
    allow: tuple[str, ...] = ()
    overrides: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_principal(cls, principal: Principal, *, allow: tuple[str, ...] = (),
                      base: BaseChatModel | None = None) -> AgentModels:
        base = base or chat_model()
        return cls(base=base, tool_calling=supports_tool_calling(base), allow=allow)

    @property
    def sql_writer(self) -> BaseChatModel | None:
        """A model that may write SQL (only a capable, tool-calling one; the small local model never does)."""
        return self.base if self.tool_calling else None

    @property
    def summarizer(self) -> BaseChatModel | None:
        return self.base if self.tool_calling else None

    @property
    def summarizer_label(self) -> str:
        return str(getattr(self.base, "model_name", None) or type(self.base).__name__)

    async def choose_tool(self, question: str) -> str | None:
        """Let a tool-calling model pick the tool; None (use the semantic router) when it doesn't pick one."""
        try:
            bound = self.base.bind_tools([sql, docs, industry], tool_choice="any")
            reply = await bound.ainvoke([SystemMessage(load_prompt("router_system")), HumanMessage(question)])
        except Exception:  # noqa: BLE001 - any failure falls back to the semantic router
            return None
        calls = getattr(reply, "tool_calls", None) or []
        name = calls[0]["name"] if calls else None
        return name if name in ("sql", "docs", "industry") else None

    def industry(self, principal: Principal) -> tuple[BaseChatModel, str, bool]:
        """(model, label, adapter_registered) for the industry tool. The adapter is chosen server-side, at request
        time: the staging version for a user in a staged rollout's staging arm, else the caller's own tenant adapter
        (`tenant:<slug>@production`) when one is promoted, else the industry adapter (`industry@production`), else
        the base model."""
        if "industry" in self.overrides:
            return self.overrides["industry"]
        adapter = staged_adapter(principal) or tenant_adapter(principal) or industry_adapter()
        model = chat_model(adapter) if adapter else self.base
        name = str(getattr(model, "model_name", None) or type(model).__name__)
        label = f"{name} + adapter {adapter}" if adapter else f"{name} (base model, no industry adapter)"
        return model, label, bool(adapter)
