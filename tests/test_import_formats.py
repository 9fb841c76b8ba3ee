"""The importer's own hard cases, one per reader (``fixtures/import``, made by ``make_fixtures.py``).

Each document's expected cell map was written from the numbers the document was made of; blank
cells ("", "/", "—", &nbsp;) must be read as 0 and listed for rule BLANK-NOT-ZERO.
"""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from assistant.cells import T3_COLUMNS, T3_ROWS
from assistant.cli import main
from assistant.errors import InputError
from assistant.importing import ImportResult, read_bytes, read_document
from assistant.importing.assemble import assemble
from assistant.model import Report
from assistant.reading.document import Document
from assistant.reading.pdf import read_pdf
from assistant.validator import validate
from tests.helpers import FIXTURES, assert_finding, failed

OWN = FIXTURES / "import"
CASES = (
    "filled-template-2021.docx",
    "filled-template-2021.pdf",
    "word-like.docx",
    "portal-utf8.html",
    "portal-gbk.html",
    "traditional-mirror.html",
    "edition-2019-2022.txt",
)


@cache
def imported(name: str) -> ImportResult:
    if name == "template-blank":
        return read_document(FIXTURES / "real" / "template-2021-blank.docx")
    return read_document(OWN / name)


def expected(name: str) -> tuple[Report, list[str]]:
    data: dict[str, Any] = json.loads((OWN / f"{name.rsplit('.', 1)[0]}.expected.json").read_text(encoding="utf-8"))
    blank = data.pop("__blank_cells__")
    return Report.from_flat(data), blank


@pytest.mark.parametrize("name", CASES)
def test_every_cell_is_read_exactly(name: str) -> None:
    got = imported(name).report
    want, _blank = expected(name)
    diff = {k: (got.cells.get(k), want.cells.get(k)) for k in set(got.cells) | set(want.cells) if got.cells.get(k) != want.cells.get(k)}
    assert diff == {}


@pytest.mark.parametrize("name", CASES)
def test_blank_cells_are_zero_and_listed(name: str) -> None:
    got = imported(name).report
    _want, blank = expected(name)
    assert got.source is not None
    assert sorted(got.source.blank_cells) == blank
    assert all(got.get(c) == 0 for c in blank)
    assert got.source.invalid_cells == {}
    if blank:
        assert_finding(got, "BLANK-NOT-ZERO", cells=blank[:3])
        assert any(f"有{len(blank)}个单元格为空白" in n for n in imported(name).notes)


@pytest.mark.parametrize("name", CASES)
def test_metadata_and_sections(name: str) -> None:
    got = imported(name).report.to_flat()
    want, _blank = expected(name)
    for key, value in want.to_flat().items():
        if not key.startswith(("t2.", "t3.", "t4.", "s6.fee.")):
            assert got.get(key) == value, key


def test_filled_template_keeps_its_wps_markup_and_reads_blanks() -> None:
    with zipfile.ZipFile(OWN / "filled-template-2021.docx") as zf:
        xml = zf.read("word/document.xml")
    assert b"http://www.wps.cn/officeDocument/2013/wpsCustomData" in xml and b'w:val="continue"' in xml
    r = imported("filled-template-2021.docx").report
    assert r.get("t2.rules.in_force") == 0 and "t2.rules.in_force" in r.source.blank_cells  # type: ignore[union-attr]
    assert r.get("t3.new.research") == 0  # the column was left empty
    assert (r.get("s6.fee.notices"), r.get("s6.fee.notice_amount"), r.get("s6.fee.collected")) == (2, None, 300)
    for rule in ("T3-ROW-TOTAL", "T3-PROCESSED-SUM", "T3-BALANCE", "T4-TOTAL", "TEMPLATE-VERSION"):
        assert failed(validate(r), rule) == [], rule


def test_pdf_exported_from_word_needs_its_ruling_lines() -> None:
    """Blank cells print nothing: a row shows 6 numbers for 7 columns, and only the table's ruling
    lines say which column is empty. The printed lines are tried first; they are not enough."""
    data = (OWN / "filled-template-2021.pdf").read_bytes()
    doc = read_pdf(data, "x.pdf")
    doc.load_grids = None
    lines_only = assemble(doc, "x.pdf", "pdf")[0]
    assert lines_only.get("t3.new.natural") is None and lines_only.get("t3.new.total") is None
    r = imported("filled-template-2021.pdf").report
    assert r.get("t3.new.research") == 0 and "t3.new.research" in r.source.blank_cells  # type: ignore[union-attr]
    assert r.get("t3.new.total") == 49


def test_when_the_ruling_lines_cannot_be_read_the_printed_lines_are_kept() -> None:
    doc = read_pdf((OWN / "filled-template-2021.pdf").read_bytes(), "x.pdf")

    def broken() -> Document:
        raise InputError("文件“x.pdf”的表格部分已损坏，无法读取。")

    doc.load_grids = broken
    report, notes, _prov = assemble(doc, "x.pdf", "pdf")
    assert report.get("t2.normative.in_force") == 25  # what the printed lines give is kept
    assert any("表格框线未能读取" in n for n in notes)


def test_every_format_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    for name in CASES:
        assert main(["cells", str(OWN / name)]) == 0, name
        assert json.loads(capsys.readouterr().out) == imported(name).report.to_flat(), name
    real = FIXTURES / "real"
    code = main(["validate", str(real / "hongze-district-2024.pdf"), "--previous", str(real / "hongze-district-2023.pdf"), "--json"])
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"] if f["status"] == "failed"}
    # warnings only: the single （六） row of a mixed form is read and flagged, not an error (issue 13)
    assert code == 0 and {"PROBLEMS-COPIED", "TEXT-TABLE", "TEMPLATE-VERSION"} <= rules


def test_template_placeholders_read_as_empty_sections() -> None:
    result = imported("template-blank")
    r = result.report
    assert (r.sections.s5, r.sections.s6) == ("", "")
    assert any("（文字描述）" in n for n in result.notes)
    assert r.cells == {}  # an empty table is not a table of zeros
    assert any("表三全部空白" in n for n in result.notes)


def test_word_like_document_other_merges_and_column_order() -> None:
    result = imported("word-like.docx")
    r = result.report
    # 合计 is the first value column and the label area is two columns wide: read by the header.
    assert r.get("t3.new.total") == 30 and r.get("t3.new.natural") == 18
    assert r.get("t3.denied.law_prohibited.natural") == 1  # "2、其他法律行政止公开"
    assert r.get("t2.fees.amount") == 0  # "行政事业性收费（万元）", no header row of its own
    # Table 4 is three rows of five, groups named in the rows.
    assert [r.get(f"t4.suit_direct.{c}") for c in ("upheld", "corrected", "other", "pending", "total")] == [0, 1, 0, 1, 2]
    assert "已删除" not in (r.sections.s1 or "")  # a tracked deletion is not text
    assert r.sections.s6 == "本机关未收取信息处理费。"  # the signature and date after it are not section text
    assert result.provenance["t3.new.natural"] == "表格2第3行 表三“本年新收政府信息公开申请数量”行 自然人列"


def test_portal_page_chrome_is_left_out() -> None:
    result = imported("portal-utf8.html")
    r = result.report
    text = "\n".join(r.section_text(s) or "" for s in ("preface", "s1", "s2", "s3", "s4", "s5", "s6"))
    for chrome in ("打印本页", "关闭窗口", "发布时间", "相关阅读", "当前位置", "主办单位", "网站标识码", "首页"):
        assert chrome not in text
    # The sidebar links last year's report; the title is the article's.
    assert r.meta.title == "江北区人民政府2023年政府信息公开工作年度报告"
    assert result.provenance["t3.granted.natural"].startswith("表格2第6行 表三“予以公开”行")


def test_gbk_page_with_units_in_cells() -> None:
    result = imported("portal-gbk.html")
    assert "网页编码为GB18030，已自动识别。" in result.notes
    r = result.report
    assert r.get("t2.fees.amount") == Decimal("25.1")  # printed "251000元" in a 万元 column
    assert [r.get(f"t4.suit_direct.{c}") for c in ("upheld", "total")] == [0, 0]


def test_traditional_mirror_page_is_read_in_simplified() -> None:
    r = imported("traditional-mirror.html").report
    assert r.meta.agency == "临江市人民政府"
    assert "结转" not in (r.sections.s1 or "") and "政府信息公开申请" in (r.sections.s1 or "")
    assert r.get("t2.rules.in_force") == 12 and r.get("t3.carried_forward.total") == 3


def test_2019_edition_is_recognised_and_flagged() -> None:
    result = imported("edition-2019-2022.txt")
    r = result.report
    assert r.source is not None and r.source.template == "2019"
    assert any("对外公开总数量" in n for n in r.source.template_notes)
    # 2019 columns do not map: 规章/规范性文件 and 行政事业性收费 stay unknown, 处理决定数量 maps.
    for cid in ("t2.rules.issued", "t2.rules.in_force", "t2.normative.in_force", "t2.fees.amount"):
        assert r.get(cid) is None, cid
    assert (r.get("t2.license.decisions"), r.get("t2.penalty.decisions")) == (350, 41)
    notes = "\n".join(result.notes)
    assert "“对外公开总数量”不是“现行有效件数”" in notes
    assert "其他对外管理服务事项" in notes and "政府集中采购" in notes
    assert r.get("t3.other.other.natural") == 2 and r.get("t3.other.no_correction.natural") == 0
    f = assert_finding(r, "TEMPLATE-VERSION", "old", fmt={"year": 2022, "notes": "；".join(r.source.template_notes)})
    assert f.severity == "error"


def test_2019_edition_before_2021_is_not_an_error() -> None:
    data = (OWN / "edition-2019-2022.txt").read_text(encoding="utf-8").replace("2022", "2020")
    r = read_bytes(data.encode("utf-8"), "edition-2019-2020.txt").report
    assert r.meta.year == 2020 and r.source is not None and r.source.template == "2019"
    assert failed(validate(r), "TEMPLATE-VERSION") == []


def test_content_decides_the_format_and_says_so() -> None:
    html = (OWN / "portal-gbk.html").read_bytes()
    result = read_bytes(html, "青山区年报.docx")
    assert result.report.source is not None and result.report.source.format == "html"
    assert "文件“青山区年报.docx”的扩展名是.docx，但内容是网页，已按网页读取。" in result.notes
    docx = (OWN / "word-like.docx").read_bytes()
    assert read_bytes(docx, "report.pdf").report.cells == imported("word-like.docx").report.cells


def _markdown(printed: dict[str, str] | None = None) -> str:
    want, _ = expected("portal-utf8.html")
    printed = printed or {}
    cols = [c.id for c in T3_COLUMNS]
    header = "| 项目 | " + " | ".join(c.label for c in T3_COLUMNS) + " |"
    rows = [header, "|" + "---|" * (len(cols) + 1)]
    for row in T3_ROWS:
        label = row.number + row.label if row.number.startswith(("一", "二", "四", "（")) else f"{row.number}{row.label}"
        values = " | ".join(printed.get(f"t3.{row.id}.{c}", str(want.get(f"t3.{row.id}.{c}"))) for c in cols)
        rows.append(f"| {label} | {values} |")
    return "\n".join(
        [
            "# 江北区人民政府2023年政府信息公开工作年度报告",
            "",
            "本报告统计期限自2023年1月1日起至2023年12月31日止。",
            "",
            "## 一、总体情况",
            "",
            "**2023年**，全区主动公开政府信息5120条。",
            "",
            "## 三、收到和处理政府信息公开申请情况",
            "",
            *rows,
            "",
            "## 六、其他需要报告的事项",
            "",
            "本年度未收取信息处理费。",
        ]
    )


def test_markdown_with_a_pipe_table() -> None:
    result = read_bytes(_markdown().encode("utf-8"), "report.md")
    r = result.report
    want, _ = expected("portal-utf8.html")
    t3 = {k: v for k, v in want.cells.items() if k.startswith("t3.")}
    assert {k: v for k, v in r.cells.items() if k.startswith("t3.")} == t3
    assert r.meta.title == "江北区人民政府2023年政府信息公开工作年度报告" and r.meta.year == 2023
    assert r.sections.s1 == "2023年，全区主动公开政府信息5120条。"
    assert r.source is not None and r.source.format == "markdown"


def test_text_that_is_not_a_number_is_kept_for_the_validator() -> None:
    md = _markdown({"t3.new.natural": "不详", "t3.granted.commercial": "-2", "t3.partial.natural": "十"})
    result = read_bytes(md.encode("utf-8"), "report.md")
    r = result.report
    assert r.source is not None and r.source.invalid_cells == {"t3.new.natural": "不详", "t3.granted.commercial": "-2"}
    assert r.get("t3.new.natural") is None and r.get("t3.partial.natural") == 10  # Chinese numerals are numbers
    assert_finding(r, "CELL-VALUE", cells=["t3.new.natural"])
    assert any("在原文中为“不详”，不是有效的数字" in n for n in result.notes)


def test_project_json_and_flat_map_through_read_bytes() -> None:
    report = imported("portal-utf8.html").report
    again = read_bytes(report.model_dump_json().encode("utf-8"), "draft.json").report
    assert again == report
    flat = json.dumps({"t3.new.natural": "12", "meta.year": 2025}, ensure_ascii=False).encode("utf-8")
    assert read_bytes(flat, "cells.json").report.get("t3.new.natural") == 12
