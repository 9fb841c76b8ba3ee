"""The overview's columns, once: the .xlsx workbook, the HTML page, the app's table and the command
line all show these headers, in this order, with these values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from assistant.review.overview import edition_name, format_name
from assistant.review.results import Row

ColumnKind = Literal["text", "int", "percent"]


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Row], Any]
    kind: ColumnKind = "text"
    width: float = 10.0  # in characters, for the workbook


def _cells(row: Row) -> str:
    return f"{row.cells_read}/{row.cells_expected}" if row.readable else "—"


def _status(row: Row) -> str:
    if not row.readable:
        return "无法读取"
    if row.errors:
        return "有错误"
    return "有提醒" if row.warnings else "未发现问题"


def _previous(row: Row) -> str:
    if row.paired_with:
        return row.paired_with
    if any(f.rule == "REVIEW-PAIRING" for f in row.findings):
        return "无法确定"
    return "—" if not row.readable else "未找到"


def _copied(row: Row) -> float | None:
    return row.copied_share


COLUMNS: tuple[Column, ...] = (
    Column("状态", _status, width=10),
    Column("机关", lambda r: r.agency or "—", width=30),
    Column("年度", lambda r: r.year, "int", width=7),
    Column("文件", lambda r: r.file, width=30),
    Column("格式", lambda r: format_name(r.format) if r.readable else "—", width=9),
    Column("表格版本", lambda r: edition_name(r.edition) if r.readable else "—", width=10),
    Column("已读单元格", _cells, width=10),
    Column("错误", lambda r: r.errors, "int", width=6),
    Column("提醒", lambda r: r.warnings, "int", width=6),
    Column("跨年度问题", lambda r: r.cross_year, "int", width=9),
    Column("正文与表格不符", lambda r: r.text_table, "int", width=9),
    Column("第五部分与上年重复", _copied, "percent", width=11),
    Column("空白按0计", lambda r: r.blank_cells, "int", width=9),
    Column("信息处理费", lambda r: r.fee or "—", width=16),
    Column("上年报告", _previous, width=26),
    Column("纠错率", lambda r: r.rates.get("correction_rate"), "percent", width=8),
    Column("不予公开占比", lambda r: r.rates.get("denied_share"), "percent", width=9),
    Column("本机关不掌握占比", lambda r: r.rates.get("not_held_share"), "percent", width=10),
    Column("无法读取的原因", lambda r: r.error or "", width=40),
)


def shown(value: Any, kind: ColumnKind) -> str:
    """A value as text (for the page and the command line)."""
    if value is None:
        return "—"
    if kind == "percent":
        return f"{value * 100:.1f}%"
    return str(value)


def table(rows: list[Row]) -> list[dict[str, Any]]:
    """The overview as records (header → value), for the app's table."""
    return [{c.header: c.value(r) for c in COLUMNS} for r in rows]
