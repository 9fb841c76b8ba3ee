"""Totals computed from their parts, and other operations the arithmetic decides alone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant import cells as reg
from assistant.changes import Change
from assistant.model import Report
from assistant.numbers import Value

AUTOFILL_EVIDENCE = "由各分项自动合计"


def autofill_changes(report: Report) -> list[Change]:
    """The changes that set every total whose parts are all known to the sum of its parts.

    Totals are visited parts-first, so a total of totals (表三（七）总计·总计) sees its freshly
    computed parts. Only totals whose value would change are returned.
    """
    values: dict[str, Value | None] = dict(report.cells)
    changes: list[Change] = []
    for total in reg.totals():
        parts = [values.get(p) for p in total.parts]
        if any(v is None for v in parts):
            continue
        value = sum(parts, start=0)  # type: ignore[arg-type]
        if values.get(total.id) != value:
            values[total.id] = value
            changes.append(Change(cell=total.id, value=value, evidence=AUTOFILL_EVIDENCE))
    return changes


def autofill_totals(report: Report) -> Report:
    """A copy of ``report`` with every computable total filled from its parts."""
    changes = autofill_changes(report)
    return report.with_values({c.cell: c.value for c in changes}) if changes else report


# ---------------------------------------------------------------------------------------------
# Blank cells: what the national format still needs filled, in the groups a clerk confirms


# Cells the 2019 edition's tables do not have (its table 2 counts 新制作/新公开/对外公开总数量 and
# 项目数量; its （六）其他处理 is one row, read into “3.其他”): a 2019–2020 report never fills them.
NOT_IN_2019_FORM: frozenset[str] = frozenset(
    [f"t2.{i}.{c}" for i in ("rules", "normative") for c in reg.T2_LAYOUT[i]]
    + ["t2.fees.amount"]
    + [f"t3.other.{r}.{c.id}" for r in ("no_correction", "unpaid_fee") for c in reg.T3_COLUMNS]
)
TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


@dataclass(frozen=True)
class BlankGroup:
    """The unfilled cells of one row of a table, as the clerk confirms them ("这一行都是0")."""

    id: str  # "t2.rules", "t3.denied.state_secret", "t4.suit_direct"
    table: str
    label: str  # 表二“规章”, 表三“不予公开·属于国家秘密”行, 表四“行政诉讼·未经复议直接起诉”
    cells: tuple[str, ...]  # the unfilled cells, totals included


def uses_2019_form(report: Report) -> bool:
    """A report in the 2019 edition's tables: read from one, or a draft for 2019 or 2020."""
    if report.source is not None and report.source.template == "2019":
        return True
    return report.meta.year is not None and report.meta.year <= 2020


# The numbers the national format prints: tables 二–四 and the 信息处理费 of section 六.
_TABLE_CELLS = tuple(c.id for c in reg.CELLS.values() if c.table in ("t2", "t3", "t4", "s6"))
_TABLE_CELLS_2019 = tuple(c for c in _TABLE_CELLS if c not in NOT_IN_2019_FORM)


def required_cells(report: Report, tables: tuple[str, ...] = ("t2", "t3", "t4")) -> list[str]:
    """Every table cell the report's edition of the national format prints, in registry order."""
    cells = _TABLE_CELLS_2019 if uses_2019_form(report) else _TABLE_CELLS
    return [c for c in cells if reg.CELLS[c].table in tables]


def _group_of(cell: reg.Cell) -> tuple[str, str]:
    if cell.table == "t2":
        return f"t2.{cell.row}", f"表二“{reg.T2_ITEM[cell.row].label}”"
    if cell.table == "t3":
        return f"t3.{cell.row}", f"表三“{reg.t3_row_label(cell.row)}”行"
    if cell.table == "s6":
        return "s6.fee", "第六部分“信息处理费”"
    group = reg.T4_GROUP[cell.row]
    name = group.label if group.group is None else f"行政诉讼·{group.label}"
    return f"t4.{cell.row}", f"表四“{name}”"


def blank_groups(report: Report, tables: tuple[str, ...] = ("t2", "t3", "t4")) -> list[BlankGroup]:
    """The groups (rows) with unfilled cells, in table order; blank is not 0."""
    groups: dict[str, tuple[str, str, list[str]]] = {}
    filled = report.cells
    cells = _TABLE_CELLS_2019 if uses_2019_form(report) else _TABLE_CELLS
    for cid in cells:
        if cid in filled or reg.CELLS[cid].table not in tables:
            continue
        gid, label = _group_of(reg.CELLS[cid])
        groups.setdefault(gid, (reg.CELLS[cid].table, label, []))[2].append(cid)
    return [BlankGroup(gid, table, label, tuple(cells)) for gid, (table, label, cells) in groups.items()]


ZERO_FILL_EVIDENCE = "经确认，其余未填的单元格按0填写"


def zero_fill_changes(
    report: Report,
    tables: tuple[str, ...] = ("t2", "t3", "t4"),
    *,
    groups: Iterable[str] | None = None,
) -> list[Change]:
    """Changes that set the still-unknown cells of ``tables`` (or only of the confirmed ``groups``,
    ids from ``blank_groups``: a row, or a whole table "t3") to 0 ("其余均为0").

    Only cells the report's edition prints are filled. Totals are left to ``autofill_changes``
    (``editing.apply`` runs it), so a total whose parts are now all known becomes their sum. The
    clerk applies this deliberately, after confirming the rows; it is never a one-click fix.
    """
    wanted = None if groups is None else set(groups)
    changes = []
    for cid in required_cells(report, tables):
        c = reg.CELLS[cid]
        if c.is_total or cid in report.cells:
            continue
        if wanted is not None and _group_of(c)[0] not in wanted and c.table not in wanted:
            continue
        changes.append(Change(cell=cid, value=0, evidence=ZERO_FILL_EVIDENCE))
    return changes
