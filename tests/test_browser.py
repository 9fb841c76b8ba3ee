"""The whole app in headless Chromium: upload, chat, apply, see, fix, download, read back, restart.

Fails (never skips) when Chromium is missing: ``make sysdeps`` installs it. ``UPDATE_SCREENSHOTS=1``
also writes the README's screenshots to ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.importing import read_bytes
from assistant.store import DraftStore
from assistant.workspace import Workspace
from tests.appserver import ROOT, browser, running_app
from tests.helpers import FIXTURES

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "screenshots"
TIMEOUT = 30_000


def shot(page: Any, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def settle(page: Any) -> None:
    """Wait until Streamlit has finished the run the last action started."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')",
                           timeout=TIMEOUT)
    page.wait_for_timeout(200)


def tab(page: Any, name: str) -> None:
    """Choose a view on the right-hand side (the segmented control above it)."""
    settle(page)
    page.locator('[data-testid="stButtonGroup"] button').filter(has_text=re.compile(f"^{name}$")).first.click()
    settle(page)


def cell(page: Any, cell_id: str) -> Any:
    return page.locator(f'td[data-cell="{cell_id}"]').first


def test_upload_chat_fix_export_and_restart(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data_dir = tmp_path / "data"
    with browser() as b:
        page = b.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(TIMEOUT)
        with running_app(data_dir) as url:
            page.goto(url)
            page.get_by_text("从上年报告开始").wait_for()
            shot(page, "1-start")

            # upload last year's report (a real PDF) and prefill this year's draft
            uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
            uploader.set_input_files(str(FIXTURES / "real" / "hongze-district-2023.pdf"))
            settle(page)
            year = page.get_by_label("本年度")
            year.fill("2024")
            year.press("Enter")
            settle(page)
            page.get_by_role("button", name="读取并新建本年度草稿").click()
            page.get_by_text(re.compile("已从2023年报告读取")).wait_for()
            expect(page.get_by_role("heading", name=re.compile("洪泽区人民政府 2024年度报告"))).to_be_visible()
            draft_id = re.search(r"draft=([0-9a-f]+)", page.url).group(1)  # type: ignore[union-attr]

            # chat a message and apply the proposal
            box = page.get_by_test_id("stChatInputTextArea")
            box.fill("今年收到群众申请95件，上年结转2件")
            box.press("Enter")
            page.get_by_text("建议填写 2 项").wait_for()
            shot(page, "2-proposal")
            page.get_by_role("button", name="全部应用").click()
            page.get_by_text(re.compile("已应用2项")).wait_for()
            settle(page)

            # the table changes
            tab(page, "表三")
            page.get_by_text("按正式版式预览表三").click()
            expect(cell(page, "t3.new.natural")).to_have_text("95")
            expect(cell(page, "t3.carried_over.natural")).to_have_text("2")
            shot(page, "3-table3")

            # a finding appears: last year carried nothing forward; fix it in one click
            tab(page, "检查")
            page.get_by_text(re.compile("表三“自然人”列：本年“上年结转”填的是2，但2023年报告的“结转下年度”为0")).wait_for()
            shot(page, "4-checks")
            page.get_by_role("button", name=re.compile("一键修正：将表三“自然人”列的“上年结转”改为0")).click()
            page.get_by_text("已修正，可撤销。").wait_for()
            expect(page.get_by_text(re.compile("本年“上年结转”填的是2"))).to_have_count(0)
            tab(page, "表三")
            expect(cell(page, "t3.carried_over.natural")).to_have_text("0")

            # complete the tables as a clerk would before exporting
            for name in ("表二", "表三", "表四"):
                tab(page, name)
                page.get_by_role("button", name=re.compile("个未填单元格按0填写")).click()
                settle(page)

            # download the .docx (sections are still missing: export needs the clerk's confirmation)
            tab(page, "导出")
            page.get_by_text(re.compile("我已知晓，仍要导出")).click()
            settle(page)
            shot(page, "5-export")
            with page.expect_download() as download:
                page.get_by_role("button", name=re.compile("下载 Word 文档")).click()
            docx = Path(download.value.path()).read_bytes()

        stored = Workspace.open(DraftStore(f"sqlite:///{data_dir / 'drafts.sqlite3'}"), draft_id).report
        assert stored.get("t3.new.natural") == 95 and stored.get("t3.carried_over.natural") == 0
        back = read_bytes(docx, "导出.docx").report
        assert back.cells == stored.cells
        assert back.meta.agency == stored.meta.agency and back.meta.year == 2024

        # restart the app: the draft is intact
        with running_app(data_dir) as url:
            page.goto(f"{url}/?draft={draft_id}")
            expect(page.get_by_role("heading", name=re.compile("洪泽区人民政府 2024年度报告"))).to_be_visible()
            tab(page, "表三")
            page.get_by_text("按正式版式预览表三").click()
            expect(cell(page, "t3.new.natural")).to_have_text("95")
            page.get_by_text("今年收到群众申请95件，上年结转2件").first.wait_for()
