"""The offline engine: deterministic Chinese extraction over the cell registry, no network.

A message is read paragraph by paragraph, clause by clause (split at ，。；：！？ and line breaks).
In each clause the numbers are paired with the words around them (the applicant, the table-3 row,
the table-4 group and outcome, the table-2 item and column, the fee cell). What a clause leaves
open is taken from the paragraph so far: the row or group spoken of last, and the applicant when
one applicant is the topic. Then the grammar of the paragraph is applied:

- a total followed by its parts ("共收到15件，其中个人12件，企业3件") is checked against them and
  not proposed when they cover it (the applicants not named are then 0);
- "都是个人", "全部予以公开", "都维持了" distribute what was just counted;
- "没有…" / "未…" without a number means 0 for everything it names;
- "改为", "应该是", "不是8件，是9件", "说错了…" keep only the corrected number.

Whatever stays unclear becomes a question, never a guess: a count without its applicant is
proposed as its row's total with a question; a 不予公开 without its reason is not proposed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.changes import Change
from assistant.engines import offline_grammar as g
from assistant.engines.base import Proposal, SourceKind, report_of
from assistant.model import Report
from assistant.numbers import Value, format_value, to_kind

if TYPE_CHECKING:
    from assistant.editing import Draft

Table = Literal["t3", "t4", "t2", "fee"]
Missing = Literal["", "appl", "row", "t4col", "t4group"]

_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
APPLICANTS = reg.T3_APPLICANT_COLUMNS
T4_OUTCOMES = reg.T4_OUTCOMES
SUITS = tuple(grp.id for grp in reg.T4_GROUPS if grp.group == "litigation")
_GROUP_ROWS = {grp.id: tuple(r.id for r in reg.T3_ROWS if r.group == grp.id) for grp in reg.T3_GROUPS}
_INTAKE_ROWS = frozenset({"new", "carried_over"})
_ALL_WORDS = ("全部", "都", "均", "全")  # a row word that starts so says "all of them" ("全部予以公开")
_ROW_WORDS = frozenset({g.ROW, g.GROUP3, g.WEAK_NEW, g.T4G, g.LIT, g.T2I, g.FEE})
_MAX_REPLY_ITEMS = 12


@dataclass
class Fact:
    """One number said about one cell, or about a total still to be broken down."""

    table: Table
    row: str | None  # t3 row, t4 group, t2 item, fee cell id
    col: str | None  # t3 applicant, t4 outcome, t2 column
    value: Decimal
    unit: str
    span: tuple[int, int]
    sentence: int
    group3: str | None = None  # the t3 result group when its row is not known yet
    again: bool = False  # "又收到2件": added to the draft's value
    implied: bool = False  # a zero implied by "都是…" or by parts covering their total
    derived: bool = False  # copied by a distribution ("全部予以公开")
    corrected: bool = False  # said as a correction: wins over an earlier value
    qualified: bool = False  # a subset ("撤回的1件"): its outcome does not make the others 0
    dropped: bool = False

    @property
    def missing(self) -> Missing:
        if self.table == "t3" and self.row is None:
            return "row"
        if self.table == "t3" and self.col is None:
            return "appl"
        if self.table == "t4" and self.row is None:
            return "t4group"
        if self.table == "t4" and self.col is None:
            return "t4col"
        return ""


@dataclass
class _Context:
    """What the paragraph is about so far."""

    first: int  # index of the paragraph's first fact in the reading
    table: Table | None = None
    row: str | None = None
    appl: str | None = None  # the applicant that is the topic, when one is
    t4g: str | None = None
    t2i: str | None = None
    fee: str | None = None
    breakdown: bool = False  # inside the parts of a total: their applicants are not the topic
    fix: bool = False  # "说错了" / "不是…": the next bare number corrects
    topic: bool = False  # the last clause named a cell without a number ("公开出版物的，1件")
    listing: bool = False  # the last table-3 count named its applicant ("…法律服务机构1件，其他0件")
    appls_seen: set[str] = field(default_factory=set)  # every applicant the paragraph named


@dataclass
class Reading:
    """Everything read from one source, before it becomes changes."""

    facts: list[Fact] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def ask(self, question: str) -> None:
        if question not in self.questions:
            self.questions.append(question)


class OfflineEngine:
    """Deterministic extraction over the registry's words; the default engine."""

    name = "offline"

    def propose(self, source: str, draft: Report | Draft | None = None, *, kind: SourceKind = "chat") -> Proposal:
        report = report_of(draft)
        reading = read(source, report)
        changes = _changes(reading, source, report)
        return Proposal(
            changes=changes,
            reply=_reply(changes, reading, report, kind),
            questions=reading.questions,
            engine=self.name,
        )


# ------------------------------------------------------------------------------------------------
# Reading clauses


def read(source: str, report: Report | None = None) -> Reading:
    """Every fact and question in ``source``, paragraph by paragraph."""
    report = report or Report()
    norm = g.normalise(source)
    reading = Reading()
    tokens = g.tokenize(norm)
    start = 0
    for para_end in [*(m.start() for m in re.finditer(r"\n", norm)), len(norm)]:
        para_tokens = [t for t in tokens if start <= t.start < para_end]
        if para_tokens:
            _read_paragraph(norm, start, para_end, para_tokens, reading, report)
        start = para_end + 1
    return reading


def _read_paragraph(norm: str, start: int, end: int, tokens: list[g.Token], reading: Reading, report: Report) -> None:
    ctx = _Context(first=len(reading.facts))
    cuts = [start, *(m.end() for m in _CLAUSE_END.finditer(norm, start, end)), end]
    sentence_cuts = [m.end() for m in _SENTENCE_END.finditer(norm, start, end)]
    for a, b in itertools.pairwise(cuts):
        clause = [t for t in tokens if a <= t.start < b]
        if clause:
            sentence = sum(1 for c in sentence_cuts if c <= a)
            _read_clause(clause, (a, b), sentence, ctx, reading)
    _resolve_heads(reading, ctx.first)
    _resolve_open(reading, ctx.first, report)


def _read_clause(tokens: list[g.Token], span: tuple[int, int], sentence: int, ctx: _Context, reading: Reading) -> None:
    tokens = [t for t in (_which_other(t, tokens, ctx) for t in tokens) if t is not None]
    cats = [t.cat for t in tokens]
    fix = ctx.fix or g.FIX in cats or g.CORR in cats
    # Corrections: only numbers after "改为/应该是" count, and "不是8件" is not a value.
    if g.CORR in cats:
        last = max(i for i, c in enumerate(cats) if c == g.CORR)
        tokens = [t for i, t in enumerate(tokens) if not (t.is_number and i < last)]
    kept = [t for i, t in enumerate(tokens) if not (t.is_number and i > 0 and tokens[i - 1].cat == g.NOT)]
    if len(kept) < len(tokens):
        fix = True
    tokens = kept
    cats = [t.cat for t in tokens]
    if not any(t.is_number for t in tokens):
        _read_wordy_clause(tokens, span, sentence, ctx, reading)
        ctx.fix = fix
        return
    # "12件申请全部予以公开": the numbers before 全部, then what 全部 says about them.
    tail: list[g.Token] = []
    dist_at = next((i for i, c in enumerate(cats) if c == g.DIST), None)
    if dist_at is not None and not any(t.is_number for t in tokens[dist_at:]):
        before, after = tokens[:dist_at], tokens[dist_at + 1 :]
        if any(t.cat in g.TARGETS for t in after):
            if any(t.cat in _ROW_WORDS for t in before):
                tokens, tail = before, after
            else:
                tokens = before + after  # "这5件都公开了", "律所的2件都是部分公开": the number's own words
    for words, number in _slots(tokens):
        _fact_from_slot(words, number, span, sentence, ctx, reading, fix=fix)
    ctx.fix = False
    ctx.topic = False
    if tail:
        _distribute(tail, span, ctx, reading)


def _which_other(token: g.Token, clause: list[g.Token], ctx: _Context) -> g.Token | None:
    """ "其他" is the 其他 applicant in a list of applicants, 其他结果 in table 4, else 其他处理."""
    if token.cat != g.OTHER:
        return token
    cats = {t.cat for t in clause}
    if cats & {g.T4G, g.T4C, g.LIT} or (ctx.table == "t4" and not cats & {g.ROW, g.APPL}):
        meaning = g.Meaning(g.T4C, "other")
    elif g.APPL in cats or ctx.listing:
        meaning = g.Meaning(g.APPL, "other")
    elif g.ROW in cats or ctx.table == "t3":
        meaning = g.Meaning(g.ROW, "other.other")
    else:
        return None
    return replace(token, meaning=meaning)


def _read_wordy_clause(
    tokens: list[g.Token], span: tuple[int, int], sentence: int, ctx: _Context, reading: Reading
) -> None:
    """A clause without numbers: a zero, a distribution, or the topic of what follows."""
    targets = [t for t in tokens if t.cat in g.TARGETS]
    if not targets:
        return
    cats = {t.cat for t in tokens}
    says_all = g.DIST in cats or any(t.cat == g.ROW and t.text.startswith(_ALL_WORDS) for t in tokens)
    if g.NEG in cats:
        _zero(tokens, span, sentence, ctx, reading)
    elif says_all or _fills_open(targets, sentence, ctx, reading):
        _distribute([t for t in tokens if t.cat != g.DIST], span, ctx, reading)
    else:
        _set_context(tokens, ctx)
        ctx.topic = True


def _fills_open(targets: list[g.Token], sentence: int, ctx: _Context, reading: Reading) -> bool:
    """Whether a clause names exactly what the last count left open ("行政复议1件，结果纠正")."""
    own = [f for f in reading.facts[ctx.first :] if not f.dropped and not f.implied and not f.derived]
    if not own:
        return False
    last = own[-1]
    cats = {t.cat for t in targets if t.cat != g.WEAK_NEW}
    ids = {t.meaning.id for t in targets if t.meaning is not None and t.cat != g.WEAK_NEW}
    if last.missing == "appl" and cats == {g.APPL} and len(ids) == 1:
        return True
    if last.table == "t4" and last.missing and cats <= {g.T4C, g.T4G, g.LIT} and len(ids) <= 2:
        return True
    if last.missing == "row" and cats == {g.ROW}:
        return all(i in _GROUP_ROWS.get(last.group3 or "", ()) for i in ids)
    # "企业申请的2件，因为涉及商业秘密不予公开": the result of the applications just counted.
    rows = [t.meaning.id for t in targets if t.cat == g.ROW and t.meaning is not None]
    return (
        last.table == "t3"
        and last.row in _INTAKE_ROWS
        and last.sentence == sentence
        and cats <= {g.ROW, g.GROUP3, g.APPL}
        and len(set(rows)) <= 1
        and not any(r in _INTAKE_ROWS for r in rows)
        and bool(cats & {g.ROW, g.GROUP3})
    )


def _slots(tokens: list[g.Token]) -> list[tuple[list[g.Token], g.Token]]:
    """Each number with the words that belong to it.

    Words before a number belong to it ("个人12件"); when the clause starts with a number the words
    after it do ("8件予以公开"). Words after the last number that no earlier number has are shared
    ("个人8件、企业2件予以公开"). "分别" pairs names and numbers in order.
    """
    numbers = [i for i, t in enumerate(tokens) if t.is_number]
    slots: list[tuple[list[g.Token], g.Token]] = []
    if any(t.cat in g.TARGETS for t in tokens[: numbers[0]]):
        prev = 0
        for i in numbers:
            slots.append(([t for t in tokens[prev:i] if not t.is_number], tokens[i]))
            prev = i + 1
        trailing = [t for t in tokens[prev:] if not t.is_number]
        for words, _ in slots[:-1]:
            have = {t.cat for t in words}
            words.extend(t for t in trailing if t.cat in g.TARGETS and t.cat not in have)
        slots[-1][0].extend(trailing)
    else:
        for k, i in enumerate(numbers):
            end = numbers[k + 1] if k + 1 < len(numbers) else len(tokens)
            slots.append(([t for t in tokens[i + 1 : end] if not t.is_number], tokens[i]))
    return _respectively(slots, tokens)


def _respectively(
    slots: list[tuple[list[g.Token], g.Token]], tokens: list[g.Token]
) -> list[tuple[list[g.Token], g.Token]]:
    """ "个人和企业分别为5件、3件": the first slot holds every name; give each number its own."""
    if len(slots) < 2 or not any(t.cat == g.RESP for t in tokens):
        return slots
    first_words = slots[0][0]
    for cat in (g.APPL, g.ROW, g.T4C, g.T4G, g.T2C, g.T2I, g.FEE):
        named = [t for t in first_words if t.cat == cat]
        if len(named) == len(slots) and all(not any(t.cat == cat for t in w) for w, _ in slots[1:]):
            shared = [t for t in first_words if t.cat != cat]
            return [([*shared, named[k], *(w if k else [])], n) for k, (w, n) in enumerate(slots)]
    return slots


def _ids(words: Iterable[g.Token], cat: str) -> list[str]:
    seen: list[str] = []
    for t in words:
        if t.cat == cat and t.meaning is not None and t.meaning.id not in seen:
            seen.append(t.meaning.id)
    return seen


def _t3_rows(words: Iterable[g.Token]) -> list[str]:
    """Table-3 rows named; "收到的申请中予以公开8件" counts the result, not the intake."""
    rows = _ids(words, g.ROW)
    if len(rows) > 1:
        results = [r for r in rows if r not in _INTAKE_ROWS]
        rows = results or rows
    return rows


def _set_context(words: list[g.Token], ctx: _Context) -> None:
    """A clause without numbers still says what the next ones are about ("个人申请的：")."""
    rows = _t3_rows(words)
    if rows:
        ctx.row, ctx.table = rows[-1], "t3"
    elif any(t.cat == g.WEAK_NEW for t in words) and ctx.row is None:
        ctx.row, ctx.table = "new", "t3"
    appls = _ids(words, g.APPL)
    if len(appls) == 1:
        ctx.appl, ctx.breakdown = appls[0], False
        ctx.table = ctx.table or "t3"
    t4 = _ids(words, g.T4G)
    if t4:
        ctx.t4g, ctx.table = t4[-1], "t4"
    elif any(t.cat == g.LIT for t in words):
        ctx.t4g, ctx.table = None, "t4"
    items = _ids(words, g.T2I)
    if items:
        ctx.t2i, ctx.table = items[-1], "t2"
    fees = _ids(words, g.FEE)
    if fees:
        ctx.fee, ctx.table = fees[-1], "fee"


def _table_of(words: list[g.Token], number: g.Token, ctx: _Context) -> Table | None:
    cats = {t.cat for t in words}
    t3_words = cats & {g.ROW, g.GROUP3, g.APPL, g.ORG}
    if g.FEE in cats:
        return "fee"
    if g.T2I in cats:
        return "t2"
    if g.T4G in cats or g.LIT in cats:
        return "t4"
    if g.T4C in cats and (ctx.table == "t4" or not t3_words):
        return "t4"
    if g.T2C in cats and ctx.table == "t2" and not t3_words:
        return "t2"
    if t3_words or g.WEAK_NEW in cats:
        return "t3"
    if number.unit in g.MONEY_UNITS and ctx.table in ("fee", "t2"):
        return ctx.table
    if ctx.table in ("t4", "t2", "fee") and g.TOTAL in cats:
        return ctx.table
    if ctx.topic and ctx.table is not None:
        return ctx.table
    return None


def _fact_from_slot(
    words: list[g.Token],
    number: g.Token,
    clause: tuple[int, int],
    sentence: int,
    ctx: _Context,
    reading: Reading,
    *,
    fix: bool,
) -> None:
    assert number.value is not None
    table = _table_of(words, number, ctx)
    if table is None:
        own = [f for f in reading.facts[ctx.first :] if not f.dropped and not f.implied]
        if fix and own:
            # "说错了，是9件": the last number said is replaced.
            last = own[-1]
            reading.facts.append(replace(last, value=number.value, unit=number.unit or last.unit, corrected=True))
            last.dropped = True
        elif fix and ctx.table == "t3" and ctx.row:
            fact = Fact("t3", ctx.row, ctx.appl, number.value, number.unit, clause, sentence, corrected=True)
            reading.facts.append(fact)
        elif number.unit:
            reading.ask(f"“{number.text.strip()}”指的是哪一项？请说明是哪类申请、哪种办理结果或哪张表的数字。")
        return
    again = any(t.cat == g.AGAIN for t in words)
    fact = Fact(table, None, None, number.value, number.unit, clause, sentence, again=again, corrected=fix)
    each = any(t.cat == g.EACH for t in words)
    if table == "t3":
        facts = _t3_facts(fact, words, ctx, reading, each)
    elif table == "t4":
        facts = _t4_facts(fact, words, ctx, reading, each)
    elif table == "t2":
        facts = _t2_facts(fact, words, ctx, reading)
    else:
        facts = _fee_facts(fact, words, ctx)
    reading.facts.extend(facts)
    if facts:
        ctx.table = table


def _t3_facts(fact: Fact, words: list[g.Token], ctx: _Context, reading: Reading, each: bool) -> list[Fact]:
    n = format_value(fact.value)
    if fact.unit in g.MONEY_UNITS:
        reading.ask(f"“{n}{fact.unit}”是金额，表三只填件数，请说明这个金额指什么。")
        return []
    rows = _t3_rows(words)
    groups = _ids(words, g.GROUP3)
    if len(rows) > 1 and not each:
        labels = "、".join(reg.t3_row_label(r) for r in rows)
        reading.ask(f"“{n}件”同时提到了{labels}，请分别说明各是多少件。")
        return []
    weak = any(t.cat == g.WEAK_NEW for t in words)
    if rows:
        fact.row = rows[0]
    elif groups:
        fact.group3 = groups[0]
    elif weak and not ctx.breakdown:
        fact.row = "new"
    elif ctx.row is not None:
        fact.row = ctx.row
    elif weak:
        fact.row = "new"
    else:
        reading.ask(f"“{n}件”是新收的申请，还是某种办理结果？请说明。")
        return []
    ctx.row = fact.row or ctx.row
    appls = _ids(words, g.APPL)
    ctx.listing = bool(appls)
    ctx.appls_seen.update(appls)
    if any(t.cat == g.ORG for t in words) and not appls:
        reading.ask(f"“{n}件”的申请人是法人或其他组织，具体是商业企业、科研机构、社会公益组织、法律服务机构还是其他组织？")
        return []
    if len(appls) > 1 and not each:
        names = "、".join(reg.T3_COLUMN[a].label for a in appls)
        reading.ask(f"“{n}件”涉及{names}，请分别说明各是多少件。")
        return []
    if appls:
        if _pending_head(reading, ctx, fact):
            ctx.breakdown = True
        elif not ctx.breakdown and len(appls) == 1:
            ctx.appl = appls[0]
        if len(rows) > 1:
            return [replace(fact, row=r, col=a) for r in rows for a in appls]
        return [replace(fact, col=a) for a in appls]
    if ctx.breakdown:
        ctx.breakdown = False
        ctx.appl = None
    # "上年结转0件" says the whole row is 0, whoever the topic is.
    fact.col = ctx.appl if fact.value != 0 else None
    if len(rows) > 1:
        return [replace(fact, row=r) for r in rows]
    return [fact]


def _pending_head(reading: Reading, ctx: _Context, fact: Fact) -> bool:
    """Whether an earlier count of the same row still waits for its applicants."""
    return any(
        f.table == "t3" and f.row == fact.row and f.col is None and not f.dropped for f in reading.facts[ctx.first :]
    )


def _t4_facts(fact: Fact, words: list[g.Token], ctx: _Context, reading: Reading, each: bool) -> list[Fact]:
    n = format_value(fact.value)
    if fact.unit in g.MONEY_UNITS:
        reading.ask(f"“{n}{fact.unit}”是金额，表四只填件数，请说明这个金额指什么。")
        return []
    groups = _ids(words, g.T4G)
    lit = any(t.cat == g.LIT for t in words)
    if len(groups) > 1 and not each:
        reading.ask(f"“{n}件”同时提到了{'、'.join(reg.T4_GROUP[x].label for x in groups)}，请分别说明。")
        return []
    if groups:
        fact.row = groups[0]
    elif not lit:
        fact.row = ctx.t4g
        if fact.row is None and ctx.table != "t4":
            reading.ask(f"“{n}件”是行政复议还是行政诉讼的结果？请说明。")
            return []
    ctx.t4g = fact.row
    fact.qualified = any(t.cat in (g.ROW, g.GROUP3) for t in words)
    cols = _ids(words, g.T4C)
    if len(cols) > 1 and not each:
        reading.ask(f"“{n}件”涉及多种结果，请分别说明结果维持、结果纠正、其他结果、尚未审结各几件。")
        return []
    if cols:
        return [replace(fact, col=c) for c in cols]
    return [fact]


def _t2_facts(fact: Fact, words: list[g.Token], ctx: _Context, reading: Reading) -> list[Fact]:
    n = format_value(fact.value)
    items = _ids(words, g.T2I)
    item = items[0] if items else ctx.t2i
    if item is None:
        reading.ask(f"“{n}{fact.unit or '件'}”是表二哪一项（规章、行政规范性文件、行政许可…）的数字？")
        return []
    ctx.t2i = item
    layout = reg.T2_LAYOUT[item]
    cols = [c for c in _ids(words, g.T2C) if c in layout]
    if len(layout) == 1:
        col = layout[0]
    elif len(cols) == 1:
        col = cols[0]
    else:
        reading.ask(f"{reg.T2_ITEM[item].label}“{n}件”是本年制发、本年废止，还是现行有效的件数？")
        return []
    if item == "fees" and fact.unit and fact.unit not in g.MONEY_UNITS:
        reading.ask(f"行政事业性收费应填金额（万元），“{n}{fact.unit}”是金额吗？")
        return []
    if item != "fees" and fact.unit in g.MONEY_UNITS:
        reading.ask(f"{reg.T2_ITEM[item].label}应填件数，“{n}{fact.unit}”是金额，请核对。")
        return []
    fact.row, fact.col = item, col
    return [fact]


def _fee_facts(fact: Fact, words: list[g.Token], ctx: _Context) -> list[Fact]:
    fees = _ids(words, g.FEE)
    cell = fees[-1] if fees else ctx.fee or "s6.fee.collected"
    money = fact.unit in g.MONEY_UNITS
    if cell == "s6.fee.notices" and money:
        cell = "s6.fee.notice_amount"
    elif cell != "s6.fee.notices" and fact.unit in g.COUNT_UNITS:
        cell = "s6.fee.notices"
    elif not fees and ctx.fee in ("s6.fee.notices", "s6.fee.notice_amount") and money:
        cell = "s6.fee.notice_amount"
    ctx.fee = cell
    fact.row = cell
    return [fact]


# ------------------------------------------------------------------------------------------------
# Zeros and distributions


def _zero(tokens: list[g.Token], span: tuple[int, int], sentence: int, ctx: _Context, reading: Reading) -> None:
    """ "没有收到申请", "未发生行政复议和行政诉讼", "没有收取信息处理费": 0 for all it names."""
    made: list[Fact] = []

    def zero(table: Table, row: str, col: str | None) -> None:
        made.append(Fact(table, row, col, Decimal(0), "", span, sentence))

    fees = _ids(tokens, g.FEE)
    for cell in fees:
        zero("fee", cell, None)
        if cell == "s6.fee.notices" and "s6.fee.notice_amount" not in fees:
            zero("fee", "s6.fee.notice_amount", None)
    groups = _ids(tokens, g.T4G) + (list(SUITS) if any(t.cat == g.LIT for t in tokens) else [])
    cols = _ids(tokens, g.T4C)
    if not groups and cols and ctx.table == "t4" and ctx.t4g:
        groups = [ctx.t4g]
    for group in dict.fromkeys(groups):
        for col in cols or T4_OUTCOMES:
            zero("t4", group, col)
    items = _ids(tokens, g.T2I)
    if not items and _ids(tokens, g.T2C) and ctx.table == "t2" and ctx.t2i:
        items = [ctx.t2i]  # "规范性文件制发2件，没有废止"
    for item in items:
        t2cols = [c for c in _ids(tokens, g.T2C) if c in reg.T2_LAYOUT[item]] or list(reg.T2_LAYOUT[item])
        for col in t2cols:
            zero("t2", item, col)
    if not made:
        rows = _t3_rows(tokens)
        for group3 in _ids(tokens, g.GROUP3):
            rows.extend(_GROUP_ROWS[group3])
        if not rows and any(t.cat in (g.WEAK_NEW, g.APPL) for t in tokens):
            weak = any(t.cat == g.WEAK_NEW for t in tokens)
            rows = ["new" if weak or ctx.row is None else ctx.row]
        # "个人申请4件，没有不予公开的": the one applicant spoken of; with several, all of them.
        topic = [ctx.appl] if ctx.appl and ctx.appls_seen == {ctx.appl} else list(APPLICANTS)
        appls = _ids(tokens, g.APPL) or topic
        for row in rows:
            for appl in appls:
                zero("t3", row, appl)
        if rows:
            ctx.row, ctx.table = rows[-1], "t3"
    reading.facts.extend(made)


def _distribute(tokens: list[g.Token], span: tuple[int, int], ctx: _Context, reading: Reading) -> None:
    """ "都是个人" / "全部予以公开" / "都维持了": what was just counted is all of this kind."""
    own = [f for f in reading.facts[ctx.first :] if not f.dropped and not f.implied]
    appls = _ids(tokens, g.APPL)
    rows = _t3_rows(tokens)
    groups3 = _ids(tokens, g.GROUP3)
    t4groups = _ids(tokens, g.T4G)
    t4cols = _ids(tokens, g.T4C)
    # Table 4: the group or the outcome of the last count ("行政诉讼1件，直接起诉的，维持").
    t4_open = [f for f in own if f.table == "t4" and f.missing]
    if (t4groups or t4cols) and t4_open:
        head = t4_open[-1]
        if len(t4groups) == 1 and head.row is None:
            head.row = ctx.t4g = t4groups[0]
        if len(t4cols) == 1 and head.col is None and head.row is not None:
            head.col = t4cols[0]
            if not head.qualified:
                _implied_zeros(reading, head, T4_OUTCOMES)
        head.span = (head.span[0], span[1])
        ctx.table = "t4"
        return
    # A 不予公开 count whose reason follows ("不予公开2件，都涉及个人隐私").
    row_open = [f for f in own if f.missing == "row"]
    if len(rows) == 1 and row_open and rows[0] in _GROUP_ROWS.get(row_open[-1].group3 or "", ()):
        head = row_open[-1]
        head.row, head.group3 = rows[0], None
        head.span = (head.span[0], span[1])
        ctx.row = rows[0]
        return
    if len(rows) == 1 or (groups3 and not rows):
        counted = [f for f in own if f.table == "t3" and f.row is not None and not f.derived]
        if not counted:
            _set_context(tokens, ctx)
            return
        source_row = counted[-1].row
        batch = [f for f in counted if f.row == source_row]
        if rows == ["processed_total"]:  # "全部办结": all that came in was processed
            batch = _intake_by_applicant(counted)
        batch = [f for f in batch if f.col is not None] or batch
        if appls:
            batch = [f for f in batch if f.col in appls]
        for f in batch:
            copy = replace(f, row=rows[0] if rows else None, group3=None if rows else groups3[0], derived=True)
            copy.span = (f.span[0], span[1])
            copy.again = False
            reading.facts.append(copy)
        if rows:
            ctx.row = rows[0]
        ctx.table = "t3"
        return
    if len(appls) == 1:
        for head in [f for f in own if f.table == "t3" and f.missing == "appl"]:
            head.col = appls[0]
            head.span = (head.span[0], span[1])
            _implied_zeros(reading, head, APPLICANTS)
        ctx.appl, ctx.breakdown, ctx.table = appls[0], False, "t3"
        return
    _set_context(tokens, ctx)


def _intake_by_applicant(counted: list[Fact]) -> list[Fact]:
    """New and carried-over counts summed per applicant (one fact each)."""
    sums: dict[str | None, Fact] = {}
    for f in counted:
        if f.row in _INTAKE_ROWS and (f.col is not None or len(counted) == 1):
            if f.col in sums:
                sums[f.col] = replace(sums[f.col], value=sums[f.col].value + f.value)
            else:
                sums[f.col] = replace(f)
    return list(sums.values())


def _implied_zeros(reading: Reading, fact: Fact, columns: Sequence[str], given: Iterable[str] = ()) -> None:
    """The other columns of a count that "都是…" or complete parts cover: 0."""
    skip = {fact.col, *given}
    for col in columns:
        if col not in skip:
            reading.facts.append(
                Fact(fact.table, fact.row, col, Decimal(0), "", fact.span, fact.sentence, implied=True)
            )


# ------------------------------------------------------------------------------------------------
# The grammar of the whole paragraph


def _resolve_heads(reading: Reading, first: int) -> None:
    """A total followed by its parts: check the sum, keep the parts, say what is missing."""
    facts = reading.facts[first:]
    for i, head in enumerate(facts):
        if head.dropped or head.implied or not head.missing:
            continue
        parts: list[Fact] = []
        for f in facts[i + 1 :]:
            if f.dropped or f.implied:
                continue
            if _is_part(head, f):
                parts.append(f)
            elif parts or f.table != head.table:
                break
        if not parts:
            continue
        total = sum((p.value for p in parts), Decimal(0))
        what, n, said = _head_label(head), format_value(head.value), format_value(total)
        if total == head.value:
            head.dropped = True
            head.span = (head.span[0], max(p.span[1] for p in parts))
            given = [p.col for p in parts if p.col]
            if head.missing == "appl":
                _implied_zeros(reading, head, APPLICANTS, given)
            elif head.missing == "t4col":
                _implied_zeros(reading, head, T4_OUTCOMES, given)
        elif total < head.value:
            rest = format_value(head.value - total)
            if head.missing == "appl":
                head.col = "total"
                reading.ask(f"{what}共{n}件，已说明{said}件，其余{rest}件是哪类申请人提出的？")
            elif head.missing == "t4col":
                head.col = "total"
                reading.ask(f"{what}共{n}件，已说明{said}件，其余{rest}件是什么结果？")
            else:
                head.dropped = True
                reading.ask(f"{what}共{n}件，已说明{said}件，其余{rest}件属于哪种情形？")
        else:
            head.dropped = True
            reading.ask(f"{what}共{n}件，但分项相加是{said}件，请核对哪个数字有误。")


def _is_part(head: Fact, f: Fact) -> bool:
    if f.table != head.table or f.missing in ("row", "t4group"):
        return False
    if head.missing in ("appl", "t4col"):
        return f.row == head.row and f.col is not None
    if head.missing == "row":
        return f.row in _GROUP_ROWS.get(head.group3 or "", ()) and f.col == head.col
    if head.missing == "t4group":
        return f.row in SUITS
    return False


def _head_label(head: Fact) -> str:
    if head.table == "t4":
        return reg.T4_GROUP[head.row].label if head.row else reg.T4_LITIGATION.label
    if head.missing == "row":
        return reg.T3_GROUP[head.group3 or ""].label
    return _t3_row_words(head.row or "")


def _t3_row_words(row: str) -> str:
    special = {
        "new": "本年新收申请",
        "carried_over": "上年结转申请",
        "carried_forward": "结转下年度的申请",
        "processed_total": "办结的申请",
        "partial": "部分公开",
    }
    return special.get(row) or reg.t3_row_label(row)


def _resolve_open(reading: Reading, first: int, report: Report) -> None:
    """Counts still missing a dimension: 0 fills all; the draft may tell; else a total and a question."""
    inferred = draft_applicant(report)
    for f in reading.facts[first:]:
        if f.dropped or f.implied or not f.missing:
            continue
        n = format_value(f.value)
        if f.missing == "row":
            f.dropped = True
            examples = "、".join(reg.T3_ROW[r].label for r in _GROUP_ROWS[f.group3 or ""][:3])
            reading.ask(f"{_head_label(f)}的{n}件属于哪种情形？（如：{examples}等）")
        elif f.missing == "t4group":
            f.dropped = True
            if f.value == 0:
                for group in SUITS:
                    for col in [f.col] if f.col else T4_OUTCOMES:
                        reading.facts.append(Fact("t4", group, col, Decimal(0), "", f.span, f.sentence))
            else:
                reading.ask(f"行政诉讼{n}件，是未经复议直接起诉的，还是复议后起诉的？请分别说明。")
        elif f.value == 0:
            f.dropped = True
            columns = APPLICANTS if f.missing == "appl" else T4_OUTCOMES
            for col in columns:
                reading.facts.append(replace(f, col=col, dropped=False, implied=True))
        elif f.missing == "appl" and inferred is not None:
            f.col = inferred
            note = f"未说明申请人，已按本年申请均来自{reg.T3_COLUMN[inferred].label}填写。"
            if note not in reading.notes:
                reading.notes.append(note)
        elif f.missing == "appl":
            f.col = "total"
            reading.ask(
                f"{_t3_row_words(f.row or '')}{n}件分别是哪类申请人提出的？"
                "（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）"
            )
        else:
            f.col = "total"
            reading.ask(f"{_head_label(f)}{n}件的结果分别是什么？（结果维持、结果纠正、其他结果、尚未审结各几件）")


def draft_applicant(report: Report) -> str | None:
    """The one applicant column this year's applications come from, when the draft shows it."""
    active = [
        col for col in APPLICANTS if any(report.get(f"t3.{row}.{col}") for row in ("new", "carried_over"))
    ]
    if len(active) != 1:
        return None
    only = active[0]
    for row in ("new", "carried_over"):
        total = report.get(f"t3.{row}.total")
        if total is not None:
            if total != (report.get(f"t3.{row}.{only}") or 0):
                return None
        elif any(report.get(f"t3.{row}.{c}") != 0 for c in APPLICANTS if c != only) and row == "new":
            return None
    return only


# ------------------------------------------------------------------------------------------------
# Facts to changes


def cell_of(f: Fact) -> str | None:
    if f.table == "fee":
        return f.row
    if f.row is None or f.col is None:
        return None
    return f"{f.table}.{f.row}.{f.col}"


def _value_for(cell_id: str, f: Fact, report: Report) -> Value | None:
    value = to_kind(f.value, CELLS[cell_id].kind, f.unit)
    if value is not None and f.again:
        current = report.get(cell_id)
        if current is not None:
            value = current + value
    return value


def _changes(reading: Reading, source: str, report: Report) -> list[Change]:
    chosen: dict[str, tuple[Value, Fact]] = {}
    for f in reading.facts:
        cid = cell_of(f)
        if f.dropped or cid is None or cid not in CELLS:
            continue
        value = _value_for(cid, f, report)
        if value is None:
            reading.ask(f"“{short_label(cid)}”应为整数件数，“{format_value(f.value)}”不是整数，请核对。")
            continue
        if cid in chosen:
            old_value, old = chosen[cid]
            if f.implied and not old.implied:
                continue
            if old_value != value and not (f.corrected or old.implied or f.implied):
                reading.ask(f"“{short_label(cid)}”先说是{format_value(old_value)}，又说是{format_value(value)}，以哪个为准？")
        chosen[cid] = (value, f)
    ordered = sorted(chosen.items(), key=lambda kv: _CELL_ORDER.get(kv[0], 10_000))
    return [Change(cell=cid, value=v, evidence=_evidence(source, f.span)) for cid, (v, f) in ordered]


_CELL_ORDER = {cid: i for i, cid in enumerate(CELLS)}


def _evidence(source: str, span: tuple[int, int]) -> str:
    a, b = span
    while a < b and (source[a].isspace() or _CLAUSE_END.match(g.normalise(source[a]))):
        a += 1
    while b > a and (source[b - 1].isspace() or _CLAUSE_END.match(g.normalise(source[b - 1]))):
        b -= 1
    return source[a:b]


def short_label(cid: str) -> str:
    """A cell named the way a clerk says it: 本年新收申请·自然人, 行政复议·结果维持."""
    c = CELLS[cid]
    if c.table == "t3":
        return f"{_t3_row_words(c.row)}·{reg.T3_COLUMN[c.column].label}"
    return c.label


def _reply(changes: Sequence[Change], reading: Reading, report: Report, kind: SourceKind) -> str:
    if not changes:
        if reading.questions:
            return "还需要您补充说明，才能填写。"
        where = "这段材料" if kind == "notes" else "这句话"
        return f"没有从{where}里识别出可以填写的数字。可以这样说：“今年收到个人申请12件，予以公开8件”。"
    shown: list[str] = []
    zeros = 0
    for c in changes:
        old = report.value(c.cell)
        value = c.value
        if value == 0 and old is None:
            zeros += 1
            continue
        text = f"{short_label(c.cell)} {format_value(value)}"  # type: ignore[arg-type]
        if old is not None and old != value:
            text += f"（由{format_value(old)}改为{format_value(value)}）"  # type: ignore[arg-type]
        elif old is not None:
            text += "（与草稿中的数值相同）"
        shown.append(text)
    listed = "；".join(shown[:_MAX_REPLY_ITEMS]) + ("等" if len(shown) > _MAX_REPLY_ITEMS else "")
    if shown and zeros:
        body = f"{listed}；另有{zeros}项为0"
    elif shown:
        body = listed
    else:
        body = f"{zeros}项均为0"
    reply = f"识别到{len(changes)}项：{body}。请核对后应用。"
    return reply + "".join(reading.notes)


__all__ = ["Fact", "OfflineEngine", "Reading", "cell_of", "draft_applicant", "read", "short_label"]
