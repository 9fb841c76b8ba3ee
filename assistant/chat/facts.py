"""Pass ``read_facts``: each quantity, with its words, becomes a fact about a cell.

A paragraph is read clause by clause. What a clause leaves open is taken from the paragraph so
far (``Topic``): the row or group spoken of last, the applicant when one applicant is the topic.
Clauses without numbers still speak: "没有…" is 0 for all it names, "都是个人" / "全部予以公开"
says what the counts just made are, and "公开出版物的，1件" names what the next number is about.
A count whose words leave a dimension open stays ``Status.OPEN``; ``resolve`` completes or asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from assistant import cells as reg
from assistant.chat import lexicon as lx
from assistant.chat.lexicon import Meaning, Token
from assistant.chat.record import Clause, Doc, Extent, Fact, Mode, Origin, Status, Table
from assistant.chat.slots import Slot, slots
from assistant.numbers import format_value

APPLICANTS = reg.T3_APPLICANT_COLUMNS
ORG_APPLICANTS = tuple(c.id for c in reg.T3_COLUMNS if c.group == "org")
T4_OUTCOMES = reg.T4_OUTCOMES
SUITS = tuple(grp.id for grp in reg.T4_GROUPS if grp.group == "litigation")
GROUP_ROWS = {grp.id: tuple(r.id for r in reg.T3_ROWS if r.group == grp.id) for grp in reg.T3_GROUPS}
INTAKE_ROWS = frozenset({"new", "carried_over"})
_ALL_WORDS = ("全部", "都", "均", "全")  # a row word that starts so says "all of them" ("全部予以公开")
_ROW_WORDS = frozenset({lx.ROW, lx.GROUP3, lx.WEAK_NEW, lx.T4G, lx.LIT, lx.T2I, lx.FEE})
_NOT_A_COUNT = re.compile(r"^(?:按|按照|作为|当作|当成|计入|列入|纳入|登记|算作|算进)")
_IN_OWN_NAME = frozenset({"以个人名义", "以个人身份"})
_WITHDRAWN = frozenset({"撤回", "撤回申请", "主动撤回", "自己撤回", "撤回了"})


@dataclass
class Topic:
    """What the paragraph is about so far."""

    first: int  # index of the paragraph's first fact
    table: Table | None = None
    row: str | None = None
    appl: str | None = None  # the applicant that is the topic, when one is
    t4g: str | None = None
    t2i: str | None = None
    fee: str | None = None
    breakdown: bool = False  # inside the parts of a total: their applicants are not the topic
    fix: bool = False  # "说错了" / "不是…": the next bare number corrects
    named: bool = False  # the last clause named a cell without a number ("公开出版物的，1件")
    listing: bool = False  # the last table-3 count named its applicant ("…法律服务机构1件，其他0件")
    appls_seen: set[str] = field(default_factory=set)
    words: list[Token] = field(default_factory=list)  # the words of the clause that named the topic
    only_appl: str | None = None  # "申请全是个人的" said before the count: the intake is all theirs


def read_facts(doc: Doc) -> None:
    """Facts of every paragraph (after the facts the conversation seeded)."""
    seeded = len(doc.facts)
    paragraphs: dict[int, list[Clause]] = {}
    for clause in doc.clauses:
        if not clause.consumed:
            paragraphs.setdefault(clause.paragraph, []).append(clause)
    for n, clauses in enumerate(paragraphs.values()):
        topic = Topic(first=0 if n == 0 else len(doc.facts))
        if n == 0 and seeded:
            _topic_of_previous(doc.facts[:seeded], topic)
        for clause in clauses:
            read_clause(doc, clause, topic)
        doc.paragraph_starts.append(topic.first)


def _topic_of_previous(previous: list[Fact], topic: Topic) -> None:
    """An answer is read in the topic of the question it answers."""
    last = previous[-1]
    topic.table = last.table
    if last.table == "t3":
        topic.row = last.row
        topic.appl = last.col if last.col in APPLICANTS else None
    elif last.table == "t4":
        topic.t4g = last.row
    elif last.table == "t2":
        topic.t2i = last.row
    topic.named = True


def own_facts(doc: Doc, topic: Topic) -> list[Fact]:
    """The paragraph's facts so far that were said (not zeros implied)."""
    return [f for f in doc.facts[topic.first :] if f.live and f.origin is not Origin.IMPLIED]


def read_clause(doc: Doc, clause: Clause, topic: Topic) -> None:
    tokens = [t for t in (_in_context(t, clause.tokens, topic) for t in clause.tokens) if t is not None]
    cats = [t.cat for t in tokens]
    fix = topic.fix or lx.FIX in cats or lx.CORR in cats
    # Corrections: only numbers after "改为/应该是" count, and "不是8件" is not a value.
    if lx.CORR in cats:
        last = max(i for i, c in enumerate(cats) if c == lx.CORR)
        if any(t.is_quantity for t in tokens[last:]):
            tokens = [t for i, t in enumerate(tokens) if not (t.is_number and i < last)]
        else:
            fix = topic.fix or lx.FIX in cats
    kept = [t for i, t in enumerate(tokens) if not (t.is_number and i > 0 and tokens[i - 1].cat == lx.NOT)]
    if len(kept) < len(tokens):
        fix = True
    tokens = kept
    cats = [t.cat for t in tokens]
    if not any(t.is_quantity for t in tokens):
        _read_wordy_clause(doc, tokens, clause, topic)
        topic.fix = fix
        return
    # "12件申请全部予以公开": the numbers before 全部, then what 全部 says about them.
    tail: list[Token] = []
    dist_at = next((i for i in range(len(cats) - 1, -1, -1) if cats[i] == lx.DIST), None)
    keep = 1
    if dist_at is None:  # "个人申请8件全部予以公开": the row word itself says "all of them"
        first_number = next((i for i, t in enumerate(tokens) if t.is_quantity), len(tokens))
        dist_at = next((i for i, t in enumerate(tokens) if i > first_number and t.cat == lx.ROW
                        and t.text.startswith(_ALL_WORDS)), None)
        keep = 0
    if dist_at is not None and not any(t.is_quantity for t in tokens[dist_at:]):
        before, after = tokens[:dist_at], tokens[dist_at + keep :]
        if any(t.cat in lx.TARGETS for t in after):
            if any(t.cat in _ROW_WORDS for t in before):
                tokens, tail = before, after
            else:
                tokens = before + after  # "这5件都公开了", "律所的2件都是部分公开": the number's own words
    for slot in slots(tokens, doc.norm):
        _fact_from_slot(doc, slot, clause, topic, fix=fix)
    topic.fix = False
    topic.named = False
    if tail:
        distribute(doc, tail, clause, topic)


def _in_context(token: Token, clause: list[Token], topic: Topic) -> Token | None:
    """Words whose meaning depends on the clause: "其他" and "撤回"."""
    cats = {t.cat for t in clause}
    if token.cat == lx.ROW and token.text in _WITHDRAWN:
        # "申请人撤回" in table 4 is an outcome (其他结果), in table 3 a result (其他处理).
        if cats & {lx.T4G, lx.T4C, lx.LIT} or (topic.table == "t4" and not cats & {lx.APPL, lx.GROUP3}
                                                and not any(t.cat == lx.ROW and t is not token for t in clause)):
            return replace(token, meaning=Meaning(lx.T4C, "other"))
        return token
    if token.cat != lx.OTHER:
        return token
    following = next((t for t in clause if t.start == token.end), None)
    if following is not None and following.cat in (lx.ROW, lx.GROUP3):
        return None  # "其他法律法规…": part of the words of the row that follows
    if cats & {lx.T4G, lx.T4C, lx.LIT} or (topic.table == "t4" and not cats & {lx.ROW, lx.APPL}):
        meaning = Meaning(lx.T4C, "other")
    elif lx.APPL in cats or topic.listing:
        meaning = Meaning(lx.APPL, "other")
    elif lx.ROW in cats or topic.table == "t3":
        meaning = Meaning(lx.ROW, "other.other")
    else:
        return None
    return replace(token, meaning=meaning)


# ------------------------------------------------------------------------------------------------
# Clauses without numbers


def _read_wordy_clause(doc: Doc, tokens: list[Token], clause: Clause, topic: Topic) -> None:
    """A clause without numbers: a zero, a distribution, or the topic of what follows."""
    targets = [t for t in tokens if t.cat in lx.TARGETS]
    cats = {t.cat for t in tokens}
    if not targets and lx.NEG in cats and topic.named and topic.words and len(tokens) == 1:
        zero(doc, topic.words, clause, topic)  # "上年结转：无"
        return
    if not targets:
        return
    says_all = lx.DIST in cats or lx.REMAINDER in cats or any(
        t.cat == lx.ROW and t.text.startswith(_ALL_WORDS) for t in tokens)
    if lx.NEG in cats and _negates(doc, tokens):
        zero(doc, tokens, clause, topic)
    elif says_all or _fills_open(doc, targets, clause, topic):
        distribute(doc, [t for t in tokens if t.cat not in (lx.DIST, lx.REMAINDER)], clause, topic,
                   remainder=lx.REMAINDER in cats, says_all=says_all)
    else:
        set_topic(tokens, topic)
        topic.named = True
        topic.words = tokens


def _negates(doc: Doc, tokens: list[Token]) -> bool:
    """ "没有收到申请" negates what it names; "没有收到投诉" after a satisfaction figure names no row of
    table 3 by its own words (投诉 alone is a complaint, not an application); "没有按申请登记" negates
    a way of doing, and "申请人最后没交" speaks of a person."""
    neg = next(t for t in tokens if t.cat == lx.NEG)
    if _NOT_A_COUNT.match(doc.norm[neg.end : neg.end + 4]):
        return False
    named = [t for t in tokens if t.cat in lx.TARGETS and t.text != "申请人"]
    if not named:
        return False
    if len(named) == 1 and named[0].cat == lx.ROW and named[0].text in ("投诉", "举报"):
        return False
    return not ([t.cat for t in named] == [lx.ROW, lx.ROW] and named[0].id == "new"
                and named[1].text in ("投诉", "举报"))


def _fills_open(doc: Doc, targets: list[Token], clause: Clause, topic: Topic) -> bool:
    """Whether a clause names exactly what the last count left open ("行政复议1件，结果纠正")."""
    own = [f for f in own_facts(doc, topic) if f.origin is not Origin.DERIVED]
    if not own:
        return False
    last = own[-1]
    cats = {t.cat for t in targets if t.cat != lx.WEAK_NEW}
    ids = {t.id for t in targets if t.cat != lx.WEAK_NEW}
    if last.missing in ("appl", "org") and cats == {lx.APPL} and len(ids) == 1:
        return True
    if last.table == "t4" and last.missing and cats <= {lx.T4C, lx.T4G, lx.LIT} and len(ids) <= 2:
        return True
    if last.missing == "row" and cats == {lx.ROW}:
        return last.group3 is None or all(i in GROUP_ROWS.get(last.group3, ()) for i in ids)
    if last.missing == "t2col" and cats == {lx.T2C}:
        return True
    if last.missing == "table" and cats & {lx.ROW, lx.T4G, lx.LIT, lx.T2I} and len(ids) == 1:
        return True
    # "企业申请的2件，因为涉及商业秘密不予公开": the result of the applications just counted.
    rows = [t.id for t in targets if t.cat == lx.ROW]
    return (
        last.table == "t3"
        and last.row in INTAKE_ROWS
        and last.sentence == clause.sentence
        and cats <= {lx.ROW, lx.GROUP3, lx.APPL}
        and len(set(rows)) <= 1
        and not any(r in INTAKE_ROWS for r in rows)
        and bool(cats & {lx.ROW, lx.GROUP3})
    )


# ------------------------------------------------------------------------------------------------
# Words to dimensions


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
    if len(rows) > 1:
        results = [r for r in rows if r not in INTAKE_ROWS]
        rows = results or rows
    return rows


def set_topic(words: list[Token], topic: Topic) -> None:
    """A clause without numbers still says what the next ones are about ("个人申请的：")."""
    rows = t3_rows(words)
    if rows:
        topic.row, topic.table = rows[-1], "t3"
    elif any(t.cat == lx.WEAK_NEW for t in words) and topic.row is None:
        topic.row, topic.table = "new", "t3"
    appls = ids(words, lx.APPL)
    if len(appls) == 1:
        topic.appl, topic.breakdown = appls[0], False
        topic.table = topic.table or "t3"
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


def _table_of(words: list[Token], number: Token, topic: Topic) -> Table | None:
    cats = {t.cat for t in words}
    strong = any(t.cat == lx.ELSEWHERE and t.id != "weak" for t in words)
    if (lx.ELSEWHERE in cats and not cats & {lx.APPL, lx.WEAK_NEW, lx.FEE, lx.T2I, lx.T4G, lx.LIT, lx.T4C}
            and (strong or number.unit != "件" or not cats & {lx.ROW, lx.GROUP3})):
        return None  # "政务新媒体发布信息1,200条", "事项清单公开了86项": not a cell; material for the text
    t3_words = cats & {lx.ROW, lx.GROUP3, lx.APPL, lx.ORG}
    if lx.FEE in cats and lx.ROW not in cats:
        return "fee"
    if lx.T2I in cats:
        return "t2"
    if lx.T4G in cats or lx.LIT in cats:
        return "t4"
    if lx.T4C in cats and (topic.table == "t4" or not t3_words):
        return "t4"
    if lx.T2C in cats and topic.table == "t2" and not t3_words:
        return "t2"
    if t3_words or lx.WEAK_NEW in cats:
        return "t3"
    if lx.FEE in cats:
        return "fee"
    if number.unit in lx.MONEY_UNITS and topic.table in ("fee", "t2"):
        return topic.table
    if topic.table in ("t4", "t2", "fee") and lx.TOTAL in cats:
        return topic.table
    if topic.named and topic.table is not None:
        return topic.table
    return None


def _fact_from_slot(doc: Doc, slot: Slot, clause: Clause, topic: Topic, *, fix: bool) -> None:
    number, words = slot.number, slot.words
    assert number.value is not None
    own = [f for f in own_facts(doc, topic) if f.table is not None]
    if slot.now:
        adding = [f for f in own if f.mode is Mode.ADD]
        if adding:  # "再加1件，现在是11件": the sum to check, not a new count
            adding[-1].now = number.value * slot.times
            return
    table = _table_of(words, number, topic)
    span = clause.span
    if table is None and _confirms_sum(doc, slot, clause, topic):
        return  # "去年结转的2件和今年的8件一共10件": the sum of what was just said
    if table is None and _we_do_not_have(words, number, topic):
        table, words = "t3", [Token(number.end, number.end, lx.Meaning(lx.ROW, "unavailable.not_held"), text="没有")]
    if table is None:
        if fix and own:
            # "说错了，是9件": the last number said is replaced.
            last = own[-1]
            doc.facts.append(replace(last, value=number.value, unit=number.unit or last.unit, mode=Mode.CORRECT,
                                     span=(last.span[0], span[1]) if last.sentence == clause.sentence else span))
            last.status = Status.REPLACED
        elif fix and topic.table == "t3" and topic.row:
            doc.facts.append(Fact("t3", topic.row, topic.appl, number.value, number.unit, span, clause.sentence,
                                  mode=Mode.CORRECT))
        elif (fix or slot.mode is not Mode.SET) and doc.context is not None and doc.context.last_cells:
            # "应该是9件", "再加1件": the cell the last turn spoke of
            _correct_last_cell(doc, doc.context.last_cells[-1], number, clause, Mode.CORRECT if fix else slot.mode)
        elif number.role is lx.NumberRole.SCOPE:
            return  # "这15件中": the count whose parts follow; the draft has it
        elif fix:
            doc.ask("correct_which", number=number.text.strip())
        elif number.unit:  # "有5件": a count of something not yet named; resolve asks
            fact = Fact(None, None, None, number.value, number.unit or "件", span, clause.sentence,
                        status=Status.OPEN)
            doc.facts.append(fact)
        return
    mode = Mode.CORRECT if fix else slot.mode
    fact = Fact(table, None, None, number.value * slot.times, number.unit, span, clause.sentence, mode=mode,
                number_at=number.start)
    fact.words = "".join(t.text for t in words if t.cat in (lx.APPL, lx.PERIOD)) + (
        "·" + number.text if any(t.cat == lx.PERIOD for t in words) else "")
    if number.role is lx.NumberRole.SCOPE:
        fact.extent = Extent.KNOWN
    each = any(t.cat == lx.EACH for t in words) and slot.times == 1
    if table == "t3":
        facts = _t3_facts(doc, fact, words, topic, each)
    elif table == "t4":
        facts = _t4_facts(doc, fact, words, topic, each)
    elif table == "t2":
        facts = _t2_facts(doc, fact, words, topic)
    else:
        facts = _fee_facts(fact, words, topic)
    doc.facts.extend(facts)
    if facts:
        topic.table = table
    if slot.remainder:  # "剩下的7件是个人的": no one else is left
        for f in facts:
            if f.table == "t3" and f.row and f.col in APPLICANTS:
                given = tuple(g.col for g in doc.facts[topic.first :] if g.live and g.table == "t3"
                              and g.row == f.row and g.col)
                implied_zeros(doc, f, APPLICANTS, given)


def _we_do_not_have(words: list[Token], number: Token, topic: Topic) -> bool:
    """ "公开10件，部分公开2件，2件我们没有": among results, a count followed only by 没有 is 不掌握."""
    return (bool(words) and all(t.cat == lx.NEG for t in words) and all(t.start > number.start for t in words)
            and topic.table == "t3" and topic.row is not None and topic.row not in INTAKE_ROWS)


def _confirms_sum(doc: Doc, slot: Slot, clause: Clause, topic: Topic) -> bool:
    """ "去年结转的2件和今年的8件一共10件", "自然人 6\n企业 1\n合计 7": the sum of what was just said
    (for a list of applicants of one row, the list is then complete)."""
    near = [*slot.words, *(t for t in clause.tokens if t.end <= slot.number.start)]
    if not any(t.cat == lx.TOTAL for t in near) or any(t.cat in lx.TARGETS for t in slot.words):
        return False
    said = [f for f in own_facts(doc, topic) if f.origin is Origin.SAID and f.table is not None]
    value = slot.number.value
    in_sentence = [f for f in said if f.sentence == clause.sentence]
    if len(in_sentence) >= 2 and sum((f.value for f in in_sentence), Decimal(0)) == value:
        return True
    if not said or said[-1].table != "t3":
        return False
    listed = [f for f in said if f.table == "t3" and f.row == said[-1].row and f.col in APPLICANTS]
    if len(listed) >= 2 and sum((f.value for f in listed), Decimal(0)) == value:
        implied_zeros(doc, listed[-1], APPLICANTS, tuple(f.col for f in listed))
        return True
    return False


def _correct_last_cell(doc: Doc, cell_id: str, number: Token, clause: Clause, mode: Mode) -> None:
    """ "应该是9件" or "再加1件" in answer to the last turn: the cell spoken of last."""
    c = reg.CELLS.get(cell_id)
    if c is None or number.value is None:
        return
    table: Table = "fee" if c.table == "s6" else c.table  # type: ignore[assignment]
    row = cell_id if table == "fee" else c.row
    col = None if table == "fee" else c.column
    doc.facts.append(Fact(table, row, col, number.value, number.unit, clause.span, clause.sentence, mode=mode))


def _t3_facts(doc: Doc, fact: Fact, words: list[Token], topic: Topic, each: bool) -> list[Fact]:
    n = format_value(fact.value)
    if fact.unit in lx.MONEY_UNITS:
        doc.ask("money_in_t3", n=n, unit=fact.unit)
        return []
    rows = t3_rows(words)
    groups = ids(words, lx.GROUP3)
    if len(rows) > 1 and not each:
        doc.ask("rows_several", n=n, labels="、".join(reg.t3_row_label(r) for r in rows))
        return []
    weak = any(t.cat == lx.WEAK_NEW for t in words)
    if rows:
        fact.row = rows[0]
    elif groups:
        fact.group3 = groups[0]
    elif weak and not topic.breakdown:
        fact.row = "new"
    elif topic.row is not None:
        fact.row = topic.row
    elif weak or fact.extent is Extent.KNOWN or (fact.mode is Mode.CORRECT and (appls_named(words) or topic.appl)):
        fact.row = "new"  # "群众那12件里", "企业的不是2件，是3件": an applicant's count is of applications
    else:
        fact.status = Status.OPEN  # "个人12件": new, or a result? resolve asks
    topic.row = fact.row or topic.row
    appls = ids(words, lx.APPL)
    if any(t.text in _IN_OWN_NAME for t in words):
        appls = ["natural"]  # "律师以个人名义申请的": the person, not the firm
    topic.listing = bool(appls)
    topic.appls_seen.update(appls)
    if any(t.cat == lx.ORG for t in words) and not appls:
        fact.org_only = True
        fact.status = Status.OPEN
        return [fact]
    if len(appls) > 1 and not each:
        doc.ask("applicants_several", n=n, names="、".join(reg.T3_COLUMN[a].label for a in appls))
        return []
    if fact.group3 is not None or fact.row is None:
        fact.status = Status.OPEN
    if appls:
        if _pending_head(doc, topic, fact):
            topic.breakdown = True
        elif not topic.breakdown and len(appls) == 1:
            topic.appl = appls[0]
        if each:  # "业委会和居委会各申请了1件": one each, and both are 其他
            named = [t.id for t in words if t.cat == lx.APPL]
            return [replace(fact, col=a, value=fact.value * named.count(a)) for a in appls]
        if len(rows) > 1:
            return [replace(fact, row=r, col=a) for r in rows for a in appls]
        return [replace(fact, col=a) for a in appls]
    if topic.breakdown:
        topic.breakdown = False
        topic.appl = None
    # "上年结转0件" says the whole row is 0, whoever the topic is.
    fact.col = topic.appl if fact.value != 0 else None
    if fact.col is None:
        fact.status = Status.OPEN
    elif fact.row in INTAKE_ROWS and fact.col == topic.only_appl:
        implied_zeros(doc, fact, APPLICANTS)
    if len(rows) > 1:
        return [replace(fact, row=r) for r in rows]
    return [fact]


def appls_named(words: list[Token]) -> bool:
    return any(t.cat == lx.APPL for t in words)


def _pending_head(doc: Doc, topic: Topic, fact: Fact) -> bool:
    """Whether an earlier count of the same row still waits for its applicants."""
    return any(
        f.table == "t3" and f.row == fact.row and f.col is None and f.live for f in doc.facts[topic.first :]
    )


def _t4_facts(doc: Doc, fact: Fact, words: list[Token], topic: Topic, each: bool) -> list[Fact]:
    n = format_value(fact.value)
    if fact.unit in lx.MONEY_UNITS:
        doc.ask("money_in_t4", n=n, unit=fact.unit)
        return []
    groups = ids(words, lx.T4G)
    lit = any(t.cat == lx.LIT for t in words)
    if len(groups) > 1 and not each:
        doc.ask("groups_several", n=n, labels="、".join(reg.T4_GROUP[x].label for x in groups))
        return []
    if groups == ["review"] and lit and _after(words, lx.LIT, lx.T4G):
        groups = ["suit_after_review"]  # "经过复议又打官司的1件": a suit after review
    if groups:
        fact.row = groups[0]
    elif not lit:
        fact.row = topic.t4g
        if fact.row is None and topic.table != "t4":
            doc.ask("review_or_suit", n=n)
            return []
    topic.t4g = fact.row
    if any(t.cat == lx.GROUP3 or (t.cat == lx.ROW and t.id not in INTAKE_ROWS) for t in words):
        fact.extent = Extent.PART  # "撤回的1件": one kind of case, not all of the group
    cols = ids(words, lx.T4C)
    # "复议1件，维持" and "复议 1 件 维持": the group's count, then its outcome (not "维持2件").
    named_before = any(t.cat in (lx.T4G, lx.LIT) and t.start < fact.number_at for t in words) or (
        not groups and not lit and topic.named)  # "复议：1（维持）": the group is the heading
    fact.count_first = (bool(cols) and named_before
                        and all(t.start > fact.number_at for t in words if t.cat == lx.T4C))
    if len(cols) > 1 and not each:
        doc.ask("outcomes_several", n=n)
        return []
    if fact.row is None or not cols:
        fact.status = Status.OPEN
    if cols:
        return [replace(fact, col=c) for c in cols]
    return [fact]


def _after(words: list[Token], later: str, earlier: str) -> bool:
    first = next((t.start for t in words if t.cat == earlier), None)
    return first is not None and any(t.cat == later and t.start > first for t in words)


def _t2_facts(doc: Doc, fact: Fact, words: list[Token], topic: Topic) -> list[Fact]:
    n = format_value(fact.value)
    items = ids(words, lx.T2I)
    item = items[0] if items else topic.t2i
    if item is None:
        doc.ask("t2item", n=n, unit=fact.unit or "件")
        return []
    topic.t2i = item
    layout = reg.T2_LAYOUT[item]
    cols = [c for c in ids(words, lx.T2C) if c in layout]
    fact.row = item
    if item == "fees" and fact.unit and fact.unit not in lx.MONEY_UNITS:
        doc.ask("fees_amount", n=n, unit=fact.unit)
        return []
    if item != "fees" and fact.unit in lx.MONEY_UNITS:
        doc.ask("t2_money", item=reg.T2_ITEM[item].label, n=n, unit=fact.unit)
        return []
    if len(layout) == 1:
        fact.col = layout[0]
    elif len(cols) == 1:
        fact.col = cols[0]
    else:
        fact.status = Status.OPEN
    return [fact]


def _fee_facts(fact: Fact, words: list[Token], topic: Topic) -> list[Fact]:
    fees = ids(words, lx.FEE)
    cell = fees[-1] if fees else topic.fee or "s6.fee.collected"
    money = fact.unit in lx.MONEY_UNITS
    if cell == "s6.fee.notices" and money:
        cell = "s6.fee.notice_amount"
    elif cell != "s6.fee.notices" and fact.unit in lx.COUNT_UNITS:
        cell = "s6.fee.notices"
    elif not fees and topic.fee in ("s6.fee.notices", "s6.fee.notice_amount") and money:
        cell = "s6.fee.notice_amount"
    topic.fee = cell
    fact.row = cell
    return [fact]


# ------------------------------------------------------------------------------------------------
# Zeros and distributions


def zero(doc: Doc, tokens: list[Token], clause: Clause, topic: Topic) -> None:
    """ "没有收到申请", "未发生行政复议和行政诉讼", "没有收取信息处理费": 0 for all it names."""
    made: list[Fact] = []
    span, sentence = clause.span, clause.sentence

    def add(table: Table, row: str, col: str | None) -> None:
        made.append(Fact(table, row, col, Decimal(0), "", span, sentence))

    fees = ids(tokens, lx.FEE)
    for cell in fees:
        add("fee", cell, None)
        if cell == "s6.fee.notices" and "s6.fee.notice_amount" not in fees:
            add("fee", "s6.fee.notice_amount", None)
    groups = ids(tokens, lx.T4G) + (list(SUITS) if any(t.cat == lx.LIT for t in tokens) else [])
    cols = ids(tokens, lx.T4C)
    if not groups and cols and topic.table == "t4" and topic.t4g:
        groups = [topic.t4g]
    for group in dict.fromkeys(groups):
        for col in cols or T4_OUTCOMES:
            add("t4", group, col)
    items = ids(tokens, lx.T2I)
    if not items and ids(tokens, lx.T2C) and topic.table == "t2" and topic.t2i:
        items = [topic.t2i]  # "规范性文件制发2件，没有废止"
    for item in items:
        t2cols = [c for c in ids(tokens, lx.T2C) if c in reg.T2_LAYOUT[item]] or list(reg.T2_LAYOUT[item])
        for col in t2cols:
            add("t2", item, col)
    if not made:
        rows = t3_rows(tokens)
        for group3 in ids(tokens, lx.GROUP3):
            rows.extend(GROUP_ROWS[group3])
        if not rows and any(t.cat in (lx.WEAK_NEW, lx.APPL) for t in tokens):
            weak = any(t.cat == lx.WEAK_NEW for t in tokens)
            rows = ["new" if weak or topic.row is None else topic.row]
        # "个人申请4件，没有不予公开的": the one applicant spoken of; with several, all of them.
        spoken = [topic.appl] if topic.appl and topic.appls_seen == {topic.appl} else list(APPLICANTS)
        appls = ids(tokens, lx.APPL) or spoken
        for row in rows:
            for appl in appls:
                add("t3", row, appl)
        if rows:
            topic.row, topic.table = rows[-1], "t3"
    doc.facts.extend(made)


def distribute(doc: Doc, tokens: list[Token], clause: Clause, topic: Topic, *, remainder: bool = False,
               says_all: bool = False) -> None:
    """ "都是个人" / "全部予以公开" / "都维持了": what was just counted is all of this kind."""
    own = [f for f in doc.facts[topic.first :] if f.live and f.origin is not Origin.IMPLIED]
    appls = ids(tokens, lx.APPL)
    rows = t3_rows(tokens)
    groups3 = ids(tokens, lx.GROUP3)
    t4groups = ids(tokens, lx.T4G)
    t4cols = ids(tokens, lx.T4C)
    span = clause.span
    if remainder and len(appls) == 1:
        _remainder(doc, own, appls[0], span, topic)
        return
    if remainder and len(rows) == 1 and rows[0] not in INTAKE_ROWS:
        _remainder_of_intake(doc, own, rows[0], appls, clause)
        return
    # Table 4: the group or the outcome of the last count ("行政诉讼1件，直接起诉的，维持").
    t4_open = [f for f in own if f.table == "t4" and f.missing]
    if (t4groups or t4cols) and t4_open:
        head = t4_open[-1]
        if len(t4groups) == 1 and head.row is None:
            head.row = topic.t4g = t4groups[0]
        if len(t4cols) == 1 and head.col is None:
            head.col = t4cols[0]
        head.span = _joined(head, span)
        if not head.missing:
            head.status = Status.READY
            if head.extent is not Extent.PART:
                implied_zeros(doc, head, T4_OUTCOMES)
        topic.table = "t4"
        return
    # A count whose reason follows ("不予公开2件，都涉及个人隐私", "有5件" … "新收的").
    row_open = [f for f in own if f.missing in ("row", "table")]
    if len(rows) == 1 and row_open and (row_open[-1].group3 is None
                                        or rows[0] in GROUP_ROWS.get(row_open[-1].group3, ())):
        head = row_open[-1]
        head.table, head.row, head.group3 = "t3", rows[0], None
        if head.col is None and topic.appl is not None and head.origin is not Origin.PREVIOUS:
            head.col = topic.appl
        head.status = Status.OPEN if head.missing else Status.READY
        head.span = _joined(head, span)
        topic.row, topic.table = rows[0], "t3"
        if head.missing in ("appl", "org") and len(appls) == 1:
            _fill_applicant(doc, head, appls[0], span, topic)
        return
    t2_open = [f for f in own if f.missing == "t2col"]
    t2cols = ids(tokens, lx.T2C)
    if t2_open and len(t2cols) == 1 and t2cols[0] in reg.T2_LAYOUT[t2_open[-1].row or ""]:
        head = t2_open[-1]
        head.col, head.status, head.span = t2cols[0], Status.READY, _joined(head, span)
        return
    if len(rows) == 1 or (groups3 and not rows):
        counted = [f for f in own if f.table == "t3" and f.row is not None and f.origin is not Origin.DERIVED]
        if not counted and says_all and rows and rows[0] not in INTAKE_ROWS:
            counted = _drafted_intake(doc, appls, clause)  # "个人申请的都公开了": what the draft holds
        if not counted:
            set_topic(tokens, topic)
            if len(appls) == 1 and rows and rows[0] in INTAKE_ROWS:  # "今年收到的申请全是个人的，一共14件"
                topic.named, topic.words, topic.only_appl = True, tokens, appls[0]
            return
        source_row = counted[-1].row
        if (rows and rows[0] == source_row) or (not rows and source_row in GROUP_ROWS.get(groups3[0], ())):
            return  # "信访的4件，都按不予处理答复了": the category said again
        batch = [f for f in counted if f.row == source_row]
        if rows == ["processed_total"] or (rows and rows[0] not in INTAKE_ROWS and source_row in INTAKE_ROWS):
            batch = intake_by_applicant(counted) if len({f.row for f in counted} & INTAKE_ROWS) > 1 else batch
        batch = [f for f in batch if f.col is not None] or batch
        if appls:
            batch = [f for f in batch if f.col in appls]
        for f in batch:
            if f.row in INTAKE_ROWS and rows and rows[0] not in INTAKE_ROWS:
                f.extent = Extent.PART  # "收到的1件…结转到明年": the intake count may be a part of it
            copy = replace(f, row=rows[0] if rows else None, group3=None if rows else groups3[0],
                           origin=Origin.DERIVED, mode=Mode.SET, span=_joined(f, span), words="", extent=Extent.WHOLE)
            copy.status = Status.READY if copy.row is not None and copy.col is not None else Status.OPEN
            doc.facts.append(copy)
        if rows:
            topic.row = rows[0]
        topic.table = "t3"
        if len({f.col for f in batch}) > 1:
            topic.appl = None  # "个人8件、企业1件，都答复了": what follows is not one applicant's
        if len(appls) == 1:
            for f in [f for f in doc.facts[topic.first :] if f.live and f.missing == "appl"]:
                _fill_applicant(doc, f, appls[0], span, topic)
        return
    if len(appls) == 1:
        heads = [f for f in own if f.table == "t3" and f.missing in ("appl", "org")]
        for head in heads:
            _fill_applicant(doc, head, appls[0], span, topic)
        if not heads:  # "今年收到的申请全是个人的，一共14件": what follows is all this applicant's
            set_topic(tokens, topic)
            topic.named, topic.words, topic.only_appl = True, tokens, appls[0]
        topic.appl, topic.breakdown, topic.table = appls[0], False, "t3"
        return
    set_topic(tokens, topic)


def _drafted_intake(doc: Doc, appls: list[str], clause: Clause) -> list[Fact]:
    """This year's applications as the draft holds them (new and carried over), per applicant."""
    out = []
    for col in appls or APPLICANTS:
        values = [doc.report.get(f"t3.{row}.{col}") for row in ("new", "carried_over")]
        if values[0] is None or not any(values):
            continue
        total = sum((Decimal(v) for v in values if v), Decimal(0))
        out.append(Fact("t3", "new", col, total, "件", clause.span, clause.sentence, status=Status.SUBSET))
    return out


def _fill_applicant(doc: Doc, head: Fact, appl: str, span: tuple[int, int], topic: Topic) -> None:
    org_only = head.org_only
    if org_only and appl not in ORG_APPLICANTS:
        return
    head.col = appl
    head.org_only = False
    head.span = _joined(head, span)
    head.status = Status.READY if not head.missing else Status.OPEN
    if not org_only and head.extent is not Extent.PART and not head.missing:
        implied_zeros(doc, head, APPLICANTS)
    topic.appl = appl


def _remainder(doc: Doc, own: list[Fact], appl: str, span: tuple[int, int], topic: Topic) -> None:
    """ "一共收到21件，律所1件，企业2件，其余都是个人": the rest of the total is this applicant's."""
    heads = [f for f in own if f.table == "t3" and f.missing == "appl"]
    if not heads:
        return
    head = heads[-1]
    parts = [f for f in own if f.table == "t3" and f.row == head.row and f.col is not None and f is not head]
    rest = head.value - sum((p.value for p in parts), Decimal(0))
    if rest < 0:
        return
    fact = Fact("t3", head.row, appl, rest, head.unit, _joined(head, span), head.sentence)
    doc.facts.append(fact)
    topic.appl = None


def _remainder_of_intake(doc: Doc, own: list[Fact], row: str, appls: list[str], clause: Clause) -> None:
    """ "除1件涉及第三方外，其余全部公开": the applications not yet placed have this result."""
    intake = [f for f in own if f.table == "t3" and f.row in INTAKE_ROWS]
    base = intake_by_applicant(intake) if intake else _drafted_intake(doc, appls, clause)
    results = [f for f in own if f.table == "t3" and f.row not in INTAKE_ROWS and f.row != row
               and (f.row is not None or f.group3 is not None)]
    for b in base:
        placed = sum((r.value for r in results if r.col == b.col or (r.col is None and len(base) == 1)), Decimal(0))
        if b.value - placed < 0:
            continue
        doc.facts.append(Fact("t3", row, b.col, b.value - placed, b.unit, clause.span, clause.sentence,
                              status=Status.READY if b.col else Status.OPEN, origin=Origin.DERIVED))


def _joined(fact: Fact, span: tuple[int, int]) -> tuple[int, int]:
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
    """The other columns of a count that "都是…" or complete parts cover: 0."""
    skip = {fact.col, *given}
    for col in columns:
        if col not in skip:
            doc.facts.append(Fact(fact.table, fact.row, col, Decimal(0), "", fact.span, fact.sentence,
                                  origin=Origin.IMPLIED))
