"""Pass ``resolve``: the grammar of a paragraph, and what must be asked.

- a total followed by its parts ("共收到15件，其中个人12件，企业3件") is checked against them and
  not proposed when they cover it (the applicants not named are then 0);
- a mention of part of a count already known is not a value ("那12件里" when the draft holds the
  12; "其中1人申请了3件" inside the 6 just said);
- a count still missing a dimension is completed by the draft when the draft leaves no doubt
  ("本年申请均来自自然人"), proposed as its row's total with a question, or only asked about.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from assistant import cells as reg
from assistant.chat import lexicon as lx
from assistant.chat.labels import head_label, t3_row_words
from assistant.chat.record import Doc, Extent, Fact, Mode, Origin, Status
from assistant.chat.topic import (
    APPLICANTS,
    GROUP_ROWS,
    INTAKE_ROWS,
    ORG_APPLICANTS,
    SUITS,
    T4_OUTCOMES,
    implied_zeros,
)
from assistant.model import Report
from assistant.numbers import format_value


def resolve(doc: Doc) -> None:
    starts = doc.paragraph_starts or [0]
    bounds = [*starts[1:], len(doc.facts)]
    for first, end in zip(starts, bounds, strict=True):
        _resolve_heads(doc, first, end)
        _whole_groups(doc, first, end)
    _mentions(doc)
    _resolve_open(doc)


# ------------------------------------------------------------------------------------------------
# Totals and their parts


def _resolve_heads(doc: Doc, first: int, end: int) -> None:
    """A total followed by its parts: check the sum, keep the parts, say what is missing."""
    facts = doc.facts[first:end]
    for i, head in enumerate(facts):
        if not head.live or head.origin is Origin.IMPLIED or head.missing not in ("appl", "org", "t4col", "row",
                                                                                  "t4group"):
            continue
        if head.missing == "row" and head.group3 is None:
            continue
        parts: list[Fact] = []
        for f in [*facts[i + 1 :], *doc.facts[end:]] if head.origin is Origin.PREVIOUS else facts[i + 1 :]:
            if f.origin is Origin.IMPLIED or not (f.live or (f.status is Status.SUBSET
                                                             and f.origin is Origin.PREVIOUS)):
                continue
            if _is_part(head, f):
                parts.append(f)
            elif (parts or f.table != head.table) and f.origin is not Origin.PREVIOUS:
                break
        if not parts:
            continue
        total = sum((p.value for p in parts), Decimal(0))
        what, n, said = head_label(head), format_value(head.value), format_value(total)
        spoken = [p for p in parts if p.origin is not Origin.PREVIOUS]
        if total == head.value:
            head.status = Status.COVERED
            if spoken:
                head.span = (spoken[0].span[0], max(p.span[1] for p in spoken)) \
                    if head.origin is Origin.PREVIOUS else (head.span[0], max(p.span[1] for p in spoken))
            given = tuple(p.col for p in parts if p.col)
            if head.missing == "t4group" and head.col is not None:
                _outcome_to_parts(doc, head, parts)
            if head.missing == "appl" and head.extent is not Extent.PART:
                implied_zeros(doc, head, APPLICANTS, given)
            elif head.missing == "t4col" and head.extent is not Extent.PART:
                implied_zeros(doc, head, T4_OUTCOMES, given)
        elif total < head.value:
            rest = format_value(head.value - total)
            key = {"appl": "appl_rest", "t4col": "t4col_rest"}.get(head.missing, "row_rest")
            doc.ask(key, replace(head), what=what, n=n, said=said, rest=rest)
            if head.origin is Origin.PREVIOUS:
                continue  # still open: its total was proposed with the question that opened it
            if head.missing in ("appl", "t4col"):
                head.col = "total"
                head.status = Status.READY
            else:
                head.status = Status.ASKED
        else:
            head.status = Status.ASKED
            doc.ask("parts_exceed", what=what, n=n, said=said)


def _outcome_to_parts(doc: Doc, head: Fact, parts: list[Fact]) -> None:
    """ "行政诉讼2件，都维持" + "1件直接起诉，1件复议后起诉": each group's cases have the outcome said."""
    for p in parts:
        if p.col is None and p.live:
            p.col = head.col
            p.status = Status.READY
            if head.extent is Extent.WHOLE:
                implied_zeros(doc, p, T4_OUTCOMES)


def _whole_groups(doc: Doc, first: int, end: int) -> None:
    """ "复议1件，维持": the only count of a table-4 group, said before its outcome, is all of it."""
    said = [f for f in doc.facts[first:end] if f.table == "t4" and f.origin is Origin.SAID and f.value]
    if any(f.row is None or f.status is Status.COVERED for f in said):
        return  # "诉讼2件，一件直接起诉在审，一件…": parts of a total, not each a whole group
    for f in said:
        alone = sum(1 for g in said if g.row == f.row) == 1
        if alone and f.live and f.count_first and f.extent is Extent.WHOLE:
            implied_zeros(doc, f, T4_OUTCOMES)


def _is_part(head: Fact, f: Fact) -> bool:
    if f.table != head.table or f.missing in ("row", "t4group", "table"):
        return False
    if head.missing in ("appl", "t4col"):
        return f.row == head.row and f.col is not None and f.col != "total"
    if head.missing == "org":  # "单位申请3件" + "两件是公司，一件是律所": organisations only
        return f.row == head.row and f.col in ORG_APPLICANTS
    if head.missing == "row":
        return f.row in GROUP_ROWS.get(head.group3 or "", ()) and f.col == head.col
    if head.missing == "t4group":
        return f.row in SUITS
    return False


# ------------------------------------------------------------------------------------------------
# Mentions of what is already known


def _mentions(doc: Doc) -> None:
    """Counts that name part of something already known are not values of their own."""
    report = doc.report
    for i, f in enumerate(doc.facts):
        if not f.live or f.origin is not Origin.SAID or f.table != "t3":
            continue
        cell = f.cell()
        # "那12件里", "收到的1件…结转到明年": an intake count the draft already holds is a reference;
        # "要求公开…的2件，都公开了": applications whose result is told, among those the draft holds.
        if f.row in INTAKE_ROWS and f.extent is not Extent.WHOLE and (
            report.get(cell) is not None if cell else _row_held(report, f.row)
        ):
            f.status = Status.SUBSET
            continue
        # "予以公开的10件里有2件是去年结转过来的": inside a result's scope, where some came from
        if f.row in INTAKE_ROWS and any(
            g.extent is Extent.KNOWN and g.table == "t3" and g.row not in INTAKE_ROWS and g.sentence == f.sentence
            and g.span[0] <= f.span[0] for g in doc.facts[:i]
        ):
            f.status = Status.SUBSET
            continue
        if cell is None:
            continue
        # "个人申请6件（其中1人申请了3件）": a smaller count of the same cell in the same sentence.
        for g in doc.facts[:i]:
            if (g.live and g.origin is Origin.SAID and g.cell() == cell and g.sentence == f.sentence
                    and f.value < g.value and _under_sub(doc, g, f)):
                f.status = Status.SUBSET
                break


def _under_sub(doc: Doc, earlier: Fact, later: Fact) -> bool:
    between = [t for t in doc.tokens if earlier.span[0] <= t.start < later.span[1]]
    return any(t.cat == lx.SUB for t in between)


# ------------------------------------------------------------------------------------------------
# What is still open


def _resolve_open(doc: Doc) -> None:
    """Counts still missing a dimension: 0 fills all; the draft may tell; else a total and a question."""
    inferred = draft_applicant(doc.report)
    for f in list(doc.facts):
        if f.status is not Status.OPEN or f.origin is Origin.IMPLIED:
            continue
        n = format_value(f.value)
        missing = f.missing
        if f.origin is Origin.PREVIOUS and not (missing == "appl" and (inferred or f.span[1])):
            continue  # an open count of the last turn that this message did not complete: still open
        if missing == "table":
            f.status = Status.ASKED
            doc.ask("table", replace(f), number=f"{n}{f.unit}")
        elif missing == "row":
            f.status = Status.ASKED
            if f.group3 is None:
                doc.ask("new_or_result", replace(f), n=n)
            else:
                examples = "、".join(reg.T3_ROW[r].label for r in GROUP_ROWS[f.group3][:3])
                doc.ask("row", replace(f), what=head_label(f), n=n, examples=examples)
        elif missing == "t4group":
            f.status = Status.ASKED
            if f.value == 0:
                for group in SUITS:
                    for col in [f.col] if f.col else T4_OUTCOMES:
                        doc.facts.append(Fact("t4", group, col, Decimal(0), "", f.span, f.sentence))
            else:
                doc.ask("t4group", replace(f), n=n)
        elif missing == "org":
            f.status = Status.ASKED
            doc.ask("org", replace(f), n=n)
        elif missing == "t2col":
            f.status = Status.ASKED
            doc.ask("t2col", replace(f), item=reg.T2_ITEM[f.row or ""].label, n=n)
        elif f.value == 0 and missing in ("appl", "t4col"):
            f.status = Status.COVERED
            columns = APPLICANTS if missing == "appl" else T4_OUTCOMES
            for col in columns:
                doc.facts.append(replace(f, col=col, status=Status.READY, origin=Origin.IMPLIED))
        elif missing == "appl" and _said_before(doc, f) is not None:
            f.col = _said_before(doc, f)  # "企业申请予以公开2件" then "又公开了1件": the same applicant
            f.status = Status.READY
        elif missing == "appl" and f.mode is not Mode.SET and _row_applicant(doc.report, f.row) is not None:
            f.col = _row_applicant(doc.report, f.row)  # "上年结转应当是2件" where the draft's row is one applicant's
            f.status = Status.READY
        elif missing == "appl" and inferred is not None:
            f.col = inferred
            f.status = Status.READY
            note = f"未说明申请人，已按本年申请均来自{reg.T3_COLUMN[inferred].label}填写。"
            if note not in doc.notes:
                doc.notes.append(note)
        elif missing == "appl":
            doc.ask("appl", replace(f), what=t3_row_words(f.row or ""), n=n)
            f.col = "total"
            f.status = Status.READY
        elif missing == "t4col":
            doc.ask("t4col", replace(f), what=head_label(f), n=n)
            f.col = "total"
            f.status = Status.READY


def _said_before(doc: Doc, f: Fact) -> str | None:
    """The applicant of the same row in the last turn, when it spoke of exactly one."""
    if doc.context is None or f.table != "t3":
        return None
    cols = {c.rsplit(".", 1)[1] for c in doc.context.last_cells if c.startswith(f"t3.{f.row}.")}
    cols.discard("total")
    return cols.pop() if len(cols) == 1 else None


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


def _row_held(report: Report, row: str) -> bool:
    """Whether the draft holds this year's count of ``row`` (any applicant)."""
    return any(report.get(f"t3.{row}.{col}") for col in APPLICANTS)


def _row_applicant(report: Report, row: str | None) -> str | None:
    """The one applicant of a row the draft fills (every other applicant 0 or blank there): what a
    correction of the row without an applicant speaks of."""
    if row is None:
        return None
    held = [col for col in APPLICANTS if report.get(f"t3.{row}.{col}")]
    return held[0] if len(held) == 1 else None
