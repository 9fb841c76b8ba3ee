"""How the chat engine is configured: offline (default) or any OpenAI-compatible endpoint.

One ``EngineSettings`` covers every vendor: base URL, model, key and the structured-output method
are configuration, not a class per vendor. ``PRESETS`` hold the known-good defaults per provider.
The API key is a ``SecretStr``: it is excluded from every dump and masked in every repr.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from assistant.errors import InputError

Method = Literal["json_schema", "json_mode", "function_calling"]
METHODS: tuple[str, ...] = ("json_schema", "json_mode", "function_calling")

# A local server without authentication still needs some key for the client to send.
PLACEHOLDER_KEY = "not-needed"


class EngineSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["offline", "openai"] = "offline"
    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    method: Method = "json_schema"
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=5)  # re-asks after an unusable answer
    extra_body: dict[str, Any] | None = None
    temperature: float = Field(default=0.0, ge=0, le=2)
    streaming: bool = False
    preset: str | None = None

    @field_validator("base_url")
    @classmethod
    def _strip_url(cls, url: str | None) -> str | None:
        return url.strip().rstrip("/") or None if url else None

    @property
    def key(self) -> str:
        """The key to send (a placeholder for keyless local endpoints). Never log or show it."""
        return self.api_key.get_secret_value() if self.api_key else PLACEHOLDER_KEY

    @property
    def engine_name(self) -> str:
        return "offline" if self.kind == "offline" else f"openai:{self.model or '?'}"

    def describe(self) -> str:
        """A Chinese one-liner for the UI, without the key."""
        if self.kind == "offline":
            return "离线引擎（不联网）"
        key = "已设置密钥" if self.api_key else "未设置密钥"
        return f"大模型：{self.model}（{self.base_url}，{self.method}，{key}）"


PRESETS: dict[str, dict[str, Any]] = {
    # DeepSeek rejects response_format json_schema; json_object needs the schema in the prompt.
    "deepseek": {"base_url": "https://api.deepseek.com", "model": "deepseek-chat", "method": "json_mode"},
    "qwen": {
        "base_url": "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "model": "qwen-plus",
        "method": "json_schema",
        "extra_body": {"enable_thinking": False},
    },
    "glm": {"base_url": "https://open.bigmodel.cn/api/paas/v4", "model": "glm-4-flash", "method": "json_mode"},
    "moonshot": {"base_url": "https://api.moonshot.cn/v1", "model": "moonshot-v1-8k", "method": "json_mode"},
    "ollama": {"base_url": "http://localhost:11434/v1", "model": "qwen2.5:7b", "method": "json_schema"},
    "vllm": {"base_url": "http://localhost:8000/v1", "model": "Qwen/Qwen2.5-7B-Instruct", "method": "json_schema"},
}
PRESETS["dashscope"] = PRESETS["qwen"]


def from_preset(name: str, **overrides: Any) -> EngineSettings:
    """Settings for a known provider; ``overrides`` (model, api_key, …) win over the preset."""
    preset = PRESETS.get(name.strip().lower())
    if preset is None:
        raise InputError(f"未知的大模型预设“{name}”，可选：{'、'.join(sorted(PRESETS))}。")
    values: dict[str, Any] = {**preset, "kind": "openai", "preset": name.strip().lower()}
    values.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(values.get("api_key"), str):
        values["api_key"] = SecretStr(values["api_key"])
    return EngineSettings(**values)


def settings_from_env(env: Mapping[str, str] | None = None) -> EngineSettings:
    """Settings from ``NIANBAO_LLM_*`` (key falls back to ``OPENAI_API_KEY``); offline when unset.

    ``NIANBAO_LLM_PRESET`` picks a provider's defaults; ``NIANBAO_LLM_BASE_URL``, ``_MODEL`` and
    ``_METHOD`` override them. Without a base URL or preset the offline engine is used.
    """
    env = os.environ if env is None else env
    preset = env.get("NIANBAO_LLM_PRESET", "").strip()
    base_url = env.get("NIANBAO_LLM_BASE_URL", "").strip() or None
    model = env.get("NIANBAO_LLM_MODEL", "").strip() or None
    method = env.get("NIANBAO_LLM_METHOD", "").strip() or None
    key = env.get("NIANBAO_LLM_API_KEY") or env.get("OPENAI_API_KEY") or None
    if method is not None and method not in METHODS:
        raise InputError(f"NIANBAO_LLM_METHOD 应为 {'、'.join(METHODS)} 之一，收到的是“{method}”。")
    if preset:
        return from_preset(preset, base_url=base_url, model=model, method=method, api_key=key)
    if not base_url:
        return EngineSettings()
    if not model:
        raise InputError("已设置 NIANBAO_LLM_BASE_URL，但未设置 NIANBAO_LLM_MODEL（模型名称）。")
    return EngineSettings(
        kind="openai",
        base_url=base_url,
        model=model,
        method=method or "json_schema",  # type: ignore[arg-type]
        api_key=SecretStr(key) if key else None,
    )
