"""The open draft: title, undo/redo, the chat beside the chosen view."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.chat import chat_fragment
from ui.checks import checks_panel
from ui.export import export_panel
from ui.history import history_panel
from ui.replaced import replaced_notice
from ui.state import VIEWS, act, show_flash, state
from ui.style import chinese_widgets
from ui.tables import editor, zero_fill_button
from ui.text import text_panel

VIEW_KEY = "shown_view"  # the view the clerk chose, kept apart from the widget so that no rerun can reset it


def on_view() -> None:
    chosen = st.session_state.get("view")
    if chosen:  # clicking the chosen view again deselects it: keep showing it
        st.session_state[VIEW_KEY] = chosen


def chosen_view() -> str:
    view = st.session_state.get(VIEW_KEY)
    return view if view in VIEWS else VIEWS[1]


def on_close() -> None:
    state().ws = None
    st.query_params.clear()


def draft_page(ws: Workspace) -> None:
    chinese_widgets()
    report = ws.report
    errors, warnings, _ = views.split_findings(ws.findings())
    head, tools = st.columns([3, 2])
    head.title(f"{md(report.meta.agency or '（未填写机关名称）', inline=True)} {report.meta.year or ''}年度报告")
    pending = f" · 扫描识别待确认 {len(report.uncertain)}（见“检查”）" if report.uncertain else ""
    head.caption(f"错误 {len(errors)} · 提醒 {len(warnings)}{pending} · 已自动保存（第{ws.revision}版）")
    u, r, c = tools.columns(3)
    u.button("↶ 撤销", disabled=not ws.draft.can_undo, key="undo", width="stretch", on_click=act, args=(ws.undo,))
    r.button("↷ 重做", disabled=not ws.draft.can_redo, key="redo", width="stretch", on_click=act, args=(ws.redo,))
    c.button("关闭草稿", key="close", width="stretch", on_click=on_close)
    show_flash()
    replaced_notice(ws)
    st.session_state["page_revision"] = ws.revision
    chat, work = st.columns([4, 7.5], gap="small")
    with chat:
        chat_fragment()
    with work:
        # Only the chosen view is drawn: a rerun after each change stays quick with one editor on screen.
        view = chosen_view()
        if st.session_state.get("view") != view:
            st.session_state["view"] = view  # the widget shows what is drawn, whatever reran in between
        st.segmented_control("视图", VIEWS, key="view", on_change=on_view, label_visibility="collapsed")
        findings = ws.findings()
        marks = views.finding_marks(findings)
        if view == "表二":
            for grid in views.t2_grids(report, findings):
                editor(ws, grid)
            zero_fill_button(ws, "t2")
            st.markdown(views.preview_html(report, "t2", marks), unsafe_allow_html=True)
        elif view == "表四":
            editor(ws, views.t4_grid(report, findings))
            zero_fill_button(ws, "t4")
            st.markdown(views.preview_html(report, "t4", marks), unsafe_allow_html=True)
        elif view == "正文":
            text_panel(ws)
        elif view == "检查":
            checks_panel(ws)
        elif view == "导出":
            export_panel(ws)
        elif view == "修改记录":
            history_panel(ws)
        else:
            editor(ws, views.t3_grid(report, findings))
            zero_fill_button(ws, "t3")
            with st.expander("按正式版式预览表三", expanded=False):
                st.markdown(views.preview_html(report, "t3", marks), unsafe_allow_html=True)

