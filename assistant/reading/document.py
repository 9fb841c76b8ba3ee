"""What every reader turns a document into: printed lines and table grids, in reading order.

The readers (.docx, .pdf, .html, text, spreadsheets) differ only in how they find lines and grids;
everything after that (the report importer, notes, ledgers, pasted text) works on these blocks and
never asks which format they came from.

A ``Grid`` is dense: every position of a merged region holds a ``Slot`` pointing at the region's
top-left origin, so a row "sees" the group label merged over it, and a value is read once, at its
origin. Text flattened from a document (one cell per line) has no true columns: ``columns_known``
is then False and the table reader goes by the order of the cells instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.textnorm import clean_text


@dataclass(frozen=True)
class Line:
    """A paragraph (docx, html) or a printed line (pdf, text) with where it stands."""

    text: str
    where: str
    page: int = 0
    new_paragraph: bool = True  # False: the printed line continues the paragraph of the line before
    in_table: bool = False  # a printed line inside a table's frame (pdf)


@dataclass(frozen=True)
class Slot:
    """One grid position: the text of the cell covering it and that cell's origin."""

    text: str
    row: int
    col: int
    # Read by OCR (a scan or a photo): how sure the recogniser is (0–1), and the cell as scanned
    # (a small PNG) for the clerk to compare against. None for every other reader.
    confidence: float | None = None
    crop_png: bytes | None = field(default=None, repr=False, compare=False)


@dataclass
class Grid:
    """A table as a dense grid of slots (None where a short row has no cell)."""

    slots: list[list[Slot | None]]
    where: str
    page: int = 0
    columns_known: bool = True
    row_where: list[str] = field(default_factory=list)
    # (row, col) of formula cells whose result the file does not hold (a spreadsheet written by a
    # program): they read empty, and a consumer that counts must not take that for a value.
    uncomputed: list[tuple[int, int]] = field(default_factory=list)

    def at(self, row: int) -> str:
        """Where row ``row`` stands, for provenance ("第4页表格 第5行")."""
        if row < len(self.row_where) and self.row_where[row]:
            return self.row_where[row]
        return f"{self.where}第{row + 1}行"

    @property
    def width(self) -> int:
        return max((len(r) for r in self.slots), default=0)


Block = Line | Grid


@dataclass
class Document:
    """A source document as blocks, with what its reader noticed."""

    blocks: list[Block]
    format: str
    notes: list[str] = field(default_factory=list)
    title_hint: str | None = None  # a title found outside the article (html <h1>, <title>)
    # A slower second look that adds table grids (pdf ruling lines), used when the first read of
    # the tables is not complete and consistent.
    load_grids: Callable[[], Document] | None = None


def grid_from_cells(cells: list[tuple[int, int, int, int, str]], where: str, **kw: object) -> Grid:
    """A dense grid from ``(row, col, rowspan, colspan, text)`` cells placed at known positions."""
    height = max((r + rs for r, _c, rs, _cs, _t in cells), default=0)
    width = max((c + cs for _r, c, _rs, cs, _t in cells), default=0)
    slots: list[list[Slot | None]] = [[None] * width for _ in range(height)]
    for r, c, rs, cs, text in cells:
        slot = Slot(text, r, c)
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                if slots[rr][cc] is None:
                    slots[rr][cc] = slot
    return Grid(slots, where, **kw)  # type: ignore[arg-type]


class SpanPlacer:
    """Places html-style cells (rowspan/colspan) row by row into a dense grid."""

    def __init__(self) -> None:
        self.cells: list[tuple[int, int, int, int, str]] = []
        self._taken: set[tuple[int, int]] = set()
        self.row = -1

    def next_row(self) -> None:
        self.row += 1

    def add(self, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        col = 0
        while (self.row, col) in self._taken:
            col += 1
        rowspan, colspan = max(1, min(rowspan, 500)), max(1, min(colspan, 100))
        for r in range(self.row, self.row + rowspan):
            for c in range(col, col + colspan):
                self._taken.add((r, c))
        self.cells.append((self.row, col, rowspan, colspan, text))


# --------------------------------------------------------------------------------------------
# Text tidying shared by the readers


_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
_ARTEFACT = re.compile(r"\[(?:bookmark|BOOKMARK|Bookmark)[:：][^\]]*\]|\{\s*(?:PAGE|NUMPAGES)\s*\}")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’—…·"
# A space touching a CJK glyph or CJK punctuation is layout (glyph spacing, justified lines).
_GLYPH_GAP = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}])")


def is_footer(text: str) -> bool:
    """A page number line: "- 4 -", "第4页", "第 4 页 共 6 页", "4/6"."""
    return bool(_FOOTER.match(text))


def tidy(text: str) -> str:
    """Readable text: no bookmark artefacts, no glyph spacing, simplified characters."""
    text = _ARTEFACT.sub("", text)
    text = _GLYPH_GAP.sub("", text)
    return clean_text(text).strip()


def join_wrapped(parts: list[str]) -> str:
    """Printed lines of one paragraph joined: no space between CJK, one between Latin words."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and re.search(r"[A-Za-z0-9]$", out) and re.match(r"[A-Za-z]", part):
            out += " "
        out += part
    return out
