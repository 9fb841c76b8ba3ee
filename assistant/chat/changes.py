"""Pass ``to_changes``: facts become the proposed changes, one value per cell.

Several facts about one cell: a correction wins; a zero implied by "都是…" yields to a number
said; parts of one cell named apart ("环保协会1件，基金会1件", "上半年…下半年…") add up; two
different numbers for the same thing are asked about. A value the draft already holds is not
proposed again. A total is proposed only when it agrees with the parts known beside it.
"""

from __future__ import annotations

from decimal import Decimal

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.changes import Change
from assistant.chat.labels import short_label
from assistant.chat.record import Doc, Fact, Mode, Origin, Status
from assistant.numbers import Value, format_value, to_kind

_CELL_ORDER = {cid: i for i, cid in enumerate(CELLS)}
_ORG_COLUMNS = frozenset(c.id for c in reg.T3_COLUMNS if c.group == "org")


def to_changes(doc: Doc) -> None:
    chosen: dict[str, tuple[Value, Fact]] = {}
    for f in doc.facts:
        if f.status is not Status.READY:
            continue
        cid = f.cell()
        if cid is None or cid not in CELLS:
            continue
        value = to_kind(f.value, CELLS[cid].kind, f.unit)
        if value is None:
            doc.ask("integer", label=short_label(cid), n=format_value(f.value))
            continue
        if cid in chosen:
            merged = _merge(doc, cid, chosen[cid], (value, f))
            if merged is None:
                continue
            chosen[cid] = merged
        else:
            chosen[cid] = (value, f)
    _check_totals(doc, chosen)
    spoken = {cid: Decimal(v) for cid, (v, f) in chosen.items() if f.origin is not Origin.IMPLIED}
    if spoken:
        doc.last_cells, doc.last_values = list(spoken), {cid: Decimal(v) for cid, (v, _f) in chosen.items()}
    elif doc.context is not None:
        doc.last_cells, doc.last_values = doc.context.last_cells, doc.context.last_values
    changes = []
    for cid, (value, f) in sorted(chosen.items(), key=lambda kv: _CELL_ORDER.get(kv[0], 10_000)):
        if doc.report.get(cid) == value:
            doc.unchanged += f.origin is not Origin.IMPLIED
            continue
        evidence = f.evidence if f.origin is Origin.PREVIOUS and not f.span[1] else doc.evidence(f.span)
        changes.append(Change(cell=cid, value=value, evidence=evidence or doc.text.strip()))
    doc.changes.extend(changes)


def _merge(doc: Doc, cid: str, old: tuple[Value, Fact], new: tuple[Value, Fact]) -> tuple[Value, Fact] | None:
    """The value of a cell said twice; None keeps the old one."""
    (old_value, old_fact), (value, fact) = old, new
    if fact.origin is Origin.IMPLIED and old_fact.origin is not Origin.IMPLIED:
        return None
    if old_fact.origin is Origin.IMPLIED or fact.mode is Mode.CORRECT:
        return new
    if _separate_parts(cid, old_fact, fact):
        total = Decimal(old_value) + Decimal(value)
        return to_kind(total, CELLS[cid].kind) or total, fact
    if old_value != value and fact.origin is Origin.SAID and old_fact.origin is Origin.SAID:
        doc.ask("conflict", label=short_label(cid), old=format_value(old_value), new=format_value(value))
        return None
    return new


def _separate_parts(cid: str, a: Fact, b: Fact) -> bool:
    """Two counts of one cell named apart: different periods, or different bodies of one kind."""
    if a.origin is not Origin.SAID or b.origin is not Origin.SAID or a.span == b.span:
        return False
    if not a.words or not b.words or a.words == b.words:
        return False
    if "·" in a.words or "·" in b.words:  # a period was named
        return True
    return CELLS[cid].column in _ORG_COLUMNS


def _check_totals(doc: Doc, chosen: dict[str, tuple[Value, Fact]]) -> None:
    """A total proposed with parts that do not add up to it is asked about, not proposed."""
    for cid in [c for c in chosen if CELLS[c].is_total and CELLS[c].column == "total"]:
        parts = CELLS[cid].parts
        known = [chosen[p][0] if p in chosen else doc.report.get(p) for p in parts]
        values = [Decimal(v) for v in known if v is not None]
        said = sum(values, Decimal(0))
        total = Decimal(chosen[cid][0])
        if said > total or (len(values) == len(parts) and said != total):
            del chosen[cid]
            doc.ask("total_parts", label=short_label(cid), n=format_value(total), said=format_value(said))
