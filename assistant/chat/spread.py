"""Clauses that speak of what was just counted: "没有…" (0 for all it names), "都是个人" / "全部予以公开"
(what the counts are, or where they all went), "其余都是个人" (the rest of a total).

Called by ``facts.read_facts`` for clauses without numbers and for the words after 都 in a clause.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from assistant import cells as reg
from assistant.chat import lexicon as lx
from assistant.chat.lexicon import Token
from assistant.chat.record import Clause, Doc, Extent, Fact, Mode, Origin, Status, Table
from assistant.chat.topic import (
    APPLICANTS,
    GROUP_ROWS,
    INTAKE_ROWS,
    ORG_APPLICANTS,
    SUITS,
    T4_OUTCOMES,
    Topic,
    ids,
    implied_zeros,
    intake_by_applicant,
    joined,
    set_topic,
    t3_rows,
)


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
        head.span = joined(head, span)
        if not head.missing:
            head.status = Status.READY
            if head.extent is not Extent.PART:
                implied_zeros(doc, head, T4_OUTCOMES)
        topic.table = "t4"
        return
    # A count whose reason follows ("不予公开2件，都涉及个人隐私", "有5件" … "新收的").
    row_open = [f for f in own if f.missing in ("row", "table")]
    if says_all and len(rows) == 1 and len(row_open) > 1 and all(f.group3 is None for f in row_open):
        for head in row_open[:-1]:  # "个人 11\n企业 1\n（都是新收的）": every count just listed
            head.table, head.row, head.span = "t3", rows[0], joined(head, span)
            head.status = Status.OPEN if head.missing else Status.READY
        row_open = row_open[-1:]
    if len(rows) == 1 and row_open and (row_open[-1].group3 is None
                                        or rows[0] in GROUP_ROWS.get(row_open[-1].group3, ())):
        head = row_open[-1]
        head.table, head.row, head.group3 = "t3", rows[0], None
        if head.col is None and topic.appl is not None and head.origin is not Origin.PREVIOUS:
            head.col = topic.appl
        head.status = Status.OPEN if head.missing else Status.READY
        head.span = joined(head, span)
        topic.row, topic.table = rows[0], "t3"
        if head.missing in ("appl", "org") and len(appls) == 1:
            _fill_applicant(doc, head, appls[0], span, topic)
        return
    t2_open = [f for f in own if f.missing == "t2col"]
    t2cols = ids(tokens, lx.T2C)
    if t2_open and len(t2cols) == 1 and t2cols[0] in reg.T2_LAYOUT[t2_open[-1].row or ""]:
        head = t2_open[-1]
        head.col, head.status, head.span = t2cols[0], Status.READY, joined(head, span)
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
        if source_row not in INTAKE_ROWS and source_row != "processed_total" and rows and rows[0] not in INTAKE_ROWS:
            return  # "不掌握3件，都公开了": one result is never another; nothing is copied
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
                           origin=Origin.DERIVED, mode=Mode.SET, span=joined(f, span), words="", extent=Extent.WHOLE)
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
    head.span = joined(head, span)
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
    fact = Fact("t3", head.row, appl, rest, head.unit, joined(head, span), head.sentence)
    doc.facts.append(fact)
    topic.appl = None


def _remainder_of_intake(doc: Doc, own: list[Fact], row: str, appls: list[str], clause: Clause) -> None:
    """ "除1件涉及第三方外，其余全部公开": the applications not yet placed have this result."""
    if any(f.row == "partial" and f.sentence == clause.sentence for f in own):
        return  # "把那部分删了，其余公开了": the rest of that case's information, not of the applications
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
