"""Section texts and contact details, saved when the clerk leaves a box; drafts to adopt or discard."""

from __future__ import annotations

import zlib
from typing import Any

import streamlit as st

from assistant.cells import FIELDS, SECTIONS, label_of
from assistant.changes import Change
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.state import META_KEYS, act, state, the_ws


def text_key(key: str, value: Any) -> str:
    """A text box keyed by what it shows: it refreshes when the saved text changes (undo, another tab),
    and keeps what the clerk is typing when anything else changes."""
    return f"text-{key}-{zlib.crc32(str(value).encode('utf-8')):08x}"


def on_save_meta() -> None:
    ws = the_ws()
    changes = [Change(cell=k, value=(st.session_state.get(text_key(k, ws.report.value(k))) or "").strip() or None,
                      evidence="手工编辑") for k in META_KEYS]
    act(ws.apply, changes, source="edit", summary="编辑机关信息", ok="已保存。")


def on_save_text(sid: str, key: str) -> None:
    act(the_ws().set_text, sid, st.session_state.get(key, ""), ok=f"已保存“{label_of(sid)}”。")


def on_draft_s5() -> None:
    from assistant.drafting import draft_problems

    result = act(draft_problems, the_ws().report, settings=state().settings)
    if result is not None:
        state().drafted["s5"] = result.text
        state().drafted_notices["s5"] = list(result.notices)


def on_draft_s6() -> None:
    from assistant.drafting import draft_s6

    state().drafted["s6"] = draft_s6(the_ws().report)


def on_adopt(sid: str) -> None:
    text = st.session_state.get(f"drafted-{sid}", state().drafted.get(sid, ""))
    if act(the_ws().set_text, sid, text, source="draft", ok="已采用起草稿，可撤销。") is not None:
        state().drafted.pop(sid, None)


def text_panel(ws: Workspace) -> None:
    report = ws.report
    with st.expander("机关信息与联系方式", expanded=report.meta.agency is None):
        for k in META_KEYS:  # each saved as soon as the clerk leaves the box
            st.text_input(FIELDS[k].label, value=str(report.value(k) or ""), key=text_key(k, report.value(k)),
                          on_change=on_save_meta)
    for section in SECTIONS:
        sid = section.id
        current = report.section_text(sid) or ""
        key = text_key(sid, current)
        # Saved as soon as the clerk leaves the box (or presses Ctrl+Enter); "保存" does the same explicitly.
        text = st.text_area(label_of(sid), value=current, height=160 if sid in ("preface", "s1", "s5") else 90,
                            key=key, on_change=on_save_text, args=(sid, key))
        cols = st.columns([1, 1, 3])
        cols[0].button("保存", key=f"save-{sid}", disabled=text == current, on_click=on_save_text, args=(sid, key))
        if sid == "s5":
            cols[1].button("起草第五部分", key="draft-s5", on_click=on_draft_s5)
            if report.previous is not None and report.previous.section_text("s5"):
                with st.expander(f"参考：{report.previous.meta.year or '上'}年报告的第五部分"):
                    st.markdown(md(report.previous.section_text("s5")))
        if sid == "s6":
            cols[1].button("起草信息处理费说明", key="draft-s6", on_click=on_draft_s6)
        if sid in state().drafted:
            drafted_box(sid)


def drafted_box(sid: str) -> None:
    st.info("以下为起草稿，请修改后点“采用此稿”；采用前不会改动报告。")
    for n in state().drafted_notices.get(sid, []):
        st.warning(md(n))
    st.text_area("起草稿", value=state().drafted[sid], height=220, key=f"drafted-{sid}")
    a, b = st.columns(2)
    a.button("采用此稿", key=f"adopt-{sid}", type="primary", on_click=on_adopt, args=(sid,))
    b.button("放弃起草稿", key=f"discard-{sid}", on_click=on_discard, args=(sid,))


def on_discard(sid: str) -> None:
    state().drafted.pop(sid, None)

