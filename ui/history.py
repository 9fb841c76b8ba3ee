"""The history view: every recorded step with its changes and evidence."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.cells import label_of
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.state import SOURCE_NAMES


def history_panel(ws: Workspace) -> None:
    for step in reversed(ws.draft.steps):
        when = step.at.astimezone().strftime("%m-%d %H:%M:%S")
        source = SOURCE_NAMES.get(step.source, step.source)
        with st.expander(f"{when} · {md(source, inline=True)} · {md(step.summary, inline=True)}"):
            for c in step.changes:
                st.markdown(f"- {md(label_of(c.cell), inline=True)}：{md(views.shown(c.old), inline=True)} → "
                            f"{md(views.shown(c.new), inline=True)}")
                if c.evidence:
                    st.caption(f"　（{md(c.evidence, inline=True)}）")

