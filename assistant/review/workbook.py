"""The review as an .xlsx workbook for the 政务公开办: overview, findings, summary, summed tables.

Every sheet has a frozen, formatted header and filters where it lists rows; rows with errors and
unreadable files are tinted; rates are real percentages. Tables 三 and 四 are printed in the
official layout (from ``exporting.layout``, the grids the .docx export prints). Text from the
reports is written as strings, never as formulas (a text that starts with "=" stays text).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assistant import cells as reg
from assistant.exporting import layout
from assistant.review.columns import COLUMNS
from assistant.review.jurisdiction import RATES
from assistant.review.results import Review, Row
from assistant.rules import Severity

_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_ERROR_FILL = PatternFill("solid", fgColor="FDE2E1")
_WARNING_FILL = PatternFill("solid", fgColor="FFF4CE")
_UNREADABLE_FILL = PatternFill("solid", fgColor="E7E6E6")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FONT = Font(name="黑体", bold=True)
_BODY_FONT = Font(name="宋体")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "提醒", Severity.INFO: "无法校验"}


def _no_formulas(wb: Workbook) -> None:
    """Text as text: openpyxl writes a string that starts with "=" as a formula unless told otherwise."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"


def _header(ws: Worksheet, headers: list[str], widths: list[float]) -> None:
    ws.append(headers)
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill, cell.border, cell.alignment = _HEAD_FONT, _HEAD_FILL, _BORDER, _CENTER
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _filters(ws: Worksheet, columns: int) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(ws.max_row, 2)}"


def _fill_for(row: Row) -> PatternFill | None:
    if not row.readable:
        return _UNREADABLE_FILL
    if row.errors:
        return _ERROR_FILL
    return _WARNING_FILL if row.warnings else None


def _overview(ws: Worksheet, review: Review) -> None:
    ws.title = "总览"
    _header(ws, [c.header for c in COLUMNS], [c.width for c in COLUMNS])
    for row in review.reports:
        ws.append([c.value(row) for c in COLUMNS])
        fill = _fill_for(row)
        for i, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=ws.max_row, column=i)
            cell.font, cell.border, cell.alignment = _BODY_FONT, _BORDER, _WRAP
            if column.kind == "percent":
                cell.number_format = "0.0%"
            if fill is not None and i == 1:
                cell.fill = fill
    ws.freeze_panes = "C2"  # the header and the status and agency of every row stay in view
    _filters(ws, len(COLUMNS))


def _findings(ws: Worksheet, review: Review) -> None:
    headers = ["机关", "年度", "文件", "严重程度", "规则", "规则名称", "问题", "建议修正", "涉及单元格"]
    _header(ws, headers, [28, 7, 28, 9, 20, 16, 70, 36, 30])
    for row in review.reports:
        if not row.readable:
            ws.append([row.agency or "—", row.year, row.file, "无法读取", "", "", row.error, "",
                       ""])
        for f in row.findings:
            cells = "、".join(reg.label_of(c) for c in f.cells if c in reg.CELLS)
            ws.append([row.agency or "—", row.year, row.file, _SEVERITY[f.severity], f.rule, f.title,
                       f.message, f.fix or "", cells])
            if f.severity is Severity.ERROR:
                ws.cell(row=ws.max_row, column=4).fill = _ERROR_FILL
        for r in range(2, ws.max_row + 1):
            for c in range(1, len(headers) + 1):
                cell = ws.cell(row=r, column=c)
                cell.font, cell.border, cell.alignment = _BODY_FONT, _BORDER, _WRAP
    _filters(ws, len(headers))


def _summary(ws: Worksheet, review: Review) -> None:
    s = review.summary
    _header(ws, ["项目", "内容"], [34, 80])
    lines: list[tuple[str, Any]] = [
        ("审核年度", f"{s.year}年度" if s.year else "未能确定"),
        ("文件总数", s.files),
        ("本年度报告（行数）", s.reports),
        ("其中无法读取", s.unreadable),
        ("有错误的报告", s.with_errors),
        ("有提醒的报告", s.with_warnings),
        ("上年报告", s.previous_reports),
        ("已与上年报告配对", s.paired),
        ("计入汇总的报告", s.summed),
        ("其中表三、表四未读全", s.incomplete),
    ]
    lines += [(label, s.rates.get(key)) for key, label in RATES.items()]
    lines += [("未报送的单位", f"{m.agency}（依据：{m.source}）") for m in s.missing] or [("未报送的单位", "无")]
    lines += [("无法读取的文件", f"{u.file}（{u.role}）：{u.error}") for u in s.unreadable_files]
    lines += [("上年报告无法确定", name) for name in s.ambiguous]
    lines += [("重复报送", "、".join(group)) for group in s.duplicates]
    for label, value in lines:
        ws.append([label, value if value is not None else "—"])
        r = ws.max_row
        for c in (1, 2):
            ws.cell(row=r, column=c).font, ws.cell(row=r, column=c).border = _BODY_FONT, _BORDER
            ws.cell(row=r, column=c).alignment = _WRAP
        if label in RATES.values() and value is not None:
            ws.cell(row=r, column=2).number_format = "0.0%"
            ws.cell(row=r, column=2).alignment = Alignment(horizontal="left")


def _grid(ws: Worksheet, grid: layout.Grid, title: str) -> None:
    ws.append([title])
    ws.cell(row=1, column=1).font = Font(name="黑体", bold=True, size=12)
    top = 2
    for r, c, gc in grid.placed():
        row, col = top + r, 1 + c
        cell = ws.cell(row=row, column=col)
        value: Any = gc.text
        if gc.kind == "value" and gc.text.strip().isdigit():
            value = int(gc.text)
        cell.value = value
        cell.font = _HEAD_FONT if gc.kind == "head" else _BODY_FONT
        cell.alignment = _CENTER if gc.align == "center" else _WRAP
        if gc.kind in ("head", "label"):
            cell.fill = _HEAD_FILL
        if gc.rowspan > 1 or gc.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + gc.rowspan - 1,
                           end_column=col + gc.colspan - 1)
    for r in range(top, top + len(grid.rows)):
        for c in range(1, grid.columns + 1):
            ws.cell(row=r, column=c).border = _BORDER
    total = sum(grid.widths)
    for c, w in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(6.0, 120 * w / total)
    ws.freeze_panes = ws.cell(row=top + grid.header_rows, column=1)


def workbook_bytes(review: Review) -> bytes:
    wb = Workbook()
    _overview(wb.active, review)
    _findings(wb.create_sheet("问题清单"), review)
    _summary(wb.create_sheet("汇总"), review)
    sums = review.totals_report()
    year = f"{review.summary.year}年度" if review.summary.year else ""
    n = review.summary.summed
    for sheet, table, grid in (("表三汇总", "s3", layout.table3(sums)), ("表四汇总", "s4", layout.table4(sums))):
        _grid(wb.create_sheet(sheet), grid, f"{year}全辖区{n}个单位{sheet[:2]}合计（{reg.SECTION[table].label}）")
    _no_formulas(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
