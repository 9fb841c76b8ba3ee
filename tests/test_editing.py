"""Applying changes: one validated, recorded, undoable step."""

from __future__ import annotations

import pytest

from assistant import editing
from assistant.changes import Change
from assistant.errors import InvalidValue
from tests.helpers import ziqiang


def test_apply_records_old_new_and_evidence_and_fills_totals() -> None:
    d = editing.start(ziqiang())
    d2 = editing.apply(
        d,
        [Change(cell="t3.new.natural", value=12, evidence="今年收到自然人申请12件")],
        source="chat",
        summary="对话：新收申请",
    )
    assert d2.report.get("t3.new.natural") == 12 and d2.report.get("t3.new.total") == 12
    step = d2.steps[-1]
    assert step.source == "chat" and step.summary == "对话：新收申请"
    assert [(c.cell, c.old, c.new) for c in step.changes] == [("t3.new.natural", 0, 12), ("t3.new.total", 0, 12)]
    assert step.changes[0].evidence == "今年收到自然人申请12件"
    assert d.report.get("t3.new.natural") == 0  # the old draft is untouched


def test_invalid_change_leaves_the_draft_as_it_was() -> None:
    d = editing.start(ziqiang())
    with pytest.raises(InvalidValue, match="应为不小于0的整数"):
        editing.apply(d, [Change(cell="t3.new.natural", value=5), Change(cell="t3.new.legal", value=-1)], source="edit")
    with pytest.raises(InvalidValue, match="未知的编号"):
        editing.apply(d, [Change(cell="t3.new.nobody", value=5)], source="edit")
    assert d.report == ziqiang() and len(d.steps) == 1


def test_undo_and_redo() -> None:
    d = editing.start(ziqiang())
    d = editing.apply(d, [Change(cell="t4.review.upheld", value=2)], source="edit")
    d = editing.apply(d, [Change(cell="s5", value="新的问题。")], source="edit")
    assert d.can_undo and not d.can_redo
    d = editing.undo(d)
    assert d.report.section_text("s5") == ziqiang().section_text("s5")
    assert d.report.get("t4.review.total") == 2
    d = editing.undo(d)
    assert d.report == ziqiang()
    assert not d.can_undo and d.can_redo
    d = editing.redo(d)
    assert d.report.get("t4.review.upheld") == 2 and d.report.get("t4.review.total") == 2
    assert [s.source for s in d.steps] == ["edit", "edit", "edit", "undo", "undo", "redo"]
    d = editing.apply(d, [Change(cell="t4.review.other", value=1)], source="edit")
    assert not d.can_redo  # a new change ends the redo line


def test_changes_to_the_same_value_are_not_a_step() -> None:
    d = editing.start(ziqiang())
    assert editing.apply(d, [Change(cell="t3.new.natural", value=0)], source="edit") is d


def test_a_total_set_explicitly_is_kept_for_the_validator_to_judge() -> None:
    d = editing.start(ziqiang())
    d = editing.apply(d, [Change(cell="t4.review.upheld", value=2), Change(cell="t4.review.total", value=1)],
                      source="edit")
    assert d.report.get("t4.review.total") == 1
    d = editing.apply(d, [Change(cell="t4.review.corrected", value=1)], source="edit")
    assert d.report.get("t4.review.total") == 3  # a later change to a part recomputes it, recorded in the step
    assert d.steps[-1].changes[-1].evidence == "由各分项自动合计"
