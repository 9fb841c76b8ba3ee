"""The real reports in the fixtures, read exactly: every cell, the metadata and the section texts.

The expected cell maps (``fixtures/expected``) were typed by hand from the documents. PDFs are read
twice: from their ruling lines (the importer's choice) and from their printed lines alone, so that
the text reader (vertical labels, values printed before their labels, glyph spacing) is held to
the same standard.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assistant.importing import ImportResult, read_bytes, read_document
from assistant.importing.assemble import assemble
from assistant.model import Report
from assistant.reading.document import Grid, Line
from assistant.reading.pdf import read_pdf
from assistant.textnorm import clean_text
from assistant.validator import validate
from tests.helpers import FIXTURES, assert_finding, failed, flat_fixture

REAL = FIXTURES / "real"
PDFS = ("huaian-city-2024", "hongze-district-2023", "hongze-district-2024")


@cache
def imported(name: str) -> ImportResult:
    return read_document(REAL / name)


@cache
def text_only(stem: str) -> Report:
    """A PDF read from its printed lines only, as if it had no ruling lines."""
    doc = read_pdf((REAL / f"{stem}.pdf").read_bytes(), f"{stem}.pdf")
    doc.load_grids = None
    return assemble(doc, f"{stem}.pdf", "pdf")[0]


@cache
def grid_only(stem: str) -> tuple[Report, dict[str, str]]:
    """A PDF's tables read from its ruling lines only (the printed lines inside tables left out)."""
    doc = read_pdf((REAL / f"{stem}.pdf").read_bytes(), f"{stem}.pdf")
    assert doc.load_grids is not None
    doc = doc.load_grids()
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Line) and b.in_table)]
    assert any(isinstance(b, Grid) for b in doc.blocks)
    report, _notes, provenance = assemble(doc, f"{stem}.pdf", "pdf")
    return report, provenance


def expected(stem: str) -> Report:
    return Report.from_flat(flat_fixture(stem))


def _cell_diff(got: Report, want: Report) -> dict[str, tuple[object, object]]:
    keys = set(got.cells) | set(want.cells)
    return {k: (got.cells.get(k), want.cells.get(k)) for k in sorted(keys) if got.cells.get(k) != want.cells.get(k)}


@pytest.mark.parametrize("stem", PDFS)
def test_every_cell_of_each_pdf_is_read_exactly(stem: str) -> None:
    got = imported(f"{stem}.pdf").report
    assert _cell_diff(got, expected(stem)) == {}
    assert got.source is not None and got.source.format == "pdf"
    assert got.source.blank_cells == [] and got.source.invalid_cells == {}


@pytest.mark.parametrize("stem", PDFS)
def test_the_printed_lines_alone_give_the_same_cells(stem: str) -> None:
    assert _cell_diff(text_only(stem), expected(stem)) == {}


@pytest.mark.parametrize("stem", PDFS)
def test_the_ruling_lines_alone_give_the_same_cells(stem: str) -> None:
    assert _cell_diff(grid_only(stem)[0], expected(stem)) == {}


def test_every_cell_of_the_flattened_docx_text_is_read_exactly() -> None:
    got = imported("ziqiang-street-2024.txt").report
    assert _cell_diff(got, expected("ziqiang-street-2024")) == {}


@pytest.mark.parametrize("stem", [*PDFS, "ziqiang-street-2024"])
def test_metadata_is_read_as_typed(stem: str) -> None:
    name = f"{stem}.txt" if stem.startswith("ziqiang") else f"{stem}.pdf"
    got = imported(name).report.to_flat()
    want = {k: v for k, v in flat_fixture(stem).items() if k.startswith("meta.")}
    assert {k: got.get(k) for k in want} == want
    # A contact detail the document does not give stays unknown.
    assert set(k for k in got if k.startswith("meta.contact.")) == set(k for k in want if k.startswith("meta.contact."))


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("huaian-city-2024.pdf", "淮安市人民政府2024年政府信息公开工作年度报告"),
        ("hongze-district-2023.pdf", "洪泽区人民政府2023年政府信息公开工作年度报告"),
        ("hongze-district-2024.pdf", "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"),
        ("ziqiang-street-2024.txt", "2024年南关区自强街道政府信息公开工作年度报告"),
    ],
)
def test_title_is_joined_onto_one_line(name: str, title: str) -> None:
    assert imported(name).report.meta.title == title


def test_agency_is_the_fullest_name_the_document_gives_for_the_body_itself() -> None:
    # The title names a place ("南关区自强街道"); the preface names the office itself, once as
    # "南关区自强街道办事处" and once as "长春市南关区自强街道办事处": the fullest name is taken.
    assert imported("ziqiang-street-2024.txt").report.meta.agency == "长春市南关区自强街道办事处"
    # A title that already names a body is kept as written, although the preface names the
    # body's office with the city in front ("淮安市洪泽区人民政府办公室"): that is another body.
    assert imported("hongze-district-2023.pdf").report.meta.agency == "洪泽区人民政府"
    assert imported("hongze-district-2024.pdf").report.meta.agency == "淮安市洪泽区人民政府"


def test_section_texts_of_the_flattened_docx() -> None:
    got = imported("ziqiang-street-2024.txt").report
    want = flat_fixture("ziqiang-street-2024")
    for sid in ("preface", "s2", "s3", "s4", "s5", "s6"):
        assert got.value(sid) == want[sid], sid
    # The source has "（1） [bookmark: OLE_LINK2]组织推动…": the typed s1 keeps the space before the
    # bookmark; a cleaned text (textnorm.clean_text, as decided for sections) has no space there.
    assert got.sections.s1 == clean_text(want["s1"]) and want["s1"] != clean_text(want["s1"])
    assert "（1）组织推动政府信息公开工作。" in (got.sections.s1 or "")
    assert "[bookmark" not in (got.sections.s1 or "")


def test_pdf_section_texts_are_clean_paragraphs() -> None:
    r = imported("hongze-district-2023.pdf").report
    assert r.sections.preface == (
        "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）（以下简称《条例》）"
        "要求编制此报告。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。如对本报告有疑问，"
        "请与淮安市洪泽区人民政府办公室联系（地址：淮安市洪泽区洪泽湖大道90号，邮编：223100，电话：0517-87222589，"
        "电子邮箱：hzzwgk@126.com）。"
    )
    s1 = (r.sections.s1 or "").split("\n")
    assert s1[1] == "（一）主动公开情况。主要通过政府门户网站主动公开政府文件、项目审批、通知公告等各类政府信息。2023年，我区在政府网站平台主动公开政府信息1136条。"
    assert s1[3] == "（三）政府信息管理情况。"  # a line of its own in the PDF, and a paragraph of its own
    assert s1[4].startswith("加强区政府门户网站及政务新媒体日常管理") and s1[4].endswith("未经审核的信息一律不准发布。")
    assert (r.sections.s2, r.sections.s3, r.sections.s4) == ("", "", "")
    assert r.sections.s6 == "2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。"
    for sid in ("preface", "s1", "s5", "s6"):
        text = r.section_text(sid) or ""
        assert " " not in text and "- 4 -" not in text, sid  # no glyph spacing, no page numbers


def test_huaian_paragraphs_across_a_page_break_are_one() -> None:
    s1 = (imported("huaian-city-2024.pdf").report.sections.s1 or "").split("\n")
    first = next(p for p in s1 if p.startswith("（一）主动公开情况"))
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in first  # page 1 → page 2
    assert len(s1) == 6
    s5 = (imported("huaian-city-2024.pdf").report.sections.s5 or "").split("\n")
    assert len(s5) == 2 and s5[1].startswith("针对存在问题，下一步，我市将着力加强政策解读质效")


def test_fee_cells_come_from_section_six() -> None:
    assert imported("huaian-city-2024.pdf").report.get("s6.fee.collected") == 3940
    hongze = imported("hongze-district-2023.pdf").report
    assert hongze.get("s6.fee.collected") == 0
    assert hongze.get("s6.fee.notices") is None  # not stated, so unknown
    ziqiang = imported("ziqiang-street-2024.txt").report
    assert [ziqiang.get(c) for c in ("s6.fee.notices", "s6.fee.notice_amount", "s6.fee.collected")] == [0, 0, 0]


def test_the_old_single_row_other_processing_is_mixed_form() -> None:
    result = imported("hongze-district-2023.pdf")
    r = result.report
    assert r.source is not None and r.source.template == "mixed"
    assert r.source.template_notes == ["表三“（六）其他处理”为2019年版的单行，未按2021年版分为3项"]
    assert all(r.get(f"t3.other.{row}.{col}") == 0 for row in ("no_correction", "unpaid_fee") for col in ("natural", "total"))
    assert any("“（六）其他处理”只有一行" in n for n in result.notes)
    assert "按0计" in result.provenance["t3.other.no_correction.natural"]
    assert_finding(r, "TEMPLATE-VERSION", "mixed", fmt={"notes": r.source.template_notes[0]})
    assert imported("huaian-city-2024.pdf").report.source.template == "2021"  # type: ignore[union-attr]


def test_the_reports_own_arithmetic_errors_are_findings_not_fixed() -> None:
    r = imported("hongze-district-2023.pdf").report
    assert r.get("t4.review.total") == 0  # printed 0 while 10 + 1 + 0 + 0 = 11
    f = assert_finding(r, "T4-TOTAL", cells=["t4.review.total"], expected=11)
    assert f.fix is not None
    assert failed(validate(r), "T3-BALANCE") == [] and failed(validate(r), "T3-PROCESSED-SUM") == []


def test_huaian_is_consistent_once_imported() -> None:
    r = imported("huaian-city-2024.pdf").report
    for rule in ("T3-ROW-TOTAL", "T3-PROCESSED-SUM", "T3-BALANCE", "T4-TOTAL", "TEXT-TABLE", "TEMPLATE-VERSION", "YEAR"):
        assert failed(validate(r), rule) == [], rule


def test_provenance_names_page_row_and_column() -> None:
    _report, grid = grid_only("huaian-city-2024")
    assert grid["t3.granted.natural"] == "第4页表格2第6行 表三“予以公开”行 自然人列"
    assert grid["t3.unavailable.needs_creation.total"].startswith("第5页表格1第1行 表三“没有现成信息需要另行制作”行")
    assert grid["t2.fees.amount"].startswith("第4页表格1") and "行政事业性收费" in grid["t2.fees.amount"]
    assert grid["t4.suit_after_review.pending"].startswith("第5页表格2") and "复议后起诉·尚未审结" in grid["t4.suit_after_review.pending"]
    prov = imported("huaian-city-2024.pdf").provenance
    assert prov["t3.granted.natural"] == "第4页 表三“予以公开”行 自然人列"
    assert prov["t3.unavailable.needs_creation.total"] == "第5页 表三“没有现成信息需要另行制作”行 总计列"
    assert prov["s6.fee.collected"] == "第六部分：“收取政府信息公开信息处理费3940元”"
    assert prov["meta.contact.email"] == "前言"
    text_prov = imported("ziqiang-street-2024.txt").provenance
    assert text_prov["t3.refused.duplicate.legal"] == "第260行 表三“重复申请”行 法律服务机构列"


def test_text_extracted_from_a_pdf_page_reads_what_it_holds() -> None:
    """Part of 淮安's pages 4–5 as a PDF extractor wrote it: page marker, vertical labels split
    over lines, a label wrapped around its numbers. What is there is read exactly; what is not
    stays unknown."""
    result = imported("huaian-city-2024-section3-pdftext.txt")
    got = result.report
    want = expected("huaian-city-2024")
    rows = ["new", "carried_over", "granted", "partial", "unavailable.not_held"]
    rows += [f"denied.{r}" for r in ("state_secret", "law_prohibited", "security", "third_party", "internal", "process", "enforcement", "query")]
    cols = ("natural", "commercial", "research", "social", "legal", "other", "total")
    present = {f"t3.{r}.{c}" for r in rows for c in cols} | {"t2.penalty.decisions", "t2.coercion.decisions", "t2.fees.amount"}
    assert set(got.cells) == present
    assert all(got.cells[k] == want.cells[k] for k in present)
    assert got.meta.year is None and got.sections.preface is None
    assert any("表四" in n and "未找到" in n for n in result.notes)


def test_bytes_and_paths_read_the_same() -> None:
    path = REAL / "hongze-district-2024.pdf"
    by_bytes = read_bytes(path.read_bytes(), path.name).report
    assert by_bytes == imported("hongze-district-2024.pdf").report


def test_cross_year_pair_validates_from_the_pdfs(tmp_path: Path) -> None:
    this = imported("hongze-district-2024.pdf").report
    last = imported("hongze-district-2023.pdf").report
    findings = validate(this, last)
    assert failed(findings, "CARRY-OVER") == []  # 0 carried forward, 0 carried over
    # 5 in force + 3 issued − 0 repealed = 8: the 2024 report is continuous with 2023's.
    assert failed(findings, "IN-FORCE-CONTINUITY") == []
    assert failed(findings, "PROBLEMS-COPIED")  # section 五 repeats much of 2023's
    # The narrative says 17 applications, the table 95.
    assert any("17" in f.message for f in failed(findings, "TEXT-TABLE"))
