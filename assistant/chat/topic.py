"""What a paragraph is about so far, and the words-to-dimensions helpers the reading passes share.

``Topic`` carries, clause to clause, the row or group spoken of last and the applicant when one
applicant is the topic; ``ids`` and ``t3_rows`` read the dimensions a clause's words name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from assistant import cells as reg
from assistant.chat import lexicon as lx
from assistant.chat.lexicon import Token
from assistant.chat.record import Doc, Fact, Mode, Origin, Table

APPLICANTS = reg.T3_APPLICANT_COLUMNS
ORG_APPLICANTS = tuple(c.id for c in reg.T3_COLUMNS if c.group == "org")
T4_OUTCOMES = reg.T4_OUTCOMES
SUITS = tuple(grp.id for grp in reg.T4_GROUPS if grp.group == "litigation")
GROUP_ROWS = {grp.id: tuple(r.id for r in reg.T3_ROWS if r.group == grp.id) for grp in reg.T3_GROUPS}
INTAKE_ROWS = frozenset({"new", "carried_over"})


@dataclass
class Topic:
    """What the paragraph is about so far."""

    first: int  # index of the paragraph's first fact
    table: Table | None = None
    row: str | None = None
    appl: str | None = None  # the applicant that is the topic, when one is
    t4g: str | None = None
    t4c: str | None = None  # an outcome said before its count ("一审判我们败诉，…直接起诉的，1件")
    t2i: str | None = None
    fee: str | None = None
    breakdown: bool = False  # inside the parts of a total: their applicants are not the topic
    fix: bool = False  # "说错了" / "不是…": the next bare number corrects
    named: bool = False  # the last clause named a cell without a number ("公开出版物的，1件")
    listing: bool = False  # the last table-3 count named its applicant ("…法律服务机构1件，其他0件")
    appls_seen: set[str] = field(default_factory=set)
    words: list[Token] = field(default_factory=list)  # the words of the clause that named the topic
    only_appl: str | None = None  # "申请全是个人的" said before the count: the intake is all theirs
    weak_row: bool = False  # the row is "new" only because a clause said 申请 ("有个申请人借…，1件")


def own_facts(doc: Doc, topic: Topic) -> list[Fact]:
    """The paragraph's facts so far that were said (not zeros implied)."""
    return [f for f in doc.facts[topic.first :] if f.live and f.origin is not Origin.IMPLIED]


def ids(words: list[Token], cat: str) -> list[str]:
    seen: list[str] = []
    for t in words:
        if t.cat == cat and t.meaning is not None and t.id not in seen:
            seen.append(t.id)
    return seen


def t3_rows(words: list[Token]) -> list[str]:
    """Table-3 rows named; "收到的申请中予以公开8件" counts the result, not the intake."""
    rows = ids(words, lx.ROW)
    if "processed_total" in rows and (len(rows) > 1 or any(t.cat == lx.GROUP3 for t in words)):
        rows.remove("processed_total")  # "按不予处理答复了": how it was handled, not a count of 办结
    if "granted" in rows and any(r.startswith("denied.") for r in rows):
        rows.remove("granted")  # "公开了会影响三安全一稳定的": why it was not disclosed
    if "partial" in rows and any(r.startswith(("denied.", "unavailable.")) for r in rows):
        rows = [r for r in rows if not r.startswith(("denied.", "unavailable."))]  # 区分处理: only 部分公开
    if len(rows) > 1:
        results = [r for r in rows if r not in INTAKE_ROWS]
        rows = results or rows
    return rows


def set_topic(words: list[Token], topic: Topic) -> None:
    """A clause without numbers still says what the next ones are about ("个人申请的：")."""
    rows = t3_rows(words)
    if rows:
        topic.row, topic.table, topic.weak_row = rows[-1], "t3", False
    elif any(t.cat == lx.WEAK_NEW for t in words) and topic.row is None:
        topic.row, topic.table, topic.weak_row = "new", "t3", True
    appls = ids(words, lx.APPL)
    if len(appls) == 1:
        topic.appl, topic.breakdown = appls[0], False
        topic.table = topic.table or "t3"
    outcomes = ids(words, lx.T4C)
    if len(outcomes) == 1:
        topic.t4c, topic.table = outcomes[0], "t4"
    t4 = ids(words, lx.T4G)
    if t4:
        topic.t4g, topic.table = t4[-1], "t4"
    elif any(t.cat == lx.LIT for t in words):
        topic.t4g, topic.table = None, "t4"
    items = ids(words, lx.T2I)
    if items:
        topic.t2i, topic.table = items[-1], "t2"
    fees = ids(words, lx.FEE)
    if fees:
        topic.fee, topic.table = fees[-1], "fee"


def joined(fact: Fact, span: tuple[int, int]) -> tuple[int, int]:
    if fact.origin is Origin.PREVIOUS:
        return span
    return (min(fact.span[0], span[0]), max(fact.span[1], span[1]))


def intake_by_applicant(counted: list[Fact]) -> list[Fact]:
    """New and carried-over counts summed per applicant (one fact each)."""
    sums: dict[str | None, Fact] = {}
    unplaced = all(f.col is None for f in counted)
    for f in counted:
        if f.row in INTAKE_ROWS and (f.col is not None or unplaced):
            if f.col in sums:
                sums[f.col] = replace(sums[f.col], value=sums[f.col].value + f.value,
                                      span=(min(sums[f.col].span[0], f.span[0]), max(sums[f.col].span[1], f.span[1])))
            else:
                sums[f.col] = replace(f)
    return list(sums.values())


def implied_zeros(doc: Doc, fact: Fact, columns: tuple[str, ...], given: tuple[str | None, ...] = ()) -> None:
    """The other columns of a count that "都是…" or complete parts cover: 0.

    Not for an addition: "又来了2件，都是企业的" says nothing of the applications the draft holds."""
    if fact.mode in (Mode.ADD, Mode.SUBTRACT):
        return
    skip = {fact.col, *given}
    for col in columns:
        if col not in skip:
            doc.facts.append(Fact(fact.table, fact.row, col, Decimal(0), "", fact.span, fact.sentence,
                                  origin=Origin.IMPLIED))
