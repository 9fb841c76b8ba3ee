"""The conversation beside the draft: messages, proposals to apply in full, in part or not at all."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.workspace import ChatMessage, Workspace
from ui.state import NOTE_TYPES, STATUS_NAMES, act, show_flash, state, the_ws


def on_chat() -> None:
    """The message is answered while the chat is drawn (``answer_pending``), so the clerk sees it wait."""
    prompt = st.session_state.get("chat")
    if not prompt:
        return
    files = list(getattr(prompt, "files", None) or [])
    text = (getattr(prompt, "text", None) if not isinstance(prompt, str) else prompt) or ""
    if files or text.strip():
        # Tabs kept: rows pasted from a spreadsheet start with one.
        st.session_state["chat-pending"] = (text.strip(" \r\n"), [(f.name, f.getvalue()) for f in files])


def answer_pending(ws: Workspace) -> None:
    """The clerk's message and a waiting indicator in the chat while the engine reads it."""
    from assistant.engines.factory import get_engine

    text, files = st.session_state.pop("chat-pending")
    settings = state().settings
    with st.chat_message("user"):
        st.text(text or "、".join(name for name, _ in files))
    waiting = (f"大模型（{settings.model}）正在阅读，每次请求最长等待{int(settings.timeout_s)}秒……"
               if settings.kind == "openai" else "正在识别……")
    with st.chat_message("assistant"), st.spinner(md(waiting)):
        engine = get_engine(settings)
        for name, data in files:
            act(ws.ask_with_notes, data, name, engine, text.strip())
        if not files and act(ws.ask, text, engine) is None:
            state().flash.append(("info", f"未能发送的内容（可复制后重试）：{text.strip()}"))
    st.rerun(scope="app")


@st.fragment
def chat_fragment() -> None:
    """The conversation reruns on its own (a message, a question) unless the draft changed."""
    ws = the_ws()
    if ws.revision != st.session_state.get("page_revision"):
        st.rerun(scope="app")  # a proposal was applied: the tables beside the chat change too
    show_flash()
    try:
        chat_panel(ws)
    except AssistantError as e:  # the conversation could not be read (database unavailable)
        st.error(md(e.message))


def chat_panel(ws: Workspace) -> None:
    with st.container(height=560):
        for m in ws.conversation():
            with st.chat_message(m.role):
                if m.attachment and m.role == "user":
                    st.caption(f"📎 {md(m.attachment, inline=True)}")
                (st.error if m.error else st.markdown)(md(m.text))
                for n in m.notices:
                    st.info(md(n))  # notices may quote a provider's own words: data, never Markdown
                if m.proposal is not None:
                    proposal_view(ws, m)
        if st.session_state.get("chat-pending"):
            answer_pending(ws)
    open_questions_view(ws)
    st.chat_input("说说今年的情况，例如：今年收到自然人申请12件，予以公开8件……（可附笔记或台账）",
                  accept_file=True, file_type=NOTE_TYPES, key="chat", on_submit=on_chat)


def on_apply_picked(seq: int, count: int) -> None:
    picked = [i for i in range(count) if st.session_state.get(f"pick-{seq}-{i}", True)]
    act(the_ws().apply_proposal, seq, picked, ok=f"已应用{len(picked)}项，可点“撤销”恢复。")


def proposal_view(ws: Workspace, m: ChatMessage) -> None:
    assert m.proposal is not None
    rows = views.proposal_rows(m.proposal.changes, ws.report)
    if m.pending:
        st.markdown(f"**建议填写 {len(rows)} 项**（勾选后应用，可撤销）：")
        for row in rows:
            st.checkbox(f"{md(row.label, inline=True)}：{md(row.old, inline=True)} → **{md(row.new, inline=True)}**",
                        value=True, key=f"pick-{m.seq}-{row.index}")
            if row.evidence:
                st.caption(f"　依据：“{md(row.evidence, inline=True)}”")
        a, b, c = st.columns(3)
        a.button("全部应用", key=f"apply-all-{m.seq}", type="primary", on_click=act,
                 args=(ws.apply_proposal, m.seq), kwargs={"ok": f"已应用{len(rows)}项，可点“撤销”恢复。"})
        b.button("应用所选", key=f"apply-some-{m.seq}", on_click=on_apply_picked, args=(m.seq, len(rows)))
        c.button("不采用", key=f"dismiss-{m.seq}", on_click=act, args=(ws.dismiss_proposal, m.seq))
    elif rows:
        status = STATUS_NAMES.get(m.status or "", "")
        with st.expander(f"{len(rows)}项建议 · {status}"):
            for row in rows:
                mark = "✔" if row.index in m.applied else "·"
                st.markdown(f"{mark} {md(row.label, inline=True)}：{md(row.new, inline=True)}")
                if row.evidence:
                    st.caption(f"　依据：“{md(row.evidence, inline=True)}”")
    for q in m.proposal.questions:
        st.markdown(f"❓ {md(q)}")



def open_questions_view(ws: Workspace) -> None:
    """What the assistant still waits to be told stays in sight until answered or dismissed."""
    waiting = ws.open_questions()
    if waiting is None:
        return
    seq, questions = waiting
    with st.container(border=True):
        st.markdown("**待您回答**（直接在下面回复即可，例如“是个人的”）：")
        for q in questions:
            st.markdown(f"❓ {md(q)}")
        st.button("不用回答了", key=f"dismiss-questions-{seq}", on_click=act, args=(ws.dismiss_questions, seq))

