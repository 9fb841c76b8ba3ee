"""The facts a draft may state: this year's cells, last year's cells, sums of rows, the clerk's statements.

Every number a drafted text states must be one of these (or a difference or percentage computed
from them; see ``figures``). ``Facts`` also lists them as lines for the LLM prompt, so the model
is shown exactly what it may use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from assistant import cells as reg
from assistant.drafting.material import Material
from assistant.model import Report
from assistant.numbers import Value, parse_number

# Known references a report cites by number (the regulation, the format's notice).
KNOWN_REFERENCES = (
    "《中华人民共和国政府信息公开条例》（国令第711号）",
    "国办公开办函〔2021〕30号",
    "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
)
_STATED = re.compile(
    r"(?P<n>\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)\s*(?:余|多)?\s*"
    r"(?P<unit>万元|亿元|元|件|宗|起|份|个|项|条|篇|期|场|次|人次|名|人|家|批|类|天|小时|%|％)"
)


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: Decimal
    unit: str  # 件 for counts, 元 / 万元 for money, the clerk's own unit for a statement
    source: str  # "table", "last_year", "derived", "material"


@dataclass
class Facts:
    """What drafting knows.

    ``literals``: texts a draft may repeat verbatim, digits and all (contact details, the clerk's
    statements, known references). ``names``: texts whose names (《…》) a draft may repeat, but
    not their figures (last year's report).
    """

    year: int | None
    previous_year: int | None
    items: list[Fact] = field(default_factory=list)
    literals: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def by_key(self, key: str) -> Fact | None:
        return next((f for f in self.items if f.key == key), None)


def _unit(cid: str) -> str:
    return reg.CELLS[cid].kind.unit


def _label(cid: str) -> str:
    c = reg.CELLS[cid]
    if c.table == "t3":
        col = reg.T3_COLUMN[c.column].label
        return f"表三 {reg.t3_row_label(c.row)}·{col}"
    if c.table == "t4":
        g = reg.T4_GROUP[c.row]
        group = g.label if g.group is None else f"行政诉讼·{g.label}"
        return f"表四 {group}·{reg.T4_COLUMN[c.column].label}"
    if c.table == "t2":
        return f"表二 {c.label}"
    return c.label


def group_sums(report: Report) -> Iterator[tuple[str, str, Value]]:
    """Sums the drafts state that are no cell: 不予公开 in all, 行政诉讼 in all, by outcome."""
    for group in ("denied", "unavailable", "refused", "other"):
        rows = [r.id for r in reg.T3_ROWS if r.group == group]
        values = [report.get(f"t3.{r}.total") for r in rows]
        if all(v is not None for v in values):
            label = reg.T3_GROUP[group].label
            yield f"sum:t3.{group}", f"表三 {label}（各项合计）", sum(values, start=0)  # type: ignore[arg-type]
    for column in reg.T4_COLUMNS:
        values = [report.get(f"t4.{g}.{column.id}") for g in ("suit_direct", "suit_after_review")]
        if all(v is not None for v in values):
            yield (f"sum:t4.suit.{column.id}", f"表四 行政诉讼（两类合计）·{column.label}",
                   sum(values, start=0))  # type: ignore[arg-type]
        values = [report.get(f"t4.{g.id}.{column.id}") for g in reg.T4_GROUPS]
        if all(v is not None for v in values):
            yield (f"sum:t4.all.{column.id}", f"表四 行政复议和行政诉讼合计·{column.label}",
                   sum(values, start=0))  # type: ignore[arg-type]


def gather_facts(report: Report, previous: Report | None, material: Material | None = None) -> Facts:
    facts = Facts(report.meta.year, previous.meta.year if previous else None)
    for cid, value in report.cells.items():
        facts.items.append(Fact(cid, _label(cid), Decimal(value), _unit(cid), "table"))
    for key, label, value in group_sums(report):
        facts.items.append(Fact(key, label, Decimal(value), "件", "derived"))
    if previous is not None:
        for cid, value in previous.cells.items():
            facts.items.append(Fact(f"last:{cid}", f"上年{_label(cid)}", Decimal(value), _unit(cid), "last_year"))
        for key, label, value in group_sums(previous):
            facts.items.append(Fact(f"last:{key}", f"上年{label}", Decimal(value), "件", "last_year"))
    for statement in (material.all() if material else []):
        facts.literals.append(statement.text)
        for m in _STATED.finditer(statement.text):
            stated, _ = parse_number(m.group("n"))
            if stated is not None:
                facts.items.append(Fact(f"material:{statement.text}", statement.text, stated, m.group("unit"),
                                        "material"))
    meta = report.meta
    facts.literals += [t for t in (meta.agency, *meta.contact.model_dump().values()) if t]
    facts.literals += list(KNOWN_REFERENCES)
    facts.names += [t for sid in reg.SECTION if (t := report.section_text(sid))]
    if previous is not None:
        # Names (of platforms, documents) last year's report used may be named again; its figures may not.
        facts.names += [t for sid in reg.SECTION if (t := previous.section_text(sid))]
    return facts
