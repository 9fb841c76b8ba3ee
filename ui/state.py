"""One browser session's state and the helpers every page uses: the store, the open draft, actions, notices.

The API key lives only in ``AppState.settings`` (memory of this session), never on disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from assistant.engines.settings import EngineSettings, settings_from_env
from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.store import DraftStore
from assistant.workspace import StaleAction, Workspace

REPORT_TYPES = ["docx", "doc", "wps", "pdf", "html", "htm", "txt", "md", "json", "png", "jpg", "jpeg"]
NOTE_TYPES = ["txt", "md", "docx", "doc", "wps", "xlsx", "xls", "et", "csv", "pdf", "html", "htm"]
VIEWS = ["表二", "表三", "表四", "正文", "检查", "导出", "修改记录"]
SOURCE_NAMES = {
    "chat": "对话", "notes": "笔记", "ledger": "台账", "import": "导入", "prefill": "预填", "fix": "一键修正",
    "edit": "手工编辑", "autofill": "自动合计", "draft": "起草", "undo": "撤销", "redo": "重做", "confirm": "确认识别",
}
STATUS_NAMES = {"applied": "已全部应用", "partial": "已部分应用", "dismissed": "未采用"}
META_KEYS = ["meta.agency", "meta.year", "meta.contact.office", "meta.contact.address", "meta.contact.postcode",
             "meta.contact.phone", "meta.contact.email"]
WELCOME = "已新建草稿。可以直接告诉我今年的数字，例如“今年收到自然人申请12件，予以公开8件”，也可以上传笔记或申请台账。"


@dataclass
class AppState:
    """Everything one browser session keeps; the API key lives only here, never on disk."""

    store: DraftStore | None = None
    ws: Workspace | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)
    settings_error: str | None = None
    flash: list[tuple[str, str]] = field(default_factory=list)
    exports: dict[tuple[str, int, str, bool], bytes] = field(default_factory=dict)


def state() -> AppState:
    if "app" not in st.session_state:
        fresh = AppState()
        try:
            fresh.settings = settings_from_env()
        except AssistantError as e:
            fresh.settings_error = e.message
        st.session_state["app"] = fresh
    app: AppState = st.session_state["app"]
    return app


def the_store() -> DraftStore:
    store = state().store
    assert store is not None
    return store


def the_ws() -> Workspace:
    ws = state().ws
    assert ws is not None
    if not getattr(ws.actor, "alive", lambda: True)():  # signed out or idle (in a fragment): back to the sign-in page
        st.rerun(scope="app")
    return ws


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> DraftStore:
    return DraftStore(url)


def act(action: Callable[..., Any], *args: Any, ok: str | None = None, **kwargs: Any) -> Any:
    """Run a clerk's action; a Chinese error is shown instead of a traceback, nothing half-done."""
    try:
        result = action(*args, **kwargs)
    except AssistantError as e:
        state().flash.append(("warning" if isinstance(e, StaleAction) else "error", e.message))
        return None
    ws = state().ws
    if ws is not None:
        state().flash.extend(("warning", n) for n in ws.notices)
        ws.notices = []
    if ok:
        state().flash.append(("success", ok))
    return result


def show_flash() -> None:
    app = state()
    for kind, text in app.flash:
        getattr(st, kind)(md(text))  # messages quote file names, typed values and model text
    app.flash = []


def open_workspace(ws: Workspace) -> None:
    state().ws = ws
    st.query_params["draft"] = ws.draft.id


def default_year() -> int:
    today = dt.date.today()
    return today.year if today.month >= 10 else today.year - 1  # the report is written around January

