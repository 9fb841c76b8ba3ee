"""The app's entry: page set-up, the door (sign-in on an office server), the store, the sidebar, then the
start page or the open draft (read-only for a reviewer), the batch review, or the accounts page."""

from __future__ import annotations

import threading

import streamlit as st

from assistant.auth import Actor, may_review
from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.store import default_url
from ui.draft import draft_page, on_close
from ui.readonly import readonly_page, reviewer_home
from ui.review import PAGE as REVIEW_PAGE
from ui.review import review_link, review_page
from ui.settings import settings_panel
from ui.signin import account_panel, gate
from ui.start import on_open, start_page
from ui.state import act, get_store, state
from ui.tables import apply_table_edits


def warm_up() -> None:
    """Import what the draft page needs (pandas, the engines, the readers and writers) ahead of time."""
    import pandas  # noqa: F401
    import pdfplumber  # noqa: F401

    import assistant.drafting
    import assistant.engines.offline
    import assistant.exporting.docx_writer
    import assistant.prefill
    import assistant.reading.pdf  # noqa: F401


@st.cache_resource(show_spinner=False)
def warm_up_in_background() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread


def main() -> None:
    st.set_page_config(page_title="年报助手", page_icon="📄", layout="wide", initial_sidebar_state="collapsed")
    actor = gate()  # nothing below is drawn for someone not signed in (office-server mode)
    try:
        page(actor)
    except AssistantError as e:  # e.g. the database failed while the page was drawn: say so, offer a way out
        st.error(md(e.message))
        st.button("返回草稿列表", key="back-to-list", on_click=on_close)


def page(actor: Actor) -> None:
    user = actor.current()
    app = state()
    try:
        app.store = get_store(default_url())
    except AssistantError as e:
        st.error(md(e.message))
        st.stop()
    account_panel(actor)
    if user.role == "admin":  # accounts only: an administrator sees no draft
        from ui.admin import admin_page

        admin_page(app.store, actor)
        return
    settings_panel()
    if st.query_params.get("page") == REVIEW_PAGE:
        if may_review(user):
            review_page(app.store)
        else:
            st.error("此账户不能使用批量审核（只有审核人员可以）。")
        return
    if app.ws is None and (draft_id := st.query_params.get("draft")):
        on_open(draft_id)
        if app.ws is None:
            st.query_params.clear()
    if app.ws is None:
        if user.role == "reviewer":
            reviewer_home(app.store, actor)
        else:
            start_page(app.store)
        if may_review(user):
            review_link()
        warm_up_in_background()  # while the clerk reads the start page
        return
    if act(app.ws.authorize) is None:  # signed out, or this draft is no longer the user's to see
        app.ws = None
        st.query_params.clear()
        st.rerun()
    if not app.ws.can_edit:  # a reviewer: every agency's drafts, read-only
        readonly_page(app.ws)
        return
    apply_table_edits(app.ws)  # typed against the version this tab shows: merged if another tab saved since
    if act(app.ws.reload):
        app.flash.append(("info", "已载入其他窗口对此草稿的修改。"))
    draft_page(app.ws)

