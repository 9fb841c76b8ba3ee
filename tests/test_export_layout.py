"""The format-neutral layout: grids built from the registry, title, preface, section paragraphs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant import cells as reg
from assistant.exporting import layout
from assistant.exporting.layout import Grid, GridCell
from assistant.model import Report, SubPart
from tests.helpers import flat_fixture, ziqiang


def _grids(report: Report) -> list[Grid]:
    return [layout.table2(report), layout.table3(report), layout.table4(report)]


def test_every_table_cell_is_printed_exactly_once() -> None:
    ids = [gc.cell for g in _grids(ziqiang()) for row in g.rows for gc in row if gc.kind == "value"]
    table_cells = [c for c in reg.CELLS if c.startswith(("t2.", "t3.", "t4."))]
    assert sorted(map(str, ids)) == sorted(table_cells)
    assert len(ids) == len(set(ids)) == 200


def test_fee_cells_are_not_a_table() -> None:
    ids = {gc.cell for g in _grids(ziqiang()) for row in g.rows for gc in row}
    assert not any(str(i).startswith("s6.") for i in ids)


@pytest.mark.parametrize("grid", _grids(ziqiang()), ids=lambda g: g.name)
def test_spans_tile_each_grid(grid: Grid) -> None:
    grid.check()
    covered = sum(gc.rowspan * gc.colspan for row in grid.rows for gc in row)
    assert covered == grid.columns * len(grid.rows)


def test_check_rejects_overlapping_spans() -> None:
    bad = Grid("x", (1.0, 1.0), ((GridCell("a", "head", rowspan=2), GridCell("b")), (GridCell("c"), GridCell("d"))))
    with pytest.raises(ValueError, match="overlaps or leaves the grid"):
        bad.check()


def test_labels_come_from_the_registry() -> None:
    t3 = layout.table3(ziqiang())
    texts = {gc.text for row in t3.rows for gc in row if gc.header}
    assert reg.T3_NOTE in texts and reg.T3_APPLICANT_HEADER in texts and reg.T3_ORG_GROUP.label in texts
    assert {r.printed for r in reg.T3_ROWS} <= texts
    assert {g.printed for g in reg.T3_GROUPS} <= texts
    assert {c.label for c in reg.T3_COLUMNS} <= texts
    t2 = layout.table2(ziqiang())
    t2_texts = {gc.text for row in t2.rows for gc in row if gc.header}
    assert set(reg.T2_CLAUSES.values()) <= t2_texts and reg.T2_ITEM_HEADER in t2_texts
    t4 = layout.table4(ziqiang())
    assert [gc.text for gc in t4.rows[0]] == ["行政复议", reg.T4_LITIGATION.label]


def test_table3_corner_and_result_group_spans() -> None:
    t3 = layout.table3(ziqiang())
    placed = {(r, c): gc for r, c, gc in t3.placed()}
    note = placed[(0, 0)]
    assert (note.kind, note.rowspan, note.colspan) == ("note", 3, 3)
    results = placed[(5, 0)]
    assert results.text == "三、本年度办理结果" and results.rowspan == 22
    assert placed[(7, 1)].text == "（三）不予公开" and placed[(7, 1)].rowspan == 8
    assert placed[(26, 1)].text == "（七）总计" and placed[(26, 1)].colspan == 2
    assert t3.header_rows == 3


def test_table4_puts_the_15_numbers_in_one_row() -> None:
    t4 = layout.table4(ziqiang())
    assert [gc.cell for gc in t4.rows[-1]] == [f"t4.{g.id}.{c.id}" for g in reg.T4_GROUPS for c in reg.T4_COLUMNS]


def test_values_print_unknown_empty_zero_and_money_as_written() -> None:
    report = Report().with_values({"t2.fees.amount": Decimal("96171.6"), "t3.new.natural": 0, "t4.review.total": 12})
    assert layout.value_text(report, "t2.fees.amount") == "96171.6"
    assert layout.value_text(report, "t3.new.natural") == "0"
    assert layout.value_text(report, "t3.new.legal") == ""
    assert layout.value_text(report, "t4.review.total") == "12"
    hongze = Report.from_flat(flat_fixture("hongze-district-2023"))
    assert layout.value_text(hongze, "t2.fees.amount") == "7730.28"


def test_title_uses_meta_title_or_composes_one() -> None:
    report = Report().with_values({"meta.agency": "淮安市人民政府", "meta.year": 2024})
    assert layout.title(report) == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert layout.title(report.with_values({"meta.title": " 自定标题 "})) == "自定标题"
    assert layout.title(Report()) == "____年政府信息公开工作年度报告"


def test_default_preface_states_basis_period_and_known_contact() -> None:
    report = Report().with_values(
        {
            "meta.agency": "某某街道办事处",
            "meta.year": 2025,
            "meta.contact.office": "某某街道党政办公室",
            "meta.contact.phone": "0517-1234567",
        }
    )
    text = layout.preface(report)
    assert "《中华人民共和国政府信息公开条例》" in text
    assert "统计期限自2025年1月1日起至2025年12月31日止" in text
    assert "请与某某街道党政办公室联系（联系电话：0517-1234567）。" in text
    assert "地址" not in text and "邮政编码" not in text
    assert "联系" not in layout.preface(Report().with_values({"meta.year": 2025}))
    assert layout.preface(report.with_values({"preface": "本机关自己的前言。"})) == "本机关自己的前言。"


def test_composed_preface_passes_the_year_rule() -> None:
    from assistant.validator import validate

    report = Report.from_flat(flat_fixture("huaian-city-2024"))
    with_preface = report.with_values({"preface": layout.preface(report), "meta.title": layout.title(report)})
    assert not [f for f in validate(with_preface, rules=["YEAR"]) if f.status == "failed"]


def test_sections_become_one_paragraph_per_line_and_s1_parts_lead_their_text() -> None:
    report = ziqiang().with_values(
        {
            "s1": [
                SubPart(title="（一）主动公开。", text="第一行\n第二行"),
                SubPart(title="（二）依申请公开。", text=""),
                SubPart(title="", text="无标题的一段"),
            ],
            "s5": "问题一\n\n问题二",
        }
    )
    doc = layout.document(report)
    s1 = [b for b in doc.blocks if isinstance(b, layout.Paragraph) and b.section == "s1"]
    assert [(p.lead, p.text) for p in s1] == [
        ("（一）主动公开。", "第一行"),
        ("", "第二行"),
        ("（二）依申请公开。", ""),
        ("", "无标题的一段"),
    ]
    assert "\n".join(p.lead + p.text for p in s1) == report.section_text("s1")
    s5 = [b.text for b in doc.blocks if isinstance(b, layout.Paragraph) and b.section == "s5"]
    assert s5 == ["问题一", "问题二"]


def test_document_order_notice_title_preface_sections_tables() -> None:
    doc = layout.document(ziqiang(), errors=2)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds[:3] == ["Notice", "Title", "Paragraph"]
    assert doc.blocks[0] == layout.Notice("本稿尚有2处错误未解决，仅供内部核对，请勿直接公开。")
    headings = [b.text for b in doc.blocks if isinstance(b, layout.Heading)]
    assert headings == [f"{f.number}{f.label}" for f in reg.SECTIONS if f.number]
    tables = [(b.section, b.grid.name) for b in doc.blocks if isinstance(b, layout.Table)]
    assert tables == [("s2", "t2"), ("s3", "t3"), ("s4", "t4")]
    assert "Notice" not in [type(b).__name__ for b in layout.document(ziqiang()).blocks]
