"""The parts of tables 二, 三 and 四 that a note, a summary sheet or a pasted table prints, as changes.

A report prints whole tables in their sections; a clerk's note prints pieces: a summary sheet laid
out like table 三 (rows = the table's rows, columns = 自然人/商业企业/…/合计), a Markdown table of
table 四, a Word table of a few rows, rows copied from Excel. Such a piece is read by its labels
with the same table readers as a report (``tables``), from wherever it stands in the document, and
becomes one change per cell it prints. What the readers do not take (running text, a table of
other things) is left for the chat engine, as text.

Precision comes first: a header must name the columns a value sits under (or the row must print
every column in the official order), an empty cell is a value only where the row's own total
makes it 0, and a cell whose text is not a number is asked about, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.changes import Change
from assistant.editing import same_value
from assistant.engines.base import Proposal
from assistant.importing.assemble import captions, grid_lines
from assistant.importing.tables import (
    CellRead,
    TableRead,
    better,
    t2_from_grids,
    t2_from_lines,
    t3_from_grids,
    t3_from_lines,
    t4_from_grids,
    t4_from_lines,
    tokenize,
)
from assistant.labels import is_value_text
from assistant.model import Report
from assistant.numbers import Value
from assistant.reading.document import Block, Grid, Line

# A note's summary sheet may print only some applicant columns ("自然人", "合计").
MIN_NOTE_COLUMNS = 2


@dataclass
class Fragments:
    """What the table readers took from some blocks: changes, notes, and the blocks left as text."""

    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    rest: list[Block] = field(default_factory=list)  # blocks no table reader took

    @property
    def cells(self) -> dict[str, Value]:
        return {c.cell: c.value for c in self.changes}  # type: ignore[misc]


def _numbers(line: Line) -> int:
    return len(tokenize(line).values)


def printed_tables(blocks: Sequence[Block]) -> set[int]:
    """id() of the lines that look like a table printed as text (rows of numbers with their labels),
    as opposed to running text: short lines without a sentence end, in a run holding at least two
    rows of three or more numbers."""
    out: set[int] = set()
    run: list[Line] = []
    for b in [*blocks, None]:
        tabular = isinstance(b, Line) and (
            _numbers(b) >= 3 or (len(b.text) <= 80 and not re.search(r"[。！？；]", b.text))
        )
        if tabular:
            assert isinstance(b, Line)
            run.append(b)
            continue
        if sum(1 for ln in run if _numbers(ln) >= 3) >= 2:
            out |= {id(ln) for ln in run}
        run = []
    return out


def read_fragments(blocks: Sequence[Block]) -> Fragments:
    """The table cells some blocks print, as changes with the cell's place and text as evidence."""
    grids = [b for b in blocks if isinstance(b, Grid)]
    lines: list[Line] = []
    owner: dict[int, tuple[int, int]] = {}  # id(line) -> (id(the grid), row) it was made from
    printed = printed_tables(blocks)
    for b in blocks:
        if isinstance(b, Line):
            if id(b) in printed:
                lines.append(b)
        else:
            for r, line in grid_lines(b):
                owner[id(line)] = (id(b), r)
                lines.append(line)
    reads: dict[str, TableRead | None] = {
        "t2": better(t2_from_grids(grids), t2_from_lines(lines), score=False),
        "t3": better(t3_from_grids(grids, min_columns=MIN_NOTE_COLUMNS), t3_from_lines(lines)),
        "t4": better(t4_from_grids(grids, captions(blocks)), t4_from_lines(lines), score=False),
    }
    out = Fragments()
    used: set[tuple[int, int]] = set()
    for read in reads.values():
        if read is None or not read.values():
            continue
        used |= {owner.get(i, (i, r)) for i, r in read.used}
        out.notes.extend(n for n in read.notes if "按0计" not in n)
        _changes(read, out)
    out.rest = _rest(blocks, used, out)
    return out


def _rest(blocks: Sequence[Block], used: set[tuple[int, int]], out: Fragments) -> list[Block]:
    """The blocks no table reader took. Of a grid read as a table, a row of three or more numbers that
    no row label matched is asked about (as prose its first number would land in a total); a row of
    one or two numbers ("行政许可决定 1234 件") is left as text."""
    rows_used = {i for i, r in used if r >= 0}
    rest: list[Block] = []
    for b in blocks:
        if isinstance(b, Line):
            if (id(b), -1) not in used:
                rest.append(b)
        elif id(b) not in rows_used:
            rest.append(b)
        else:
            for r, line in grid_lines(b):
                if (id(b), r) in used:
                    continue
                tok = tokenize(line)
                if len(tok.values) >= 3 and tok.label:
                    out.questions.append(
                        f"{line.where}“{tok.label}”没有认出是表格中的哪一行，其中的{len(tok.values)}个数字未读取，请核对后填写。"
                    )
                elif any(is_value_text(w) and w.strip() for w in line.text.split()):
                    rest.append(line)
    return rest


def _changes(read: TableRead, out: Fragments) -> None:
    zeros = _zeros_by_total(read)
    for cid, cell in read.cells.items():
        if cell.implied:
            continue  # the 2019 single （六） row's sub-rows: a report's convention, not the note's words
        if cell.value is None:
            out.questions.append(f"“{reg.label_of(cid)}”写的是“{cell.raw}”，不是有效的数字，应填多少？")
            continue
        if cell.blank and not cell.raw.strip() and cid not in zeros:
            continue  # an empty cell in a note says nothing, unless the row's total makes it 0
        shown = cell.raw if cell.raw.strip() else "空白"
        evidence = f"{cell.where}：{shown}"
        out.changes.append(Change(cell=cid, value=cell.value, evidence=evidence))
        if cell.blank and not cell.raw.strip():
            out.notes.append(f"“{reg.label_of(cid)}”为空白，按本行合计读作0。")


def _zeros_by_total(read: TableRead) -> set[str]:
    """Empty leaf cells that the printed total of their row (or group of table 四) makes 0."""
    zeros: set[str] = set()
    rows: dict[str, list[str]] = {}
    for cid in read.cells:
        cell = CELLS[cid]
        if not cell.is_total:
            continue
        rows[cid] = list(cell.parts)
    for total_id, parts in rows.items():
        total = read.cells[total_id]
        if total.value is None or total.blank:
            continue
        empty = [p for p in parts if p in read.cells and _empty(read.cells[p])]
        filled = [read.cells[p] for p in parts if p in read.cells and p not in empty]
        missing = [p for p in parts if p not in read.cells]
        if missing or not empty or any(c.value is None for c in filled):
            continue
        if sum(c.value for c in filled if c.value is not None) == total.value:
            zeros.update(empty)
    return zeros


def _empty(cell: CellRead) -> bool:
    return cell.blank and not cell.raw.strip()


def describe(changes: Sequence[Change]) -> str:
    """"表三14个单元格、表四5个单元格" for a reply."""
    counts: dict[str, int] = {}
    for c in changes:
        table = CELLS[c.cell].table if c.cell in CELLS else ""
        counts[table] = counts.get(table, 0) + 1
    names = {"t2": "表二", "t3": "表三", "t4": "表四"}
    return "、".join(f"{names[t]}{n}个单元格" for t, n in counts.items() if t in names)


def without_noops(proposal: Proposal, report: Report) -> Proposal:
    """The proposal without changes that would leave the draft as it is (same value already there)."""
    kept = [c for c in proposal.changes if not same_value(report.value(c.cell), c.value)]
    if len(kept) == len(proposal.changes):
        return proposal
    dropped = len(proposal.changes) - len(kept)
    reply = proposal.reply
    if not kept:
        reply = "其中的数字与草稿中已填的完全相同，没有需要修改的内容。"
    notices = [*proposal.notices, f"另有{dropped}项与草稿中已填的数字相同，未列出。"]
    return proposal.model_copy(update={"changes": kept, "reply": reply, "notices": notices})

