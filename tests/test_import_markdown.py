"""Reports as OCR tools, PDF-to-Markdown converters and portal pages write them, read cell for cell.

The fixtures (``fixtures/import/make_markdown.py``) print the real numbers of 淮安市 2024 and
洪泽区 2023 in each tool's conventions: generic headers (数据1…), a table split into one small table
per row group, table 四 as two stacked tables, headers broken over lines inside a cell, full-width
digits, a cell with a note inside, an HTML table with merged cells, rows split from their labels,
a whole page on one line with some rows' digits run together, and the 2019 edition's tables and
headings. Every cell must be read exactly.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from assistant.importing import ImportResult, read_bytes, read_document
from tests.helpers import FIXTURES

OWN = FIXTURES / "import"
CASES = ("huaian-ocr.md", "huaian-pdf2md.md", "huaian-portal.txt", "hongze-2019-form.md")


@cache
def imported(name: str) -> ImportResult:
    return read_document(OWN / name)


def expected(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((OWN / f"{name.rsplit('.', 1)[0]}.expected.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", CASES)
def test_every_cell_is_read_exactly(name: str) -> None:
    got = {k: v for k, v in imported(name).report.to_flat().items() if k.startswith(("t2.", "t3.", "t4.", "s6.fee."))}
    want = expected(name)
    assert {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)} == {}


@pytest.mark.parametrize("name", CASES)
def test_every_section_and_the_year_are_found(name: str) -> None:
    r = imported(name).report
    assert all(r.section_text(s) is not None for s in ("s1", "s2", "s3", "s4", "s5", "s6")), name
    assert r.meta.year == (2023 if name.startswith("hongze") else 2024)
    assert r.sections.s5 and "下一步" in r.sections.s5


def test_a_cell_with_a_note_is_read_and_the_note_kept() -> None:
    result = imported("huaian-ocr.md")
    assert result.report.get("t2.normative.in_force") == 66
    assert any("含自然失效29件" in n and "已读取数字66" in n for n in result.notes)


def test_digits_run_together_are_cut_by_the_row_total_and_said() -> None:
    result = imported("huaian-portal.txt")
    assert [result.report.get(f"t3.new.{c}") for c in ("natural", "commercial", "legal", "other", "total")] == [3001, 53, 61, 4, 3119]
    assert any("300153006143119" in n and "3001 53 0 0 61 4 3119" in n for n in result.notes)


def test_an_ambiguous_run_of_digits_is_left_unread_and_said() -> None:
    text = (OWN / "huaian-portal.txt").read_text(encoding="utf-8")
    # "121000013" is 12 1 0 0 0 0 13, or 1 2 10 0 0 0 13: the row total does not decide.
    text = text.replace("2.重复申请 25 0 0 0 0 0 25", "2.重复申请121000013")
    result = read_bytes(text.encode("utf-8"), "portal.txt")
    assert result.report.get("t3.refused.duplicate.natural") is None
    assert any("121000013" in n and "有多种拆法" in n for n in result.notes)


def test_the_2019_edition_is_read_as_the_2019_edition() -> None:
    result = imported("hongze-2019-form.md")
    r = result.report
    assert r.source is not None and r.source.template == "2019"
    assert r.get("t2.normative.in_force") is None  # 对外公开总数量 is not 现行有效件数
    assert r.get("t3.other.no_correction.total") == 0 and "按0计" in result.provenance["t3.other.no_correction.total"]
    assert r.sections.s5 == "政策解读形式还不够丰富。下一步将加强解读。"


def test_full_width_digits_and_headers_broken_inside_a_cell() -> None:
    r = imported("huaian-ocr.md").report
    assert r.get("t3.granted.natural") == 1288  # printed "１２８８"
    assert r.get("t4.review.upheld") == 72  # under "结果<br>维持"
