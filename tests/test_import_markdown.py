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
import sys
from functools import cache

import pytest

from assistant.importing import ImportResult, read_bytes, read_document
from tests.helpers import FIXTURES

sys.path.insert(0, str(FIXTURES / "import"))
import make_markdown as mm

OWN = FIXTURES / "import"
CASES = (
    "huaian-ocr.md",
    "huaian-pdf2md.md",
    "huaian-portal.txt",
    "hongze-2019-form.md",
    "hongze-2019-form.html",
    "hongze-2019-form.docx",
)


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
    assert r.meta.agency == ("洪泽区人民政府" if name.startswith("hongze") else "淮安市人民政府")
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


def _t3_diff(name: str, text: str) -> dict[str, tuple[object, object]]:
    got = {k: v for k, v in read_bytes(text.encode("utf-8"), name).report.to_flat().items() if k.startswith("t3.")}
    want = {k: v for k, v in mm.HUAIAN.items() if k.startswith("t3.")}
    return {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}


HEAD = [mm.TITLE, "", "## 一、总体情况", mm.S1, "", "## 三、收到和处理政府信息公开申请情况", ""]
TAIL = ["", "## 四、政府信息公开行政复议、行政诉讼情况", "", "## 六、其他需要报告的事项", mm.S6]
HEADER = [
    mm.pipe(["申请人情况", "自然人", "法人或其他组织", "", "", "", "", "总计"]),
    mm.rule(8),
    mm.pipe(["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]),
]


def _label(label: str, opens: str | None) -> str:
    return f"{opens} {label}" if opens else label


def test_labels_in_one_table_and_numbers_in_another() -> None:
    labels = [mm.pipe(["项目"]), mm.rule(1), *(mm.pipe([_label(lb, o)]) for _r, lb, o in mm.T3_ROWS)]
    numbers = [mm.pipe(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]), mm.rule(7)]
    numbers += [mm.pipe(mm.values(mm.HUAIAN, r)) for r, _lb, _o in mm.T3_ROWS]
    assert _t3_diff("split.md", "\n".join([*HEAD, *labels, "", *numbers, *TAIL])) == {}


def test_rows_shifted_by_a_cell_under_their_header() -> None:
    rows = []
    for k, (r, lb, o) in enumerate(mm.T3_ROWS):
        cells = [_label(lb, o), *mm.values(mm.HUAIAN, r)]
        rows.append(mm.pipe(["", *cells] if k % 4 == 1 else cells))
    assert _t3_diff("shifted.md", "\n".join([*HEAD, *HEADER, *rows, *TAIL])) == {}


def test_a_table_under_the_wrong_heading() -> None:
    rows = [mm.pipe([_label(lb, o), *mm.values(mm.HUAIAN, r)]) for r, lb, o in mm.T3_ROWS]
    text = "\n".join([*HEAD, "## 四、政府信息公开行政复议、行政诉讼情况", "", *HEADER, *rows, "", "## 六、其他需要报告的事项", mm.S6])
    assert _t3_diff("wrong-heading.md", text) == {}


def test_a_page_glued_without_any_space_reads_what_the_totals_decide() -> None:
    parts = [mm.TITLE, mm.PREFACE, "一、总体情况", mm.S1, "三、收到和处理政府信息公开申请情况"]
    parts += [f"{o or ''}{lb}{''.join(mm.values(mm.HUAIAN, r))}" for r, lb, o in mm.T3_ROWS]
    parts += ["四、政府信息公开行政复议、行政诉讼情况", "六、其他需要报告的事项", mm.S6]
    result = read_bytes("".join(parts).encode("utf-8"), "glued.txt")
    diff = _t3_diff("glued.txt", "".join(parts))
    # 11 0 0 0 0 0 11 glued is also 1 10 0 0 0 0 11: that row alone is left unread, and said.
    assert {k.rsplit(".", 1)[0] for k in diff} == {"t3.unavailable.needs_creation"}
    assert all(got is None for got, _want in diff.values())
    assert any("110000011" in n and "有多种拆法" in n for n in result.notes)


def test_a_portal_page_whose_report_is_one_paragraph() -> None:
    import html

    text = (OWN / "huaian-portal.txt").read_text(encoding="utf-8")
    page = (
        "<html><head><meta charset='utf-8'><title>年报</title></head><body><div class='nav'>首页 > 信息公开</div>"
        f"<div class='article'><p>{html.escape(text)}</p></div></body></html>"
    )
    r = read_bytes(page.encode("utf-8"), "portal.html").report
    got = {k: v for k, v in r.to_flat().items() if k.startswith(("t2.", "t3.", "t4.", "s6.fee."))}
    assert got == expected("huaian-portal.txt")
    assert r.sections.s5 and r.sections.s5.startswith("对照上级新要求")
