"""How the chat engine is configured: offline (default) or any OpenAI-compatible endpoint.

One ``EngineSettings`` covers every vendor: base URL, model, key and the structured-output method
are configuration, not a class per vendor. ``PRESETS`` are typed: what each provider's API can do
(output methods in order of preference, models that answer only when streamed, the switch that
turns thinking off, context length). The API key is a ``SecretStr``: excluded from every dump and
masked in every repr. A key belongs to its base URL (``key_for``); ``OPENAI_API_KEY`` is used only
for OpenAI's own endpoint. Credentials written into a base URL (``user:key@host``, ``?api-key=``)
are split off when the settings are made: ``base_url`` never carries them.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from assistant.errors import InputError
from assistant.llm.urls import is_openai, safe_url, same_endpoint, split_credentials

Method = Literal["json_schema", "json_mode", "function_calling", "prompt"]
# "prompt": no output constraint at all; the schema is in the prompt and the reply is read leniently.
METHODS: tuple[Method, ...] = ("json_schema", "json_mode", "function_calling", "prompt")
METHOD_NAMES: dict[str, str] = {
    "json_schema": "JSON Schema 约束输出",
    "json_mode": "JSON 模式",
    "function_calling": "工具调用",
    "prompt": "仅提示词",
}

# A local server without authentication still needs some key for the client to send.
PLACEHOLDER_KEY = "not-needed"
DEFAULT_TIMEOUT_S = 90.0


class Preset(BaseModel):
    """What one provider's OpenAI-compatible API accepts, as documented by the provider."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    label: str
    base_url: str
    model: str
    methods: tuple[Method, ...]  # output methods it accepts, best first
    stream_only: tuple[str, ...] = ()  # model-name patterns that answer only when streamed
    thinking_off: dict[str, Any] | None = None  # request fields that switch a hybrid model's thinking off
    forced_tool_choice: bool = True  # accepts tool_choice naming a function (GLM takes only "auto")
    context_length: int = 32768  # tokens the served model reads, prompt and answer together
    local: bool = False  # usually keyless (a server in the office)

    @property
    def method(self) -> Method:
        return self.methods[0]

    def stream_required(self, model: str | None) -> bool:
        name = (model or self.model).lower()
        return any(fnmatch.fnmatch(name, p) for p in self.stream_only)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="deepseek",
            label="DeepSeek",
            base_url="https://api.deepseek.com",
            model="deepseek-chat",
            # response_format json_schema is refused ("This response_format type is unavailable now").
            methods=("json_mode", "function_calling", "prompt"),
            thinking_off={"thinking": {"type": "disabled"}},
            context_length=65536,
        ),
        Preset(
            name="qwen",
            label="通义千问（阿里云百炼 DashScope）",
            base_url="https://dashscope.aliyuncs.com/compatible-mode/v1",
            model="qwen-plus",
            methods=("json_schema", "json_mode", "function_calling", "prompt"),
            # QwQ/QVQ and the thinking-only Qwen3 models answer only with stream=true.
            stream_only=("qwq*", "qvq*", "*thinking*"),
            thinking_off={"enable_thinking": False},
            context_length=131072,
        ),
        Preset(
            name="glm",
            label="智谱 GLM",
            base_url="https://open.bigmodel.cn/api/paas/v4",
            model="glm-4-flash",
            methods=("json_mode", "function_calling", "prompt"),
            forced_tool_choice=False,
            thinking_off={"thinking": {"type": "disabled"}},
            context_length=131072,
        ),
        Preset(
            name="moonshot",
            label="月之暗面 Kimi",
            base_url="https://api.moonshot.cn/v1",
            model="moonshot-v1-8k",
            methods=("json_mode", "function_calling", "prompt"),
            context_length=8192,
        ),
        Preset(
            name="ollama",
            label="Ollama（本机）",
            base_url="http://localhost:11434/v1",
            model="qwen2.5:7b",
            # tool_choice is ignored (the model may answer text): function calling comes last.
            methods=("json_schema", "json_mode", "prompt", "function_calling"),
            context_length=4096,  # Ollama's default num_ctx; it cuts the *start* of a longer prompt
            local=True,
        ),
        Preset(
            name="vllm",
            label="vLLM（单位服务器）",
            base_url="http://localhost:8000/v1",
            model="Qwen/Qwen2.5-7B-Instruct",
            methods=("json_schema", "json_mode", "function_calling", "prompt"),
            thinking_off={"chat_template_kwargs": {"enable_thinking": False}},
            context_length=32768,
            local=True,
        ),
        Preset(
            name="openai",
            label="OpenAI",
            base_url="https://api.openai.com/v1",
            model="gpt-4o-mini",
            methods=("json_schema", "function_calling", "json_mode", "prompt"),
            context_length=128000,
        ),
    )
}
ALIASES = {"dashscope": "qwen", "bailian": "qwen", "zhipu": "glm", "kimi": "moonshot"}


def preset(name: str | None) -> Preset | None:
    if not name:
        return None
    key = name.strip().lower()
    return PRESETS.get(ALIASES.get(key, key))


class EngineSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["offline", "openai"] = "offline"
    base_url: str | None = None  # never with credentials: they are split into ``url_secret``
    model: str | None = None
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    url_secret: SecretStr | None = Field(default=None, exclude=True, repr=False)
    method: Method = "json_schema"
    timeout_s: float = Field(default=DEFAULT_TIMEOUT_S, gt=0, le=3600)
    max_retries: int = Field(default=2, ge=0, le=5)  # re-asks after an unusable answer
    max_tokens: int | None = Field(default=None, ge=16, le=65536)  # None: as fits the purpose
    extra_body: dict[str, Any] | None = None
    temperature: float = Field(default=0.0, ge=0, le=2)
    streaming: bool | None = None  # None: stream only when the model requires it
    thinking: bool = False  # False sends the preset's switch that turns a hybrid model's thinking off
    context_length: int | None = Field(default=None, ge=512)
    preset: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_url(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("base_url"), str):
            return data
        url = data["base_url"].strip().rstrip("/")
        if not url:
            return {**data, "base_url": None}
        clean, query, userinfo = split_credentials(url)
        data = {**data, "base_url": clean.rstrip("/")}
        if query or userinfo:
            data["url_secret"] = SecretStr(json.dumps({"query": query, "userinfo": userinfo}))
        return data

    # -- what the client sends ------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The key to send (a placeholder for keyless local endpoints). Never log or show it."""
        return self.api_key.get_secret_value() if self.api_key else PLACEHOLDER_KEY

    @property
    def secrets(self) -> list[str]:
        """Every secret these settings hold, to be scrubbed from any text shown to anyone."""
        out = [self.api_key.get_secret_value()] if self.api_key else []
        if self.url_secret:
            data = json.loads(self.url_secret.get_secret_value())
            out += [v for v in data["query"].values() if v]
            if data["userinfo"]:
                out += [p for p in data["userinfo"].split(":") if len(p) >= 4]
        return [s for s in out if len(s) >= 4]

    def client_url(self) -> tuple[str, dict[str, str]]:
        """(base URL for the HTTP client, its default query): credentials put back where they were."""
        if not self.base_url or not self.url_secret:
            return self.base_url or "", {}
        data = json.loads(self.url_secret.get_secret_value())
        url = self.base_url
        if data["userinfo"]:
            scheme, _, rest = url.partition("://")
            url = f"{scheme}://{data['userinfo']}@{rest}"
        return url, dict(data["query"])

    # -- what the provider can do ---------------------------------------------------------------

    @property
    def provider(self) -> Preset | None:
        return preset(self.preset)

    def methods(self) -> list[Method]:
        """Output methods to try, in order: the chosen one, then what the provider accepts, then the rest."""
        order: list[Method] = [self.method]
        p = self.provider
        for m in (*(p.methods if p else ()), *METHODS):
            if m not in order:
                order.append(m)
        return order

    def stream(self) -> bool:
        if self.streaming is not None:
            return self.streaming
        p = self.provider
        return bool(p and p.stream_required(self.model))

    def body_extras(self) -> dict[str, Any]:
        """Fields merged into every request body: the thinking switch, then ``extra_body``."""
        extra: dict[str, Any] = {}
        p = self.provider
        if p and p.thinking_off and not self.thinking:
            extra.update(p.thinking_off)
        extra.update(self.extra_body or {})
        return extra

    @property
    def context(self) -> int:
        p = self.provider
        return self.context_length or (p.context_length if p else 8192)

    # -- what is shown --------------------------------------------------------------------------

    @property
    def engine_name(self) -> str:
        return "offline" if self.kind == "offline" else f"openai:{self.model or '?'}"

    @property
    def shown_url(self) -> str:
        return safe_url(self.base_url)

    def describe(self) -> str:
        """A Chinese one-liner for the UI, without the key or any credential."""
        if self.kind == "offline":
            return "离线引擎（不联网）"
        key = "已设置密钥" if self.api_key else "未设置密钥"
        stream = "，流式" if self.stream() else ""
        return f"大模型：{self.model}（{self.shown_url}，{self.method}{stream}，{key}）"


def from_preset(name: str, **overrides: Any) -> EngineSettings:
    """Settings for a known provider; ``overrides`` (model, api_key, …) win over the preset."""
    p = preset(name)
    if p is None:
        raise InputError(f"未知的大模型预设“{name}”，可选：{'、'.join(sorted(PRESETS))}。")
    values: dict[str, Any] = {
        "kind": "openai", "preset": p.name, "base_url": p.base_url, "model": p.model, "method": p.method,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(values.get("api_key"), str):
        values["api_key"] = SecretStr(values["api_key"]) if values["api_key"] else None
    return EngineSettings(**values)


def key_for(
    previous: EngineSettings, base_url: str, typed: str | None, *, configured: EngineSettings | None = None
) -> SecretStr | None:
    """The key for an endpoint chosen in the sidebar: the one typed; else the key already held for
    that same endpoint (this session's, or the environment's ``configured`` one). A new endpoint
    starts keyless: one provider's key never goes to another server.
    """
    if typed and typed.strip():
        return SecretStr(typed.strip())
    for held in (previous, configured):
        if held is not None and held.kind == "openai" and held.api_key and same_endpoint(held.base_url, base_url):
            return held.api_key
    return None


def switch_endpoint(
    previous: EngineSettings,
    *,
    preset_name: str | None,
    base_url: str,
    model: str,
    typed_key: str | None = None,
    configured: EngineSettings | None = None,
    **options: Any,
) -> EngineSettings:
    """New settings chosen in the sidebar; the key and URL credentials follow only the same endpoint.

    ``options``: method, timeout_s, streaming, thinking (None keeps the preset's default).
    """
    values: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    values["api_key"] = key_for(previous, base_url, typed_key, configured=configured)
    clean, query, userinfo = split_credentials(base_url.strip())
    if not (query or userinfo):
        for held in (previous, configured):
            if held is not None and held.url_secret and same_endpoint(held.base_url, clean):
                values["url_secret"] = held.url_secret
                break
    p = preset(preset_name)
    if p is not None:
        return from_preset(p.name, base_url=base_url, model=model, **values)
    return EngineSettings(kind="openai", base_url=base_url, model=model, **values)


_TRUE = {"1", "true", "yes", "on", "是"}
_FALSE = {"0", "false", "no", "off", "否"}


def _flag(env: Mapping[str, str], name: str) -> bool | None:
    raw = env.get(name, "").strip().lower()
    if not raw or raw == "auto":
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise InputError(f"{name} 应为 1（开启）、0（关闭）或 auto，收到的是“{raw}”。")


def _number(env: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise InputError(f"{name} 应为 {low:g} 到 {high:g} 之间的数字，收到的是“{raw}”。")
    return value


def settings_from_env(env: Mapping[str, str] | None = None) -> EngineSettings:
    """Settings from ``NIANBAO_LLM_*``; offline when unset.

    ``NIANBAO_LLM_PRESET`` picks a provider's defaults; ``_BASE_URL``, ``_MODEL`` and ``_METHOD``
    override them; ``_API_KEY`` is the key; ``_TIMEOUT`` (seconds per call) and ``_STREAM``
    (1, 0 or auto) tune the call. ``OPENAI_API_KEY`` is used only when the endpoint is OpenAI's.
    """
    env = os.environ if env is None else env
    name = env.get("NIANBAO_LLM_PRESET", "").strip()
    base_url = env.get("NIANBAO_LLM_BASE_URL", "").strip() or None
    model = env.get("NIANBAO_LLM_MODEL", "").strip() or None
    method = env.get("NIANBAO_LLM_METHOD", "").strip() or None
    if method is not None and method not in METHODS:
        raise InputError(f"NIANBAO_LLM_METHOD 应为 {'、'.join(METHODS)} 之一，收到的是“{method}”。")
    timeout = _number(env, "NIANBAO_LLM_TIMEOUT", 1, 3600)
    stream = _flag(env, "NIANBAO_LLM_STREAM")
    p = preset(name) if name else None
    if name and p is None:
        raise InputError(f"未知的大模型预设“{name}”，可选：{'、'.join(sorted(PRESETS))}。")
    url = base_url or (p.base_url if p else None)
    if not url:
        return EngineSettings()
    key = env.get("NIANBAO_LLM_API_KEY") or (env.get("OPENAI_API_KEY") if is_openai(url) else None) or None
    tuning: dict[str, Any] = {"timeout_s": timeout, "streaming": stream}
    if p is not None:
        return from_preset(p.name, base_url=base_url, model=model, method=method, api_key=key, **tuning)
    if not model:
        raise InputError("已设置 NIANBAO_LLM_BASE_URL，但未设置 NIANBAO_LLM_MODEL（模型名称）。")
    return EngineSettings(
        kind="openai",
        base_url=base_url,
        model=model,
        method=method or "json_schema",
        api_key=SecretStr(key) if key else None,
        **{k: v for k, v in tuning.items() if v is not None},
    )
