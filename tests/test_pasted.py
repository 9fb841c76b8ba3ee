"""Rows pasted into the chat from Excel (tab-separated) or as a pipe table become exactly their cells."""

from __future__ import annotations

import json

import pytest

from assistant import editing
from assistant.model import Report
from assistant.pasted import read_pasted
from tests.helpers import FIXTURES

WANT = json.loads((FIXTURES / "expected" / "huaian-city-2024.cells.json").read_text(encoding="utf-8"))
COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")


def _row(row: str) -> list[str]:
    return [str(WANT[f"t3.{row}.{c}"]) for c in COLS]


def _cells(*rows: str) -> dict[str, int]:
    return {f"t3.{r}.{c}": WANT[f"t3.{r}.{c}"] for r in rows for c in COLS}


def test_rows_without_their_header_are_read_in_the_official_column_order() -> None:
    text = "\n".join(["（一）予以公开\t" + "\t".join(_row("granted")), "（二）部分公开\t" + "\t".join(_row("partial"))])
    proposal = read_pasted(text, Report())
    assert proposal is not None and proposal.cells == _cells("granted", "partial")
    assert proposal.engine == "tables" and "表三14个单元格" in proposal.reply


def test_rows_with_their_header_are_read_by_the_header() -> None:
    header = "\t自然人\t法律服务机构\t合计"
    rows = [f"予以公开\t{WANT['t3.granted.natural']}\t{WANT['t3.granted.legal']}\t{WANT['t3.granted.total']}",
            f"本机关不掌握相关政府信息\t{WANT['t3.unavailable.not_held.natural']}\t{WANT['t3.unavailable.not_held.legal']}"
            f"\t{WANT['t3.unavailable.not_held.total']}"]
    proposal = read_pasted("\n".join([header, *rows]) + "\n", Report())
    assert proposal is not None
    assert proposal.cells == {f"t3.{r}.{c}": WANT[f"t3.{r}.{c}"] for r in ("granted", "unavailable.not_held")
                              for c in ("natural", "legal", "total")}


def test_a_cell_with_a_line_break_comes_quoted_from_excel() -> None:
    text = '"（二）部分公开（区分处理的，\n只计这一情形，不计其他情形）"\t' + "\t".join(_row("partial"))
    proposal = read_pasted(text, Report())
    assert proposal is not None and proposal.cells == _cells("partial")


def test_table_4_and_table_2_rows() -> None:
    groups = ("review", "suit_direct", "suit_after_review")
    outcomes = ("upheld", "corrected", "other", "pending", "total")
    text = "\n".join(
        f"{label}\t" + "\t".join(str(WANT[f"t4.{g}.{o}"]) for o in outcomes)
        for g, label in zip(groups, ("行政复议", "未经复议直接起诉", "复议后起诉"), strict=True)
    )
    proposal = read_pasted(text, Report())
    assert proposal is not None and proposal.cells == {k: v for k, v in WANT.items() if k.startswith("t4.")}
    t2 = read_pasted("规章\t0\t0\t3\n行政许可\t120", Report())
    assert t2 is not None and t2.cells == {"t2.rules.issued": 0, "t2.rules.repealed": 0, "t2.rules.in_force": 3,
                                          "t2.license.decisions": 120}


def test_a_pipe_table() -> None:
    text = "\n".join([
        "| | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
        "|---|---|---|---|---|---|",
        "| 行政复议 | 2 | 0 | 0 | 1 | 3 |",
    ])
    proposal = read_pasted(text, Report())
    assert proposal is not None
    assert proposal.cells == {"t4.review.upheld": 2, "t4.review.corrected": 0, "t4.review.other": 0,
                              "t4.review.pending": 1, "t4.review.total": 3}


@pytest.mark.parametrize("text", ["今年收到自然人申请12件，予以公开8件。", "行政复议2件，都维持了", ""])
def test_text_that_is_not_a_table_is_left_to_the_chat_engine(text: str) -> None:
    assert read_pasted(text, Report()) is None


def test_a_table_of_other_things_is_said_not_guessed() -> None:
    proposal = read_pasted("姓名\t年龄\n张三\t12", Report())
    assert proposal is not None and proposal.changes == [] and "没有认出" in proposal.reply


def test_an_unrecognised_row_of_numbers_is_asked_about_not_put_in_a_total() -> None:
    text = "\t自然人\t商业企业\t总计\n予以公开\t5\t1\t6\n某某情况\t3\t0\t3"
    proposal = read_pasted(text, Report())
    assert proposal is not None
    assert proposal.cells == {"t3.granted.natural": 5, "t3.granted.commercial": 1, "t3.granted.total": 6}
    assert any("某某情况" in q for q in proposal.questions)


def test_pasting_what_the_draft_already_holds_changes_nothing() -> None:
    text = "（一）予以公开\t" + "\t".join(_row("granted"))
    first = read_pasted(text, Report())
    assert first is not None
    draft = editing.apply(editing.start(), first.changes, source="chat")
    again = read_pasted(text, draft.report)
    assert again is not None and again.changes == []


def test_a_header_in_the_clerks_words() -> None:
    proposal = read_pasted("\t个人\t企业\t律所\t合计\n予以公开\t5\t1\t2\t8\n不予公开 第三方权益\t1\t0\t0\t1", Report())
    assert proposal is not None
    assert proposal.cells == {
        "t3.granted.natural": 5, "t3.granted.commercial": 1, "t3.granted.legal": 2, "t3.granted.total": 8,
        "t3.denied.third_party.natural": 1, "t3.denied.third_party.commercial": 0,
        "t3.denied.third_party.legal": 0, "t3.denied.third_party.total": 1,
    }
