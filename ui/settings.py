"""The sidebar: the chat engine (offline or an OpenAI-compatible endpoint) for this session only."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.engines.settings import METHODS, PRESETS, EngineSettings, from_preset
from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.store import default_url
from ui.state import act, state


def on_use_llm() -> None:
    act(_use_llm, st.session_state.get("preset", "自定义"))


def _use_llm(preset: str) -> None:
    app = state()
    get = st.session_state.get
    base_url, model = (get(f"base-url-{preset}") or "").strip(), (get(f"model-{preset}") or "").strip()
    method = get(f"method-{preset}") or METHODS[0]
    api_key = get("api-key") or (app.settings.api_key.get_secret_value() if app.settings.api_key else None)
    if not base_url or not model:
        raise AssistantError("请填写接口地址和模型名称。")
    if preset in PRESETS:
        app.settings = from_preset(preset, base_url=base_url, model=model, method=method, api_key=api_key)
    else:
        app.settings = EngineSettings.model_validate(
            {"kind": "openai", "base_url": base_url, "model": model, "method": method, "api_key": api_key})
    st.session_state["api-key"] = ""  # the key stays in the settings object, not in a widget
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
            names = ["自定义", *sorted(PRESETS)]
            index = names.index(app.settings.preset) if app.settings.preset in names else 0
            preset = st.selectbox("服务商预设", names, index=index, key="preset")
            defaults = PRESETS.get(preset, {})
            chosen = preset if preset in PRESETS else None
            configured = app.settings.kind == "openai" and app.settings.preset == chosen
            st.text_input("接口地址（Base URL）", key=f"base-url-{preset}",
                          value=(app.settings.base_url if configured else None) or defaults.get("base_url", ""))
            st.text_input("模型名称", key=f"model-{preset}",
                          value=(app.settings.model if configured else None) or defaults.get("model", ""))
            method = app.settings.method if configured else defaults.get("method", METHODS[0])
            st.selectbox("结构化输出方式", METHODS, index=METHODS.index(method), key=f"method-{preset}")
            has_key = app.settings.api_key is not None
            st.text_input("API 密钥", type="password", key="api-key",
                          placeholder="已设置（来自环境变量或本次输入）" if has_key else "本地模型可留空")
            st.caption("密钥只保存在本次浏览器会话中，不写入草稿、导出文件或磁盘。")
            st.button("使用这些设置", key="save-settings", on_click=on_use_llm)
        elif app.settings.kind != "offline":
            app.settings = EngineSettings()
        st.caption(f"当前：{md(app.settings.describe(), inline=True)}")
        st.divider()
        st.caption(f"草稿保存位置：{md(views.safe_url(default_url()), inline=True)}")

