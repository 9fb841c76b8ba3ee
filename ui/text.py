"""Section texts and contact details, saved when the clerk leaves a box; drafts to edit, adopt or discard.

Every section has 起草 and, when the draft remembers last year's report, last year's text of the
section for reference. A draft is shown in its own box for editing with the questions the data
leaves open; it changes the report only when the clerk adopts it (one undoable step).
"""

from __future__ import annotations

import zlib
from typing import Any

import streamlit as st

from assistant.cells import FIELDS, SECTIONS, label_of
from assistant.changes import Change
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.state import META_KEYS, act, state, the_ws

DRAFTS_KEY = "section_drafts"  # (draft id, section) → the DraftResult shown for editing
TALL = ("preface", "s1", "s5")


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


def _drafts() -> dict[tuple[str, str], Any]:
    drafts: dict[tuple[str, str], Any] = st.session_state.setdefault(DRAFTS_KEY, {})
    return drafts


def on_draft(sid: str) -> None:
    from assistant.drafting import draft_section

    ws = the_ws()
    result = act(draft_section, sid, ws.report, findings=ws.findings(), settings=state().settings)
    if result is not None:
        _drafts()[(ws.draft.id, sid)] = result
        st.session_state.pop(f"drafted-{sid}", None)  # the box shows the new draft, not the old one's edits


def on_adopt(sid: str) -> None:
    ws = the_ws()
    result = _drafts().get((ws.draft.id, sid))
    text = st.session_state.get(f"drafted-{sid}", result.text if result is not None else "")
    if act(ws.set_text, sid, text, source="draft", ok="已采用起草稿，可点“撤销”恢复原文。") is not None:
        on_discard(sid)


def on_discard(sid: str) -> None:
    _drafts().pop((the_ws().draft.id, sid), None)
    st.session_state.pop(f"drafted-{sid}", None)


def text_panel(ws: Workspace) -> None:
    report = ws.report
    with st.expander("机关信息与联系方式", expanded=report.meta.agency is None):
        for k in META_KEYS:  # each saved as soon as the clerk leaves the box
            st.text_input(FIELDS[k].label, value=str(report.value(k) or ""), key=text_key(k, report.value(k)),
                          on_change=on_save_meta)
    last = report.previous
    for section in SECTIONS:
        sid = section.id
        current = report.section_text(sid) or ""
        key = text_key(sid, current)
        # Saved as soon as the clerk leaves the box (or presses Ctrl+Enter); "保存" does the same explicitly.
        text = st.text_area(label_of(sid), value=current, height=160 if sid in TALL else 90,
                            key=key, on_change=on_save_text, args=(sid, key))
        cols = st.columns([1, 1.4, 3])
        cols[0].button("保存", key=f"save-{sid}", disabled=text == current, on_click=on_save_text, args=(sid, key),
                       width="stretch")
        cols[1].button(f"起草{_short(sid)}", key=f"draft-{sid}", on_click=on_draft, args=(sid,), width="stretch",
                       help="根据表格数字、对话中提供的素材和上年报告起草，起草稿需经您修改采用后才会写入报告")
        if last is not None and (previous_text := last.section_text(sid)):
            with st.expander(f"参考：{last.meta.year or '上'}年报告的这一部分（不复制到本年）"):
                st.text(previous_text)
        result = _drafts().get((ws.draft.id, sid))
        if result is not None:
            drafted_box(sid, result)


def _short(sid: str) -> str:
    return "前言" if sid == "preface" else f"第{label_of(sid)[0]}部分"


def drafted_box(sid: str, result: Any) -> None:
    with st.container(border=True):
        st.markdown(f"**{md(_short(sid))}起草稿**（可直接修改；点“采用此稿”后才写入报告，可撤销）")
        for notice in result.notices:
            st.warning(md(notice))
        if result.questions:
            asked = "\n".join(f"- {md(q)}" for q in result.questions)
            st.markdown(f"**请补充或核实（这些内容没有写进起草稿）：**\n{asked}")
        if result.text:
            st.text_area("起草稿", value=result.text, height=240 if sid in TALL else 120, key=f"drafted-{sid}")
        else:
            st.info("数据不足，暂无可用的起草稿：请先补充上面所列的信息。")
        a, b = st.columns(2)
        a.button("采用此稿", key=f"adopt-{sid}", type="primary", disabled=not result.text, on_click=on_adopt,
                 args=(sid,), width="stretch")
        b.button("放弃起草稿", key=f"discard-{sid}", on_click=on_discard, args=(sid,), width="stretch")
