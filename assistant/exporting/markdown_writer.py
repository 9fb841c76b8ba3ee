"""Markdown for previewing a draft (GitHub-flavoured tables).

Markdown tables have neither row nor column spans, so a grid is flattened the way a reader
scans it: the column headers of the header rows are joined top-down ("法人或其他组织·商业企业"),
and a spanning label or number is printed once, where it starts, leaving the positions it
covers empty. A table with no header rows (table 二) uses its first row as the header.
"""

from __future__ import annotations

import re

from assistant.exporting import layout
from assistant.exporting.layout import Grid, GridCell

_SPECIAL = re.compile(r"([\\`*_\[\]<|])")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+](?=\s))")
_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s)")
JOIN = "·"


def escape(text: str) -> str:
    """Text that Markdown prints as written (no emphasis, links, lists or table breaks)."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ORDERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def render(doc: layout.Document) -> bytes:
    """The document as UTF-8 Markdown."""
    return ("\n\n".join(_block(b) for b in doc.blocks) + "\n").encode("utf-8")


def _block(block: layout.Block) -> str:
    if isinstance(block, layout.Notice):
        return f"> **{escape(block.text)}**"
    if isinstance(block, layout.Title):
        return f"# {escape(block.text)}"
    if isinstance(block, layout.Heading):
        return f"## {escape(block.text)}"
    if isinstance(block, layout.Paragraph):
        lead = f"**{escape(block.lead)}**" if block.lead else ""
        return lead + escape(block.text)
    return table_markdown(block.grid)


def _matrix(grid: Grid) -> list[list[tuple[GridCell, bool]]]:
    """Every grid position with the cell covering it and whether the cell starts there."""
    m: list[list[tuple[GridCell, bool] | None]] = [[None] * grid.columns for _ in grid.rows]
    for r, c, gc in grid.placed():
        for dr in range(gc.rowspan):
            for dc in range(gc.colspan):
                m[r + dr][c + dc] = (gc, dr == 0 and dc == 0)
    return [[pos for pos in row if pos is not None] for row in m]


def _text(gc: GridCell) -> str:
    text = escape(gc.text)
    return f"**{text}**" if gc.kind == "head" and text else text


def table_markdown(grid: Grid) -> str:
    grid.check()
    m = _matrix(grid)
    n_head = grid.header_rows
    if n_head:
        header = []
        for c in range(grid.columns):
            words: list[str] = []
            for r in range(n_head):
                gc, origin = m[r][c]
                if (origin or gc.kind != "note") and gc.text and (not words or words[-1] != gc.text):
                    words.append(gc.text)
            header.append(escape(JOIN.join(words)))
    else:
        n_head = 1
        header = [escape(gc.text) if origin else "" for gc, origin in m[0]]
    lines = [_row(header), _row(["---"] * grid.columns)]
    lines += [_row([_text(gc) if origin else "" for gc, origin in row]) for row in m[n_head:]]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
