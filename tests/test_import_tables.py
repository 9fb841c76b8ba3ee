"""The parts of the importer one at a time: labels by their words, the table readers, text tidying."""

from __future__ import annotations

import pytest

from assistant.cells import T3_COLUMNS, T3_ROWS
from assistant.importing.sections import agency_name, contact_details, paragraphs
from assistant.importing.tables import (
    TableRead,
    better,
    t3_consistency,
    t3_from_lines,
    t4_from_lines,
    tokenize,
)
from assistant.labels import is_value_text, match_t2_item, match_t3, match_t3_column, section_of_heading
from assistant.model import Report
from assistant.reading.document import Line, SpanPlacer, grid_from_cells, is_footer, tidy
from tests.helpers import flat_fixture

COLS = tuple(c.id for c in T3_COLUMNS)


@pytest.mark.parametrize(
    ("text", "row", "group"),
    [
        ("2.其他法律行政止公开", "denied.law_prohibited", False),  # a typo of real reports
        ("（二）部分公开（区分处理的，只计这一情\n形，不计其他情形）", "partial", False),
        ("1、申請人無正當理由逾期不補正、行政機關不再處理其政府信息公開申請", "other.no_correction", False),
        ("８．属于行政查询事项", "denied.query", False),
        ("3、其他", "other.other", False),
        ("（七）合计", "processed_total", False),
        ("四 、 结 转 下 年 度 继 续 办 理", "carried_forward", False),
        ("（三）不予公开", "denied", True),
        ("三、\n本\n年\n度\n办\n理\n结\n果", "results", True),
        ("（六）其他处理", "other", True),
    ],
)
def test_table_3_rows_are_found_by_their_words(text: str, row: str, group: bool) -> None:
    m = match_t3(text)
    assert m is not None and (m.id, m.group) == (row, group)


def test_words_that_are_not_rows() -> None:
    for text in ("申请人情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "其他组织"):
        m = match_t3(text)
        assert m is None or m.group, text
    assert match_t3_column("商业\n企业") == "commercial"
    assert match_t3_column("總計") == "total" and match_t3_column("合 计") == "total"
    assert match_t2_item("规  章") == "rules" and match_t2_item("規範性文件") == "normative"
    assert match_t2_item("政府集中采购") == "2019:政府集中采购"


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("一、总体情况", "s1"),
        ("3、 收到和处理政府信息公开申请情况", "s3"),
        ("第四部分 政府信息公开行政复议、行政诉讼情况", "s4"),
        ("（五）存在的主要问题及改进措施", "s5"),
        ("五、存在的主要问题和改进情况", "s5"),
        ("六、其他需要報告的事項", "s6"),
        ("一、总体情况概述", "s1"),
        ("二 、 主 动 公 开 政 府 信 息 情 况", "s2"),
        ("四、结转下年度继续办理", None),
        ("三、本年度办理结果", None),
        ("（一）主动公开情况", None),
        ("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况。", None),
    ],
)
def test_section_headings_by_their_words(text: str, section: str | None) -> None:
    assert section_of_heading(text) == section


def test_value_tokens() -> None:
    for text in ("0", "3,119", "96171.6", "/", "—", "－", "", "+19", "-417", "减4", "251000元", "１２", "55（含自然失效29件）"):
        assert is_value_text(text), text
    for text in ("三、", "其他", "本", "2.重复申请"):
        assert not is_value_text(text), text
    tok = tokenize(Line("（二）部分公开（区分处理的，只计这一情 447 7 0 0 0 0 454", "第4页"), 7)
    assert tok.label == "（二）部分公开（区分处理的，只计这一情" and tok.values == ("447", "7", "0", "0", "0", "0", "454")
    assert is_footer("- 4 -") and is_footer("第 3 页 共 6 页") and not is_footer("2024年")


def _huaian() -> Report:
    return Report.from_flat(flat_fixture("huaian-city-2024"))


def _row_values(r: Report, row: str) -> str:
    return " ".join(str(r.get(f"t3.{row}.{c}")) for c in COLS)


def _messy_lines(r: Report, garble: str | None = None) -> list[Line]:
    """Table 3 as a PDF prints it at its worst: vertical labels written into the lines, values
    printed before their labels, labels wrapped around their values, a page number."""
    out: list[str] = ["申请人情况", "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
    vertical = iter("三、本年度办理结果")
    for i, row in enumerate(T3_ROWS):
        label = f"{row.number}{row.label}" if row.id != garble else "X.（印刷不清）"
        values = _row_values(r, row.id)
        noise = next(vertical, "") if row.group else ""
        if i % 3 == 1:
            out += [values, f"{noise} {label}".strip()]  # numbers first, then the label
        elif len(label) > 16:
            out += [label[:12], values, label[12:]]  # wrapped around its numbers
        else:
            out.append(f"{noise} {label} {values}".strip())
        if row.id == "denied.state_secret":
            out.append("（三）不予公开")
        if row.id == "denied.query":
            out.append("- 4 -")
    return [Line(t, f"第{n}行") for n, t in enumerate(out, start=1) if not is_footer(t)]


def test_table_3_from_messy_printed_lines() -> None:
    want = _huaian()
    read = t3_from_lines(_messy_lines(want))
    assert read is not None
    t3 = {k: v for k, v in want.cells.items() if k.startswith("t3.")}
    assert read.values() == t3
    assert read.notes == []


def test_when_a_label_cannot_be_read_the_pairing_is_chosen_and_said() -> None:
    want = _huaian()
    read = t3_from_lines(_messy_lines(want, garble="denied.security"))
    assert read is not None
    got = read.values()
    assert all(f"t3.denied.security.{c}" not in got for c in COLS)
    expected = {k: v for k, v in want.cells.items() if k.startswith("t3.") and not k.startswith("t3.denied.security.")}
    assert got == expected
    assert any("个数不一致" in n and "勾稽关系" in n for n in read.notes)


def test_the_arithmetic_chooses_between_two_reads() -> None:
    want = _huaian()
    right, wrong = TableRead(), TableRead()
    for cid, value in want.cells.items():
        if cid.startswith("t3."):
            right.put(cid, str(value), "")
            # Two rows swapped: every row still adds up, the columns do not.
            swapped = {"t3.new.": "t3.carried_forward.", "t3.carried_forward.": "t3.new."}
            target = next((cid.replace(a, b) for a, b in swapped.items() if cid.startswith(a)), cid)
            wrong.put(target, str(value), "")
    assert t3_consistency(right.values()) > t3_consistency(wrong.values())
    assert better(wrong, right) is right and better(right, wrong) is right
    assert better(right, right) is right


def test_table_4_as_one_run_of_fifteen_numbers() -> None:
    lines = [Line(t, "") for t in ("行政复议 行政诉讼", "结果 结果 其他 尚未 总计", "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20")]
    read = t4_from_lines(lines)
    assert read is not None
    assert read.values()["t4.review.total"] == 351 and read.values()["t4.suit_after_review.pending"] == 6


def test_tidy_removes_glyph_spacing_and_artefacts() -> None:
    assert tidy("号 ， 邮 编 ： 223100 ， 电 话 ： 0517-87222589 ，") == "号，邮编：223100，电话：0517-87222589，"
    assert tidy("（1） [bookmark: OLE_LINK2]组织推动") == "（1）组织推动"
    assert tidy("2024 年 1 月 1 日") == "2024年1月1日"
    assert tidy("WPS Office 生成") == "WPS Office生成"
    assert tidy("政府資訊公開") == "政府资讯公开"


def test_printed_lines_become_paragraphs() -> None:
    lines = [
        Line("（一）主动公开情况。主要通过政府门户网站主动公开政府", "第1页"),
        Line("文件、项目审批等各类政府信息。", "第1页", new_paragraph=False),
        Line("（二）依申请公开情况。2023 年全区受理申请 21 件，", "第1页"),
        Line("均在法定期限答复。", "第2页", new_paragraph=False),
    ]
    assert paragraphs(lines) == [
        "（一）主动公开情况。主要通过政府门户网站主动公开政府文件、项目审批等各类政府信息。",
        "（二）依申请公开情况。2023年全区受理申请21件，均在法定期限答复。",
    ]


def test_agency_and_contact_from_the_preface() -> None:
    preface = "本年度报告是由长春市南关区自强街道办事处依据《条例》编制而成"
    assert agency_name("2024年南关区自强街道政府信息公开工作年度报告", preface, preface) == "长春市南关区自强街道办事处"
    assert agency_name("《黄河市生态环境局2024年政府信息公开工作年度报告》", "", "") == "黄河市生态环境局"
    assert agency_name("政府信息公开工作年度报告格式模板", "", "") is None
    details = contact_details("请与淮安市人民政府办公室联系（地址：淮安市翔宇南道1号，邮编：223001，电话：0517-83605210，电子邮箱：hazwgkc@163.com）")
    assert details == {
        "office": "淮安市人民政府办公室",
        "address": "淮安市翔宇南道1号",
        "postcode": "223001",
        "phone": "0517-83605210",
        "email": "hazwgkc@163.com",
    }


def test_html_spans_are_placed_on_the_true_grid() -> None:
    placer = SpanPlacer()
    placer.next_row()
    placer.add("label", rowspan=2, colspan=2)
    placer.add("A")
    placer.next_row()
    placer.add("B")  # lands right of the merged label
    grid = grid_from_cells(placer.cells, "t")
    assert [[s.text if s else None for s in row] for row in grid.slots] == [["label", "label", "A"], ["label", "label", "B"]]
    assert grid.slots[1][0] is grid.slots[0][0]  # one cell, one origin


def test_a_table_of_contents_is_not_the_sections() -> None:
    from assistant.importing import read_bytes

    text = "\n".join(
        [
            "某县人民政府2024年政府信息公开工作年度报告",
            "目录",
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "五、存在的主要问题及改进情况",
            "本报告统计期限自2024年1月1日起至2024年12月31日止。",
            "一、总体情况",
            "全年主动公开信息100条。",
            "五、存在的主要问题及改进情况",
            "问题是公开不及时。",
            "六、其他需要报告的事项",
            "未收取信息处理费。",
        ]
    )
    r = read_bytes(text.encode("utf-8"), "toc.txt").report
    assert r.sections.preface == "本报告统计期限自2024年1月1日起至2024年12月31日止。"
    assert (r.sections.s1, r.sections.s5, r.sections.s6) == ("全年主动公开信息100条。", "问题是公开不及时。", "未收取信息处理费。")
    assert r.sections.s2 is None and r.get("s6.fee.collected") == 0


def test_a_group_and_its_row_in_one_cell_and_numbers_before_a_label_on_one_line() -> None:
    from assistant.importing.tables import t3_from_grids
    from assistant.reading.document import Grid, Slot

    grid = Grid([[Slot("（三）不予公开 1.属于国家秘密", 0, 0), *(Slot(v, 0, c) for c, v in enumerate("1000001", 1))]], "表格1")
    grid.columns_known = False
    read = t3_from_grids([grid])
    assert read is not None and read.values()["t3.denied.state_secret.natural"] == 1
    lines = [Line("1 0 0 0 0 0 1 1.属于国家秘密", "第1行"), Line("2.其他法律行政法规禁止公开 0 0 0 0 0 0 0", "第2行")]
    read = t3_from_lines(lines)
    assert read is not None
    assert read.values()["t3.denied.state_secret.total"] == 1 and read.values()["t3.denied.law_prohibited.total"] == 0
