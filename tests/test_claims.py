"""What the narrative says about the tables, and rule TEXT-TABLE on it (table-driven)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.claims import find_claims
from assistant.model import Report
from assistant.validator import validate
from tests.helpers import assert_clean, assert_finding, failed, ziqiang

NEW, CARRIED, PROCESSED = "t3.new.total", "t3.carried_over.total", "t3.processed_total.total"
SUITS = ("t4.suit_direct.total", "t4.suit_after_review.total")
ORG = ("commercial", "research", "social", "legal", "other")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共受理政府信息公开申请749件。", [("受理政府信息公开申请749件", ((NEW,), (NEW, CARRIED)), 749)]),
        ("共收到政府信息公开申请12件。", [("共收到政府信息公开申请12件", ((NEW,),), 12)]),
        ("共收到申请877件（含上年结转18件）。", [("共收到申请877件", ((NEW,), (NEW, CARRIED)), 877), ("上年结转18件", ((CARRIED,),), 18)]),
        ("全年办结政府信息公开申请29件。", [("办结政府信息公开申请29件", ((PROCESSED,),), 29)]),
        ("答复申请人申请10件。", []),  # "申请人" is not a count of 申请
        ("收到申请30件，办结28件，结转下年度2件。", [
            ("收到申请30件", ((NEW,),), 30),
            ("办结28件", ((PROCESSED,),), 28),
            ("结转下年度2件", (("t3.carried_forward.total",),), 2),
        ]),
        ("共办理政府信息公开申请31件。", [("办理政府信息公开申请31件", ((NEW,), (NEW, CARRIED), (PROCESSED,)), 31)]),
        # scope: a channel, 其中, an applicant column
        ("全年收到网上申请30件。", []),
        ("其中通过网站接收申请8件。", []),
        ("收到自然人申请12件。", [("收到自然人申请12件", (("t3.new.natural",),), 12)]),
        (
            "收到申请100件，其中自然人申请80件、法人或其他组织申请20件。",
            [
                ("收到申请100件", ((NEW,),), 100),
                ("自然人申请80件", (("t3.new.natural",),), 80),
                ("法人或其他组织申请20件", (tuple(f"t3.new.{c}" for c in ORG),), 20),
            ],
        ),
        ("办结上年结转申请3件。", []),
        # 行政复议 / 行政诉讼 and their scope
        ("行政复议7件，诉讼9件。", [("行政复议7件", (("t4.review.total",),), 7), ("诉讼9件", (SUITS,), 9)]),
        ("行政复议和行政诉讼共5件。", [("行政复议和行政诉讼共5件", (("t4.review.total", *SUITS),), 5)]),
        ("提起行政诉讼2件。", [("行政诉讼2件", (SUITS,), 2)]),
    ],
)
def test_claims(text: str, expected: list[tuple[str, tuple[tuple[str, ...], ...], int]]) -> None:
    got = [(c.quote, c.readings, c.value) for c in find_claims(text) if c.key == "fail"]
    assert got == [(q, r, Decimal(v)) for q, r, v in expected]


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("行政复议7件，诉讼9件，均获维持。", ("t4.review", "t4.suit_direct", "t4.suit_after_review")),
        ("被申请行政复议2件，结果均为维持。", ("t4.review",)),
        ("行政诉讼3件，全部维持。", ("t4.suit_direct", "t4.suit_after_review")),
    ],
)
def test_all_upheld_claims_every_case_of_the_groups_named(text: str, cells: tuple[str, ...]) -> None:
    (claim,) = [c for c in find_claims(text) if c.key == "not_all_upheld"]
    assert claim.value == 0
    assert claim.cells == tuple(f"{g}.{o}" for g in cells for o in ("corrected", "other", "pending"))
    (settled,) = [c for c in find_claims("行政复议2件，已审结的均获维持。") if c.key == "not_all_upheld"]
    assert settled.cells == ("t4.review.corrected", "t4.review.other")
    assert not [c for c in find_claims("依法维持社会稳定，均获好评。") if c.key == "not_all_upheld"]


def with_tables(text: str, **cells: int) -> Report:
    """ziqiang (all zeros) with 新收 40 + 上年结转 2 = 办结 39 + 结转 3 in the 自然人 column, and ``cells``."""
    values: dict[str, object] = {
        "t3.new.natural": 40,
        "t3.new.total": 40,
        "t3.carried_over.natural": 2,
        "t3.carried_over.total": 2,
        "t3.granted.natural": 39,
        "t3.granted.total": 39,
        "t3.processed_total.natural": 39,
        "t3.processed_total.total": 39,
        "t3.carried_forward.natural": 3,
        "t3.carried_forward.total": 3,
        "s1": text,
        **cells,
    }
    return ziqiang().with_values(values)


NARRATIVE = (
    "全年共受理政府信息公开申请42件；答复政府信息公开申请39件（含上年度结转申请2件，"
    "另有3件申请按照《条例》顺延到下年度答复），均在法定期限内予以答复。"
)


def test_accepted_counts_new_and_carried_over_before_it_disagrees() -> None:
    assert_clean(with_tables(NARRATIVE), "TEXT-TABLE")  # 受理42 = 新收40 + 上年结转2
    assert_clean(with_tables(NARRATIVE.replace("42件", "40件")), "TEXT-TABLE")  # 受理40 = 新收40
    f = assert_finding(with_tables(NARRATIVE.replace("42件", "41件")), "TEXT-TABLE", cells=["t3.new.total"], expected=40)
    assert f.message == "一、总体情况写“受理政府信息公开申请41件”，但表三“本年新收政府信息公开申请数量”总计为40，二者不一致。"


@pytest.mark.parametrize("phrase", ["答复政府信息公开申请38件", "办结政府信息公开申请38件", "办结38件"])
def test_answered_and_closed_counts_are_checked(phrase: str) -> None:
    r = with_tables(f"全年收到申请40件，{phrase}。")
    f = assert_finding(r, "TEXT-TABLE", cells=["t3.processed_total.total"], expected=39)
    assert phrase.replace("政府信息公开", "") in f.message.replace("政府信息公开", "")


def test_all_upheld_against_pending_or_corrected_cases() -> None:
    text = "因政府信息公开被申请行政复议3件，提起行政诉讼1件，均获维持。"
    upheld = {"t4.review.upheld": 3, "t4.review.total": 3, "t4.suit_direct.upheld": 1, "t4.suit_direct.total": 1}
    assert_clean(with_tables(text, **upheld), "TEXT-TABLE")
    pending = {**upheld, "t4.review.upheld": 2, "t4.review.pending": 1}
    f = assert_finding(with_tables(text, **pending), "TEXT-TABLE", "not_all_upheld", cells=["t4.review.pending"])
    assert f.message == (
        "一、总体情况写“因政府信息公开被申请行政复议3件，提起行政诉讼1件，均获维持”，"
        "但表四“行政复议·尚未审结”为1，二者不一致。"
    )
    corrected = {**upheld, "t4.suit_direct.upheld": 0, "t4.suit_direct.corrected": 1}
    f = assert_finding(with_tables(text, **corrected), "TEXT-TABLE", "not_all_upheld")
    assert "“行政诉讼·未经复议直接起诉·结果纠正”为1" in f.message


def test_applicant_scope_is_read_with_its_column() -> None:
    text = "收到申请40件，其中自然人申请40件。"
    assert_clean(with_tables(text), "TEXT-TABLE")
    f = assert_finding(with_tables(text.replace("自然人申请40件", "自然人申请30件")), "TEXT-TABLE", cells=["t3.new.natural"])
    assert f.expected == 40


def test_a_claim_about_another_year_is_not_compared() -> None:
    r = with_tables("2024年收到申请40件，较2023年收到申请21件有所增加；去年受理申请21件。")
    assert failed(validate(r), "TEXT-TABLE") == []
