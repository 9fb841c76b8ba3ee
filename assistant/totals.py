"""Totals computed from their parts, and other operations the arithmetic decides alone."""

from __future__ import annotations

from assistant import cells as reg
from assistant.changes import Change
from assistant.model import Report
from assistant.numbers import Value

AUTOFILL_EVIDENCE = "由各分项自动合计"


def autofill_changes(report: Report) -> list[Change]:
    """The changes that set every total whose parts are all known to the sum of its parts.

    Totals are visited parts-first, so a total of totals (表三（七）总计·总计) sees its freshly
    computed parts. Only totals whose value would change are returned.
    """
    values: dict[str, Value | None] = dict(report.cells)
    changes: list[Change] = []
    for total in reg.totals():
        parts = [values.get(p) for p in total.parts]
        if any(v is None for v in parts):
            continue
        value = sum(parts, start=0)  # type: ignore[arg-type]
        if values.get(total.id) != value:
            values[total.id] = value
            changes.append(Change(cell=total.id, value=value, evidence=AUTOFILL_EVIDENCE))
    return changes


def autofill_totals(report: Report) -> Report:
    """A copy of ``report`` with every computable total filled from its parts."""
    changes = autofill_changes(report)
    return report.with_values({c.cell: c.value for c in changes}) if changes else report


def zero_fill_changes(report: Report, tables: tuple[str, ...] = ("t2", "t3", "t4")) -> list[Change]:
    """Changes that set every still-unknown cell of ``tables`` to 0 ("其余均为0").

    Totals are left to ``autofill_changes``; the clerk applies this deliberately, never implicitly.
    """
    return [
        Change(cell=c.id, value=0, evidence="其余未填写的单元格按0填写")
        for c in reg.CELLS.values()
        if c.table in tables and not c.is_total and c.id not in report.cells
    ]
