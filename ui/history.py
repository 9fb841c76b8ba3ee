"""The history view: every recorded step with who applied it, its changes and evidence; then the exports."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.cells import label_of
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.state import SOURCE_NAMES


def history_panel(ws: Workspace) -> None:
    by = {row["step"]: row["by"] for row in ws.history()}  # who applied each step (office-server mode)
    for step in reversed(ws.draft.steps):
        when = step.at.astimezone().strftime("%m-%d %H:%M:%S")
        source = SOURCE_NAMES.get(step.source, step.source)
        who = f" · {md(by[step.id], inline=True)}" if by.get(step.id) else ""
        with st.expander(f"{when}{who} · {md(source, inline=True)} · {md(step.summary, inline=True)}"):
            for c in step.changes:
                st.markdown(f"- {md(label_of(c.cell), inline=True)}：{md(views.shown(c.old), inline=True)} → "
                            f"{md(views.shown(c.new), inline=True)}")
                if c.evidence:
                    st.caption(f"　（{md(c.evidence, inline=True)}）")
    exports = [e for e in ws.events() if e["kind"] == "export"]
    if exports:
        st.subheader("导出记录")
        for e in exports:
            who = f"{e['by']} · " if e["by"] else ""
            st.markdown(md(f"{e['at'].astimezone().strftime('%m-%d %H:%M:%S')} · {who}{e['detail']}"))

