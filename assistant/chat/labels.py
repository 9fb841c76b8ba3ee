"""Cells named the way a clerk says them, for replies and questions (labels come from the registry)."""

from __future__ import annotations

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.chat.record import Fact

_SPECIAL_ROWS = {
    "new": "本年新收申请",
    "carried_over": "上年结转申请",
    "carried_forward": "结转下年度的申请",
    "processed_total": "办结的申请",
    "partial": "部分公开",
}


def t3_row_words(row: str) -> str:
    return _SPECIAL_ROWS.get(row) or reg.t3_row_label(row)


def head_label(head: Fact) -> str:
    """What a count is about, before its missing dimension is known."""
    if head.table == "t4":
        return reg.T4_GROUP[head.row].label if head.row else reg.T4_LITIGATION.label
    if head.table == "t3" and head.row is None and head.group3:
        return reg.T3_GROUP[head.group3].label
    if head.table == "t3" and head.row:
        return t3_row_words(head.row)
    if head.table == "t2" and head.row:
        return reg.T2_ITEM[head.row].label
    return "这些申请"


def short_label(cid: str) -> str:
    """A cell named the way a clerk says it: 本年新收申请·自然人, 行政复议·结果维持."""
    c = CELLS[cid]
    if c.table == "t3":
        return f"{t3_row_words(c.row)}·{reg.T3_COLUMN[c.column].label}"
    return c.label
