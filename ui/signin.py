"""The door: desktop mode serves this machine only; office-server mode shows only the sign-in page until
someone signs in, and again once their session ends (idle too long, signed out, account disabled).

Nothing of a draft is drawn before ``gate()`` returns; a ``?draft=`` in the URL is kept, so the
draft opens after sign-in if the account may see it. The password lives only in the form's widget
for the one run that checks it, and is cleared with the form.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import streamlit as st

from assistant.auth import (
    DESKTOP,
    Actor,
    SignedOut,
    SignInFailed,
    SignInRequired,
    duration_text,
    idle_timeout,
    is_loopback,
    users_path,
)
from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.sessions import Session, SignInDesk
from assistant.store import default_url
from assistant.users import UsersFile
from ui.state import get_store

SESSION_KEY = "auth_session"
NOTICE_KEY = "signin_notice"
ERROR_KEY = "signin_error"
LOCAL_ONLY = ("年报助手以桌面模式运行，只能在运行它的这台电脑上使用。"
              "如需多人通过网络使用，请由管理员启用办公室服务器模式（见说明文档）。")


@st.cache_resource(show_spinner=False)
def sign_in_desk(path: str, db_url: str) -> SignInDesk:
    """One per server process: the failure counts are shared by every browser session."""
    return SignInDesk(UsersFile(Path(path)), get_store(db_url), idle_timeout())


def current_actor() -> Actor:
    """Who acts in this browser session: the desktop clerk, the signed-in session, or nobody."""
    if users_path() is None:
        return DESKTOP
    session = st.session_state.get(SESSION_KEY)
    return session if isinstance(session, Session) else SignedOut()


def client_address() -> str | None:
    """The browser's address as the server saw the connection; None for this machine (127.0.0.1, ::1)."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None  # (AppTest has no connection)


def gate() -> Actor:
    """The acting user for this run; otherwise the sign-in page is drawn and the run stops here."""
    path = users_path()
    client = client_address()
    if path is None:
        if client is not None and not is_loopback(client):  # desktop mode reached over the network (0.0.0.0)
            st.error(LOCAL_ONLY)
            st.stop()
        return DESKTOP
    st.set_option("client.showErrorDetails", "none")  # a stack trace is for the server's log, not the page
    try:
        desk = sign_in_desk(str(path), default_url())
    except AssistantError as e:
        st.error(md(e.message))
        st.stop()
    session = st.session_state.get(SESSION_KEY)
    if isinstance(session, Session):
        try:
            session.current()
        except SignInRequired as e:
            _forget(e.message)
        else:
            _idle_watch()
            return session
    sign_in_page(desk)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def sign_in_page(desk: SignInDesk) -> None:
    st.title("年报助手 · 登录")
    st.caption("政府信息公开工作年度报告起草助手。请用管理员为您开设的账户登录。")
    if notice := st.session_state.pop(NOTICE_KEY, None):
        st.info(md(notice))
    if error := st.session_state.pop(ERROR_KEY, None):
        st.error(md(error))
    with st.form("signin", clear_on_submit=True):
        st.text_input("用户名", key="signin_name", autocomplete="username")
        st.text_input("密码", type="password", key="signin_password", autocomplete="current-password")
        st.form_submit_button("登录", type="primary", key="signin_submit", on_click=_on_sign_in, args=(desk,))
    st.caption(f"超过{duration_text(desk.idle)}没有操作将自动退出登录。忘记密码请联系本单位的年报助手管理员。")


def _on_sign_in(desk: SignInDesk) -> None:
    name = str(st.session_state.get("signin_name") or "")
    password = str(st.session_state.get("signin_password") or "")
    st.session_state["signin_password"] = ""  # not kept past this callback
    try:
        session = desk.sign_in(name, password, client_address())
    except (SignInFailed, AssistantError) as e:
        st.session_state[ERROR_KEY] = e.message
        return
    _forget()  # nothing of an earlier user's session (open draft, exports, review results) carries over
    st.session_state[SESSION_KEY] = session


def account_panel(actor: Actor) -> None:
    """In the sidebar: who is signed in, and the way out."""
    if not isinstance(actor, Session):
        return
    with st.sidebar:
        st.caption(f"已登录：{md(actor.user.label)}")
        st.button("退出登录", key="signout", on_click=_on_sign_out)


def _on_sign_out() -> None:
    session = st.session_state.get(SESSION_KEY)
    path = users_path()
    if isinstance(session, Session) and path is not None:
        sign_in_desk(str(path), default_url()).sign_out(session, client_address())
    _forget("已退出登录。")


def _forget(notice: str | None = None) -> None:
    """Drop everything this browser session held; the URL (and its ?draft=) stays for the next sign-in."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[NOTICE_KEY] = notice


def _watch_every() -> timedelta:
    try:
        idle = idle_timeout()
    except AssistantError:
        idle = timedelta(minutes=30)
    return max(timedelta(seconds=5), min(timedelta(seconds=30), idle / 4))


@st.fragment(run_every=_watch_every())
def _idle_watch() -> None:
    """Clears the screen once the session has ended, even if nobody touches the page (checks, never touches)."""
    session = st.session_state.get(SESSION_KEY)
    if isinstance(session, Session) and not session.alive():
        st.rerun(scope="app")
