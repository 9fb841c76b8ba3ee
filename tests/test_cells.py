"""The cell registry holds exactly the spec's cell ids, and is the only list of labels."""

from __future__ import annotations

import re
from pathlib import Path

from assistant import cells as reg

# Typed from shared/spec/report-template.md: the public contract.
SPEC_T3_ROWS = [
    "new",
    "carried_over",
    "granted",
    "partial",
    "denied.state_secret",
    "denied.law_prohibited",
    "denied.security",
    "denied.third_party",
    "denied.internal",
    "denied.process",
    "denied.enforcement",
    "denied.query",
    "unavailable.not_held",
    "unavailable.needs_creation",
    "unavailable.unclear",
    "refused.petition",
    "refused.duplicate",
    "refused.publication",
    "refused.excessive",
    "refused.confirmation",
    "other.no_correction",
    "other.unpaid_fee",
    "other.other",
    "processed_total",
    "carried_forward",
]
SPEC_T3_COLUMNS = ["natural", "commercial", "research", "social", "legal", "other", "total"]
SPEC_T4 = [
    f"t4.{g}.{c}"
    for g in ("review", "suit_direct", "suit_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
]
SPEC_T2 = [
    "t2.rules.issued",
    "t2.rules.repealed",
    "t2.rules.in_force",
    "t2.normative.issued",
    "t2.normative.repealed",
    "t2.normative.in_force",
    "t2.license.decisions",
    "t2.penalty.decisions",
    "t2.coercion.decisions",
    "t2.fees.amount",
]
SPEC_FEES = ["s6.fee.notices", "s6.fee.notice_amount", "s6.fee.collected"]


def test_ids_are_exactly_the_specs() -> None:
    spec_t3 = {f"t3.{r}.{c}" for r in SPEC_T3_ROWS for c in SPEC_T3_COLUMNS}
    assert len(spec_t3) == 175 and len(SPEC_T4) == 15 and len(SPEC_T2) == 10 and len(SPEC_FEES) == 3
    assert {c for c in reg.CELLS if c.startswith("t3.")} == spec_t3
    assert {c for c in reg.CELLS if c.startswith("t4.")} == set(SPEC_T4)
    assert {c for c in reg.CELLS if c.startswith("t2.")} == set(SPEC_T2)
    assert {c for c in reg.CELLS if c.startswith("s6.")} == set(SPEC_FEES)
    assert len(reg.CELLS) == 203


def test_result_rows_are_the_21_of_the_spec() -> None:
    assert len(reg.T3_RESULT_ROWS) == 21
    assert reg.T3_RESULT_ROWS[0] == "granted" and reg.T3_RESULT_ROWS[-1] == "other.other"


def test_kinds() -> None:
    assert reg.CELLS["t2.fees.amount"].kind is reg.Kind.WAN_YUAN
    assert reg.CELLS["s6.fee.collected"].kind is reg.Kind.YUAN
    assert reg.CELLS["s6.fee.notice_amount"].kind is reg.Kind.YUAN
    assert reg.CELLS["s6.fee.notices"].kind is reg.Kind.COUNT
    assert all(c.kind is reg.Kind.COUNT for c in reg.CELLS.values() if c.table in ("t3", "t4"))


def test_totals_and_their_parts() -> None:
    assert reg.CELLS["t3.new.total"].parts == tuple(f"t3.new.{c}" for c in SPEC_T3_COLUMNS[:-1])
    assert reg.CELLS["t3.processed_total.natural"].parts == tuple(f"t3.{r}.natural" for r in reg.T3_RESULT_ROWS)
    assert reg.CELLS["t4.review.total"].parts == (
        "t4.review.upheld",
        "t4.review.corrected",
        "t4.review.other",
        "t4.review.pending",
    )
    assert not reg.CELLS["t3.new.natural"].is_total
    for c in reg.CELLS.values():
        assert all(p in reg.CELLS for p in c.parts)
    order = [c.id for c in reg.totals()]
    assert order.index("t3.processed_total.natural") < order.index("t3.processed_total.total")


def test_labels_are_unique_and_chinese() -> None:
    labels = [c.label for c in reg.CELLS.values()]
    assert len(set(labels)) == len(labels)
    assert reg.label_of("t3.denied.state_secret.natural") == "不予公开·属于国家秘密·自然人"
    assert reg.label_of("s5") == "五、存在的主要问题及改进情况"
    assert reg.label_of("meta.contact.phone") == "联系电话"


def test_flat_keys_cover_meta_sections_and_cells() -> None:
    assert len(reg.FLAT_KEYS) == len(set(reg.FLAT_KEYS)) == 203 + 8 + 7 + 5
    assert {"meta.agency", "meta.year", "preface", "s1", "s6"} <= set(reg.FLAT_KEYS)


def test_no_second_copy_of_the_labels() -> None:
    """Official labels are written once, in cells.py; everything else reads the registry."""
    root = Path(__file__).resolve().parent.parent
    long_labels = {a.label for a in (*reg.T3_ROWS, *reg.T2_COLUMNS) if len(a.label) >= 7}
    long_labels |= {f.label for f in reg.SECTIONS if len(f.label) >= 7}
    sources = [*root.joinpath("assistant").rglob("*.py"), *root.joinpath("ui").rglob("*.py"), root / "app.py"]
    offenders = []
    for path in sources:
        if path.name == "cells.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {label}" for label in long_labels if label in text]
    assert not offenders, offenders


def test_assistant_never_imports_streamlit() -> None:
    root = Path(__file__).resolve().parent.parent / "assistant"
    pattern = re.compile(r"^\s*(import streamlit|from streamlit)", re.M)
    assert not [p for p in root.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
