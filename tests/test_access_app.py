"""The office-server app through AppTest: the sign-in page first, agency-scoped lists and drafts, the reviewer's
read-only view, the accounts page, the user in the history, idle expiry; desktop mode unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from assistant.auth import User
from assistant.model import Meta, Report
from assistant.store import DraftStore, default_url
from assistant.workspace import Workspace
from tests.accounts import AGENCY_A, AGENCY_B, PASSWORDS, make_users

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SECRET_B = "洪泽区保密测试段落"  # text only agency B's draft holds


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Office-server mode with two agencies' drafts in the store; the draft ids by agency."""
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NIANBAO_USERS", str(tmp_path / "users" / "users.json"))
    for var in ("NIANBAO_DB_URL", "NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_PRESET", "NIANBAO_LLM_API_KEY", "OPENAI_API_KEY",
                "NIANBAO_IDLE_MINUTES"):
        monkeypatch.delenv(var, raising=False)
    make_users(tmp_path / "users" / "users.json")
    store = DraftStore(default_url())
    ids = {}
    for agency, clerk in ((AGENCY_A, "alice"), (AGENCY_B, "bob")):
        report = Report(meta=Meta(agency=agency, year=2025))
        ws = Workspace.create(store, report, actor=User(clerk, agency, "clerk"))
        if agency == AGENCY_B:
            ws.set_text("s2", SECRET_B)
        ids[agency] = ws.draft.id
    return ids


@pytest.fixture
def at(server: dict[str, str]) -> Iterator[AppTest]:
    from streamlit import config

    shown = config.get_option("client.showErrorDetails")
    app = AppTest.from_file(APP, default_timeout=60)
    yield app
    assert config.get_option("client.showErrorDetails") == "none"  # office-server mode shows no stack traces
    config.set_option("client.showErrorDetails", shown)  # (a process-wide option: leave it as found)


def page_text(at: AppTest) -> str:
    """Every string the page holds (titles, text, labels, tables, buttons), as one text."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        if type(node).__name__ == "Dataframe":  # its cells travel as Arrow bytes
            parts.append(node.value.to_string())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, name: str, password: str | None = None) -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(PASSWORDS[name] if password is None else password)
    at.button(key="signin_submit").click()
    return run(at)


def buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def test_anonymous_sees_only_the_sign_in_page_also_at_a_draft_url(at: AppTest, server: dict[str, str]) -> None:
    for query in ({}, {"draft": server[AGENCY_B]}, {"page": "review"}):
        at.query_params.clear()
        at.query_params.update(query)
        run(at)
        assert [t.value for t in at.title] == ["年报助手 · 登录"]
        assert buttons(at) == {"signin_submit"}
        text = page_text(at)
        assert AGENCY_B not in text and SECRET_B not in text and AGENCY_A not in text
        assert not at.chat_input and not at.sidebar.button
        assert dict(at.query_params) == query  # kept for after the sign-in


def test_clerk_at_another_agencys_draft_url_gets_nothing_of_it(at: AppTest, server: dict[str, str]) -> None:
    at.query_params["draft"] = server[AGENCY_B]
    run(at)
    sign_in(at, "alice")
    assert any("无权查看此草稿" in e.value for e in at.error)
    text = page_text(at)
    assert SECRET_B not in text and AGENCY_B not in text
    assert f"open-{server[AGENCY_A]}" in buttons(at) and f"open-{server[AGENCY_B]}" not in buttons(at)
    assert "open-review" not in buttons(at)  # the batch review is the reviewers'
    assert "draft" not in at.query_params

    # the own draft opens, edits and records the user
    at.button(key=f"open-{server[AGENCY_A]}").click()
    run(at)
    assert at.chat_input
    at.chat_input(key="chat").set_value("今年收到自然人申请12件，予以公开8件").run()
    apply = next(b for b in at.button if b.key and b.key.startswith("apply-all"))
    apply.click()
    run(at)
    at.segmented_control(key="view").set_value("修改记录").run()
    labels = [e.label for e in at.expander]
    assert any("alice" in label for label in labels), labels

    # a workspace on B's draft smuggled into alice's session is refused before anything of it is drawn
    store = DraftStore(default_url())
    foreign = Workspace.open(store, server[AGENCY_B], actor=User("bob", AGENCY_B, "clerk"))
    foreign.actor = at.session_state["auth_session"]
    at.session_state["app"].ws = foreign
    run(at)
    assert any("无权查看此草稿" in e.value for e in at.error)
    assert SECRET_B not in page_text(at)
    assert store.load(server[AGENCY_B])[1] == foreign.revision


def test_reviewer_sees_every_agency_read_only(at: AppTest, server: dict[str, str]) -> None:
    run(at)
    sign_in(at, "rev")
    assert {f"open-{server[AGENCY_A]}", f"open-{server[AGENCY_B]}", "open-review"} <= buttons(at)
    assert "create" not in buttons(at) and "prefill" not in buttons(at)
    at.button(key=f"open-{server[AGENCY_B]}").click()
    run(at)
    assert not at.chat_input  # no chat, no editor, no undo: nothing that changes the draft
    assert not {"undo", "redo"} & buttons(at)
    assert "只读查看" in page_text(at)
    at.segmented_control(key="ro-view").set_value("正文").run()
    assert SECRET_B in page_text(at)
    assert not at.text_area


def test_admin_sees_accounts_and_no_draft(at: AppTest, server: dict[str, str]) -> None:
    at.query_params["draft"] = server[AGENCY_A]
    run(at)
    sign_in(at, "adm")
    assert [t.value for t in at.title] == ["年报助手 · 账户管理"]
    text = page_text(at)
    assert "alice" in text and AGENCY_A in text  # the accounts table
    assert "$argon2" not in text and PASSWORDS["alice"] not in text
    assert not any(k.startswith("open-") for k in buttons(at))
    at.text_input(key="admin_new_name").input("carol")
    at.text_input(key="admin_new_agency").input(AGENCY_A)
    at.text_input(key="admin_new_password").input("carol-pass-1")
    at.button(key="admin_add").click()
    run(at)
    assert any("已添加账户" in s.value for s in at.success)
    assert "carol-pass-1" not in page_text(at)


def test_wrong_password_message_then_slowed(at: AppTest) -> None:
    run(at)
    for i in range(5):
        sign_in(at, "alice", password=f"wrong-{i}-password")
        assert [e.value for e in at.error] == ["用户名或密码不正确。"]
    sign_in(at, "alice")  # right, but too soon
    assert "登录失败次数过多" in at.error[0].value
    assert [t.value for t in at.title] == ["年报助手 · 登录"]


def test_idle_session_returns_to_the_sign_in_page(at: AppTest, server: dict[str, str]) -> None:
    run(at)
    sign_in(at, "alice")
    at.button(key=f"open-{server[AGENCY_A]}").click()
    run(at)
    session = at.session_state["auth_session"]
    session.last_seen -= 31 * 60
    at.chat_input(key="chat").set_value("今年收到自然人申请12件")  # acting in the chat, past the limit
    run(at)
    assert [t.value for t in at.title] == ["年报助手 · 登录"]
    assert any("30分钟没有操作" in i.value for i in at.info)
    assert AGENCY_A not in page_text(at)
    assert DraftStore(default_url()).messages(server[AGENCY_A]) == []  # the late message was refused, not kept


def test_sign_out_forgets_the_session(at: AppTest, server: dict[str, str]) -> None:
    run(at)
    sign_in(at, "alice")
    at.sidebar.button(key="signout").click()
    run(at)
    assert [t.value for t in at.title] == ["年报助手 · 登录"]
    assert "auth_session" not in at.session_state and "app" not in at.session_state
    store = DraftStore(default_url())
    assert [e["kind"] for e in store.events(by="alice")][:2] == ["signout", "signin"]


def test_desktop_mode_has_no_sign_in(server: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_USERS")
    at = run(AppTest.from_file(APP, default_timeout=60))
    assert [t.value for t in at.title] == ["年报助手"]
    assert {f"open-{server[AGENCY_A]}", f"open-{server[AGENCY_B]}", "create", "open-review"} <= buttons(at)


def test_desktop_mode_shows_a_remote_browser_a_notice_only(server: dict[str, str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.signin

    monkeypatch.delenv("NIANBAO_USERS")
    monkeypatch.setattr(ui.signin, "client_address", lambda: "192.0.2.10")
    at = run(AppTest.from_file(APP, default_timeout=60))
    assert [e.value for e in at.error] == [ui.signin.LOCAL_ONLY]
    assert not at.button and AGENCY_A not in page_text(at)
    monkeypatch.setattr(ui.signin, "client_address", lambda: "127.0.0.2")  # any loopback address is this machine
    assert [t.value for t in run(AppTest.from_file(APP, default_timeout=60)).title] == ["年报助手"]
