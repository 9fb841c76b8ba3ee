"""The checks view: errors first, one-click fixes, what cannot be checked yet, the cross-year panel.

Rules are named by their Chinese titles; the rule id is only in the tooltip of the "涉及" line.
Messages may quote the narrative (text from files or the chat): they are shown escaped.
"""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.findings import Finding
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.scan import uncertain_panel
from ui.state import act


def _involved(f: Finding) -> None:
    names = views.cell_names(f.cells)
    st.caption(f"涉及：{md(names)}" if names else "　", help=f"规则编号：{f.rule}")


def checks_panel(ws: Workspace) -> None:
    uncertain_panel(ws)  # numbers read from a scan, beside their pictures: first, as the checks depend on them
    errors, warnings, unknown = views.split_findings(ws.findings())
    if not errors and not warnings:
        st.success("未发现错误或提醒。")
    for title, items, show in (("错误", errors, st.error), ("提醒", warnings, st.warning)):
        if items:
            st.subheader(f"{title}（{len(items)}）")
        for i, f in enumerate(items):
            show(f"**{md(views.rule_title(f.rule))}**　{md(f.message)}")
            _involved(f)
            if f.fix is not None:
                st.button(f"一键修正：{md(f.fix.description, inline=True)}", key=f"fix-{f.rule}-{i}-{ws.revision}",
                          on_click=act, args=(ws.apply_fix, f), kwargs={"ok": "已修正，可撤销。"})
    if unknown:
        with st.expander(f"无法校验（{len(unknown)}项，相关单元格尚未填写）"):
            for i, f in enumerate(unknown):
                st.markdown(f"**{md(views.rule_title(f.rule))}**　{md(f.message)}", help=f"规则编号：{f.rule}")
                if f.fix is not None:
                    st.button(f"按推算填写：{md(f.fix.description, inline=True)}", key=f"derive-{i}-{ws.revision}",
                              on_click=act, args=(ws.apply_fix, f), kwargs={"ok": "已填写，可撤销。"})
    if ws.report.previous is not None:
        last = ws.report.previous
        st.subheader(f"与{last.meta.year or '上'}年报告衔接")
        st.dataframe(views.cross_year_rows(ws.report), width="stretch", hide_index=True)
