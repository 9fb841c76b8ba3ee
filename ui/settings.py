"""The sidebar: the chat engine (offline or an OpenAI-compatible endpoint) for this session only.

A key belongs to its endpoint: choosing another endpoint without typing a key starts keyless
(``switch_endpoint``). URLs are shown without credentials.
"""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.engines.settings import (
    DEFAULT_TIMEOUT_S,
    METHOD_NAMES,
    METHODS,
    PRESETS,
    EngineSettings,
    preset,
    settings_from_env,
    switch_endpoint,
)
from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.store import default_url
from ui.state import act, state

CUSTOM = "自定义"
STREAM_CHOICES = {"自动（模型需要时）": None, "开启": True, "关闭": False}


def on_use_llm() -> None:
    act(_use_llm, st.session_state.get("preset", CUSTOM))


def _configured() -> EngineSettings | None:
    try:
        return settings_from_env()
    except AssistantError:
        return None


def _use_llm(name: str) -> None:
    app = state()
    get = st.session_state.get
    base_url, model = (get(f"base-url-{name}") or "").strip(), (get(f"model-{name}") or "").strip()
    if not base_url or not model:
        raise AssistantError("请填写接口地址和模型名称。")
    app.settings = switch_endpoint(
        app.settings,
        preset_name=None if name == CUSTOM else name,
        base_url=base_url,
        model=model,
        typed_key=get("api-key") or None,
        configured=_configured(),
        method=get(f"method-{name}") or None,
        timeout_s=float(get("llm-timeout") or DEFAULT_TIMEOUT_S),
        streaming=STREAM_CHOICES.get(get("llm-stream") or ""),
        thinking=bool(get("llm-thinking")),
    )
    st.session_state["api-key"] = ""  # the key stays in the settings object, not in a widget
    st.session_state[f"base-url-{name}"] = app.settings.shown_url  # nor URL credentials
    app.flash.append(("success", f"已切换到{app.settings.describe()}"))


def settings_panel() -> None:
    app = state()
    with st.sidebar:
        st.header("设置")
        if app.settings_error:
            st.error(md(app.settings_error))
        kinds = ["离线引擎（默认，不联网）", "大模型（OpenAI 兼容接口）"]
        choice = st.radio("对话引擎", kinds, index=1 if app.settings.kind == "openai" else 0, key="engine-kind")
        if choice == kinds[1]:
            llm_fields(app.settings)
        elif app.settings.kind != "offline":
            app.settings = EngineSettings()
        st.caption(f"当前：{md(app.settings.describe(), inline=True)}")
        st.divider()
        st.caption(f"草稿保存位置：{md(views.safe_url(default_url()), inline=True)}")


def llm_fields(current: EngineSettings) -> None:
    names = [CUSTOM, *PRESETS]
    index = names.index(current.preset) if current.preset in names else 0
    name = st.selectbox("服务商预设", names, index=index, key="preset",
                        format_func=lambda n: n if n == CUSTOM else PRESETS[n].label)
    p = preset(None if name == CUSTOM else name)
    configured = current.kind == "openai" and current.preset == (p.name if p else None)
    st.text_input("接口地址（Base URL）", key=f"base-url-{name}",
                  value=(current.shown_url if configured else None) or (p.base_url if p else ""))
    st.text_input("模型名称", key=f"model-{name}",
                  value=(current.model if configured else None) or (p.model if p else ""))
    method = current.method if configured else (p.method if p else METHODS[0])
    st.selectbox("结构化输出方式", METHODS, index=METHODS.index(method), key=f"method-{name}",
                 format_func=lambda m: METHOD_NAMES[m],
                 help="服务不接受所选方式时，会自动改用下一种并记住。")
    st.number_input("最长等待（秒）", min_value=5.0, max_value=3600.0, step=15.0, key="llm-timeout",
                    value=float(current.timeout_s if current.kind == "openai" else DEFAULT_TIMEOUT_S),
                    help="推理（思考）模型往往需要更长时间。")
    streams = list(STREAM_CHOICES)
    shown = next((k for k, v in STREAM_CHOICES.items() if v == current.streaming), streams[0])
    st.selectbox("流式输出", streams, index=streams.index(shown), key="llm-stream",
                 help="部分思考模型（如通义千问 QwQ）只支持流式输出。")
    st.checkbox("允许模型思考（较慢）", value=current.thinking, key="llm-thinking")
    same = current.kind == "openai" and current.api_key is not None and configured
    st.text_input("API 密钥", type="password", key="api-key",
                  placeholder="已设置（仅用于此接口地址）" if same else "更换接口地址后需重新输入；本地模型可留空")
    st.caption("密钥只保存在本次浏览器会话中，只发给它所属的接口地址，不写入草稿、导出文件或磁盘。")
    st.button("使用这些设置", key="save-settings", on_click=on_use_llm)
