"""The answer models: the schema is generated from them, and every item is checked on its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assistant import cells as reg
from assistant.llm.budget import fillable, legend, scope_of, values_text
from assistant.llm.schema import ChangeOut, ProposalOut, Turn, check_items, check_proposal, proposal_schema
from assistant.model import Report

SOURCE = "今年收到个人申请12件，予以公开8件，部分公开2件；律所申请1件。实际收取信息处理费1.5万元，没有发出收费通知。"
ALL = frozenset(reg.CELLS)
TURN = Turn(SOURCE, ALL)


def item(cell: str, value: Any, evidence: str) -> dict[str, Any]:
    return {"cell": cell, "value": value, "evidence": evidence}


def test_the_schema_is_generated_from_the_models() -> None:
    schema = proposal_schema(["t3.new.natural", "t3.new.legal"])
    assert set(schema["properties"]) == set(ProposalOut.model_fields) == {"changes", "reply", "questions"}
    change = schema["properties"]["changes"]["items"]
    assert set(change["properties"]) == set(ChangeOut.model_fields)
    assert change["properties"]["cell"]["enum"] == ["t3.new.natural", "t3.new.legal"]
    assert change["properties"]["value"]["type"] == "number"
    assert change["required"] == ["cell", "value", "evidence"] and change["additionalProperties"] is False
    assert "$defs" not in schema and "title" not in str(schema)  # inlined and compact
    assert ChangeOut.model_fields["evidence"].description in str(schema)


@pytest.mark.parametrize(
    ("raw", "cell", "value"),
    [
        (item("t3.new.natural", 12, "收到个人申请12件"), "t3.new.natural", 12),
        (item("t3.new.natural", "12", "收到个人申请12件"), "t3.new.natural", 12),
        (item("t3.new.natural", "12件", "收到个人申请12件"), "t3.new.natural", 12),
        (item("t3.new.natural", Decimal("12.0"), "收到个人申请12件"), "t3.new.natural", 12),
        (item(" t3.new.legal ", 1, "律所申请1件"), "t3.new.legal", 1),
        (item("s6.fee.collected", "1.5万元", "实际收取信息处理费1.5万元"), "s6.fee.collected", Decimal(15000)),
        (item("s6.fee.collected", 15000, "实际收取信息处理费1.5万元"), "s6.fee.collected", Decimal(15000)),
        (item("s6.fee.notices", 0, "没有发出收费通知"), "s6.fee.notices", 0),
        ({**item("t3.granted.natural", 8, "予以公开8件"), "note": "extra keys are ignored"}, "t3.granted.natural", 8),
    ],
)
def test_valid_items_are_kept_with_their_values_coerced(raw: dict[str, Any], cell: str, value: Any) -> None:
    checked = check_items([raw], TURN)
    assert checked.refused == []
    [change] = checked.changes
    assert (change.cell, change.value) == (cell, value)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (item("t3.new.person", 12, "收到个人申请12件"), "不存在"),
        (item("t3.new.natural", 21, "个人申请12件"), "没有数值21"),  # not the number quoted
        (item("t3.new.natural", 12, "件"), "太短"),  # one character
        (item("t3.new.natural", 12, "收到个人申请12件" * 12), "太长"),  # the whole message proves nothing
        (item("t3.new.natural", 12, "个人申请了12件"), "不是材料中的原话"),
        (item("t3.granted.natural", 12, "收到个人申请12件"), "这一行"),  # the quote speaks of another row
        (item("t3.new.commercial", 1, "律所申请1件"), "这一列"),  # …or of another applicant
        (item("t3.new.total", 12, "收到个人申请12件"), "总计"),
        (item("t4.review.upheld", 8, "予以公开8件"), "没有"),  # no word of the cell at all
        (item("t3.new.natural", 12.5, "收到个人申请12件"), "整数"),
        (item("t3.new.natural", -12, "收到个人申请12件"), "整数"),
        (item("t3.new.natural", True, "收到个人申请12件"), "整数"),
        (item("t3.new.natural", None, "收到个人申请12件"), "整数"),
        (item("t3.new.natural", "很多", "收到个人申请12件"), "不是数字"),
        (item("t3.new.natural", 10**30, "收到个人申请12件"), "超出合理范围"),
        (item("t3.new.natural", "12万元", "收到个人申请12件"), "不是金额"),
        (item("t3.new.natural", 12, None), "缺少 evidence"),
        ({"cell": "t3.new.natural", "value": 12}, "缺少 evidence"),
        ("t3.new.natural=12", "不是包含"),
    ],
)
def test_invalid_items_are_refused_with_a_reason(raw: Any, words: str) -> None:
    checked = check_items([raw, item("t3.partial.natural", 2, "部分公开2件")], TURN)
    assert [c.cell for c in checked.changes] == ["t3.partial.natural"]  # the good one is kept
    [(_, why)] = checked.refused
    assert words in why


def test_only_the_offered_cells_and_one_value_per_cell() -> None:
    turn = Turn(SOURCE, frozenset({"t3.new.natural"}))
    checked = check_items(
        [
            item("t3.new.natural", 12, "收到个人申请12件"),
            item("t3.new.natural", 12, "个人申请12件"),  # the same again: dropped silently
            item("t3.granted.natural", 8, "予以公开8件"),
        ],
        turn,
    )
    assert [c.cell for c in checked.changes] == ["t3.new.natural"]
    assert ["不在本次给出的图例中" in why for _, why in checked.refused] == [True]
    conflict = check_items([item("t3.new.natural", 12, "收到个人申请12件")], TURN, taken={"t3.new.natural": 11})
    assert conflict.changes == [] and "两个不同的值" in conflict.refused[0][1]


@pytest.mark.parametrize(
    ("data", "questions"),
    [
        ({"changes": [], "reply": "无", "questions": None}, []),
        ({"changes": [], "reply": None, "questions": "申请人是谁？"}, ["申请人是谁？"]),
        ({"changes": None, "questions": ["申请人是谁？", "", None]}, ["申请人是谁？"]),
    ],
)
def test_the_envelope_is_read_leniently(data: dict[str, Any], questions: list[str]) -> None:
    checked = check_proposal(data, TURN)
    assert checked.changes == [] and checked.questions == questions and isinstance(checked.reply, str)


def test_a_single_change_object_instead_of_a_list() -> None:
    checked = check_proposal({"changes": item("t3.new.natural", 12, "收到个人申请12件")}, TURN)
    assert [c.cell for c in checked.changes] == ["t3.new.natural"]


def test_the_legend_names_each_row_and_column_once() -> None:
    scope = scope_of("又收到个人申请2件")
    text = legend(scope)
    assert scope.cells() == [f"t3.new.{c.id}" for c in reg.T3_COLUMNS]
    assert "new 本年新收申请数量" in text and "natural 自然人（个人、群众、市民）" in text
    assert "t3.new.natural" not in text  # ids are put together from the legend, not listed per cell
    assert "表四" not in text and "表二" not in text
    assert values_text(scope.cells(), Report().with_values({"t3.new.natural": 7})) == "t3.new.natural=7"
    assert values_text(scope.cells(), Report()) == "（以上单元格均未填）"
    fees = scope_of("实际收取信息处理费300元")
    assert fees.cells() == ["s6.fee.notices", "s6.fee.notice_amount", "s6.fee.collected"]
    everything = scope_of("这个数是12")
    assert everything.full and set(everything.cells()) == set(reg.CELLS)
    full = legend(everything)
    for row in reg.T3_ROWS:
        assert full.count(f"；{row.id} ") + full.count(f"：{row.id} ") == 1, row.id


@pytest.mark.parametrize(
    ("message", "fillable_"),
    [
        ("今年收到个人申请12件", True),
        ("收到个人申请十二件", True),
        ("没有收到法人的申请", True),
        ("请帮我看看这个表", False),
        ("上面说的都是个人", False),
    ],
)
def test_a_message_with_nothing_to_quote_is_not_sent(message: str, fillable_: bool) -> None:
    assert fillable(message) is fillable_


def test_the_models_free_text_is_one_short_plain_line() -> None:
    data = {"changes": [], "reply": "好的\u202e\n\n已识别" + "。" * 400, "questions": [f"问题{i}\x07" for i in range(9)]}
    checked = check_proposal(data, TURN)
    assert checked.reply.startswith("好的 已识别") and len(checked.reply) <= 301 and "\u202e" not in checked.reply
    assert checked.questions == [f"问题{i}" for i in range(5)]
