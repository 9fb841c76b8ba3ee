"""One call to an OpenAI-compatible chat endpoint, through the ``openai`` client.

The ``openai`` client is used directly rather than LangChain's ``ChatOpenAI``: the quirks of the
providers offices run are all in the raw exchange — ``finish_reason`` (a cut answer must never be
accepted in part), ``reasoning_content`` beside the content, tool arguments as the model wrote
them, the provider's own error message, and ``max_tokens`` (ChatOpenAI sends it as
``max_completion_tokens``, which DeepSeek, DashScope, GLM and older Ollama do not read).

What this module owns:
- a request per output method (json_schema, json_mode, function_calling, prompt, or plain text);
- streaming, accumulated chunk by chunk, with a deadline; a stream that ends without a
  ``finish_reason`` is incomplete, like ``length``;
- errors in Chinese; an HTTP 400 about the output method, about ``tool_choice`` or asking for
  ``stream`` is raised as its own type so the caller can fall back, with the provider's message
  (as data: scrubbed of keys and URL credentials, shortened);
- what worked per endpoint, remembered for the session (``Memory``).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.engines.settings import EngineSettings, Method
from assistant.errors import EngineError
from assistant.llm.urls import install_log_filter, scrub
from assistant.numbers import format_value

log = logging.getLogger("assistant.llm")

MAX_PROVIDER_MESSAGE = 160
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_METHOD_WORDS = re.compile(
    r"response_format|json_schema|json_object|json mode|structured output|guided|grammar|"
    r"\btools?\b|function.?call|tool.?call|不支持.*(?:格式|工具|函数)",
    re.I,
)
_TOOL_CHOICE = re.compile(r"tool_choice", re.I)
_STREAM_ONLY = re.compile(
    r"(?:only|must|required?|仅|只)[^.。]{0,40}stream|stream[^.。]{0,40}(?:only|must|required?|enable)", re.I
)
_CONTEXT = re.compile(
    r"context.{0,12}length|maximum context|too (?:long|many tokens)|上下文|超过.*长度|max_tokens", re.I
)


# ------------------------------------------------------------------------------------------------
# Requests and replies


@dataclass(frozen=True)
class Request:
    messages: list[dict[str, Any]]
    method: Method | None  # None: plain text (drafting prose)
    schema: dict[str, Any] | None = None
    name: str = "answer"
    description: str = ""
    max_tokens: int = 1024
    force_tool: bool = True
    stream: bool = False


@dataclass
class Reply:
    content: str = ""
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (name, arguments as sent)
    finish_reason: str | None = None
    reasoning: str = ""
    usage: dict[str, Any] | None = None
    streamed: bool = False

    @property
    def truncated(self) -> bool:
        """Cut off: at the token limit, or a stream that never said it finished."""
        return self.finish_reason == "length" or (self.streamed and self.finish_reason is None)


class ProviderRefused(EngineError):
    """An HTTP 400 the caller may act on; ``provider`` is the provider's own words (scrubbed)."""

    def __init__(self, message: str, provider: str) -> None:
        super().__init__(message)
        self.provider = provider


class MethodRejected(ProviderRefused):
    """The endpoint does not accept this output method."""


class ToolChoiceRejected(ProviderRefused):
    """The endpoint accepts tools but not a ``tool_choice`` that names one (GLM)."""


class StreamRequired(ProviderRefused):
    """The model answers only when streamed (DashScope's thinking models)."""


class SwitchRejected(ProviderRefused):
    """The endpoint does not take the field that switches thinking off (a server without it)."""


# ------------------------------------------------------------------------------------------------
# What worked, per endpoint


@dataclass
class Learned:
    method: Method | None = None
    stream: bool | None = None
    force_tool: bool | None = None
    thinking_switch: bool | None = None  # False: the endpoint refused the preset's thinking switch


class Memory:
    """What each endpoint accepted in this process (a session of the app or the command line)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[tuple[str, str], Learned] = {}

    @staticmethod
    def key(settings: EngineSettings) -> tuple[str, str]:
        return (settings.shown_url, settings.model or "")

    def get(self, settings: EngineSettings) -> Learned:
        with self._lock:
            return self._data.setdefault(self.key(settings), Learned())

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


MEMORY = Memory()


# ------------------------------------------------------------------------------------------------
# The body


def body(settings: EngineSettings, request: Request) -> dict[str, Any]:
    """The JSON body for the request (everything but the key)."""
    data: dict[str, Any] = {
        "model": settings.model,
        "messages": request.messages,
        "temperature": settings.temperature,
        "max_tokens": request.max_tokens,
        "stream": request.stream,
    }
    method, schema = request.method, request.schema
    if method == "json_schema" and schema is not None:
        data["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": request.name, "description": request.description, "schema": schema},
        }
    elif method == "json_mode":
        data["response_format"] = {"type": "json_object"}
    elif method == "function_calling" and schema is not None:
        data["tools"] = [
            {
                "type": "function",
                "function": {"name": request.name, "description": request.description, "parameters": schema},
            }
        ]
        data["tool_choice"] = (
            {"type": "function", "function": {"name": request.name}} if request.force_tool else "auto"
        )
    for k, v in settings.body_extras().items():
        data.setdefault(k, v)
    return data


# ------------------------------------------------------------------------------------------------
# The call


def provider_message(error: Any, secrets: list[str]) -> str:
    """The provider's own error text, as data: keys and URL credentials removed, one short line."""
    raw: Any = getattr(error, "body", None)
    text = ""
    if isinstance(raw, dict):
        inner = raw.get("error", raw)
        if isinstance(inner, dict):
            text = str(inner.get("message") or inner.get("msg") or inner.get("detail") or "")
        elif isinstance(inner, str):
            text = inner
        text = text or str(raw.get("message") or raw.get("detail") or "")
    elif isinstance(raw, str):
        text = raw
    text = text or str(getattr(error, "message", "") or "")
    for secret in secrets:
        text = text.replace(secret, "***")
    text = re.sub(r"\b(?:sk|ak|key)-[A-Za-z0-9_\-]{6,}", "***", text)
    text = _CONTROL.sub("", scrub(" ".join(text.split())))
    return text[:MAX_PROVIDER_MESSAGE] + ("…" if len(text) > MAX_PROVIDER_MESSAGE else "")


def _client(settings: EngineSettings) -> Any:
    import openai

    install_log_filter()
    url, query = settings.client_url()
    return openai.OpenAI(
        base_url=url,
        api_key=settings.key,
        timeout=settings.timeout_s,
        max_retries=0,  # our own re-asks are bounded; a refused key or a 429 is not retried blindly
        default_query=query or None,
    )


def call(settings: EngineSettings, request: Request) -> Reply:
    """Send one request; the reply as sent, or EngineError (never containing the key)."""
    import openai

    client = _client(settings)
    payload = body(settings, request)
    started = time.monotonic()
    try:
        result = client.chat.completions.create(**_split_known(payload))
        if request.stream:
            return _read_stream(result, started, settings.timeout_s)
        return _read_completion(result)
    except openai.APITimeoutError:
        raise EngineError(f"大模型服务超时（超过{format_value(int(settings.timeout_s))}秒未响应）。") from None
    except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
        raise EngineError(f"大模型服务拒绝了API密钥（HTTP {e.status_code}），请检查密钥设置。") from None
    except openai.RateLimitError:
        raise EngineError("大模型服务请求过于频繁或额度不足（HTTP 429），请稍后再试。") from None
    except openai.APIConnectionError:
        raise EngineError(f"无法连接大模型服务（{settings.shown_url}），请检查网络和服务地址。") from None
    except openai.APIStatusError as e:
        raise _status_error(e, settings, request) from None
    except EngineError:
        raise
    except Exception as e:  # a malformed body the client could not read, and the like
        log.info("LLM call failed: %s", type(e).__name__)
        raise EngineError("大模型服务返回了无法识别的内容。") from None
    finally:
        client.close()


_KNOWN = frozenset(
    {"model", "messages", "temperature", "max_tokens", "stream", "response_format", "tools", "tool_choice"}
)


def _split_known(payload: dict[str, Any]) -> dict[str, Any]:
    known = {k: v for k, v in payload.items() if k in _KNOWN}
    extra = {k: v for k, v in payload.items() if k not in _KNOWN}
    if extra:
        known["extra_body"] = extra
    return known


def _status_error(e: Any, settings: EngineSettings, request: Request) -> EngineError:
    said = provider_message(e, settings.secrets)
    status = e.status_code
    quoted = f"：「{said}」" if said else ""
    if status in (400, 404, 415, 422, 501):
        if request.stream is False and _STREAM_ONLY.search(said):
            return StreamRequired(f"该模型只支持流式输出（HTTP {status}）{quoted}", said)
        provider = settings.provider
        switch = provider.thinking_off if provider and not settings.thinking else None
        if switch and any(re.search(rf"\b{re.escape(k)}\b", said) for k in switch):
            return SwitchRejected(f"服务不接受关闭思考的参数（HTTP {status}）{quoted}", said)
        if request.method == "function_calling" and request.force_tool and _TOOL_CHOICE.search(said):
            return ToolChoiceRejected(f"服务不接受指定工具调用（HTTP {status}）{quoted}", said)
        if request.method is not None and request.method != "prompt" and _METHOD_WORDS.search(said):
            return MethodRejected(f"服务不接受该输出方式（HTTP {status}）{quoted}", said)
        if _CONTEXT.search(said):
            return EngineError(f"发送的内容超出了模型的上下文长度（HTTP {status}）{quoted}")
        return EngineError(f"大模型服务拒绝了请求（HTTP {status}）{quoted}")
    return EngineError(f"大模型服务返回错误（HTTP {status}）{quoted}")


def _extra(obj: Any, name: str) -> Any:
    value = getattr(obj, name, None)
    if value is None:
        extra = getattr(obj, "model_extra", None) or {}
        value = extra.get(name)
    return value


def _read_completion(completion: Any) -> Reply:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise EngineError("大模型服务返回了空的回答（没有 choices）。")
    choice = choices[0]
    message = choice.message
    calls = []
    for call_ in getattr(message, "tool_calls", None) or []:
        fn = getattr(call_, "function", None)
        if fn is not None:
            calls.append((fn.name or "", fn.arguments if fn.arguments is not None else ""))
    usage = completion.usage.model_dump() if getattr(completion, "usage", None) else None
    reasoning = _extra(message, "reasoning_content") or _extra(message, "reasoning") or ""
    return Reply(
        content=message.content or "",
        tool_calls=calls,
        finish_reason=choice.finish_reason,
        reasoning=reasoning if isinstance(reasoning, str) else "",
        usage=usage,
    )


def _read_stream(stream: Any, started: float, timeout: float) -> Reply:
    reply = Reply(streamed=True)
    content: list[str] = []
    reasoning: list[str] = []
    calls: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    try:
        for chunk in stream:
            if time.monotonic() - started > timeout:
                raise EngineError(f"大模型服务超时（超过{format_value(int(timeout))}秒仍未答完）。")
            if getattr(chunk, "usage", None):
                reply.usage = chunk.usage.model_dump()
            for choice in getattr(chunk, "choices", None) or []:
                delta = choice.delta
                if delta is not None:
                    if delta.content:
                        content.append(delta.content)
                    thought = _extra(delta, "reasoning_content") or _extra(delta, "reasoning")
                    if isinstance(thought, str):
                        reasoning.append(thought)
                    for tc in delta.tool_calls or []:
                        index = tc.index or 0
                        fn = tc.function
                        if fn is not None:
                            if fn.name and index not in names:
                                names[index] = fn.name
                            if fn.arguments:
                                calls.setdefault(index, []).append(fn.arguments)
                        calls.setdefault(index, [])
                if choice.finish_reason:
                    reply.finish_reason = choice.finish_reason
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    reply.content = "".join(content)
    reply.reasoning = "".join(reasoning)
    reply.tool_calls = [(names.get(i, ""), "".join(calls[i])) for i in sorted(calls)]
    return reply


__all__ = [
    "MEMORY",
    "MethodRejected",
    "ProviderRefused",
    "Reply",
    "Request",
    "StreamRequired",
    "SwitchRejected",
    "ToolChoiceRejected",
    "body",
    "call",
    "provider_message",
]
