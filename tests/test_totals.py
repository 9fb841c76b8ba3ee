from __future__ import annotations

from assistant.model import Report
from assistant.totals import autofill_changes, autofill_totals, zero_fill_changes
from tests.helpers import ziqiang


def test_autofill_fills_row_totals_and_the_processed_total() -> None:
    r = ziqiang().with_values({"t3.granted.natural": 3, "t3.granted.legal": 2, "t4.review.upheld": 1})
    filled = autofill_totals(r)
    assert filled.get("t3.granted.total") == 5
    assert filled.get("t3.processed_total.natural") == 3
    assert filled.get("t3.processed_total.legal") == 2
    assert filled.get("t3.processed_total.total") == 5
    assert filled.get("t4.review.total") == 1
    assert filled.get("t3.granted.natural") == 3  # parts untouched


def test_autofill_leaves_totals_whose_parts_are_unknown() -> None:
    r = Report.from_flat({"t3.new.natural": 3, "t3.new.commercial": 1})
    assert autofill_changes(r) == []
    assert autofill_totals(r).get("t3.new.total") is None


def test_autofill_reports_only_what_changes() -> None:
    assert autofill_changes(ziqiang()) == []
    changes = autofill_changes(ziqiang().with_values({"t3.new.natural": 2}))
    assert [(c.cell, c.value) for c in changes] == [("t3.new.total", 2)]


def test_zero_fill_sets_unknown_leaves_only() -> None:
    r = Report.from_flat({"t3.new.natural": 3})
    changes = zero_fill_changes(r, ("t3",))
    cells = {c.cell for c in changes}
    assert "t3.new.natural" not in cells and "t3.new.commercial" in cells
    assert not any(c.endswith(".total") or ".processed_total." in c for c in cells)
    assert len(cells) == 24 * 6 - 1  # 25 rows but （七）总计, six applicant columns
    filled = autofill_totals(r.with_values({c.cell: c.value for c in changes}))
    assert filled.get("t3.new.total") == 3 and filled.get("t3.processed_total.total") == 0
