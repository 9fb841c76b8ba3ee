"""The conversation: what the last turn left open, and what this one leaves for the next.

``seed`` (before the facts are read) turns each open question of the last turn back into the
count it was about, still waiting for its missing dimension (``Origin.PREVIOUS``), with the parts
already said. The clerk's answer is then read in that count's topic, so the same grammar that reads
"予以公开8件，都是个人的" completes "予以公开8件" + "是个人的", "收到申请10件" + "个人8件，企业2件",
"行政诉讼1件，在审" + "直接起诉的".

``next_context`` (last) keeps what is still open: the questions asked now, and those of the last
turn that this message did not answer. It also remembers the cells spoken of, for "应该是9件".
"""

from __future__ import annotations

from decimal import Decimal

from assistant import cells as reg
from assistant.chat.record import Doc, Extent, Fact, Origin, Status, Table
from assistant.engines.base import ChatContext, PendingItem

_TABLES: dict[str, Table] = {"t3": "t3", "t4": "t4", "t2": "t2", "fee": "fee"}


def seed(doc: Doc) -> None:
    if doc.context is None:
        return
    for item in doc.context.pending:
        fact = Fact(
            _TABLES.get(item.table or ""), item.row, item.col, item.value, item.unit, (0, 0), -1,
            group3=item.group, status=Status.OPEN, origin=Origin.PREVIOUS,
            extent=Extent.WHOLE if item.whole else Extent.PART, org_only=item.missing == "org",
            evidence=item.evidence,
        )
        doc.facts.append(fact)
        doc.carried.append((fact, item))
        for cid, value in item.given.items():
            c = reg.CELLS.get(cid)
            if c is None:
                continue
            doc.facts.append(Fact(fact.table, c.row, c.column, Decimal(value), item.unit, (0, 0), -1,
                                  status=Status.SUBSET, origin=Origin.PREVIOUS, evidence=item.evidence))


def next_context(doc: Doc) -> ChatContext:
    pending: list[PendingItem] = []
    for question in doc.questions:
        f = question.fact
        if f is None or not f.missing:
            continue
        pending.append(_item(doc, question.text, f))
    asked = {_key(p) for p in pending}
    for fact, item in doc.carried:
        if fact.status is Status.OPEN and fact.missing and _key(item) not in asked:
            pending.append(item)  # not answered by this message: still open
    return ChatContext(pending=pending, last_cells=doc.last_cells, last_values=doc.last_values)


def _item(doc: Doc, question: str, f: Fact) -> PendingItem:
    given: dict[str, Decimal] = {}
    if f.missing in ("appl", "t4col"):
        for g in doc.facts:
            cid = g.cell()
            counted = g.live or (g.status is Status.SUBSET and g.origin is Origin.PREVIOUS)
            if (counted and g.table == f.table and g.row == f.row and g.col not in (None, "total")
                    and g.origin is not Origin.IMPLIED and cid):
                given[cid] = g.value
    return PendingItem(
        question=question,
        missing=f.missing,
        table=f.table,
        row=f.row,
        col=f.col,
        group=f.group3,
        value=f.value,
        unit=f.unit,
        whole=f.extent is not Extent.PART,
        evidence=f.evidence or doc.evidence(f.span),
        given=given,
    )


def _key(item: PendingItem) -> tuple[object, ...]:
    return item.table, item.row, item.col, item.group, item.value, item.missing
