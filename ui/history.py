"""The history view: every recorded step with its changes and evidence."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.cells import label_of
from assistant.workspace import Workspace
from ui.state import SOURCE_NAMES


def history_panel(ws: Workspace) -> None:
    for step in reversed(ws.draft.steps):
        when = step.at.astimezone().strftime("%m-%d %H:%M:%S")
        with st.expander(f"{when} · {SOURCE_NAMES.get(step.source, step.source)} · {step.summary}"):
            for c in step.changes:
                evidence = f"　<small>（{c.evidence}）</small>" if c.evidence else ""
                st.markdown(f"- {label_of(c.cell)}：{views.shown(c.old)} → {views.shown(c.new)}{evidence}",
                            unsafe_allow_html=True)

