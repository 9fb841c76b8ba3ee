"""The shared record the chat's passes annotate: a message, its clauses, its facts and questions.

A ``Fact`` is one number said about one cell, or about a count still missing a dimension (the
applicant, the reason, the table-4 group…). Its ``status`` says where it stands in the reading;
``origin``, ``mode`` and ``extent`` say how it was said. Each pass changes only the part of the
record it owns (see ``assistant.chat``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from assistant.changes import Change
from assistant.chat.lexicon import Token
from assistant.engines.base import ChatContext, PendingItem
from assistant.model import Report

Table = Literal["t3", "t4", "t2", "fee"]
Missing = Literal["", "appl", "org", "row", "t4col", "t4group", "t2col", "table"]


class Status(StrEnum):
    """Where a fact stands."""

    READY = "ready"  # a value for a cell, to be proposed
    OPEN = "open"  # a count still missing a dimension: parts, 都…, the draft or a reply may complete it
    COVERED = "covered"  # a total whose parts were given: the parts are proposed, not it
    SUBSET = "subset"  # a mention of part of a count already known ("那12件里", "其中1人申请了3件")
    ASKED = "asked"  # given up with a question to the clerk
    REPLACED = "replaced"  # superseded by a correction or a later reading


class Origin(StrEnum):
    """How a fact came to be."""

    SAID = "said"  # a number in the message
    IMPLIED = "implied"  # a zero implied by "都是…" or by parts that cover their total
    DERIVED = "derived"  # copied by a distribution ("全部予以公开")
    PREVIOUS = "previous"  # an open count of the last turn, waiting for this answer


class Mode(StrEnum):
    """What the number does to the cell."""

    SET = "set"  # the value of the cell
    CORRECT = "correct"  # the value, said as a correction: wins over an earlier one
    ADD = "add"  # added to the draft's value ("又收到2件", "少算了2件")
    SUBTRACT = "subtract"  # taken from the draft's value ("多算了1件")


class Extent(StrEnum):
    """Whether a count is all of its row (or group) or only a part of it."""

    WHOLE = "whole"  # "行政复议2件": the other outcomes of the group are 0 once the outcome is said
    PART = "part"  # "撤回的1件": its outcome says nothing of the others
    KNOWN = "known"  # "那12件里", "这15件中": all of a count said before; not a new value if the draft has it


@dataclass
class Fact:
    table: Table | None
    row: str | None  # t3 row, t4 group, t2 item, fee cell id
    col: str | None  # t3 applicant, t4 outcome, t2 column
    value: Decimal
    unit: str
    span: tuple[int, int]
    sentence: int
    group3: str | None = None  # the t3 result group when its row is not known yet
    status: Status = Status.READY
    origin: Origin = Origin.SAID
    mode: Mode = Mode.SET
    extent: Extent = Extent.WHOLE
    org_only: bool = False  # an applicant said only as 单位/法人: one of the organisation columns
    words: str = ""  # the words naming the subset ("环保协会", "上半年"): different words add up
    evidence: str = ""  # set for facts of an earlier turn (their words are not in this message)
    now: Decimal | None = None  # "再加1件，现在是11件": the value the clerk expects after the addition
    number_at: int = -1  # where its number stands in the message
    count_first: bool = False  # "复议1件，维持": the group's count said before its outcome

    @property
    def missing(self) -> Missing:
        if self.table is None:
            return "table"
        if self.table == "t3" and self.row is None:
            return "row"
        if self.table == "t3" and self.col is None:
            return "org" if self.org_only else "appl"
        if self.table == "t4" and self.row is None:
            return "t4group"
        if self.table == "t4" and self.col is None:
            return "t4col"
        if self.table == "t2" and self.col is None:
            return "t2col"
        return ""

    @property
    def live(self) -> bool:
        """Still part of the reading (not given up, replaced, covered or a mere mention)."""
        return self.status in (Status.READY, Status.OPEN)

    @property
    def said(self) -> bool:
        return self.origin in (Origin.SAID, Origin.PREVIOUS)

    def cell(self) -> str | None:
        if self.table == "fee":
            return self.row
        if self.table is None or self.row is None or self.col is None:
            return None
        return f"{self.table}.{self.row}.{self.col}"


@dataclass
class Clause:
    """A stretch of a sentence between commas, with its tokens."""

    span: tuple[int, int]
    sentence: int
    paragraph: int
    tokens: list[Token]
    consumed: bool = False  # read by an earlier pass (a correction that moves a count)

    @property
    def quantities(self) -> list[Token]:
        return [t for t in self.tokens if t.is_quantity]


@dataclass
class Question:
    key: str  # a key of ``questions.QUESTIONS``
    text: str
    fact: Fact | None = None  # the open fact the question is about, kept for the next turn


@dataclass
class Statement:
    """Words with no cell that belong in a section's text."""

    section: str
    text: str
    evidence: str = ""  # the longest stretch of the clerk's own words in it, exactly as typed


@dataclass
class Doc:
    """One message read against the draft (and the conversation so far)."""

    text: str
    norm: str
    report: Report
    kind: str = "chat"
    context: ChatContext | None = None
    tokens: list[Token] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    material: list[Statement] = field(default_factory=list)
    help: str = ""
    pasted: bool = False  # the message looks like table rows that the table reader could not read
    last_cells: list[str] = field(default_factory=list)
    last_values: dict[str, Decimal] = field(default_factory=dict)
    paragraph_starts: list[int] = field(default_factory=list)  # index of each paragraph's first fact
    carried: list[tuple[Fact, PendingItem]] = field(default_factory=list)  # open counts of the last turn
    unchanged: int = 0  # values said that the draft already holds
    masked: list[tuple[int, int]] = field(default_factory=list)  # markup, links, clock times: not words

    def ask(self, key: str, fact: Fact | None = None, **fields: object) -> None:
        from assistant.chat.questions import question_text

        text = question_text(key, **fields)
        if all(q.text != text for q in self.questions):
            self.questions.append(Question(key, text, fact))

    def known(self, cell_id: str) -> Decimal | None:
        """A cell's value as the clerk last saw it: the draft's, else what the last turn proposed."""
        value = self.report.get(cell_id)
        if value is None and self.context is not None:
            return self.context.last_values.get(cell_id)
        return None if value is None else Decimal(value)

    def evidence(self, span: tuple[int, int]) -> str:
        """The clerk's own words for a span, without the punctuation around it."""
        a, b = span
        src = self.text
        while a < b and (src[a].isspace() or self.norm[a].isspace() or self.norm[a] in _PUNCT):
            a += 1
        while b > a and (src[b - 1].isspace() or self.norm[b - 1].isspace() or self.norm[b - 1] in _PUNCT):
            b -= 1
        return src[a:b]

    def pieces(self, a: int, b: int) -> list[str]:
        """The clerk's words between ``a`` and ``b``, in the pieces the markup and links leave."""
        kept, at = [], a
        for m, n in self.masked:
            if n <= at or m >= b:
                continue
            kept.append(self.text[at:m])
            at = max(at, n)
        kept.append(self.text[at:b])
        return [p for p in (_DANGLING.sub("", k.strip()).strip() for k in kept) if p]

    def words(self, a: int, b: int) -> str:
        """The clerk's words between ``a`` and ``b`` without the markup and links in them."""
        return " ".join(self.pieces(a, b))


_PUNCT = frozenset("，,。；;：:！!？?、")
# What a removed link leaves behind: "（详见", "网址：", "）".
_DANGLING = re.compile(r"^[)）\]】]|[(（\[【]?\s*(?:详见|参见|见|链接|网址|地址|网站)?\s*[:：]?\s*[)）\]】]?$")
