"""Office-server mode in headless Chromium: an anonymous browser at a draft's URL sees only the sign-in page;
a clerk of agency A signed in there gets "无权查看此草稿" and nothing of agency B's draft, works on A's and
exports it (recorded with the user); a reviewer sees both agencies' drafts read-only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from assistant.auth import User
from assistant.model import Meta, Report
from assistant.store import DraftStore
from assistant.workspace import Workspace
from tests.accounts import AGENCY_A, AGENCY_B, PASSWORDS, make_users
from tests.appserver import browser, running_app
from tests.test_browser import TIMEOUT, settle, shot, tab

pytestmark = pytest.mark.browser
SECRET_B = "洪泽区尚未公开的第二部分文字"


def sign_in(page: Any, name: str) -> None:
    page.get_by_role("heading", name="年报助手 · 登录").wait_for()
    page.get_by_label("用户名", exact=True).fill(name)
    page.get_by_label("密码", exact=True).fill(PASSWORDS[name])
    page.get_by_role("button", name="登录").click()
    settle(page)


def test_agencies_apart_in_the_browser(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data_dir = tmp_path / "data"
    users = tmp_path / "users" / "users.json"
    make_users(users)
    store = DraftStore(f"sqlite:///{data_dir / 'drafts.sqlite3'}")
    a = Workspace.create(store, Report(meta=Meta(agency=AGENCY_A, year=2025)), actor=User("alice", AGENCY_A, "clerk"))
    b = Workspace.create(store, Report(meta=Meta(agency=AGENCY_B, year=2025)), actor=User("bob", AGENCY_B, "clerk"))
    b.set_text("s2", SECRET_B)

    with browser() as chromium, running_app(data_dir, env={"NIANBAO_USERS": str(users)}) as url:
        clerk = chromium.new_page(viewport={"width": 1400, "height": 950}, accept_downloads=True)
        clerk.set_default_timeout(TIMEOUT)
        clerk.goto(f"{url}/?draft={b.draft.id}")
        clerk.get_by_role("heading", name="年报助手 · 登录").wait_for()
        settle(clerk)
        html = clerk.content()
        assert AGENCY_B not in html and SECRET_B not in html and AGENCY_A not in html
        shot(clerk, "8-signin")

        sign_in(clerk, "alice")
        clerk.get_by_text("无权查看此草稿").wait_for()
        html = clerk.content()
        assert AGENCY_B not in html and SECRET_B not in html
        assert "draft=" not in clerk.url
        expect(clerk.get_by_role("button", name="打开")).to_have_count(1)  # A's draft only
        clerk.get_by_role("button", name="打开").click()
        expect(clerk.get_by_role("heading", name=re.compile(f"{AGENCY_A} 2025年度报告"))).to_be_visible()
        tab(clerk, "导出")
        with clerk.expect_download() as download:
            clerk.get_by_role("button", name=re.compile("下载 .*JSON")).click()
        assert Path(download.value.path()).read_bytes()
        settle(clerk)

        reviewer = chromium.new_context(viewport={"width": 1400, "height": 950}).new_page()
        reviewer.set_default_timeout(TIMEOUT)
        reviewer.goto(url)
        sign_in(reviewer, "rev")
        expect(reviewer.get_by_role("button", name="查看")).to_have_count(2)
        reviewer.get_by_role("heading", name=AGENCY_B).wait_for()
        reviewer.get_by_role("button", name="查看").nth(1 if AGENCY_A < AGENCY_B else 0).click()
        reviewer.get_by_text(re.compile("只读查看")).wait_for()
        settle(reviewer)
        shot(reviewer, "9-reviewer")
        expect(reviewer.get_by_test_id("stChatInputTextArea")).to_have_count(0)
        expect(reviewer.get_by_role("button", name=re.compile("撤销"))).to_have_count(0)
        reviewer.locator('[data-testid="stButtonGroup"] button').filter(has_text=re.compile("^正文$")).first.click()
        reviewer.get_by_text(SECRET_B).wait_for()

    exports = store.events(kind="export")
    assert [(e["by"], e["draft_id"]) for e in exports] == [("alice", a.draft.id)]
    signins = [e["by"] for e in store.events(kind="signin")]
    assert sorted(signins) == ["alice", "rev"]


def test_idle_session_clears_the_screen_by_itself(tmp_path: Path) -> None:
    """With a 6-second idle limit, an open draft gives way to the sign-in page without anyone touching it."""
    users = tmp_path / "users.json"
    make_users(users)
    data_dir = tmp_path / "data"
    store = DraftStore(f"sqlite:///{data_dir / 'drafts.sqlite3'}")
    Workspace.create(store, Report(meta=Meta(agency=AGENCY_A, year=2025)), actor=User("alice", AGENCY_A, "clerk"))
    env = {"NIANBAO_USERS": str(users), "NIANBAO_IDLE_MINUTES": "0.1"}
    with browser() as chromium, running_app(data_dir, env=env) as url:
        page = chromium.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(TIMEOUT)
        page.goto(url)
        sign_in(page, "alice")
        page.get_by_role("button", name="打开").click()
        page.get_by_role("heading", name=re.compile(f"{AGENCY_A} 2025年度报告")).wait_for()
        page.get_by_role("heading", name="年报助手 · 登录").wait_for(timeout=40_000)
        page.get_by_text("没有操作，登录已失效").wait_for()
        assert AGENCY_A not in page.content()
