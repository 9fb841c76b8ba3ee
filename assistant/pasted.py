"""Rows pasted into the chat from Excel or as a Markdown table, read like a report's table.

A clerk copies a few rows of table 三 from last year's workbook, or a summary a colleague sent,
and pastes them into the chat. Excel puts a tab between cells (and quotes a cell that holds a line
break); a Markdown editor writes a pipe table. Such text is not a sentence: read as prose, its
first number would land in the wrong cell. ``read_pasted`` reads it by its labels with the same
table readers as a report (``assistant.importing.fragments``): by the header's columns when the
header row was copied too, by the official column order when it was not.
"""

from __future__ import annotations

import csv
import io
import re

from assistant.cells import T3_COLUMN, T3_ROW
from assistant.changes import Change
from assistant.engines.base import Proposal
from assistant.importing.fragments import describe, read_fragments, without_noops
from assistant.labels import is_value_text
from assistant.model import Report
from assistant.reading.document import Block, Grid, Line, Slot
from assistant.reading.text import read_text

_PIPE_ROW = re.compile(r"^\s*\|.*\|.*$")
_MAX_ROWS = 400  # a paste of a table, not of a ledger


def read_pasted(text: str, report: Report) -> Proposal | None:
    """The proposal for table rows pasted into the chat, or None when the text is not table-shaped."""
    blocks = _blocks(text)
    grids = [b for b in blocks if isinstance(b, Grid)]
    if not grids or not any(_tabular(g) for g in grids):
        return None
    tables = read_fragments(blocks)
    if not tables.changes and not tables.questions:
        return Proposal(
            reply="粘贴的内容是表格，但没有认出是表二、表三或表四的哪些行。"
            f"请连同行名（如“{T3_ROW['granted'].label}”）一起复制，"
            f"最好也复制表头（如“{T3_COLUMN['natural'].label}”“{T3_COLUMN['commercial'].label}”……"
            f"“{T3_COLUMN['total'].label}”）。",
            engine="tables",
        )
    reply = f"从粘贴的表格中读出{describe(tables.changes)}，请逐项核对后应用。" if tables.changes else ""
    proposal = Proposal(
        changes=_quoted(tables.changes, text), reply=reply, questions=tables.questions, engine="tables",
        notices=tables.notes,
    )
    return without_noops(proposal, report)


_LINE_NO = re.compile(r"第(\d+)行")


def _quoted(changes: list[Change], text: str) -> list[Change]:
    """Each change's evidence as the clerk's own words: the pasted line its number stands on (the
    change's label already says which column), so the evidence is a quote of the message."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    quoted = []
    for change in changes:
        m = _LINE_NO.search(change.evidence)
        line = lines[int(m.group(1)) - 1].strip() if m and 0 < int(m.group(1)) <= len(lines) else ""
        quoted.append(change.model_copy(update={"evidence": line}) if line and line in text else change)
    return quoted


def _blocks(text: str) -> list[Block]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if "\t" in text:
        return _tab_blocks(text)
    lines = text.split("\n")
    if sum(1 for line in lines if _PIPE_ROW.match(line)) >= 1:
        return read_text(text, markdown=True).blocks
    return []


def _tab_blocks(text: str) -> list[Block]:
    """Excel's clipboard: rows of tab-separated cells, a cell with a line break in quotes."""
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))[: _MAX_ROWS + 1]
    blocks: list[Block] = []
    run: list[list[str]] = []
    first = 0

    def flush() -> None:
        if run:
            slots: list[list[Slot | None]] = [
                [Slot(cell.strip(), r, c) for c, cell in enumerate(row)] for r, row in enumerate(run)
            ]
            where = [f"粘贴的第{first + k + 1}行" for k in range(len(run))]
            blocks.append(Grid(slots, "粘贴的表格", row_where=where))
            run.clear()

    for k, row in enumerate(rows):
        cells = [c for c in row]
        if len([c for c in cells if c.strip()]) >= 2 or (len(cells) >= 2 and run):
            if not run:
                first = k
            run.append(cells)
            continue
        flush()
        if any(c.strip() for c in cells):
            blocks.append(Line(" ".join(c.strip() for c in cells if c.strip()), f"粘贴的第{k + 1}行"))
    flush()
    return blocks


def _tabular(grid: Grid) -> bool:
    """A grid with a row of two or more cells, one of them a number."""
    for row in grid.slots:
        texts = [s.text for s in row if s is not None and s.text.strip()]
        if len(texts) >= 2 and any(is_value_text(t) for t in texts):
            return True
    return False
