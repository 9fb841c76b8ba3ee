"""The .docx export: page, fonts in the eastAsia slot, tables, notice, blocking, files."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle

from assistant.errors import UnsupportedFormat
from assistant.exporting import ExportBlocked, OutputError, export_bytes, export_file, suggested_filename
from assistant.model import Report, SubPart
from assistant.validator import validate
from tests.helpers import flat_fixture, ziqiang


def _huaian() -> Report:
    return Report.from_flat(flat_fixture("huaian-city-2024"))


def _open(report: Report, *, force: bool = False) -> DocxDocument:
    return Document(io.BytesIO(export_bytes(report, "docx", force=force)))


def _east_asia(style: BaseStyle) -> str | None:
    rpr = style.element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_official_margins() -> None:
    section = _open(ziqiang()).sections[0]
    assert (section.page_width, section.page_height) == (11906 * 635, 16838 * 635)  # EMU
    assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26


def test_fonts_are_set_in_the_east_asia_slot() -> None:
    doc = _open(ziqiang())
    styles = {s.style_id: s for s in doc.styles}
    assert _east_asia(styles["Title"]) == "方正小标宋简体"
    assert _east_asia(styles["Heading1"]) == "黑体"
    assert _east_asia(styles["Normal"]) == "仿宋_GB2312"
    assert _east_asia(styles["TableText"]) == "宋体"
    assert doc.paragraphs[0].style.style_id == "Title"
    assert doc.paragraphs[0].text == "2024年南关区自强街道\n政府信息公开工作年度报告"
    assert next(p.text for p in doc.paragraphs if p.style.style_id == "Heading1") == "一、总体情况"
    sizes = {sid: styles[sid].font.size.pt for sid in ("Title", "Heading1", "Normal", "TableText")}
    assert sizes == {"Title": 22, "Heading1": 16, "Normal": 16, "TableText": 10}


def test_font_table_names_fallbacks_for_the_gb2312_fonts() -> None:
    doc = _open(ziqiang())
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    xml = part.blob.decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert f'w:name="{name}"><w:altName w:val="{alt}"/>' in xml


def test_s1_sub_part_titles_lead_their_paragraph_in_kaiti() -> None:
    report = ziqiang().with_values({"s1": [SubPart(title="（一）主动公开情况。", text="本年主动公开信息310条。")]})
    doc = _open(report)
    p = next(p for p in doc.paragraphs if p.text.startswith("（一）主动公开情况。"))
    assert p.text == "（一）主动公开情况。本年主动公开信息310条。"
    lead = p.runs[0]._r.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert lead.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert p.runs[1]._r.find(qn("w:rPr")) is None  # the body font of the style


def test_tables_have_grid_widths_header_rows_and_centred_numbers() -> None:
    doc = _open(_huaian(), force=True)
    assert len(doc.tables) == 3
    for table, header_rows in zip(doc.tables, (0, 3, 3), strict=True):
        tbl = table._tbl
        grid = [int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))]
        assert all(w > 0 for w in grid)
        for tr in tbl.findall(qn("w:tr")):
            widths = [int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.findall(qn("w:tc"))]
            assert sum(widths) == sum(grid)
        repeated = [tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for tr in tbl.findall(qn("w:tr"))]
        assert repeated == [True] * header_rows + [False] * (len(repeated) - header_rows)
    t3 = doc.tables[1]._tbl
    first_value = t3.findall(qn("w:tr"))[3].findall(qn("w:tc"))[1]
    assert first_value.xpath("string(.)") == "3001"
    ppr = first_value.find(qn("w:p")).find(qn("w:pPr"))
    assert ppr.find(qn("w:jc")) is None and ppr.find(qn("w:pStyle")).get(qn("w:val")) == "TableText"
    styles = {s.style_id: s for s in doc.styles}
    assert styles["TableText"].paragraph_format.alignment == 1  # centred


def test_money_and_unknown_cells() -> None:
    report = _huaian().with_values({"t3.new.legal": None, "t2.fees.amount": Decimal("7730.28")})
    doc = _open(report, force=True)
    t2 = doc.tables[0]._tbl
    assert t2.findall(qn("w:tr"))[13].xpath("string(.)") == "行政事业性收费7730.28"
    new_row = [tc.xpath("string(.)") for tc in doc.tables[1]._tbl.findall(qn("w:tr"))[3].findall(qn("w:tc"))]
    assert new_row == ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "", "4", "3119"]


def test_forced_export_puts_a_red_notice_before_the_title() -> None:
    doc = _open(_huaian(), force=True)
    first = doc.paragraphs[0]
    assert first.text == "本稿尚有3处错误未解决，仅供内部核对，请勿直接公开。"
    style = {s.style_id: s for s in doc.styles}[first.style.style_id]
    assert str(style.font.color.rgb) == "C00000"
    assert doc.paragraphs[1].style.style_id == "Title"


def test_clean_report_exports_without_notice() -> None:
    doc = _open(ziqiang())
    assert not any("本稿尚有" in p.text for p in doc.paragraphs)
    assert doc.core_properties.title == "2024年南关区自强街道政府信息公开工作年度报告"
    assert doc.core_properties.author == ""


def test_errors_block_the_export_unless_forced() -> None:
    with pytest.raises(ExportBlocked) as e:
        export_bytes(_huaian(), "docx")
    assert e.value.exit_code == 1
    assert e.value.message.startswith("本稿尚有3处错误未解决，未导出：")
    assert "[SECTIONS-COMPLETE] 缺少“一、总体情况”部分。" in e.value.message
    assert len(e.value.errors) == 3
    for fmt in ("html", "md"):
        with pytest.raises(ExportBlocked):
            export_bytes(_huaian(), fmt)


def test_blocked_message_lists_only_the_first_findings() -> None:
    report = Report.from_flat(flat_fixture("hongze-district-2023"))
    with pytest.raises(ExportBlocked) as e:
        export_bytes(report, "docx")
    assert "……另有" not in e.value.message  # 5 errors: all shown
    worse = report.with_values({"t3.new.natural": 999, "t3.new.commercial": 999})
    with pytest.raises(ExportBlocked) as e:
        export_bytes(worse, "docx")
    assert e.value.message.count("\n  [") == 5 and "……另有" in e.value.message


def test_warnings_do_not_block() -> None:
    report = ziqiang().with_values({"s5": ziqiang().section_text("s5") + "本年收到政府信息公开申请7件。"})
    assert [(f.rule, f.severity) for f in validate(report)] == [("TEXT-TABLE", "warning")]
    doc = _open(report)
    assert not any("本稿尚有" in p.text for p in doc.paragraphs)


def test_json_export_is_the_project_json_and_never_blocked() -> None:
    report = _huaian()
    data = export_bytes(report, "json")
    assert data.decode("utf-8") == report.model_dump_json(indent=2)
    assert Report.model_validate_json(data) == report


def test_export_file_writes_by_extension_and_keeps_an_old_file_when_refused(tmp_path: Path) -> None:
    out = export_file(ziqiang(), tmp_path / "报告.DOCX")
    assert out.read_bytes()[:2] == b"PK"
    old = tmp_path / "old.docx"
    old.write_bytes(b"previous export")
    with pytest.raises(ExportBlocked):
        export_file(_huaian(), old)
    assert old.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.docx", "报告.DOCX"]  # no temporary left
    export_file(_huaian(), old, force=True)
    assert old.read_bytes()[:2] == b"PK"
    assert (tmp_path / "r.htm").exists() is False
    export_file(ziqiang(), tmp_path / "r.htm")
    assert (tmp_path / "r.htm").read_bytes().startswith(b"<!DOCTYPE html>")


def test_export_file_rejects_unknown_formats_and_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match=r"无法导出为“\.pdf”格式"):
        export_file(ziqiang(), tmp_path / "r.pdf")
    with pytest.raises(OutputError, match=r"文件夹.*不存在"):
        export_file(ziqiang(), tmp_path / "missing" / "r.docx")
    (tmp_path / "dir.docx").mkdir()
    with pytest.raises(OutputError, match="这是一个文件夹"):
        export_file(ziqiang(), tmp_path / "dir.docx")
    with pytest.raises(UnsupportedFormat):
        export_bytes(ziqiang(), "pdf")


def test_control_characters_and_odd_line_breaks_do_not_break_the_files() -> None:
    report = ziqiang().with_values(
        {
            "meta.title": "标题\x0b第二行\x00",
            "s5": "问题一\r\n问题二\x01\r问题三\u2028问题四\ud800",
            "s6": "收费\x0c0元",
        }
    )
    doc = _open(report)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "标题第二行"
    start = texts.index("五、存在的主要问题及改进情况")
    assert texts[start + 1 : start + 5] == ["问题一", "问题二", "问题三", "问题四"]
    assert texts[start + 6 : start + 8] == ["收费", "0元"]
    for fmt in ("html", "md"):
        assert "问题四" in export_bytes(report, fmt).decode("utf-8")


def test_suggested_filename_is_the_title_made_safe() -> None:
    assert suggested_filename(ziqiang(), "docx") == "2024年南关区自强街道政府信息公开工作年度报告.docx"
    assert suggested_filename(Report().with_values({"meta.title": 'a/b: "报告" 2024?'}), "md") == "ab报告2024.md"
