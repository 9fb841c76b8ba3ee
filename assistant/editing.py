"""The one place where a draft changes: apply a set of changes, undo, redo — all recorded.

A ``Draft`` is a report plus its history. ``apply`` is all-or-nothing: if any value is invalid,
an ``InvalidValue`` with a Chinese message is raised and the draft is returned unchanged. Every
step keeps the old and new value of each key, where it came from and its evidence, so the
history doubles as the audit trail.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.cells import label_of
from assistant.changes import Change
from assistant.errors import InvalidValue
from assistant.model import Report, UncertainCell
from assistant.numbers import json_value
from assistant.totals import autofill_changes

Source = Literal[
    "chat", "notes", "ledger", "import", "prefill", "fix", "edit", "autofill", "draft", "undo", "redo", "confirm"
]


class AppliedChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cell: str
    old: Any = None
    new: Any = None
    evidence: str = ""


class Step(BaseModel):
    """One recorded change set. ``reverts`` names the step an undo (or redo) acted on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    at: datetime
    source: Source
    summary: str
    changes: list[AppliedChange]
    prompt: str | None = None
    reverts: int | None = None
    # Scan marks ("compare with the picture") this step took away: an undo puts them back.
    marks: dict[str, UncertainCell] = Field(default_factory=dict)


class Draft(BaseModel):
    """A report in progress with its full history."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    report: Report = Field(default_factory=Report)
    steps: list[Step] = Field(default_factory=list)
    undo_stack: list[int] = Field(default_factory=list)
    redo_stack: list[int] = Field(default_factory=list)

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def step(self, step_id: int) -> Step:
        return next(s for s in self.steps if s.id == step_id)


def same_value(a: Any, b: Any) -> bool:
    """Whether two values of a flat key are the same (12 == Decimal("12"), sub-parts by content)."""
    return bool(_json_value(a) == _json_value(b))


def _json_value(value: Any) -> Any:
    if isinstance(value, list):  # section 一 in sub-parts
        return [v.model_dump() if isinstance(v, BaseModel) else v for v in value]
    return json_value(value)


def _record(
    draft: Draft,
    report: Report,
    source: Source,
    summary: str,
    applied: list[AppliedChange],
    prompt: str | None = None,
    reverts: int | None = None,
    marks: dict[str, UncertainCell] | None = None,
) -> tuple[Draft, Step]:
    step = Step(
        id=(draft.steps[-1].id + 1) if draft.steps else 1,
        at=datetime.now(UTC),
        source=source,
        summary=summary,
        changes=applied,
        prompt=prompt,
        reverts=reverts,
        marks=marks or {},
    )
    new = draft.model_copy(update={"report": report, "steps": [*draft.steps, step]})
    return new, step


def apply(
    draft: Draft,
    changes: Sequence[Change],
    *,
    source: Source,
    summary: str = "",
    prompt: str | None = None,
    autofill: bool = True,
) -> Draft:
    """Apply ``changes`` as one undoable step (with the totals they make computable).

    Raises InvalidValue, leaving ``draft`` as it was, when any value does not fit its key.
    Changes that set a key to the value it already has are dropped; with nothing left, the
    draft is returned as it is and no step is recorded.
    """
    report = draft.report
    for c in changes:
        if not c.known_key:
            raise InvalidValue(f"未知的编号“{c.cell}”", key=c.cell)
    effective = [c for c in changes if not same_value(report.value(c.cell), c.value)]
    updated = report.with_values({c.cell: c.value for c in effective}) if effective else report
    # A total the clerk sets explicitly in this step is kept as set (the validator judges it).
    explicit = {c.cell for c in effective}
    extra = [c for c in autofill_changes(updated) if c.cell not in explicit] if autofill else []
    if extra:
        updated = updated.with_values({c.cell: c.value for c in extra})
    all_changes = [*effective, *extra]
    if not all_changes:
        return draft
    applied = [
        AppliedChange(
            cell=c.cell,
            old=_json_value(report.value(c.cell)),
            new=_json_value(updated.value(c.cell)),
            evidence=c.evidence,
        )
        for c in all_changes
    ]
    new, step = _record(draft, updated, source, summary or f"修改{len(applied)}项", applied, prompt,
                        marks=_cleared(report, updated))
    return new.model_copy(update={"undo_stack": [*draft.undo_stack, step.id], "redo_stack": []})


def confirm(draft: Draft, cells: Sequence[str], *, summary: str = "") -> Draft:
    """The clerk compared scanned numbers with the picture and they are right: their marks go, recorded.

    The values stay as read; an undo puts the marks back. Cells without a mark are ignored; with
    none left, the draft is returned as it is.
    """
    report = draft.report
    marked = [c for c in dict.fromkeys(cells) if c in report.uncertain]
    if not marked:
        return draft
    updated = report.with_marks(dict.fromkeys(marked))
    applied = [
        AppliedChange(cell=c, old=_json_value(report.value(c)), new=_json_value(report.value(c)),
                      evidence=f"对照扫描原图确认无误（识别为“{report.uncertain[c].text}”）")
        for c in marked
    ]  # fmt: skip
    text = summary or f"确认扫描识别无误：{'、'.join(label_of(c) for c in marked[:3])}{'等' if len(marked) > 3 else ''}"
    new, step = _record(draft, updated, "confirm", text, applied, marks=_cleared(report, updated))
    return new.model_copy(update={"undo_stack": [*draft.undo_stack, step.id], "redo_stack": []})


def _cleared(before: Report, after: Report) -> dict[str, UncertainCell]:
    now = after.uncertain
    return {c: m for c, m in before.uncertain.items() if c not in now}


def _revert(draft: Draft, step: Step, *, forward: bool) -> Report:
    values = {c.cell: (c.new if forward else c.old) for c in step.changes}
    report = draft.report.with_values(values)  # setting a cell takes its scan mark away
    if not forward and step.marks:
        report = report.with_marks(step.marks)
    return report


def undo(draft: Draft) -> Draft:
    """Revert the last applied step. Nothing to undo: the draft as it is."""
    if not draft.undo_stack:
        return draft
    target = draft.step(draft.undo_stack[-1])
    report = _revert(draft, target, forward=False)
    applied = [AppliedChange(cell=c.cell, old=c.new, new=c.old, evidence=c.evidence) for c in target.changes]
    new, _ = _record(draft, report, "undo", f"撤销：{target.summary}", applied, reverts=target.id,
                     marks=_cleared(draft.report, report))
    return new.model_copy(update={"undo_stack": draft.undo_stack[:-1], "redo_stack": [*draft.redo_stack, target.id]})


def redo(draft: Draft) -> Draft:
    """Re-apply the last undone step."""
    if not draft.redo_stack:
        return draft
    target = draft.step(draft.redo_stack[-1])
    report = _revert(draft, target, forward=True)
    new, _ = _record(draft, report, "redo", f"重做：{target.summary}", list(target.changes), reverts=target.id,
                     marks=_cleared(draft.report, report))
    return new.model_copy(update={"undo_stack": [*draft.undo_stack, target.id], "redo_stack": draft.redo_stack[:-1]})


def start(report: Report | None = None, *, source: Source = "edit", summary: str = "新建草稿") -> Draft:
    """A new draft, optionally from a report (e.g. a prefill); its creation is the first step."""
    draft = Draft(report=report or Report())
    new, _ = _record(draft, draft.report, source, summary, [])
    return new
