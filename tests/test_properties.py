"""Property-based: consistent reports pass the arithmetic, and any ±1 on a table cell is caught."""

from __future__ import annotations

import random
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


# -- partly filled tables: the checks reason with what is known ----------------------------------

T34 = [c.id for c in reg.CELLS.values() if c.table in ("t3", "t4")]
few = st.one_of(st.just(0), st.just(0), st.integers(min_value=1, max_value=12))


def _equations() -> list[tuple[list[str], list[str]]]:
    """Tables 三 and 四 as ``sum(left) == sum(right)``, written from the registry's totals and the
    balance printed on table 三 (independently of the validator's own relation list)."""
    eqs = [([c.id], list(c.parts)) for c in reg.CELLS.values() if c.table in ("t3", "t4") and c.is_total]
    eqs += [
        ([f"t3.new.{col.id}", f"t3.carried_over.{col.id}"], [f"t3.processed_total.{col.id}", f"t3.carried_forward.{col.id}"])
        for col in reg.T3_COLUMNS
    ]
    # （七）总计·总计 is also the sum of the result rows' totals (the registry sums it along its row).
    eqs.append((["t3.processed_total.total"], [f"t3.{r}.total" for r in reg.T3_RESULT_ROWS]))
    return eqs


EQUATIONS = _equations()


def completable(report: Report) -> bool:
    """The oracle: can the blank cells be filled with counts ≥ 0 so that every relation holds?

    A linear program (scipy's HiGHS); the tables are a network, so a real solution means a whole
    one too.
    """
    from scipy.optimize import linprog

    unknown = [c for c in T34 if report.get(c) is None]
    index = {c: i for i, c in enumerate(unknown)}
    rows, rhs = [], []
    for left, right in EQUATIONS:
        coef = [0.0] * len(unknown)
        b = 0.0
        for cells, sign in ((left, 1), (right, -1)):
            for c in cells:
                v = report.get(c)
                if v is None:
                    coef[index[c]] += sign
                else:
                    b -= sign * float(v)
        if not any(coef):
            if b != 0:
                return False
            continue
        rows.append(coef)
        rhs.append(b)
    if not rows:
        return True
    result = linprog([0.0] * len(unknown), A_eq=rows, b_eq=rhs, bounds=(0, None), method="highs")
    return result.status == 0


@st.composite
def partial_tables(draw: Any) -> Report:
    """A consistent filled table with random cells blanked and, sometimes, a few known ones changed."""
    values: dict[str, int] = {}
    for row in reg.T3_RESULT_ROWS:
        for col in reg.T3_APPLICANT_COLUMNS:
            values[f"t3.{row}.{col}"] = draw(few)
    for col in reg.T3_APPLICANT_COLUMNS:
        processed = sum(values[f"t3.{r}.{col}"] for r in reg.T3_RESULT_ROWS)
        forward, over = draw(few), draw(st.integers(min_value=0, max_value=processed))
        values |= {f"t3.carried_forward.{col}": forward, f"t3.carried_over.{col}": over}
        values[f"t3.new.{col}"] = processed + forward - over
    for group in ("review", "suit_direct", "suit_after_review"):
        for col in reg.T4_OUTCOMES:
            values[f"t4.{group}.{col}"] = draw(few)
    full = autofill_totals(BASE.with_values(values))
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    share = draw(st.sampled_from([0.03, 0.2, 0.5, 0.8, 0.97]))
    changed: dict[str, int | None] = {c: None for c in T34 if rng.random() < share}
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        cell = rng.choice([c for c in T34 if c not in changed])
        old = full.get(cell)
        assert isinstance(old, int)
        changed[cell] = max(0, old + rng.choice([-3, -2, -1, 1, 2, 3]))
    return full.with_values(changed)


def error_keys(report: Report) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, tuple(sorted(f.cells))) for f in validate(report) if f.is_error}


PARTIAL = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PARTIAL
@given(partial_tables())
def test_a_partial_table_gets_an_error_exactly_when_it_cannot_be_completed(report: Report) -> None:
    errors = [f.message for f in validate(report) if f.is_error]
    if completable(report):
        assert not errors, "no error on a table that can still be completed"
    else:
        assert errors, "an impossible table must get an error now, not 无法校验"


@PARTIAL
@given(partial_tables())
def test_no_offered_fix_creates_an_error(report: Report) -> None:
    before = error_keys(report)
    for f in validate(report):
        if f.fix is None:
            continue
        fixed = report.with_values({c.cell: c.value for c in f.fix.changes})
        after = error_keys(fixed)
        assert after <= before, f"fix “{f.fix.description}” creates {after - before}"
        assert (f.rule, tuple(sorted(f.cells))) not in after or not f.is_error, f"fix does not fix: {f.message}"
        if f.status is Status.NOT_ASSESSABLE:  # a derived value agrees with everything else known
            assert completable(fixed) or not completable(report)
