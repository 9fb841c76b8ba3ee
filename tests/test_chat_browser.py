"""The chat box in headless Chromium: a paste keeps its tabs and line breaks, and an answer to the
assistant's question completes its proposal. Fails (never skips) without Chromium (``make sysdeps``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.model import Report
from assistant.store import DraftStore
from assistant.workspace import Workspace
from tests.appserver import browser, running_app

pytestmark = pytest.mark.browser
TIMEOUT = 30_000
ROWS = "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n本年新收\t3\t1\t0\t0\t0\t0\t4"


def test_the_chat_box_keeps_pasted_rows_and_holds_a_conversation(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = DraftStore(f"sqlite:///{data_dir / 'drafts.sqlite3'}")
    ws = Workspace.create(store, Report())
    with browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT)
        with running_app(data_dir) as url:
            page.goto(f"{url}/?draft={ws.draft.id}")
            box = page.get_by_test_id("stChatInputTextArea")
            box.focus()
            page.keyboard.insert_text(ROWS)  # what a paste from a spreadsheet puts in the box
            box.press("Enter")
            page.get_by_text(re.compile("从粘贴的表格中读出")).first.wait_for()

            box.fill("予以公开8件")
            box.press("Enter")
            page.get_by_text("待您回答").wait_for()
            box.fill("是个人的")
            box.press("Enter")
            page.get_by_text(re.compile("予以公开·自然人")).first.wait_for()
            expect(page.get_by_text("待您回答")).to_have_count(0)
            page.get_by_role("button", name="全部应用").last.click()
            page.get_by_text(re.compile("已应用")).first.wait_for()

    again = Workspace.open(store, ws.draft.id)
    said = [m.text for m in again.conversation() if m.role == "user"]
    assert said == [ROWS, "予以公开8件", "是个人的"]
    assert again.report.get("t3.granted.natural") == 8 and again.report.get("t3.granted.commercial") == 0
