"""Golden files: each real fixture exported, read back, dumped to text and compared line by line.

The .docx is reopened and walked (paragraph styles, every table cell with its true span and
alignment, repeated header rows); the HTML is parsed with bs4 (every cell with its span, tag and
scope); the Markdown is compared as written. Regenerate with ``UPDATE_GOLDEN=1`` and review the
diff before accepting it.
"""

from __future__ import annotations

import pytest

from assistant.exporting import export_bytes
from assistant.model import Report
from tests.helpers import flat_fixture
from tests.test_export_dump import check_golden, dump_docx, dump_html

FIXTURES = ("huaian-city-2024", "hongze-district-2023", "hongze-district-2024", "ziqiang-street-2024")


def _report(name: str) -> Report:
    return Report.from_flat(flat_fixture(name))


@pytest.mark.parametrize("name", FIXTURES)
def test_docx_matches_golden(name: str) -> None:
    check_golden(f"{name}.docx.txt", dump_docx(export_bytes(_report(name), "docx", force=True)))


@pytest.mark.parametrize("name", FIXTURES)
def test_html_matches_golden(name: str) -> None:
    check_golden(f"{name}.html.txt", dump_html(export_bytes(_report(name), "html", force=True)))


@pytest.mark.parametrize("name", FIXTURES)
def test_markdown_matches_golden(name: str) -> None:
    check_golden(f"{name}.md", export_bytes(_report(name), "md", force=True).decode("utf-8"))


def test_golden_check_fails_on_a_changed_cell() -> None:
    # The comparison must be able to fail: one changed number is a failure naming the line.
    report = _report("huaian-city-2024").with_values({"t3.new.natural": 3002})
    with pytest.raises(AssertionError, match=r"r3c3 1x1 C 3002"):
        check_golden("huaian-city-2024.docx.txt", dump_docx(export_bytes(report, "docx", force=True)))
