"""Property-based: consistent reports pass the arithmetic, and any ±1 on a table cell is caught."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import cells as reg
from assistant.errors import InvalidValue
from assistant.findings import Status
from assistant.model import Report
from assistant.totals import autofill_totals
from assistant.validator import validate
from tests.helpers import ziqiang

ARITHMETIC = ["T3-ROW-TOTAL", "T3-PROCESSED-SUM", "T3-BALANCE", "T4-TOTAL", "IN-FORCE-CONTINUITY", "CARRY-OVER"]
# Cells some arithmetic rule reads; t2 decisions and fees stand alone in the national format.
CHECKED = [c.id for c in reg.CELLS.values() if c.table in ("t3", "t4")] + [
    f"t2.{i}.{c}" for i in ("rules", "normative") for c in ("issued", "repealed", "in_force")
]
BASE = ziqiang()
small = st.integers(min_value=0, max_value=400)


@st.composite
def consistent_reports(draw: Any) -> tuple[Report, Report]:
    """A report (and last year's) built from random leaf cells plus autofill_totals."""
    values: dict[str, int] = {}
    last: dict[str, int] = {"meta.year": 2023}
    for row in reg.T3_RESULT_ROWS:
        for col in reg.T3_APPLICANT_COLUMNS:
            values[f"t3.{row}.{col}"] = draw(small)
    for col in reg.T3_APPLICANT_COLUMNS:
        carried_forward = draw(small)
        processed = sum(values[f"t3.{r}.{col}"] for r in reg.T3_RESULT_ROWS)
        carried_over = draw(st.integers(min_value=0, max_value=processed + carried_forward))
        values[f"t3.carried_forward.{col}"] = carried_forward
        values[f"t3.carried_over.{col}"] = carried_over
        values[f"t3.new.{col}"] = processed + carried_forward - carried_over
        last[f"t3.carried_forward.{col}"] = carried_over
    for group in ("review", "suit_direct", "suit_after_review"):
        for col in reg.T4_OUTCOMES:
            values[f"t4.{group}.{col}"] = draw(small)
    for item in ("rules", "normative"):
        previous_in_force, issued = draw(small), draw(small)
        repealed = draw(st.integers(min_value=0, max_value=previous_in_force + issued))
        last[f"t2.{item}.in_force"] = previous_in_force
        values |= {
            f"t2.{item}.issued": issued,
            f"t2.{item}.repealed": repealed,
            f"t2.{item}.in_force": previous_in_force + issued - repealed,
        }
    previous = autofill_totals(BASE.with_values(last))
    return autofill_totals(BASE.with_values(values)), previous


def arithmetic_failures(report: Report, previous: Report) -> list[str]:
    return [
        f.message
        for f in validate(report, previous, rules=ARITHMETIC)
        if f.status is Status.FAILED or f.rule != "CARRY-OVER"
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_autofilled_reports_pass_every_arithmetic_rule(pair: tuple[Report, Report]) -> None:
    report, previous = pair
    assert not [f.message for f in validate(report, previous, rules=ARITHMETIC)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(), st.sampled_from(CHECKED), st.sampled_from([1, -1]))
def test_any_single_change_of_one_is_caught(pair: tuple[Report, Report], cell_id: str, delta: int) -> None:
    report, previous = pair
    value = report.get(cell_id)
    assert value is not None
    if value + delta < 0:
        with pytest.raises(InvalidValue):  # CELL-VALUE at the input: a count is never negative
            report.with_values({cell_id: value + delta})
        return
    changed = report.with_values({cell_id: value + delta})
    caught = [f for f in validate(changed, previous, rules=ARITHMETIC) if f.status is Status.FAILED]
    assert caught, f"{cell_id} {value}→{value + delta} was not caught"
    assert any(cell_id in f.cells for f in caught)
