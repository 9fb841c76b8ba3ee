"""What the app shows, computed without Streamlit: editable grids, marks, proposal rows, summaries.

``app.py`` renders these and sends the clerk's edits back through ``edits_to_changes``; keeping
the mapping between grid positions and cell ids here makes it testable and keeps the view thin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from assistant import cells as reg
from assistant.changes import Change
from assistant.exporting import layout
from assistant.exporting.html_writer import table_html
from assistant.findings import Finding, Status
from assistant.model import Report
from assistant.numbers import format_value
from assistant.rules import RULES, Severity

if TYPE_CHECKING:
    import pandas as pd

CHECK_COLUMN = "校验"
AUTO = "（自动合计）"


@dataclass(frozen=True)
class EditorGrid:
    """A table as an editable frame: ``cells[row][column]`` is the cell id shown there."""

    key: str
    frame: pd.DataFrame
    cells: dict[str, dict[str, str]]
    disabled: tuple[str, ...]
    money: bool = False


def _value(report: Report, cid: str) -> Any:
    v = report.get(cid)
    if v is None:
        return None
    return float(v) if isinstance(v, Decimal) else v


def _marks_for(ids: Iterable[str], marks: Mapping[str, str]) -> str:
    kinds = {marks[c] for c in ids if c in marks}
    if "error" in kinds:
        return "【错误】"
    if "warning" in kinds:
        return "【提醒】"
    return ""


def _grid(
    key: str,
    report: Report,
    rows: Sequence[tuple[str, dict[str, str]]],
    marks: Mapping[str, str],
    disabled: Sequence[str] = (),
    money: bool = False,
) -> EditorGrid:
    import pandas as pd  # only the table views need it; the start page loads without it

    columns = list(dict.fromkeys(col for _, cols in rows for col in cols))
    data = {
        CHECK_COLUMN: [_marks_for(cols.values(), marks) for _, cols in rows],
        **{col: [_value(report, cols[col]) if col in cols else None for _, cols in rows] for col in columns},
    }
    frame = pd.DataFrame(data, index=[label for label, _ in rows])
    if not money:
        for col in columns:
            frame[col] = frame[col].astype("Int64")
    return EditorGrid(key, frame, {label: cols for label, cols in rows}, (CHECK_COLUMN, *disabled), money)


def t3_grid(report: Report, marks: Mapping[str, str]) -> EditorGrid:
    rows = []
    for row in reg.T3_ROWS:
        label = _t3_label(row)
        rows.append((label, {_column_name(c): f"t3.{row.id}.{c.id}" for c in reg.T3_COLUMNS}))
    return _grid("t3", report, rows, marks, disabled=(_column_name(reg.T3_COLUMN["total"]),))


def _t3_label(row: reg.Axis) -> str:
    label = "部分公开" if row.id == "partial" else row.label
    if row.group and row.group != "results":
        group = reg.T3_GROUP[row.group]
        return f"{group.number}{group.label} {row.number}{label}"
    if row.id == "processed_total":
        return f"{row.number}{label}{AUTO}"
    return f"{row.number}{label}"


def _column_name(col: reg.Axis) -> str:
    return f"{col.label}{AUTO}" if col.id == "total" else col.label


def t4_grid(report: Report, marks: Mapping[str, str]) -> EditorGrid:
    rows = []
    for g in reg.T4_GROUPS:
        label = g.label if g.group is None else f"{reg.T4_LITIGATION.label}·{g.label}"
        rows.append((label, {_column_name(c): f"t4.{g.id}.{c.id}" for c in reg.T4_COLUMNS}))
    return _grid("t4", report, rows, marks, disabled=(_column_name(reg.T4_COLUMN["total"]),))


def t2_grids(report: Report, marks: Mapping[str, str]) -> list[EditorGrid]:
    """Table 二 as three editors, one per shape of its blocks (documents, decisions, fees)."""
    grids = []
    for key, items in (
        ("t2_docs", ("rules", "normative")),
        ("t2_decisions", ("license", "penalty", "coercion")),
        ("t2_fees", ("fees",)),
    ):
        rows = [
            (
                f"{reg.T2_ITEM[i].label}（{reg.T2_CLAUSES[i]}）",
                {reg.T2_COLUMN[c].label: f"t2.{i}.{c}" for c in reg.T2_LAYOUT[i]},
            )
            for i in items
        ]
        grids.append(_grid(key, report, rows, marks, money=key == "t2_fees"))
    return grids


def edits_to_changes(grid: EditorGrid, edited_rows: Mapping[Any, Mapping[str, Any]]) -> list[Change]:
    """The data editor's ``edited_rows`` ({row position: {column: value}}) as changes to cells."""
    labels = list(grid.frame.index)
    changes = []
    for position, columns in edited_rows.items():
        label = labels[int(position)]
        for column, value in columns.items():
            cid = grid.cells[label].get(column)
            if cid is None or column in grid.disabled:
                continue
            changes.append(Change(cell=cid, value=_cell_value(cid, value), evidence="在表格中手工填写"))
    return changes


def _cell_value(cid: str, value: Any) -> Any:
    import pandas as pd

    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if reg.CELLS[cid].kind is reg.Kind.COUNT:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value  # the model says what is wrong with 3.5 or -1, in Chinese
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


# ---------------------------------------------------------------------------------------------
# Findings


def finding_marks(findings: Iterable[Finding]) -> dict[str, str]:
    """Cell id → "error" or "warning" for every cell named by a failed finding."""
    marks: dict[str, str] = {}
    for f in findings:
        if f.status is not Status.FAILED:
            continue
        for cid in f.cells:
            if cid in reg.CELLS and marks.get(cid) != "error":
                marks[cid] = f.severity.value
    return marks


def preview_html(report: Report, table: str, marks: Mapping[str, str]) -> str:
    """A table in the official layout, cells with findings marked (class ``error``/``warning``),
    totals computed from their parts marked ``auto``."""
    grid = {"t2": layout.table2, "t3": layout.table3, "t4": layout.table4}[table](report)
    classes = {cid: "auto" if c.is_total else "val" for cid, c in reg.CELLS.items()}
    classes.update(marks)
    return PREVIEW_STYLE + table_html(grid, classes)


PREVIEW_STYLE = """<style>
table.t2, table.t3, table.t4 { border-collapse: collapse; width: 100%; font-size: 0.8rem; }
table.t2 th, table.t2 td, table.t3 th, table.t3 td, table.t4 th, table.t4 td {
  border: 1px solid #999; padding: 1px 4px; text-align: center; font-weight: normal; }
th[scope="row"], td.note { text-align: left; }
td.auto { background: #f2f6fb; color: #345; }
td.warning { background: #fff4ce; }
td.error { background: #fde2e1; color: #a00; font-weight: bold; }
</style>"""


def split_findings(findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(errors, warnings, not assessable), in the validator's order."""
    failed = [f for f in findings if f.status is Status.FAILED]
    return (
        [f for f in failed if f.severity is Severity.ERROR],
        [f for f in failed if f.severity is Severity.WARNING],
        [f for f in findings if f.status is Status.NOT_ASSESSABLE],
    )


def rule_title(rule_id: str) -> str:
    return RULES[rule_id].title


def cell_names(cells: Sequence[str], limit: int = 4) -> str:
    names = [reg.label_of(c) for c in cells if c in reg.CELLS or c in reg.FIELDS]
    shown = "、".join(names[:limit])
    return shown + (f"等{len(names)}项" if len(names) > limit else "")


# ---------------------------------------------------------------------------------------------
# Proposals and summaries


@dataclass(frozen=True)
class ProposalRow:
    index: int
    label: str
    old: str
    new: str
    evidence: str


def proposal_rows(changes: Sequence[Change], report: Report) -> list[ProposalRow]:
    rows = []
    for i, c in enumerate(changes):
        old = report.value(c.cell) if c.known_key else None
        rows.append(ProposalRow(i, reg.label_of(c.cell), shown(old), shown(c.value), c.evidence))
    return rows


def shown(value: Any) -> str:
    if value is None:
        return "（未填）"
    if isinstance(value, str):
        return value if len(value) <= 40 else value[:40] + "…"
    if isinstance(value, list):
        return "（分段文字）"
    return format_value(value)


def prefill_summary(draft: Report) -> str:
    """What a prefill read, in the words of the chat: "已从2024年报告读取：…"."""
    last = draft.previous
    if last is None:
        return "已新建草稿。"
    filled = sum(1 for v in last.cells.values() if v is not None)
    parts = [f"机关“{last.meta.agency or '未识别'}”", f"表格数字{filled}项"]
    contact = last.meta.contact
    if contact.office or contact.phone:
        parts.append("联系方式")
    carried = draft.get("t3.carried_over.total")
    carried_text = (
        f"本年上年结转={format_value(carried)}件（来自上年结转下年度）"
        if carried is not None
        else "上年报告未写明结转下年度的件数，本年“上年结转”请手工填写"
    )
    return (
        f"已从{last.meta.year or '上'}年报告读取：{'、'.join(parts)}；{carried_text}。"
        f"上年第五部分已留作参考（不复制到本年），上年现行有效件数作为本年衔接核对的基数。"
    )


def cross_year_rows(report: Report) -> list[dict[str, str]]:
    """Last year's numbers beside this year's where the two years must agree (for the checks tab)."""
    last = report.previous
    if last is None:
        return []
    rows = []
    for col in reg.T3_COLUMNS:
        before, now = last.get(f"t3.carried_forward.{col.id}"), report.get(f"t3.carried_over.{col.id}")
        rows.append(
            {
                "项目": f"表三 {col.label}：上年“结转下年度” → 本年“上年结转”",
                "上年报告": shown(before),
                "本年": shown(now),
                "核对": _agree(before, now),
            }
        )
    for item in ("rules", "normative"):
        before = last.get(f"t2.{item}.in_force")
        issued, repealed = report.get(f"t2.{item}.issued"), report.get(f"t2.{item}.repealed")
        now = report.get(f"t2.{item}.in_force")
        expected = None if None in (before, issued, repealed) else before + issued - repealed  # type: ignore[operator]
        rows.append(
            {
                "项目": f"表二 {reg.T2_ITEM[item].label}：上年现行有效＋本年制发－本年废止 → 本年现行有效",
                "上年报告": shown(before),
                "本年": shown(now),
                "核对": _agree(expected, now),
            }
        )
    return rows


def _agree(expected: Any, actual: Any) -> str:
    if expected is None or actual is None:
        return "—"
    return "✔ 一致" if expected == actual else f"✘ 应为{format_value(expected)}"


def safe_url(url: str) -> str:
    """A database URL fit to show: the password hidden."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "（数据库地址）"
