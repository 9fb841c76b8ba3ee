from __future__ import annotations

from assistant.cells import T3_APPLICANT_COLUMNS
from assistant.model import Report
from assistant.totals import (
    NOT_IN_2019_FORM,
    ZERO_FILL_EVIDENCE,
    autofill_changes,
    autofill_totals,
    blank_groups,
    required_cells,
    zero_fill_changes,
)
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


def test_blank_groups_name_each_row_with_unfilled_cells() -> None:
    r = ziqiang().with_values({"t2.rules.issued": None, "t3.granted.legal": None, "t3.granted.total": None})
    groups = blank_groups(r)
    assert [(g.id, g.label, g.cells) for g in groups] == [
        ("t2.rules", "表二“规章”", ("t2.rules.issued",)),
        ("t3.granted", "表三“予以公开”行", ("t3.granted.legal", "t3.granted.total")),
    ]
    assert blank_groups(ziqiang()) == []


def test_zero_fill_of_confirmed_rows_only() -> None:
    r = Report.from_flat({"meta.year": 2024, "t3.new.natural": 3})
    changes = zero_fill_changes(r, groups=["t3.granted", "t4.review"])
    assert {c.cell for c in changes} == {f"t3.granted.{c}" for c in T3_APPLICANT_COLUMNS} | {
        f"t4.review.{o}" for o in ("upheld", "corrected", "other", "pending")
    }
    assert all(c.value == 0 and c.evidence == ZERO_FILL_EVIDENCE for c in changes)
    whole = zero_fill_changes(r, groups=["t2"])
    assert len(whole) == 10
    filled = autofill_totals(r.with_values({c.cell: c.value for c in changes}))
    assert filled.get("t3.granted.total") == 0 and filled.get("t4.review.total") == 0
    assert [g.id for g in blank_groups(filled)][:2] == ["t2.rules", "t2.normative"]


def test_a_2019_form_report_never_needs_the_2021_only_cells() -> None:
    r = Report.from_flat({"meta.year": 2020})
    needed = set(required_cells(r))
    assert "t2.rules.issued" not in needed and "t2.fees.amount" not in needed
    assert "t3.other.unpaid_fee.natural" not in needed and "t2.license.decisions" in needed
    assert not {c.cell for c in zero_fill_changes(r)} & NOT_IN_2019_FORM
