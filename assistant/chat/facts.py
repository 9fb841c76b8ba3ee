"""Pass ``read_facts``: each quantity, with its words, becomes a fact about a cell.

A paragraph is read clause by clause. What a clause leaves open is taken from the paragraph so
far (``Topic``): the row or group spoken of last, the applicant when one applicant is the topic.
Clauses without numbers still speak: "没有…" is 0 for all it names, "都是个人" / "全部予以公开"
says what the counts just made are, and "公开出版物的，1件" names what the next number is about.
A count whose words leave a dimension open stays ``Status.OPEN``; ``resolve`` completes or asks.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from decimal import Decimal

from assistant import cells as reg
from assistant.chat import lexicon as lx
from assistant.chat.lexicon import Meaning, Token
from assistant.chat.record import Clause, Doc, Extent, Fact, Mode, Origin, Status, Table
from assistant.chat.slots import Slot, slots
from assistant.chat.spread import distribute, zero
from assistant.chat.topic import (
    APPLICANTS,
    GROUP_ROWS,
    INTAKE_ROWS,
    Topic,
    ids,
    implied_zeros,
    joined,
    own_facts,
    set_topic,
    t3_rows,
)
from assistant.numbers import format_value

_ALL_WORDS = ("全部", "都", "均", "全")  # a row word that starts so says "all of them" ("全部予以公开")
_ROW_WORDS = frozenset({lx.ROW, lx.GROUP3, lx.WEAK_NEW, lx.T4G, lx.LIT, lx.T2I, lx.FEE})
_NOT_A_COUNT = re.compile(r"^(?:按|按照|作为|当作|当成|计入|列入|纳入|登记|算作|算进)")
_IN_OWN_NAME = frozenset({"以个人名义", "以个人身份", "以自己名义", "以自己的名义", "以本人名义", "以个人的名义"})
_ONE_CASE = re.compile(r"(?:算|算作|算成|计为|记为|按)\s*$")
_EXCEPT_START = re.compile(r"\s*除(?:了|去|开)?")
_INSIDE = re.compile(r"\s*的?\s*(?:中|里|里面|当中|之中)\s*(?:有|共有|,|，)?\s*")
_EXCEPT = re.compile(r"除(?:了|去|开)?[^，,。；;]*$")
_NOT_APPLICATIONS = frozenset({"份", "条", "项"})  # what table 3 never counts in, unless an applicant is said
_WITHDRAWN = frozenset({"撤回", "撤回申请", "主动撤回", "自己撤回", "撤回了"})


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
        elif n == 0:
            _topic_of_last_turn(doc, topic)
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


def _topic_of_last_turn(doc: Doc, topic: Topic) -> None:
    """ "规范性文件今年发了3件" then "废止的有1件": the table-2 item or table-4 group the last turn
    spoke of is the topic of a message that names only its column."""
    if doc.context is None or not doc.context.last_cells:
        return
    c = reg.CELLS.get(doc.context.last_cells[-1])
    if c is None:
        return
    if c.table == "t2":
        topic.table, topic.t2i = "t2", c.row
    elif c.table == "t4":
        topic.table, topic.t4g = "t4", c.row


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
    if lx.FIX in cats and lx.CORR not in cats:
        # "不掌握3件不对", "予以公开8件错了": the numbers before 不对 are the wrong ones; the words stay named
        wrong_at = max(i for i, c in enumerate(cats) if c == lx.FIX)
        kept = [t for t in kept if not (t.is_quantity and t.start < tokens[wrong_at].start)]
    if len(kept) < len(tokens):
        fix = True
    tokens = kept
    cats = [t.cat for t in tokens]
    if not any(t.is_quantity for t in tokens):
        tokens = _counters_as_counts(doc, tokens, topic)
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
    remainder = False
    if dist_at is not None and not any(t.is_quantity for t in tokens[dist_at:]):
        before, after = tokens[:dist_at], tokens[dist_at + keep :]
        if any(t.cat in lx.TARGETS for t in after):
            if _EXCEPT.search(doc.norm[clause.span[0] : next(t.start for t in tokens if t.is_quantity)]):
                tokens, tail, remainder = before, after, True  # "除了2件来自企业外都是个人的": the rest
            elif any(t.cat in _ROW_WORDS for t in before):
                tokens, tail = before, after
            else:
                tokens = before + after  # "这5件都公开了", "律所的2件都是部分公开": the number's own words
    for slot in slots(tokens, doc.norm):
        _fact_from_slot(doc, slot, clause, topic, fix=fix)
    topic.fix = False
    topic.named = False
    topic.t4c = None
    if tail:
        distribute(doc, tail, clause, topic, remainder=remainder, says_all=remainder)


def _counters_as_counts(doc: Doc, tokens: list[Token], topic: Topic) -> list[Token]:
    """ "一个公司一个协会" in answer to "法人申请2件": one application each, when the counters of the
    applicants add up to the count that waits for them."""
    heads = [f for f in doc.facts[topic.first :] if f.live and f.table == "t3" and f.missing in ("appl", "org")]
    pairs = [(t, n) for t, n in itertools.pairwise(tokens)
             if t.is_number and t.role is lx.NumberRole.COUNTER and n.cat == lx.APPL and n.start - t.end <= 1]
    if not heads or len(pairs) < 2 or sum((t.value or 0 for t, _ in pairs), Decimal(0)) != heads[-1].value:
        return tokens
    promoted = {id(t) for t, _ in pairs}
    return [replace(t, role=lx.NumberRole.QUANTITY, unit="件") if id(t) in promoted else t for t in tokens]


def _in_context(token: Token, clause: list[Token], topic: Topic) -> Token | None:
    """Words whose meaning depends on the clause: "其他" and "撤回"."""
    cats = {t.cat for t in clause}
    if token.cat == lx.ROW and token.text in _WITHDRAWN:
        # "申请人撤回" in table 4 is an outcome (其他结果), in table 3 a result (其他处理).
        if cats & {lx.T4G, lx.T4C, lx.LIT} or (topic.table == "t4" and not cats & {lx.APPL, lx.GROUP3}
                                                and not any(t.cat == lx.ROW and t is not token for t in clause)):
            return replace(token, meaning=Meaning(lx.T4C, "other"))
        return token
    if token.cat == lx.NEUTRAL and token.id == "carried":
        if any(t.cat == lx.LAST_YEAR and t.end <= token.start for t in clause):
            return replace(token, meaning=Meaning(lx.ROW, "carried_over"))  # "上年没有结转"
        if topic.row == "processed_total" or any(t.cat == lx.ROW and t.id == "processed_total" for t in clause):
            return replace(token, meaning=Meaning(lx.ROW, "carried_forward"))  # "全部办结，没有结转"
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
    if says_all and _after_except(doc, clause):
        cats.add(lx.REMAINDER)  # "除了3件不掌握，都公开了": all the others
    if lx.NEG in cats and _negates(doc, tokens):
        zero(doc, tokens, clause, topic)
    elif _confirms_applicant(doc, targets, topic) or _withheld_part(doc, targets, clause, topic):
        pass
    elif says_all or _fills_open(doc, targets, clause, topic):
        distribute(doc, [t for t in tokens if t.cat not in (lx.DIST, lx.REMAINDER)], clause, topic,
                   remainder=lx.REMAINDER in cats, says_all=says_all)
    else:
        set_topic(tokens, topic)
        topic.named = True
        topic.words = tokens


def _after_except(doc: Doc, clause: Clause) -> bool:
    """Whether the clause before, in the same sentence, set a count apart ("除了3件不掌握，…")."""
    before = [c for c in doc.clauses if c.sentence == clause.sentence and c.span[1] <= clause.span[0]]
    return bool(before) and bool(_EXCEPT_START.match(doc.norm[before[-1].span[0] : before[-1].span[1]]))


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


def _confirms_applicant(doc: Doc, targets: list[Token], topic: Topic) -> bool:
    """ "上年结转1件，也是个人的": the count just made, whose applicant came from the topic, is all that
    applicant's — its row's other applicants are 0."""
    if len(targets) != 1 or targets[0].cat != lx.APPL:
        return False
    own = [f for f in own_facts(doc, topic) if f.origin is Origin.SAID]
    last = own[-1] if own else None
    if (last is None or last.table != "t3" or last.row is None or last.col != targets[0].id
            or last.extent is not Extent.WHOLE or last.mode is not Mode.SET or not last.value or last.words):
        return False
    implied_zeros(doc, last, APPLICANTS)
    return True


def _named(targets: list[Token]) -> set[str]:
    """The ids a clause names, a table-3 group counted once with a row of it ("执法案卷不予公开")."""
    rows = {t.id for t in targets if t.cat == lx.ROW}
    return {t.id for t in targets if t.cat != lx.WEAK_NEW
            and not (t.cat == lx.GROUP3 and any(r in GROUP_ROWS[t.id] for r in rows))}


def _withheld_part(doc: Doc, targets: list[Token], clause: Clause, topic: Topic) -> bool:
    """ "有1件信息里夹着商业秘密，我们把那部分删了": the reason was what a partial disclosure left out —
    区分处理 counts only as 部分公开."""
    if [t.id for t in targets if t.cat == lx.ROW] != ["partial"] or len(targets) != 1:
        return False
    own = [f for f in own_facts(doc, topic) if f.origin is Origin.SAID]
    last = own[-1] if own else None
    if last is None or last.table != "t3" or last.sentence != clause.sentence or not (
            last.row or "").startswith(("denied.", "unavailable.")):
        return False
    last.row, last.span = "partial", joined(last, clause.span)
    topic.row = "partial"
    return True


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
    if last.table == "t4" and last.missing and cats - {lx.T2C} <= {lx.T4C, lx.T4G, lx.LIT} and len(ids) <= 3:
        return True
    if last.missing == "row" and cats == {lx.ROW}:
        return last.group3 is None or all(i in GROUP_ROWS.get(last.group3, ()) for i in ids)
    if last.missing == "t2col" and cats == {lx.T2C}:
        return True
    if last.missing == "table" and cats & {lx.ROW, lx.T4G, lx.LIT, lx.T2I} and len(_named(targets)) == 1:
        # "有2件要的是…，按执法案卷不予公开": the one thing named (a row with its group is one); never a
        # count of documents or of what has no cell ("发布各类政府信息2428条，公开…")
        return last.unit not in _NOT_APPLICATIONS and not any(
            t.cat == lx.ELSEWHERE and t.id != "weak" for t in doc.tokens if last.span[0] <= t.start < last.span[1])
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
# Counts to facts


def _table_of(words: list[Token], number: Token, topic: Topic) -> Table | None:
    table = _table_named(words, number, topic)
    cats = {t.cat for t in words}
    if table == "t3" and number.unit in _NOT_APPLICATIONS and not cats & {lx.APPL, lx.WEAK_NEW}:
        return None  # "在网站上公开了5份", "解读信息发布7条": documents and items, not applications
    return table


def _table_named(words: list[Token], number: Token, topic: Topic) -> Table | None:
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
    if fix and topic.named and topic.words and not any(t.cat in lx.TARGETS for t in words):
        # "规范性文件现行有效数记错了，实际是35件": the cell named just before is corrected
        words = [*topic.words, *words]
    person = _person(clause, number)
    if person is not None and not any(t.cat in (lx.APPL, lx.ORG) or t.id == "unsure" for t in clause.tokens):
        words = [*words, person]  # "一位老党员申请了1件": 位/名 count people, so the applicant is a person
    if not any(t.cat in lx.TARGETS for t in words):
        # "主动公开信息300条": the subject said before the number has no cell, whatever the topic
        words = [*(t for t in clause.tokens if t.cat == lx.ELSEWHERE and t.end <= number.start), *words]
    table = _table_of(words, number, topic)
    span = clause.span
    if topic.named and topic.words and words[: len(topic.words)] == topic.words:
        span = (min(span[0], topic.words[0].start), span[1])
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
    if mode is Mode.ADD and _names_duplicate(doc, clause):
        mode = Mode.SET  # "把去年申请过的又交了一遍，按重复申请": 又 is the repeat, not an addition
    fact = Fact(table, None, None, number.value * slot.times, number.unit, span, clause.sentence, mode=mode,
                number_at=number.start)
    fact.words = "".join(t.text for t in words if t.cat in (lx.APPL, lx.PERIOD)) + (
        "·" + number.text if any(t.cat == lx.PERIOD for t in words) else "")
    if number.role is lx.NumberRole.SCOPE:
        fact.extent = Extent.KNOWN
    elif _ONE_CASE.search(doc.norm[max(0, number.start - 4) : number.start]):
        fact.extent = Extent.PART  # "三个人合伙来申请的，算1件": how one case is counted, not all of the row
    each = any(t.cat == lx.EACH for t in words) and slot.times == 1
    if table == "t3":
        facts = _t3_facts(doc, fact, words, topic, each, slot.counted)
    elif table == "t4":
        facts = _t4_facts(doc, fact, words, topic, each)
    elif table == "t2":
        facts = _t2_facts(doc, fact, words, topic)
    else:
        facts = _fee_facts(fact, words, topic)
    if _inside_named(doc, clause, number):
        for f in facts:  # "个人申请中有5件是同一个人提的": part of what was named, no value of its own
            f.status = Status.SUBSET
    doc.facts.extend(facts)
    if facts:
        topic.table = table
    if slot.remainder and any(t.cat == lx.APPL for t in words):  # "剩下的7件是个人的": no one else is left
        for f in facts:  # ("剩下4件都是查不到" names a result of the applicants spoken of, not its other applicants)
            if f.table == "t3" and f.row and f.col in APPLICANTS:
                given = tuple(g.col for g in doc.facts[topic.first :] if g.live and g.table == "t3"
                              and g.row == f.row and g.col)
                implied_zeros(doc, f, APPLICANTS, given)


def _names_duplicate(doc: Doc, clause: Clause) -> bool:
    return any(t.cat == lx.ROW and t.id == "refused.duplicate"
               for c in doc.clauses if c.sentence == clause.sentence for t in c.tokens)


def _inside_named(doc: Doc, clause: Clause, number: Token) -> bool:
    """A count said inside what its clause named ("个人申请中有5件…") whose own words name nothing more."""
    before = [t for t in clause.tokens if t.end <= number.start and not t.is_number]
    if not before or not any(t.cat in lx.TARGETS for t in before):
        return False
    if not _INSIDE.fullmatch(doc.norm[before[-1].end : number.start]):
        return False
    return not any(t.cat in lx.TARGETS for t in clause.tokens if t.start > number.start)


def _person(clause: Clause, number: Token) -> Token | None:
    """A counter of people (一位, 两名) before a count of applications in the clause: the applicant."""
    if not any(t.cat == lx.WEAK_NEW or (t.cat == lx.ROW and t.id == "new") for t in clause.tokens):
        return None
    counter = next((t for t in clause.tokens if t.is_number and t.role is lx.NumberRole.COUNTER
                    and t.unit in ("位", "名") and t.end <= number.start), None)
    if counter is None:
        return None
    return Token(counter.start, counter.end, Meaning(lx.APPL, "natural"), text=counter.text)


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


def _t3_facts(doc: Doc, fact: Fact, words: list[Token], topic: Topic, each: bool,
              counted: dict[int, Decimal] | None = None) -> list[Fact]:
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
    elif groups and topic.named and topic.row in GROUP_ROWS[groups[0]]:
        fact.row = topic.row  # "涉及第三人的身份证号，不予公开1件": the reason said just before
        if topic.words:
            fact.span = (min(fact.span[0], topic.words[0].start), fact.span[1])
    elif groups:
        fact.group3 = groups[0]
    elif weak and not topic.breakdown:
        fact.row = "new"
    elif topic.row is not None:
        fact.row = topic.row
        if topic.named and topic.words and not any(t.cat in lx.TARGETS for t in words):
            fact.span = (min(fact.span[0], topic.words[0].start), fact.span[1])  # quote what named it
        if topic.weak_row and fact.row in INTAKE_ROWS and not any(t.cat in lx.TARGETS for t in words):
            fact.extent = Extent.PART  # "有个申请人借申请公开的名义…，1件": one case, not the year's intake
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
        if each:  # "业委会和居委会各申请了1件": one each, and both are 其他; "4个村民和1家企业各…": 4 and 1
            named = [(t.id, (counted or {}).get(t.start, Decimal(1))) for t in words if t.cat == lx.APPL]
            return [replace(fact, col=a, value=fact.value * sum((m for i, m in named if i == a), Decimal(0)))
                    for a in appls]
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
    if not cols and topic.t4c and topic.named:
        cols = [topic.t4c]  # "一审判我们败诉，对方是直接起诉的，1件": the outcome said before the count
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
