"""The whole app in headless Chromium at a laptop's size: from last year's report to a .docx with no blank cell.

Upload last year's report (the year of the new draft is shown before it is made), chat, apply, fix,
confirm the blank rows as 0, draft 前言, 一, 五 and 六 and adopt them, download, read back, restart.

Fails (never skips) when Chromium is missing: ``make sysdeps`` installs it. ``UPDATE_SCREENSHOTS=1``
also writes the README's screenshots to ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.cells import CELLS
from assistant.importing import read_bytes
from assistant.rules import RULES
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


VIEWPORT = {"width": 1366, "height": 800}  # a common laptop; the README's screenshots are taken at it
RULE_ID = re.compile("|".join(re.escape(r) for r in RULES))


def pseudo_text(page: Any, selector: str) -> str:
    """What CSS puts after an element (our Chinese words in place of Streamlit's), once the stylesheet is in."""
    script = "s => { const e = document.querySelector(s); return e && getComputedStyle(e, '::after').content; }"
    page.wait_for_function(f"s => ({script})(s) && ({script})(s) !== 'none'", arg=selector, timeout=TIMEOUT)
    return str(page.evaluate(script, selector))


def no_horizontal_scroll(page: Any) -> int:
    """How many pixels the table editor on screen would have to scroll sideways (0: every column shows)."""
    scroller = page.locator('[data-testid="stDataFrame"] .dvn-scroller').first
    return int(scroller.evaluate("e => e.scrollWidth - e.clientWidth"))


def draft_and_adopt(page: Any, section: str, button: str) -> str:
    page.get_by_role("button", name=button).click()
    settle(page)
    box = page.locator(f".st-key-drafted-{section} textarea")
    box.wait_for()
    text = box.input_value()
    page.locator(f".st-key-adopt-{section} button").click()
    page.get_by_text("已采用起草稿").first.wait_for()
    settle(page)
    return str(text)


def test_from_last_years_report_to_a_docx_with_no_blank_cell(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data_dir = tmp_path / "data"
    with browser() as b:
        page = b.new_page(viewport=VIEWPORT, accept_downloads=True)
        page.set_default_timeout(TIMEOUT)
        with running_app(data_dir) as url:
            page.goto(url)
            page.get_by_text("从上年报告开始").wait_for()
            settle(page)
            # the uploader speaks Chinese (Streamlit's own "Upload" and "… per file" are hidden)
            assert pseudo_text(page, '[data-testid="stFileUploaderDropzone"] button p') == '"选择文件"'
            assert "拖到这里" in pseudo_text(page, '[data-testid="stFileUploaderDropzoneInstructions"] span')
            expect(page.locator('[data-testid="stFileUploaderDropzone"] button p')).to_have_css("font-size", "0px")

            # upload last year's report (a real PDF): the new draft is for the year after it, said before it is made
            uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
            uploader.set_input_files(str(FIXTURES / "real" / "hongze-district-2023.pdf"))
            page.get_by_text(re.compile("将新建 2024年度 报告")).wait_for()
            settle(page)
            shot(page, "1-start")
            page.get_by_role("button", name="读取并新建2024年度草稿").click()
            page.get_by_text(re.compile("已从2023年报告读取")).wait_for()
            expect(page.get_by_role("heading", name=re.compile("洪泽区人民政府 2024年度报告"))).to_be_visible()
            draft_id = re.search(r"draft=([0-9a-f]+)", page.url).group(1)  # type: ignore[union-attr]

            # table 三 fits beside the chat: its 总计 column needs no sideways scrolling
            settle(page)
            assert no_horizontal_scroll(page) <= 1

            # chat this year's numbers from the 表二 view, apply: the view stays on 表二
            tab(page, "表二")
            box = page.get_by_test_id("stChatInputTextArea")
            box.fill("今年收到群众申请12件，上年结转2件，予以公开8件，部分公开2件，2件因本机关不掌握无法提供")
            box.press("Enter")
            page.get_by_text("建议填写 5 项").wait_for()
            shot(page, "2-proposal")
            page.get_by_role("button", name="全部应用").click()
            page.get_by_text(re.compile("已应用5项")).wait_for()
            settle(page)
            selected = page.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]')
            expect(selected).to_have_text("表二")

            # the table changes
            tab(page, "表三")
            page.get_by_text("按正式版式预览表三").click()
            expect(cell(page, "t3.new.natural")).to_have_text("12")
            expect(cell(page, "t3.carried_over.natural")).to_have_text("2")
            shot(page, "3-table3")

            # a finding in Chinese words, no rule code: last year carried nothing forward; fixed in one click
            tab(page, "检查")
            page.get_by_text(re.compile("表三“自然人”列：本年“上年结转”填的是2，但2023年报告的“结转下年度”为0")).wait_for()
            assert not RULE_ID.search(page.locator("section.main, [data-testid='stMain']").first.inner_text())
            shot(page, "4-checks")
            page.get_by_role("button", name=re.compile("一键修正：将表三“自然人”列的“上年结转”改为0")).click()
            page.get_by_text("已修正，可撤销。").wait_for()
            expect(page.get_by_text(re.compile("本年“上年结转”填的是2"))).to_have_count(0)

            # the export names every blank cell; the clerk confirms the rest are 0
            tab(page, "导出")
            page.get_by_text(re.compile(r"尚有\d+个单元格未填写")).wait_for()
            expect(page.get_by_role("button", name=re.compile("下载 Word 文档"))).to_be_disabled()
            shot(page, "5-export")
            page.get_by_role("button", name="全部勾选").click()
            settle(page)
            page.get_by_role("button", name=re.compile("已确认，将所勾选的\\d+行按0填写")).click()
            page.get_by_text(re.compile("按0填写，可撤销")).first.wait_for()
            settle(page)

            # draft the texts: 一 from the tables, with last year's structure and the questions beside it
            tab(page, "正文")
            s1 = draft_and_adopt(page, "s1", "起草第一部分")
            assert "（一）主动公开情况" in s1 and "本年新收政府信息公开申请12件" in s1 and "1136" not in s1
            page.get_by_role("button", name="起草第一部分").click()  # drafted again, for the README's picture
            settle(page)
            page.get_by_text("请补充或核实").first.wait_for()
            page.get_by_text("第一部分起草稿").first.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.mouse.move(900, 400)
            page.mouse.wheel(0, -140)  # from under the page's top bar
            page.wait_for_timeout(400)
            shot(page, "6-draft-s1")
            page.get_by_role("button", name="放弃起草稿").first.click()
            settle(page)
            for section, name in (("preface", "起草前言"), ("s5", "起草第五部分"), ("s6", "起草第六部分")):
                draft_and_adopt(page, section, name)

            # nothing stands in the way now: the .docx downloads without confirmation
            tab(page, "导出")
            page.get_by_text(re.compile("表格已填写完整，没有错误，可以导出")).wait_for()
            shot(page, "7-export-ready")
            with page.expect_download() as download:
                page.get_by_role("button", name=re.compile("下载 Word 文档")).click()
            docx = Path(download.value.path()).read_bytes()

        stored = Workspace.open(DraftStore(f"sqlite:///{data_dir / 'drafts.sqlite3'}"), draft_id).report
        assert stored.get("t3.new.natural") == 12 and stored.get("t3.carried_over.natural") == 0
        assert stored.meta.year == 2024 and stored.sections.s1 == s1
        back = read_bytes(docx, "导出.docx").report
        assert all(back.get(c) is not None for c in CELLS if c.startswith(("t2.", "t3.", "t4."))), "a blank cell"
        tables = ("t2.", "t3.", "t4.")
        assert {c: v for c, v in back.cells.items() if c.startswith(tables)} == {
            c: v for c, v in stored.cells.items() if c.startswith(tables)}
        assert back.meta.agency == stored.meta.agency and back.meta.year == 2024
        assert "主动公开" in (back.section_text("s1") or "")

        # restart the app: the draft is intact
        with running_app(data_dir) as url:
            page.goto(f"{url}/?draft={draft_id}")
            expect(page.get_by_role("heading", name=re.compile("洪泽区人民政府 2024年度报告"))).to_be_visible()
            tab(page, "表三")
            page.get_by_text("按正式版式预览表三").click()
            expect(cell(page, "t3.new.natural")).to_have_text("12")
            page.get_by_text(re.compile("今年收到群众申请12件")).first.wait_for()
