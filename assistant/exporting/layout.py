"""The exported document, format-neutral: what the .docx, HTML and Markdown writers all print.

``document(report)`` turns a report into a list of blocks (notice, title, headings, paragraphs,
tables). Each table is one abstract grid of cells with their spans, built from the cell
registry, so the three writers print the same labels in the same places and cannot drift apart.
A grid lists, row by row, only the cells that *start* in that row (as HTML does); the positions
a span covers are implied.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Literal

from assistant import cells as reg
from assistant.model import Report, SubPart
from assistant.numbers import format_value

CellKind = Literal["head", "label", "value", "note"]
Align = Literal["left", "center"]

UNKNOWN_YEAR = "____"
REPORT_NAME = "政府信息公开工作年度报告"

# Relative column widths (they are scaled to the page): label columns wide, numbers narrow.
T2_WIDTHS = (34.0, 40.0, 40.0, 40.0)
T3_WIDTHS = (7.5, 16.5, 49.0) + (11.8,) * len(reg.T3_COLUMNS)
T4_WIDTHS = (10.4,) * (len(reg.T4_GROUPS) * len(reg.T4_COLUMNS))


@dataclass(frozen=True)
class GridCell:
    """One cell of a table as printed: its text, its span, and what it is.

    ``kind``: ``head`` a column header, ``label`` a row label, ``value`` a number of the report
    (``cell`` is then its id), ``note`` the explanatory text in table 3's corner.
    """

    text: str
    kind: CellKind = "value"
    rowspan: int = 1
    colspan: int = 1
    cell: str | None = None

    @property
    def header(self) -> bool:
        return self.kind != "value"

    @property
    def align(self) -> Align:
        if self.kind in ("value", "head") or (self.kind == "label" and self.rowspan > 1):
            return "center"
        return "left"


@dataclass(frozen=True)
class Grid:
    """A table: rows of the cells that start in them, column widths, leading header rows."""

    name: str
    widths: tuple[float, ...]
    rows: tuple[tuple[GridCell, ...], ...]
    header_rows: int = 0

    @property
    def columns(self) -> int:
        return len(self.widths)

    def placed(self) -> Iterator[tuple[int, int, GridCell]]:
        """Every cell with the (row, column) where it starts, computed from the spans above it."""
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(self.rows):
            c = 0
            for gc in row:
                while (r, c) in taken:
                    c += 1
                yield r, c, gc
                for dr in range(gc.rowspan):
                    for dc in range(gc.colspan):
                        taken.add((r + dr, c + dc))
                c += gc.colspan

    def check(self) -> None:
        """Raise ValueError unless the spans tile the grid exactly (every position once)."""
        seen: dict[tuple[int, int], str] = {}
        for r, c, gc in self.placed():
            for dr in range(gc.rowspan):
                for dc in range(gc.colspan):
                    pos = (r + dr, c + dc)
                    if pos in seen or pos[1] >= self.columns or pos[0] >= len(self.rows):
                        raise ValueError(f"{self.name}: cell {gc.text!r} overlaps or leaves the grid at {pos}")
                    seen[pos] = gc.text
        if len(seen) != self.columns * len(self.rows):
            raise ValueError(f"{self.name}: the spans leave holes")


# --------------------------------------------------------------------------------------------
# Blocks of the document


@dataclass(frozen=True)
class Notice:
    """The first-page warning of an export forced despite error findings."""

    text: str


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str
    section: str


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``lead`` is a sub-part title printed at its start (section 一)."""

    text: str
    lead: str = ""
    section: str = ""


@dataclass(frozen=True)
class Table:
    grid: Grid
    section: str


Block = Notice | Title | Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def notice_text(errors: int) -> str:
    return f"本稿尚有{errors}处错误未解决，仅供内部核对，请勿直接公开。"


# --------------------------------------------------------------------------------------------
# Title and preface


_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
# Characters XML 1.0 forbids (and lone surrogates, which cannot be encoded): never printable.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_line(text: str) -> str:
    """One printed line: no line breaks, nothing a .docx or HTML file cannot hold."""
    return _UNPRINTABLE.sub("", _LINE_BREAK.sub("", text))


def _year(report: Report) -> str:
    return str(report.meta.year) if report.meta.year else UNKNOWN_YEAR


def title(report: Report) -> str:
    """``meta.title`` when set, else 《{机关}{年度}年政府信息公开工作年度报告》 without the quotes."""
    if report.meta.title and clean_line(report.meta.title).strip():
        return clean_line(report.meta.title).strip()
    return clean_line(f"{report.meta.agency or ''}{_year(report)}年{REPORT_NAME}")


def default_preface(report: Report) -> str:
    """The standard opening paragraph, composed from the metadata the report has."""
    agency = report.meta.agency or "本机关"
    year = _year(report)
    parts = "、".join(f.label for f in reg.SECTIONS if f.number)
    text = (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（国办公开办函〔2021〕30号）要求，由{agency}编制。"
        f"全文包括{parts}，共六个部分。"
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )
    return text + _contact_sentence(report)


def _contact_sentence(report: Report) -> str:
    c = report.meta.contact
    details = [
        f"{label}：{value.strip()}"
        for label, value in (
            ("地址", c.address),
            ("邮政编码", c.postcode),
            ("联系电话", c.phone),
            ("电子邮箱", c.email),
        )
        if value and value.strip()
    ]
    office = (c.office or "").strip()
    if not office and not details:
        return ""
    who = office or "本机关"
    return f"如对本报告有疑问，请与{who}联系" + (f"（{'；'.join(details)}）" if details else "") + "。"


def preface(report: Report) -> str:
    """``sections.preface`` when written, else the standard preface."""
    text = report.sections.preface
    return text if text and text.strip() else default_preface(report)


# --------------------------------------------------------------------------------------------
# Table grids


def value_text(report: Report, cell_id: str) -> str:
    """A cell as printed: empty while unknown, "0" for zero, money as written (96171.6)."""
    v = report.get(cell_id)
    return "" if v is None else format_value(v)


def _value(report: Report, cell_id: str, colspan: int = 1) -> GridCell:
    return GridCell(value_text(report, cell_id), "value", colspan=colspan, cell=cell_id)


def table2(report: Report) -> Grid:
    """Table 二: one block per clause of 第二十条, each with its own header row."""
    width = 1 + max(len(cols) for cols in reg.T2_LAYOUT.values())
    rows: list[tuple[GridCell, ...]] = []
    for clause, items in groupby(reg.T2_ITEMS, key=lambda a: reg.T2_CLAUSES[a.id]):
        block = list(items)
        columns = reg.T2_LAYOUT[block[0].id]
        span = (width - 1) // len(columns)
        rows.append((GridCell(clause, "head", colspan=width),))
        rows.append(
            (
                GridCell(reg.T2_ITEM_HEADER, "head"),
                *(GridCell(reg.T2_COLUMN[c].label, "head", colspan=span) for c in columns),
            )
        )
        for item in block:
            rows.append(
                (
                    GridCell(item.label, "label"),
                    *(_value(report, f"t2.{item.id}.{c}", colspan=span) for c in reg.T2_LAYOUT[item.id]),
                )
            )
    return Grid("t2", T2_WIDTHS, tuple(rows), header_rows=0)


def _rows_under(group_id: str) -> int:
    """How many table-3 rows a group's label spans: its own rows and those of its sub-groups."""
    return sum(1 for r in reg.T3_ROWS if r.group and group_id in (r.group, reg.T3_GROUP[r.group].group))


def table3(report: Report) -> Grid:
    """Table 三: the 3×3 note corner, 申请人情况 over the columns, nested result groups on the left."""
    org = [c for c in reg.T3_COLUMNS if c.group == reg.T3_ORG_GROUP.id]
    header: list[tuple[GridCell, ...]] = [
        (
            GridCell(reg.T3_NOTE, "note", rowspan=3, colspan=3),
            GridCell(reg.T3_APPLICANT_HEADER, "head", colspan=len(reg.T3_COLUMNS)),
        ),
        tuple(
            GridCell(reg.T3_ORG_GROUP.label, "head", colspan=len(org))
            if c.group
            else GridCell(c.label, "head", rowspan=2)
            for c in reg.T3_COLUMNS
            if c.group is None or c is org[0]
        ),
        tuple(GridCell(c.label, "head") for c in org),
    ]

    body: list[tuple[GridCell, ...]] = []
    opened: set[str] = set()
    for row in reg.T3_ROWS:
        labels: list[GridCell] = []
        if row.group is None:
            labels.append(GridCell(row.printed, "label", colspan=3))
        else:
            sub = reg.T3_GROUP[row.group]
            top = sub if sub.group is None else reg.T3_GROUP[sub.group]
            if top.id not in opened:
                opened.add(top.id)
                labels.append(GridCell(top.printed, "label", rowspan=_rows_under(top.id)))
            if sub is top:
                labels.append(GridCell(row.printed, "label", colspan=2))
            else:
                if sub.id not in opened:
                    opened.add(sub.id)
                    labels.append(GridCell(sub.printed, "label", rowspan=_rows_under(sub.id)))
                labels.append(GridCell(row.printed, "label"))
        body.append((*labels, *(_value(report, f"t3.{row.id}.{c.id}") for c in reg.T3_COLUMNS)))
    return Grid("t3", T3_WIDTHS, (*header, *body), header_rows=len(header))


def table4(report: Report) -> Grid:
    """Table 四: 行政复议 and 行政诉讼 over their groups, the 15 numbers in one row."""
    n = len(reg.T4_COLUMNS)
    top: list[GridCell] = []
    for parent, groups in groupby(reg.T4_GROUPS, key=lambda g: g.group):
        members = list(groups)
        if parent is None:
            top.extend(GridCell(g.label, "head", colspan=n) for g in members)
        else:
            top.append(GridCell(reg.T4_LITIGATION.label, "head", colspan=n * len(members)))
    middle: list[GridCell] = []
    bottom: list[GridCell] = []
    for g in reg.T4_GROUPS:
        if g.group is None:
            middle.extend(GridCell(c.label, "head", rowspan=2) for c in reg.T4_COLUMNS)
        else:
            middle.append(GridCell(g.label, "head", colspan=n))
            bottom.extend(GridCell(c.label, "head") for c in reg.T4_COLUMNS)
    values = tuple(_value(report, f"t4.{g.id}.{c.id}") for g in reg.T4_GROUPS for c in reg.T4_COLUMNS)
    return Grid("t4", T4_WIDTHS, (tuple(top), tuple(middle), tuple(bottom), values), header_rows=3)


TABLES = {"s2": table2, "s3": table3, "s4": table4}


# --------------------------------------------------------------------------------------------
# The document


def _lines(text: str | None) -> list[str]:
    """A section text as its paragraphs: one per line, blank lines dropped."""
    lines = (_UNPRINTABLE.sub("", line) for line in _LINE_BREAK.split(text or ""))
    return [line for line in lines if line.strip()]


def _s1_paragraphs(parts: list[SubPart]) -> Iterator[Paragraph]:
    # A sub-part's title leads its first paragraph, as Report.section_text joins them.
    for part in parts:
        lines = _lines(part.text)
        if part.title:
            yield Paragraph(lines[0] if lines else "", lead=clean_line(part.title), section="s1")
            lines = lines[1:]
        yield from (Paragraph(line, section="s1") for line in lines)


def document(report: Report, *, errors: int = 0) -> Document:
    """The report as the blocks every export prints, in order.

    ``errors``: the number of unresolved error findings of a forced export; the first page then
    says so before anything else.
    """
    heading = title(report)
    blocks: list[Block] = []
    if errors:
        blocks.append(Notice(notice_text(errors)))
    blocks.append(Title(heading))
    blocks.extend(Paragraph(line, section="preface") for line in _lines(preface(report)))
    for sec in reg.SECTIONS:
        if not sec.number:
            continue
        blocks.append(Heading(f"{sec.number}{sec.label}", sec.id))
        value = getattr(report.sections, sec.id)
        if isinstance(value, list):
            blocks.extend(_s1_paragraphs(value))
        else:
            blocks.extend(Paragraph(line, section=sec.id) for line in _lines(value))
        if sec.id in TABLES:
            grid = TABLES[sec.id](report)
            blocks.append(Table(grid, sec.id))
    return Document(heading, tuple(blocks))
