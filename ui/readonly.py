"""What a reviewer (the 政务公开办) sees of the agencies' drafts: the list by agency, and one draft read-only
(tables, sections, checks, exports, history) with no chat, no editor and no button that changes it.

The workspace refuses any change from a reviewer anyway; this page simply offers none.
"""

from __future__ import annotations

from itertools import groupby

import streamlit as st

from assistant import views
from assistant.auth import Actor
from assistant.cells import SECTIONS, label_of
from assistant.rules import Severity
from assistant.safe_text import md
from assistant.store import DraftStore
from assistant.workspace import Workspace, visible_drafts
from ui.draft import on_close
from ui.export import export_panel
from ui.history import history_panel
from ui.start import on_open
from ui.state import show_flash

VIEWS = ["表三", "表二", "表四", "正文", "检查", "导出", "修改记录"]


def reviewer_home(store: DraftStore, actor: Actor) -> None:
    st.title("年报助手 · 各单位草稿")
    st.caption("审核账户：可查看各单位的草稿（只读）和使用批量审核，不能修改草稿。")
    show_flash()
    drafts = sorted(visible_drafts(store, actor), key=lambda s: s.owner_agency or "")
    if not drafts:
        st.info("还没有单位保存草稿。")
    for agency, group in groupby(drafts, key=lambda s: s.owner_agency):
        st.subheader(md(agency or "（未归属机关的草稿）"))
        for s in group:
            c1, c2 = st.columns([4, 1])
            c1.markdown(f"{md(s.title)} · 最近保存 {s.updated_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
            c2.button("查看", key=f"open-{s.id}", on_click=on_open, args=(s.id,))


def readonly_page(ws: Workspace) -> None:
    report = ws.report
    errors, warnings, _ = views.split_findings(ws.findings())
    head, tools = st.columns([4, 1])
    head.title(md(f"{report.meta.agency or '（未填写机关名称）'} {report.meta.year or ''}年度报告"))
    head.caption(f"只读查看 · 所属机关：{md(ws.owner_agency or '未归属')} · 错误 {len(errors)} · 提醒 {len(warnings)}"
                 f" · 第{ws.revision}版")
    tools.button("返回列表", key="close", width="stretch", on_click=on_close)
    show_flash()
    view = st.segmented_control("视图", VIEWS, default=VIEWS[0], key="ro-view", label_visibility="collapsed")
    findings = ws.findings()
    marks = views.finding_marks(findings)
    if view == "表二":
        for grid in views.t2_grids(report, findings):
            st.dataframe(grid.frame, width="stretch")
    elif view == "表四":
        st.dataframe(views.t4_grid(report, findings).frame, width="stretch")
        st.markdown(views.preview_html(report, "t4", marks), unsafe_allow_html=True)  # the project's escaped preview
    elif view == "正文":
        for section in SECTIONS:
            st.markdown(f"**{md(label_of(section.id))}**")
            st.text(report.section_text(section.id) or "（未填写）")
    elif view == "检查":
        _checks(ws)
    elif view == "导出":
        export_panel(ws)
    elif view == "修改记录":
        history_panel(ws)
    else:
        st.dataframe(views.t3_grid(report, findings).frame, width="stretch")
        st.markdown(views.preview_html(report, "t3", marks), unsafe_allow_html=True)  # the project's escaped preview


def _checks(ws: Workspace) -> None:
    errors, warnings, _ = views.split_findings(ws.findings())
    if not errors and not warnings:
        st.success("未发现错误或提醒。")
    for f in [*errors, *warnings]:
        show = st.error if f.severity is Severity.ERROR else st.warning
        show(f"**{md(views.rule_title(f.rule))}**　{md(f.message)}")
