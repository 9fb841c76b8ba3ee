"""The offline engine over the clerks' own words (``fixtures/chat/clerk.yaml``), case by case.

The lead's held-out set (``heldout.yaml``) is scored by ``make bench`` when it is present; these
tests never need it.
"""

from __future__ import annotations

from collections import Counter

import pytest

from assistant import cells as reg
from assistant.engines.offline import OfflineEngine
from bench.engine import CLERK, HELDOUT, KINDS, Case, case_failures, converse, load_cases, score, sets

CASES = load_cases(CLERK)
ENGINE = OfflineEngine()


def test_the_clerk_set_covers_every_kind_the_issue_names() -> None:
    assert len(CASES) >= 105
    kinds = Counter(c.kind for c in CASES)
    assert set(kinds) == set(KINDS), kinds
    assert all(n >= 7 for n in kinds.values()), kinds
    assert sum(1 for c in CASES if c.kind == "corrections" and c.draft) >= 14
    assert sum(1 for c in CASES if len(c.turns) == 2) >= 7
    assert sum(1 for c in CASES for t in c.turns if t.ask) >= 15  # questions are part of the contract
    assert sum(1 for c in CASES for t in c.turns if t.material) >= 7
    assert sum(1 for c in CASES for t in c.turns if t.help) >= 7
    known = [c for c in CASES if c.known_miss]
    assert len(known) <= len(CASES) // 20, [c.id() for c in known]


def test_the_clerk_set_differs_from_the_first_set() -> None:
    # A conversation may open with a question the first set already asks ("单位申请了2件"): its answer is new.
    first = {c.msg for c in load_cases()}
    assert not first & {c.msg for c in CASES if len(c.turns) == 1}


@pytest.mark.parametrize("case", [c for c in CASES if not c.known_miss], ids=Case.id)
def test_clerk_message(case: Case) -> None:
    assert case_failures(ENGINE, case) == []


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_every_change_quotes_the_clerks_own_words(case: Case) -> None:
    for turn, proposal in zip(case.turns, converse(ENGINE, case), strict=True):
        for change in proposal.changes:
            assert change.known_key, change
            assert change.evidence and change.evidence in turn.msg, change
        assert proposal.reply
        assert "项均为0" not in proposal.reply and "识别到" not in proposal.reply


def test_the_bench_scores_each_set_per_kind() -> None:
    assert set(sets()) >= {"messages", "clerk"}
    assert ("heldout" in sets()) == HELDOUT.exists()  # scored whenever the lead puts it here
    total, kinds = score(ENGINE, CASES)
    assert total.total == len(CASES) and set(kinds) == set(KINDS)
    assert total.rate >= 0.95
    assert all(s.rate >= 0.85 for kind, s in kinds.items() if kind != "pasted"), kinds


def test_known_misses_say_why() -> None:
    for case in CASES:
        if case.known_miss:
            assert len(case.known_miss) > 20
            assert case_failures(ENGINE, case), f"{case.id()} passes now: drop its known_miss"


def test_expected_cells_exist() -> None:
    for case in CASES:
        for turn in case.turns:
            assert set(turn.expect) <= set(reg.CELLS)
            assert set(turn.material) <= set(reg.MATERIAL_SECTIONS)
