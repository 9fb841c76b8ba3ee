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
from assistant.totals import blank_groups

if TYPE_CHECKING:
    import pandas as pd

CHECK_COLUMN = "校验"
AUTO = "（自动合计）"

# What the 校验 column says of a row, as short as a reason can be (the full message is in 检查).
SHORT_REASONS: dict[str, str] = {
    "T3-ROW-TOTAL": "行合计不符",
    "T3-PROCESSED-SUM": "总计不符",
    "T3-BALANCE": "勾稽不平",
    "T4-TOTAL": "合计不符",
    "CELL-VALUE": "数值有误",
    "CARRY-OVER": "与上年不衔接",
    "IN-FORCE-CONTINUITY": "与上年不衔接",
    "TEXT-TABLE": "与正文不符",
    "BLANK-NOT-ZERO": "空白按0计",
    "RULES-AUTHORITY": "不应填规章",
    "FEE-STATEMENT": "与收费说明矛盾",
}
UNFILLED = "未填"

# Table 三's rows as the editor shows them: short enough for the 总计 column to stay on screen at a
# laptop's width; the official wording is in the preview below the editor and in every message.
T3_SHORT_ROWS: dict[str, str] = {
    "new": "一、本年新收",
    "carried_over": "二、上年结转",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开",
    "denied.state_secret": "（三）1.国家秘密",
    "denied.law_prohibited": "（三）2.法规禁止公开",
    "denied.security": "（三）3.三安全一稳定",
    "denied.third_party": "（三）4.第三方权益",
    "denied.internal": "（三）5.内部事务信息",
    "denied.process": "（三）6.过程性信息",
    "denied.enforcement": "（三）7.行政执法案卷",
    "denied.query": "（三）8.行政查询事项",
    "unavailable.not_held": "（四）1.本机关不掌握",
    "unavailable.needs_creation": "（四）2.需另行制作",
    "unavailable.unclear": "（四）3.补正后仍不明确",
    "refused.petition": "（五）1.信访举报投诉",
    "refused.duplicate": "（五）2.重复申请",
    "refused.publication": "（五）3.公开出版物",
    "refused.excessive": "（五）4.大量反复申请",
    "refused.confirmation": "（五）5.要求确认信息",
    "other.no_correction": "（六）1.逾期不补正",
    "other.unpaid_fee": "（六）2.逾期未缴费",
    "other.other": "（六）3.其他",
    "processed_total": "（七）总计",
    "carried_forward": "四、结转下年度",
}
# Column headers as shown (the frame keeps the official label; the header's tooltip says it in full).
SHORT_COLUMNS: dict[str, str] = {"社会公益组织": "公益组织", "法律服务机构": "法律服务"}


@dataclass(frozen=True)
class EditorGrid:
    """A table as an editable frame: ``cells[row][column]`` is the cell id shown there."""

    key: str
    frame: pd.DataFrame
    cells: dict[str, dict[str, str]]
    disabled: tuple[str, ...]
    money: bool = False

    def header(self, column: str) -> tuple[str, str]:
        """(shown header, tooltip) of a column: short, with the official label in the tooltip."""
        if column == CHECK_COLUMN:
            return column, "本行的校验问题（详见“检查”）"
        if column.endswith(AUTO):
            name = column.removesuffix(AUTO)
            return name, f"{name}：由各分项自动合计，不必填写"
        return SHORT_COLUMNS.get(column, column), column


def _value(report: Report, cid: str) -> Any:
    v = report.get(cid)
    if v is None:
        return None
    return float(v) if isinstance(v, Decimal) else v


def short_reason(rule_id: str) -> str:
    return SHORT_REASONS.get(rule_id) or (RULES[rule_id].title if rule_id in RULES else rule_id)


def is_unfilled(finding: Finding, report: Report) -> bool:
    """A finding about cells that are all still blank (the export's "未填" errors)."""
    cells = [c for c in finding.cells if c in reg.CELLS]
    return bool(cells) and all(report.get(c) is None for c in cells) and finding.status is Status.FAILED


def cell_reasons(findings: Iterable[Finding], report: Report | None = None) -> dict[str, list[tuple[str, str]]]:
    """Cell id → the (severity, short reason) of every failed finding that names it, errors first."""
    reasons: dict[str, list[tuple[str, str]]] = {}
    for f in findings:
        if f.status is not Status.FAILED:
            continue
        reason = UNFILLED if report is not None and is_unfilled(f, report) else short_reason(f.rule)
        for cid in f.cells:
            if cid in reg.CELLS and (f.severity.value, reason) not in reasons.setdefault(cid, []):
                reasons[cid].append((f.severity.value, reason))
    for items in reasons.values():
        items.sort(key=lambda r: r[0] != "error")
    return reasons


def _check_text(ids: Iterable[str], reasons: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """What the 校验 column says of a row: "✘ 勾稽不平", "⚠ 与正文不符", "✘ 未填等2项"."""
    found: list[tuple[str, str]] = []
    for cid in ids:
        for item in reasons.get(cid, ()):
            if item not in found:
                found.append(item)
    if not found:
        return ""
    found.sort(key=lambda r: r[0] != "error")
    severity, reason = found[0]
    mark = "✘" if severity == "error" else "⚠"
    more = f"等{len(found)}项" if len(found) > 1 else ""
    return f"{mark} {reason}{more}"


def _grid(
    key: str,
    report: Report,
    rows: Sequence[tuple[str, dict[str, str]]],
    findings: Sequence[Finding],
    disabled: Sequence[str] = (),
    money: bool = False,
) -> EditorGrid:
    import pandas as pd  # only the table views need it; the start page loads without it

    reasons = cell_reasons(findings, report)
    columns = list(dict.fromkeys(col for _, cols in rows for col in cols))
    data = {
        CHECK_COLUMN: [_check_text(cols.values(), reasons) for _, cols in rows],
        **{col: [_value(report, cols[col]) if col in cols else None for _, cols in rows] for col in columns},
    }
    frame = pd.DataFrame(data, index=[label for label, _ in rows])
    if not money:
        for col in columns:
            frame[col] = frame[col].astype("Int64")
    return EditorGrid(key, frame, {label: cols for label, cols in rows}, (CHECK_COLUMN, *disabled), money)


def t3_grid(report: Report, findings: Sequence[Finding] = ()) -> EditorGrid:
    rows = []
    for row in reg.T3_ROWS:
        label = T3_SHORT_ROWS[row.id]
        rows.append((label, {_column_name(c): f"t3.{row.id}.{c.id}" for c in reg.T3_COLUMNS}))
    return _grid("t3", report, rows, findings, disabled=(_column_name(reg.T3_COLUMN["total"]),))


def _column_name(col: reg.Axis) -> str:
    return f"{col.label}{AUTO}" if col.id == "total" else col.label


def t4_grid(report: Report, findings: Sequence[Finding] = ()) -> EditorGrid:
    rows = []
    for g in reg.T4_GROUPS:
        label = g.label if g.group is None else f"{reg.T4_LITIGATION.label}·{g.label}"
        rows.append((label, {_column_name(c): f"t4.{g.id}.{c.id}" for c in reg.T4_COLUMNS}))
    return _grid("t4", report, rows, findings, disabled=(_column_name(reg.T4_COLUMN["total"]),))


def t2_grids(report: Report, findings: Sequence[Finding] = ()) -> list[EditorGrid]:
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
        grids.append(_grid(key, report, rows, findings, money=key == "t2_fees"))
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
# Unfilled cells (the export lists them; the clerk may confirm a row as 0)


@dataclass(frozen=True)
class UnfilledRow:
    """A row of a table with cells still blank: the national format has no blank cell."""

    key: str  # "t3.denied.process": the row, for widget keys
    table: str  # 表二 / 表三 / 表四 / 第六部分
    label: str  # the row's official label
    cells: tuple[str, ...]  # its blank cells that are not totals (totals follow their parts)

    @property
    def columns(self) -> str:
        names = [_column_label(c) for c in self.cells]
        return "、".join(names) if len(names) <= 4 else "、".join(names[:3]) + f"等{len(names)}列"


_TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四", "s6": "第六部分·信息处理费"}


def _column_label(cid: str) -> str:
    c = reg.CELLS[cid]
    if c.table == "t3":
        return reg.T3_COLUMN[c.column].label
    if c.table == "t4":
        return reg.T4_COLUMN[c.column].label
    if c.table == "t2":
        return reg.T2_COLUMN[c.column].label
    return c.label.split("·")[-1]


def _row_label(cid: str) -> str:
    c = reg.CELLS[cid]
    if c.table == "t3":
        return reg.t3_row_label(c.row)
    if c.table == "t4":
        g = reg.T4_GROUP[c.row]
        return g.label if g.group is None else f"{reg.T4_LITIGATION.label}·{g.label}"
    if c.table == "t2":
        return reg.T2_ITEM[c.row].label
    return "信息处理费"


def unfilled_rows(report: Report) -> list[UnfilledRow]:
    """Every row with blank cells, in the tables' order (``totals.blank_groups``; totals left out: they
    follow their parts)."""
    rows = []
    for group in blank_groups(report, ("t2", "t3", "t4", "s6")):
        cells = tuple(c for c in group.cells if not reg.CELLS[c].is_total)
        if cells:
            rows.append(UnfilledRow(group.id, _TABLE_NAMES[group.table], _row_label(cells[0]), cells))
    return rows


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


def widget_stylesheet(max_mb: int) -> str:
    """The few words Streamlit's own widgets say in English, said in Chinese: a stylesheet of our own making.

    Streamlit 1.67 has no option for the file uploader's button ("Upload"), its instructions ("50MB per
    file • …"), the chat's drop overlay ("Drag and drop a file here") or its attachment tooltip ("Upload
    or drag and drop a file"). The original text is set to size 0 and ours is shown in its place; the
    selectors are the widgets' ``data-testid`` attributes, which Streamlit keeps stable for testing.
    Built only from constants and a whole number, so it is HTML the project itself makes.
    """
    max_mb = int(max_mb)
    chat_tip = 'body:has([data-testid="stChatInputFileUploadButton"]:hover) [data-testid="stTooltipContent"]'
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "选择文件"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或将文件拖到这里（单个文件不超过{max_mb}MB）"; font-size: 0.75rem; }}
.st-key-last_year_file [data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或将文件拖到这里 · Word、PDF、网页、文本 · 不超过{max_mb}MB"; }}
[data-testid="stChatInput"] [role="presentation"] + div {{ font-size: 0; }}
[data-testid="stChatInput"] [role="presentation"] + div::after {{
  content: "松开鼠标，上传笔记或台账"; font-size: 1rem; }}
{chat_tip} {{ font-size: 0; }}
{chat_tip}::after {{ content: "上传笔记或台账（txt、md、docx、xlsx、csv），也可直接拖入"; font-size: 0.875rem; }}
</style>"""
