"""From a document's blocks to the report: sections, metadata, the three tables, the fee cells.

Every value carries where it was found (provenance), and every choice the clerk should know of
(blanks read as 0, rows that did not map, an older table form) becomes a note in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.claims import find_claims
from assistant.errors import InputError, NotAReport
from assistant.importing.scan_review import review
from assistant.importing.sections import SECTION_ORDER, Layout, read_meta, section_texts, split
from assistant.importing.tables import (
    T3_RELATIONS,
    TableRead,
    better,
    t2_from_grids,
    t2_from_lines,
    t3_consistency,
    t3_from_grids,
    t3_from_lines,
    t4_from_grids,
    t4_from_lines,
)
from assistant.model import Report, explain
from assistant.numbers import Value, format_value
from assistant.reading.document import Block, Document, Grid, Line

Reader = Callable[[Sequence[Grid]], TableRead | None]
LineReader = Callable[[Sequence[Line]], TableRead | None]

_TABLES: dict[str, tuple[str, Reader, LineReader]] = {
    "t2": ("表二", t2_from_grids, t2_from_lines),
    "t3": ("表三", t3_from_grids, t3_from_lines),
    "t4": ("表四", t4_from_grids, t4_from_lines),
}


COMPLETE = {"t2": 10, "t3": 175, "t4": 15}


def read_table(table: str, blocks: Sequence[Block], everything: Sequence[Block] = ()) -> TableRead | None:
    """A table from its region: from the grids and from the printed lines, the better of the two.

    When that is not the whole table, two more looks: the region's grid rows as printed lines (a
    converter that split a row from its label, or printed one table as several), and the grids of
    the whole document (rows a converter placed under another section's heading).
    """
    from_lines = _TABLES[table][2]
    score = table == "t3"
    grids = [b for b in blocks if isinstance(b, Grid)]
    lines = [b for b in blocks if isinstance(b, Line)]
    by_grid = _from_grids(table, grids, blocks) if grids else None
    by_text = from_lines(lines) if lines else None
    read = better(by_grid, by_text, score=score)
    if _complete(table, read):
        return read
    if grids:
        rows: list[Line] = []
        for b in blocks:
            rows.extend([b] if isinstance(b, Line) else [line for _r, line in grid_lines(b)])
        read = better(read, from_lines(rows), score=score)
    others = [b for b in everything if isinstance(b, Grid)]
    if not _complete(table, read) and len(others) > len(grids):
        read = better(read, _from_grids(table, others, everything), score=score)
    return read


def _from_grids(table: str, grids: Sequence[Grid], blocks: Sequence[Block]) -> TableRead | None:
    if table == "t4":
        return t4_from_grids(grids, captions(blocks))
    return _TABLES[table][1](grids)


def _complete(table: str, read: TableRead | None) -> bool:
    return read is not None and (len(read.values()) >= COMPLETE[table] or (table == "t2" and read.old_form))


def grid_lines(grid: Grid) -> list[tuple[int, Line]]:
    """A grid's rows as printed lines (label then numbers) with their row, for the line readers: a
    row a converter split from its label (label row, then a row of numbers) is paired again there."""
    out: list[tuple[int, Line]] = []
    for r, row in enumerate(grid.slots):
        texts = [" ".join(s.text.split()) for c, s in enumerate(row) if s is not None and (s.row, s.col) == (r, c)]
        texts = [t for t in texts if t]
        if texts:
            out.append((r, Line(" ".join(texts), grid.at(r), in_table=True)))
    return out


def captions(blocks: Sequence[Block]) -> dict[int, str]:
    """id(grid) → the short line printed just above it (a table's own title, such as "行政复议")."""
    out: dict[int, str] = {}
    previous: Block | None = None
    for b in blocks:
        if isinstance(b, Grid) and isinstance(previous, Line) and len(previous.text) <= 30:
            out[id(b)] = previous.text
        previous = b
    return out


def _regions(layout: Layout) -> dict[str, list[Block]]:
    """Where each table is looked for: its section, or (table 2) what precedes table 3."""
    found = layout.regions
    regions: dict[str, list[Block]] = {}
    if "s2" in found:
        regions["t2"] = found["s2"]
    else:
        regions["t2"] = [*layout.leading, *found.get("s1", [])]
    if "s3" in found:
        regions["t3"] = found["s3"]
    elif "s2" in found:
        regions["t3"] = found["s2"]  # a heading not recognised: the table is in the region before
    else:
        regions["t3"] = [*layout.leading, *found.get("s1", [])]
    regions["t4"] = found.get("s4", [])  # without its heading, table 四 is looked for in every grid
    return regions


def _read_tables(layout: Layout) -> dict[str, TableRead | None]:
    everything = [*layout.leading, *(b for sid in layout.regions for b in layout.regions[sid])]
    return {table: read_table(table, blocks, everything) for table, blocks in _regions(layout).items()}


def _sure(layout: Layout, reads: dict[str, TableRead | None]) -> bool:
    """Whether the tables as first read need no second look: all there, complete, consistent."""
    if not {"s2", "s3", "s4"} <= set(layout.regions):
        return False
    t2, t3, t4 = reads.get("t2"), reads.get("t3"), reads.get("t4")
    if t2 is None or not (len(t2.cells) == 10 or t2.old_form):
        return False
    if t4 is None or len(t4.cells) != 15:
        return False
    if t3 is None or len(t3.cells) != 175 or t3.ambiguous:
        return False
    if any(c.value is None for read in (t2, t3, t4) for c in read.cells.values()):
        return False
    return t3_consistency(t3.values()) == T3_RELATIONS


def assemble(doc: Document, name: str, fmt: str) -> tuple[Report, list[str], dict[str, str]]:
    layout = split(doc)
    reads = _read_tables(layout)
    if doc.load_grids is not None and not _sure(layout, reads):
        try:
            doc = doc.load_grids()
        except InputError as e:
            doc.notes.append(f"表格框线未能读取（{e.message}），表格按文字行读取，请核对。")
        else:
            layout = split(doc)
            reads = _read_tables(layout)
    texts, text_notes = section_texts(layout)
    meta = read_meta(layout, texts)
    notes: list[str] = list(doc.notes)
    provenance: dict[str, str] = dict(meta.where)

    cells: dict[str, Value] = {}
    blank: list[str] = []
    invalid: dict[str, str] = {}
    template_notes: list[str] = []
    counts: dict[str, int] = {}
    empty: set[str] = set()
    for table, read in reads.items():
        if read is None:
            continue
        label = _TABLES[table][0]
        if read.cells and all(c.blank or c.implied for c in read.cells.values()):
            notes.append(f"{label}全部空白，视为尚未填写，相应单元格保持未填。")
            read.cells.clear()
            empty.add(table)
        notes.extend(read.notes)
        template_notes.extend(read.template_notes)
        counts[table] = len(read.cells)
        for cid, c in read.cells.items():
            provenance[cid] = c.where
            if c.value is None:
                invalid[cid] = c.raw
                continue
            cells[cid] = c.value
            if c.blank:
                blank.append(cid)

    if not layout.headings and not cells:
        raise NotAReport(
            f"该文件看起来不是政府信息公开工作年度报告：“{name}”中没有找到“{_heading_label('s1')}”等部分标题，"
            "也没有找到统计表格。请确认上传的是年度报告（.docx、.pdf、网页或文本）。"
        )
    if len(layout.headings) < 3 and not cells and "政府信息公开" not in (meta.title or ""):
        raise NotAReport(
            f"该文件看起来不是政府信息公开工作年度报告：“{name}”只有{len(layout.headings)}个与年报相同的标题，"
            "没有统计表格。请确认上传的是年度报告。"
        )

    uncertain, scan_notes = review(reads)  # numbers read from a scan that the clerk should confirm
    notes.extend(scan_notes)
    _fees(texts.get("s6"), cells, provenance)
    template = _template(reads)
    notes[:0] = _summary(counts, cells, blank, invalid, layout, meta.year, empty)
    notes.extend(text_notes)
    if template != "2021":
        form = "整体为2019年版格式" if template == "2019" else "混用了2019年版和2021年版表格"
        notes.append(f"所读报告{form}：{'；'.join(template_notes)}。")

    for sid in ("preface", *SECTION_ORDER):
        if texts.get(sid) is not None:
            heading = layout.headings.get(sid)
            provenance[sid] = f"“{_heading_label(sid)}”（{heading.where}起）" if heading else "标题后的开头段落"

    data: dict[str, Any] = {
        "meta": {
            "agency": meta.agency,
            "year": meta.year,
            "title": meta.title,
            "contact": dict(meta.contact),
        },
        "sections": texts,
        "cells": cells,
        "source": {
            "file": name,
            "format": fmt,
            "template": template,
            "template_notes": template_notes,
            "blank_cells": blank,
            "invalid_cells": invalid,
            "uncertain_cells": uncertain,
        },
    }
    try:
        report = Report.model_validate(data)
    except ValidationError as e:  # a reader bug must reach the clerk as a message, not a traceback
        raise InputError(f"文件“{name}”的内容无法整理为报告：" + "；".join(explain(e))) from None
    return report, notes, provenance


def _heading_label(sid: str) -> str:
    return reg.label_of(sid)


def _template(reads: dict[str, TableRead | None]) -> str:
    t2, t3 = reads.get("t2"), reads.get("t3")
    old2 = bool(t2 and t2.old_form)
    old3 = bool(t3 and t3.old_form)
    if not old2 and not old3:
        return "2021"
    if old2 and old3:
        return "2019"
    if old3 and not (t2 and t2.cells):
        return "2019"
    return "mixed"


def _fees(s6: str | None, cells: dict[str, Value], provenance: dict[str, str]) -> None:
    """The 信息处理费 cells as section 六 states them ("全年收取…信息处理费3940元", "均为0")."""
    if not s6:
        return
    for claim in find_claims(s6):
        if not all(c.startswith("s6.fee.") for c in claim.cells):
            continue
        for cid in claim.cells:
            if cid in cells:
                continue
            value = claim.value
            cells[cid] = int(value) if CELLS[cid].kind is reg.Kind.COUNT and value == int(value) else value
            provenance[cid] = f"第六部分：“{claim.quote}”"


def _summary(
    counts: dict[str, int],
    cells: dict[str, Value],
    blank: list[str],
    invalid: dict[str, str],
    layout: Layout,
    year: int | None,
    empty: set[str],
) -> list[str]:
    notes: list[str] = []
    expected = {"t2": 10, "t3": 175, "t4": 15}
    parts = [f"{_TABLES[t][0]}{counts.get(t, 0)}/{n}个单元格" for t, n in expected.items()]
    notes.append("已读取" + "，".join(parts) + "。")
    for t, n in expected.items():
        got = {c for c in cells if c.startswith(f"{t}.")} | {c for c in invalid if c.startswith(f"{t}.")}
        missing = [c for c in CELLS if c.startswith(f"{t}.") and c not in got]
        if t in empty:
            continue
        if len(missing) == n:
            notes.append(f"未找到{_TABLES[t][0]}，其单元格保持未填。")
        elif missing and t == "t3":
            rows = list(dict.fromkeys(CELLS[c].row for c in missing))
            shown = "、".join(f"“{reg.t3_row_label(r)}”" for r in rows[:6])
            more = f"等{len(rows)}行" if len(rows) > 6 else ""
            notes.append(f"表三未读到{shown}{more}（共{len(missing)}个单元格），保持未填。")
        elif missing:
            shown = "、".join(reg.label_of(c) for c in missing[:5])
            more = f"等{len(missing)}个" if len(missing) > 5 else ""
            notes.append(f"{_TABLES[t][0]}未读到：{shown}{more}，保持未填。")
    if blank:
        notes.append(f"表格中有{len(blank)}个单元格为空白或“/”“—”，已按0读取，请确认。")
    for cid, raw in invalid.items():
        notes.append(f"“{reg.label_of(cid)}”在原文中为“{raw}”，不是有效的数字，请核对后填写。")
    missing_sections = [_heading_label(s) for s in SECTION_ORDER if s not in layout.headings]
    if missing_sections:
        notes.append("未找到以下部分的标题：" + "、".join(missing_sections) + "。")
    if year is None:
        notes.append("未能从标题或统计期限中读出报告年度，请补填。")
    fees = [c for c, _l, _k, _p in reg.FEE_CELLS if c in cells]
    if fees:
        notes.append(
            "已从第六部分读出信息处理费："
            + "，".join(f"{reg.label_of(c).removeprefix('信息处理费·')}{format_value(cells[c])}" for c in fees)
            + "。"
        )
    return notes
