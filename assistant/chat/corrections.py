"""Corrections against the draft: two passes.

``read_moves`` (before the facts are read) finds sentences that move a count from one cell to
another: "不是维持，是纠正", "不掌握的有1件其实是需要另行制作的", "直接起诉那件已经判了，驳回诉讼请求".
The draft must hold what is moved; otherwise the clerk is asked, nothing is guessed.

``against_draft`` (after the paragraph is resolved) turns additions into values: "又来了1件",
"少算了2件" add to what the draft holds, "多算了1件" takes from it, and "再加1件，现在是11件" is
proposed only when the two numbers agree.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant import cells as reg
from assistant.chat import lexicon as lx
from assistant.chat.labels import short_label
from assistant.chat.lexicon import NumberRole, Token
from assistant.chat.record import Clause, Doc, Fact, Mode, Status, Table
from assistant.chat.resolve import draft_applicant
from assistant.chat.topic import APPLICANTS, INTAKE_ROWS, T4_OUTCOMES
from assistant.numbers import format_value

_ONE = re.compile(r"[那这该]一?[件起个]|一件")
_IS = re.compile(r"(?:而?是|应该?是|应为|属于|算)")
_MOVE_CATS = (lx.T4C, lx.ROW, lx.APPL, lx.T4G)


def read_moves(doc: Doc) -> None:
    sentences: dict[int, list[Clause]] = {}
    for clause in doc.clauses:
        sentences.setdefault(clause.sentence, []).append(clause)
    for clauses in sentences.values():
        tokens = [t for c in clauses for t in c.tokens if not t.is_number or t.is_quantity]
        move = _resolved(tokens) or _not_but(doc, tokens) or _actually(tokens) or _taken_out(tokens)
        if move is None:
            continue
        cat, source, target, count = move
        span = (clauses[0].span[0], clauses[-1].span[1])
        if _apply_move(doc, tokens, cat, source, target, count, span, clauses[0].sentence):
            for c in clauses:
                c.consumed = True


def _resolved(tokens: list[Token]) -> tuple[str, str, str, Token | None] | None:
    """ "直接起诉那件已经判了，驳回诉讼请求": pending → the outcome."""
    cats = [t.cat for t in tokens]
    if lx.RESOLVED not in cats:
        return None
    at = cats.index(lx.RESOLVED)
    outcomes = [t.id for t in tokens[at:] if t.cat == lx.T4C and t.id != "pending"]
    if len(set(outcomes)) != 1:
        return None
    count = next((t for t in tokens if t.is_quantity), None)
    return lx.T4C, "pending", outcomes[0], count


def _not_but(doc: Doc, tokens: list[Token]) -> tuple[str, str, str, Token | None] | None:
    """ "复议那件不是维持，是纠正": no number after 不是, the same kind of word on both sides."""
    cats = [t.cat for t in tokens]
    if lx.NOT not in cats:
        return None
    at = cats.index(lx.NOT)
    if any(t.is_quantity for t in tokens[at:]):
        return None  # "不是12件，是13件": a corrected number, read with the facts
    quantities = [t for t in tokens[:at] if t.is_quantity]
    if len(quantities) > 1:
        return None
    for cat in _MOVE_CATS:
        after = [t for t in tokens[at + 1 :] if t.cat == cat]
        if len(after) >= 2 and after[0].id != after[-1].id and _says_is(doc, after[0], after[-1]):
            return cat, after[0].id, after[-1].id, (quantities[0] if quantities else None)
        # "那件是纠正，不是维持": what it is, then what it is not
        before = [t for t in tokens[:at] if t.cat == cat]
        said_is = before and _IS.search(doc.norm[max(0, before[-1].start - 3) : before[-1].start])
        if len(after) == 1 and before and before[-1].id != after[0].id and said_is:
            return cat, after[0].id, before[-1].id, (quantities[0] if quantities else None)
    return None


def _says_is(doc: Doc, first: Token, second: Token) -> bool:
    """Whether 是 (or 应是, 属于, 算) stands between the two words."""
    return bool(_IS.search(doc.norm[first.end : second.start]))


def _actually(tokens: list[Token]) -> tuple[str, str | None, str, Token | None] | None:
    """ "不掌握的有1件其实是需要另行制作的", "上年结转的1件其实是企业申请的，不是个人": a count said of one
    cell that belongs to another (what it is not may follow 不是)."""
    cats = [t.cat for t in tokens]
    if lx.CORR not in cats:
        return None
    at = max(i for i, c in enumerate(cats) if c == lx.CORR)
    if cats[:at].count(lx.T4G) + cats[:at].count(lx.LIT) and lx.OTHER in cats:  # "复议的结果应该是其他"
        tokens = [replace(t, meaning=lx.Meaning(lx.T4C, "other")) if t.cat == lx.OTHER else t for t in tokens]
    before, after = tokens[:at], tokens[at + 1 :]
    counts = [t for t in before if t.is_quantity and (t.role is not NumberRole.SCOPE or lx.THAT_ONE.fullmatch(t.text))]
    if len(counts) > 1 and any(t.cat == lx.SUB and counts[-2].end <= t.start < counts[-1].start for t in before):
        counts = counts[-1:]  # "不掌握的3件，其中1件应该算到重复申请里": the count moved is the one after 其中
    if any(t.is_quantity for t in after):
        return None
    if not counts and any(t.cat == lx.T4G for t in before):
        # "复议的结果应该是其他": the group's one case, whose outcome the draft holds, has another
        b = [t.id for t in after if t.cat == lx.T4C]
        if len(set(b)) == 1 and not any(t.cat == lx.T4C for t in before):
            return lx.T4C, None, b[0], None
        return None
    if len(counts) != 1:
        return None
    denied = next((i for i, t in enumerate(after) if t.cat == lx.NOT), len(after))
    is_, is_not = after[:denied], after[denied + 1 :]
    for cat in _MOVE_CATS:
        a = [t.id for t in before if t.cat == cat] or [t.id for t in is_not if t.cat == cat]
        b = [t.id for t in is_ if t.cat == cat]
        if len(set(b)) == 1 and ((not a and cat == lx.APPL) or (len(set(a)) == 1 and a[0] != b[0])):
            return cat, (a[0] if a else None), b[0], counts[0]
    return None


def _taken_out(tokens: list[Token]) -> tuple[str, str | None, str, Token | None] | None:
    """ "去掉1件部分公开，那件后来全部公开了": a count taken from one result and given to another."""
    cats = [t.cat for t in tokens]
    if lx.FEWER not in cats:
        return None
    at = tokens[cats.index(lx.FEWER)].start
    counts = [t for t in tokens if t.is_quantity and not lx.THAT_ONE.fullmatch(t.text)]
    rows = [t for t in tokens if t.cat == lx.ROW and t.id not in INTAKE_ROWS]
    if len(counts) != 1 or counts[0].start < at or len(rows) != 2 or rows[0].id == rows[1].id:
        return None
    if not any(t.start > rows[0].end and lx.THAT_ONE.fullmatch(t.text) for t in tokens):
        return None  # the second result must speak of the same case ("那件")
    return lx.ROW, rows[0].id, rows[1].id, counts[0]


def _apply_move(doc: Doc, tokens: list[Token], cat: str, source: str | None, target: str, count: Token | None,
                span: tuple[int, int], sentence: int) -> bool:
    """Two facts: the source less the count, the target more. False when this is not a move."""
    cells = _cells(doc, tokens, cat, source, target)
    if cells is None:
        return False
    a, b = cells
    old = doc.known(a)
    text = doc.norm[span[0] : span[1]]
    if count is not None and count.value is not None:
        n = count.value
    elif _ONE.search(text):
        n = Decimal(1)
    elif old is not None:
        n = Decimal(old)
    else:
        n = None
    if old is None or n is None:
        doc.ask("move_unknown", label=short_label(a), n=f"{format_value(n)}件" if n is not None else "这些申请")
        return True
    if n > old:
        doc.ask("move_short", label=short_label(a), old=format_value(old), n=format_value(n))
        return True
    table: Table = reg.CELLS[a].table  # type: ignore[assignment]
    for cid, value in ((a, old - n), (b, (doc.known(b) or 0) + n)):
        c = reg.CELLS[cid]
        doc.facts.append(Fact(table, c.row, c.column, value, "件", span, sentence, mode=Mode.CORRECT))
    return True


def _cells(doc: Doc, tokens: list[Token], cat: str, source: str | None, target: str) -> tuple[str, str] | None:
    report = doc.report
    if cat == lx.T4C and source is None:
        groups = list(dict.fromkeys(t.id for t in tokens if t.cat == lx.T4G))
        held = [c for c in T4_OUTCOMES if len(groups) == 1 and doc.known(f"t4.{groups[0]}.{c}")]
        if len(held) != 1 or held[0] == target or target not in T4_OUTCOMES:
            return None
        source = held[0]
    if cat == lx.T4C:
        groups = [t.id for t in tokens if t.cat == lx.T4G]
        if not groups:
            with_source = [g.id for g in reg.T4_GROUPS if doc.known(f"t4.{g.id}.{source}")]
            if any(t.cat == lx.LIT for t in tokens):
                with_source = [g for g in with_source if g != "review"]
            groups = with_source
        if len(set(groups)) != 1 or target not in T4_OUTCOMES:
            return None
        return f"t4.{groups[0]}.{source}", f"t4.{groups[0]}.{target}"
    if source is None and cat != lx.APPL:
        return None
    if cat == lx.T4G:  # "不是直接起诉，是复议后起诉的": the case moves to the other group, outcome and all
        outcomes = list(dict.fromkeys(t.id for t in tokens if t.cat == lx.T4C))
        if not outcomes:
            outcomes = [c for c in T4_OUTCOMES if doc.known(f"t4.{source}.{c}")] or ["total"]  # "total": ask
        if len(outcomes) != 1 or target not in reg.T4_GROUP:
            return None
        return f"t4.{source}.{outcomes[0]}", f"t4.{target}.{outcomes[0]}"
    if cat == lx.ROW:
        appls = list(dict.fromkeys(t.id for t in tokens if t.cat == lx.APPL))
        if not appls:
            held = [c for c in APPLICANTS if doc.known(f"t3.{source}.{c}")]
            appls = held if len(held) == 1 else [a for a in [draft_applicant(report)] if a]
        if len(appls) != 1 or source in INTAKE_ROWS or target in INTAKE_ROWS:
            return None
        return f"t3.{source}.{appls[0]}", f"t3.{target}.{appls[0]}"
    if cat == lx.APPL:
        rows = [t.id for t in tokens if t.cat == lx.ROW]
        row = rows[0] if len(set(rows)) == 1 else "new" if not rows else None
        if row is None:
            return None
        if source is None:  # "上年结转的1件其实是企业申请的": from the one applicant the draft has there
            held = [c for c in APPLICANTS if c != target and doc.known(f"t3.{row}.{c}")]
            if len(held) != 1:
                return None
            source = held[0]
        return f"t3.{row}.{source}", f"t3.{row}.{target}"
    return None


def against_draft(doc: Doc) -> None:
    """Additions and subtractions become values; "现在是…" must agree with them."""
    for f in doc.facts:
        if not f.live or f.status is Status.OPEN or f.mode not in (Mode.ADD, Mode.SUBTRACT):
            continue
        cid = f.cell()
        if cid is None or cid not in reg.CELLS:
            continue
        current = doc.known(cid)
        label = short_label(cid)
        n = format_value(f.value)
        if f.mode is Mode.ADD:
            total = f.value + Decimal(current or 0)
            if f.now is not None and f.now != total:
                f.status = Status.ASKED
                if current is None:
                    doc.ask("now_unknown", label=label, now=format_value(f.now))
                else:
                    doc.ask("now_mismatch", label=label, old=format_value(current), add=n,
                            sum=format_value(total), now=format_value(f.now))
                continue
        else:
            if current is None:
                f.status = Status.ASKED
                doc.ask("subtract_unknown", label=label, n=n)
                continue
            total = Decimal(current) - f.value
            if total < 0:
                f.status = Status.ASKED
                doc.ask("subtract_short", label=label, old=format_value(current), n=n)
                continue
        f.value = total
        f.mode = Mode.CORRECT
