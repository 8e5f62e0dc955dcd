"""The chat-model factory: `build_chat_model()` returns a LangChain chat model, local (in-process) or OpenAI-compatible.

- `SIGHTLINE_LLM=local` (default): `LocalChatModel`, the packaged SmolLM2-135M-Instruct run with transformers in a
  worker thread (agents/local_model.py), optionally with a peft LoRA adapter. No tool calling.
- `SIGHTLINE_LLM=openai`: `langchain_openai.ChatOpenAI` against `OPENAI_BASE_URL` (vLLM, `transformers serve`, ...).
  vLLM serves LoRA adapters as model names, so the industry tool asks for `model="industry"`.

See docs/models.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import agenerate_from_stream, generate_from_stream
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, PrivateAttr, model_validator

import config
from agents.local_model import MODEL_DIR_NAME, Generation, LocalRuntime, configured_model_dir, load_local_model
from config import Settings

LOCAL_PROVIDER = "sightline-local"
_DONE = object()


def _text(content: str | list[Any]) -> str:
    """The text of a message's content (a string, or a list of strings / content blocks)."""
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def to_chat_dicts(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages -> the role/content dicts a chat template takes. Tool results become user turns."""
    out: list[dict[str, str]] = []
    for m in messages:
        text = _text(m.content)
        if isinstance(m, SystemMessage):
            role = "system"
        elif isinstance(m, HumanMessage):
            role = "user"
        elif isinstance(m, AIMessage):
            role = "assistant"
        elif isinstance(m, ToolMessage):
            role, text = "user", f"Tool result:\n{text}"
        elif isinstance(m, ChatMessage):
            role = m.role
        else:
            role = "user"
        out.append({"role": role, "content": text})
    return out


class LocalChatModel(BaseChatModel):
    """SmolLM2 (or any converted causal LM directory) run in-process, optionally with a LoRA adapter.

    Generation runs in a worker thread; `ainvoke`/`astream` never block the event loop. Text is streamed as the
    tokenizer decodes it (roughly word by word). `response_metadata` names the base model and the adapter.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str | None = None
    """A converted model directory; None means `local_model_path()` (converted from the packaged GGUF on first use)."""
    adapter: str | None = None
    """A peft LoRA adapter directory to answer with, on top of the shared base model."""
    model_name: str = ""
    """Reported as `response_metadata["model_name"]`: `<base dir name>` or `<base dir name>+<adapter dir name>`."""
    max_new_tokens: int = 200
    temperature: float = 0.0
    """0 means greedy decoding (deterministic)."""
    top_p: float = 0.9
    repetition_penalty: float = 1.1
    settings: Settings | None = Field(default=None, exclude=True, repr=False)

    _runtime: LocalRuntime | None = PrivateAttr(default=None)
    _adapter_key: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _default_name(self) -> LocalChatModel:
        if not self.model_name:
            base = Path(self.model_path).name if self.model_path else MODEL_DIR_NAME
            self.model_name = f"{base}+{Path(self.adapter).name}" if self.adapter else base
        return self

    @property
    def _llm_type(self) -> str:
        return LOCAL_PROVIDER

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "model_path": self.model_path,
            "adapter": self.adapter,
            "max_new_tokens": self.max_new_tokens,
            "temperature": self.temperature,
            "repetition_penalty": self.repetition_penalty,
        }

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> Any:
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_provider"] = LOCAL_PROVIDER
        params["ls_model_name"] = self.model_name
        params["ls_max_tokens"] = self.max_new_tokens
        return params

    # ------------------------------------------------------------------ loading

    def runtime(self) -> LocalRuntime:
        """Load (once per process) the base model and attach this model's adapter. Blocking: seconds the first time."""
        if self._runtime is None:
            runtime = load_local_model(Path(self.model_path) if self.model_path else None, self.settings)
            if self.adapter:
                self._adapter_key = runtime.load_adapter(self.adapter)
            self._runtime = runtime
        return self._runtime

    def _start(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> Generation:
        runtime = self.runtime()
        max_new = kwargs.get("max_new_tokens") or kwargs.get("max_tokens") or self.max_new_tokens
        return runtime.generate(
            to_chat_dicts(messages),
            adapter=self._adapter_key,
            max_new_tokens=int(max_new),
            temperature=float(kwargs.get("temperature", self.temperature)),
            top_p=float(kwargs.get("top_p", self.top_p)),
            repetition_penalty=float(kwargs.get("repetition_penalty", self.repetition_penalty)),
            stop=stop,
        )

    def _final_chunk(self, gen: Generation) -> ChatGenerationChunk:
        runtime = self.runtime()
        metadata = {
            "model_name": self.model_name,
            "model_provider": LOCAL_PROVIDER,
            "base_model": str(runtime.path),
            "adapter": Path(self.adapter).name if self.adapter else None,
            "adapter_path": str(runtime.adapters[self._adapter_key]) if self._adapter_key else None,
            "finish_reason": gen.finish_reason,
            "generation_seconds": round(gen.seconds, 3),
        }
        usage = {
            "input_tokens": gen.prompt_tokens,
            "output_tokens": gen.completion_tokens,
            "total_tokens": gen.prompt_tokens + gen.completion_tokens,
        }
        message = AIMessageChunk(content="", response_metadata=metadata, usage_metadata=usage, chunk_position="last")
        return ChatGenerationChunk(message=message, generation_info={"finish_reason": gen.finish_reason})

    # ------------------------------------------------------------------ sync

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        gen = self._start(messages, stop, **kwargs)
        try:
            for piece in gen:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                if run_manager:
                    run_manager.on_llm_new_token(piece, chunk=chunk)
                yield chunk
        finally:
            gen.cancel()
        yield self._final_chunk(gen)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop=stop, run_manager=run_manager, **kwargs))

    # ------------------------------------------------------------------ async (generation stays off the loop)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        gen = await asyncio.to_thread(self._start, messages, stop, **kwargs)
        pieces = iter(gen)
        try:
            while True:
                piece = await asyncio.to_thread(next, pieces, _DONE)
                if piece is _DONE:
                    break
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                if run_manager:
                    await run_manager.on_llm_new_token(piece, chunk=chunk)
                yield chunk
        finally:
            gen.cancel()  # consumer gone or cancelled: the worker stops after the current token
        yield self._final_chunk(gen)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return await agenerate_from_stream(self._astream(messages, stop=stop, run_manager=run_manager, **kwargs))


def build_chat_model(
    settings: Settings | None = None, *, adapter: str | None = None, model: str | None = None
) -> BaseChatModel:
    """A chat model for the configured backend (`SIGHTLINE_LLM`).

    local:  `model` is a converted model directory (default: SIGHTLINE_LOCAL_MODEL_DIR or the packaged SmolLM2,
            converted on first use); `adapter` a peft LoRA adapter directory.
    openai: `model` is the served model name (default SIGHTLINE_OPENAI_MODEL); with no `model`, `adapter` is used as
            the model name, which is how vLLM addresses LoRA adapters (`--lora-modules industry=/path`).
    """
    settings = settings or config.get_settings()
    if settings.llm == "openai":
        return _openai_model(settings, model or adapter or settings.openai_model)
    if settings.llm != "local":
        raise ValueError(f"SIGHTLINE_LLM must be 'local' or 'openai', not {settings.llm!r}")
    # model_path=None lets the first call resolve SIGHTLINE_LOCAL_MODEL_DIR / convert the packaged model (off the loop).
    base_name = Path(model).name if model else configured_model_dir(settings).name
    return LocalChatModel(
        model_path=model,
        adapter=adapter,
        model_name=f"{base_name}+{Path(adapter).name}" if adapter else base_name,
        max_new_tokens=settings.max_new_tokens,
        settings=settings,
    )


def _openai_model(settings: Settings, model_name: str) -> BaseChatModel:
    if not settings.openai_base_url:
        # Without a base URL the OpenAI client would call api.openai.com; Sightline never reaches the internet.
        raise ValueError("SIGHTLINE_LLM=openai needs OPENAI_BASE_URL (e.g. http://127.0.0.1:8001/v1 for vLLM).")
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model_name,
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key or "not-needed",
        max_tokens=settings.max_new_tokens,
        temperature=0.0,
        timeout=120,
        max_retries=1,
    )


def supports_tool_calling(chat_model: BaseChatModel) -> bool:
    """True when the model can be given tools (`bind_tools`): the OpenAI path yes, the local SmolLM2 no."""
    if isinstance(chat_model, LocalChatModel):
        return False
    return type(chat_model).bind_tools is not BaseChatModel.bind_tools
