"""The review's HTML page in headless Chromium (readable without script, every value escaped) and its
workbook's formatting; text from the reports stays text in both."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.review import Review, review
from assistant.review.export import export_bytes, export_file
from assistant.review.results import RowFinding
from assistant.review.runners import InlineRunner
from assistant.rules import Severity
from assistant.store import DraftStore
from tests import review_batch
from tests.appserver import browser
from tests.test_review import PAIRS

HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Review:
    root = tmp_path_factory.mktemp("batch")
    review_batch.build(root / "2024", root / "2023")
    store = DraftStore(f"sqlite:///{root / 's.sqlite3'}")
    return review([root / "2024"], [root / "2023"], store=store, runner=InlineRunner())


def hostile(result: Review) -> Review:
    """The review with a report whose name, file and finding carry markup, as a hostile upload could."""
    rows = list(result.reports)
    bad = rows[-1].model_copy(update={
        "agency": f"某街道{HOSTILE}", "file": f"=HYPERLINK(\"http://x\"){HOSTILE}.docx",
        "findings": [RowFinding(rule="TEXT-TABLE", severity=Severity.WARNING, message=f"正文写“{HOSTILE}”")],
    })
    return result.model_copy(update={"reports": [*rows[:-1], bad]})


@pytest.mark.browser
def test_the_page_reads_in_chromium_without_script(result: Review, tmp_path: Path) -> None:
    page_file = export_file(hostile(result), tmp_path / "审核结果.html")
    html = page_file.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    with browser() as b:
        page = b.new_page(java_script_enabled=False)
        page.goto(page_file.as_uri())
        assert page.title() == "2024年度政府信息公开工作年度报告审核结果"
        rows = page.locator("table.overview tbody tr")
        assert rows.count() == len(PAIRS)
        first = rows.nth(0).locator("td")
        assert first.nth(0).inner_text() == "无法读取" and first.nth(3).inner_text() == "损坏的报告.docx"
        assert page.locator("img").count() == 0 and page.locator("script").count() == 0
        assert HOSTILE in page.locator("body").inner_text()  # shown as the characters it is
        assert page.locator("table.t3").count() == 1 and page.locator("table.t4").count() == 1
        assert "长春市南关区民康街道办事处" in page.locator("body").inner_text()  # the missing unit
        # the overview links each agency to its findings
        link = page.locator("table.overview a", has_text="长春市南关区曙光街道办事处")
        anchor = link.get_attribute("href")
        assert anchor is not None and anchor.startswith("#r")
        link.click()
        assert page.url.endswith(anchor)
        section = page.locator(f"section{anchor}")
        assert section.locator("li.error").count() == 2 and "CARRY-OVER" in section.inner_text()
        # with script allowed, nothing from the reports runs either
        live = b.new_page()
        live.goto(page_file.as_uri())
        assert live.title() == "2024年度政府信息公开工作年度报告审核结果"


def test_the_workbook_keeps_text_as_text(result: Review) -> None:
    wb = load_workbook(io.BytesIO(export_bytes(hostile(result), "xlsx")))
    ws = wb["总览"]
    last = ws.cell(row=ws.max_row, column=4)
    assert last.value.startswith("=HYPERLINK") and last.data_type == "s"  # text, never a formula
    assert ws.cell(row=2, column=1).fill.fgColor.rgb.endswith("E7E6E6")  # the unreadable row, tinted
    percent = [c for c in ws[2 + 1] if c.number_format == "0.0%"]
    assert len(percent) == 4  # 五 copied, 纠错率, 不予公开, 本机关不掌握
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["审核年度"] == "2024年度" and summary["未报送的单位"].startswith("长春市南关区民康街道办事处")
    assert isinstance(summary["纠错率（复议诉讼结果纠正 ÷ 复议诉讼总计）"], float)
