"""Each ruled cell's content read on its own, and the table as a span-true ``Grid``.

A cell's interior (the rules trimmed off) is split into its printed lines by the rows that hold
ink; each line is cut with a small white margin and recognised directly. Specks smaller than
0.8 mm both ways (scanner dust, JPEG noise) do not make a cell non-empty. Every slot keeps the
recogniser's confidence and, for cells that hold a number or nothing, a small PNG of the cell as
scanned, so a doubtful reading can be shown to the clerk beside the picture.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from assistant.reading.document import Grid, Slot, join_wrapped
from assistant.reading.scan_grid import Box, Cell, Table, _mm
from assistant.reading.scan_image import ink_mask
from assistant.reading.scan_ocr import Read, recognise
from assistant.reading.scan_words import snap

CROP_HEIGHT = 48  # pixels: the picture of a cell shown to the clerk (small in the saved draft)
UNREADABLE = "?"  # the text of a cell with ink that the recogniser could not read
_NUMBER = set("0123456789.-/—")


@dataclass
class _CellLines:
    cell: Cell
    lines: list[Box]  # page coordinates of each printed line in the cell
    first: int = 0  # where the cell's crops start in the page's list of crops
    count: int = 0


def read_tables(gray: np.ndarray, dpi: float, tables: list[Table], page: int) -> list[Grid]:
    """The page's tables as grids of recognised slots (one recognition batch for the page)."""
    ink = ink_mask(gray)
    found: list[list[_CellLines]] = []
    crops: list[np.ndarray] = []
    for table in tables:
        cells = [_CellLines(c, _lines(ink, c.box, dpi)) for c in table.cells]
        for cl in cells:
            cl.first = len(crops)
            if _vertical(cl.lines):
                # A label set vertically, one glyph under another: read as one line of glyphs.
                crops.append(_side_by_side([_line_crop(gray, b, dpi) for b in cl.lines]))
            else:
                crops.extend(_line_crop(gray, b, dpi) for b in cl.lines)
            cl.count = len(crops) - cl.first
        found.append(cells)
    reads = recognise(crops)
    _second_look(ink, dpi, crops, reads, [cl for cells in found for cl in cells])
    grids: list[Grid] = []
    for k, (table, cells) in enumerate(zip(tables, found, strict=True), start=1):
        where = f"第{page}页表格{k}"
        slots: list[list[Slot | None]] = [[None] * table.cols for _ in range(table.rows)]
        for cl in sorted(cells, key=lambda c: (c.cell.row, c.cell.col)):
            got = reads[cl.first : cl.first + cl.count]
            slot = _slot(gray, cl, got)
            c = cl.cell
            for r in range(c.row, min(table.rows, c.row + c.rowspan)):
                for col in range(c.col, min(table.cols, c.col + c.colspan)):
                    if slots[r][col] is None:
                        slots[r][col] = slot
        grid = Grid(slots, where, page=page)
        grid.row_where = [f"{where}第{i + 1}行" for i in range(table.rows)]
        grids.append(grid)
    return grids


def _second_look(
    ink: np.ndarray, dpi: float, crops: list[np.ndarray], reads: list[Read], cells: list[_CellLines]
) -> None:
    """Numbers read with fewer digits than the cell prints glyphs ("11" read "1": among its
    neighbours on a strip the recogniser can merge a repeated narrow digit) are read again on their
    own, then stretched wide; a reading still short of digits is doubtful."""
    again: list[int] = []
    glyphs: dict[int, int] = {}
    for cl in cells:
        if cl.count != 1 or len(cl.lines) != 1:
            continue
        i = cl.first
        text = reads[i].text
        if not text or not set(text) <= _NUMBER:
            continue
        digits = _digits(text)
        count = _glyph_count(ink, cl.lines[0], dpi)
        if digits and count > digits:
            again.append(i)
            glyphs[i] = count
    if not again:
        return
    alone = recognise([crops[i] for i in again], alone=True)
    wide = recognise([cv2.resize(crops[i], None, fx=1.5, fy=1.0, interpolation=cv2.INTER_CUBIC) for i in again],
                     alone=True)  # fmt: skip
    for i, first, second in zip(again, alone, wide, strict=True):
        fits = [r for r in (first, second) if set(r.text) <= _NUMBER and _digits(r.text) == glyphs[i]]
        reads[i] = fits[0] if fits else Read(reads[i].text, min(reads[i].confidence, 0.5))


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _glyph_count(ink: np.ndarray, line: Box, dpi: float) -> int:
    """Separate marks in a line that are tall enough to be digits (dots, commas and specks are not)."""
    inside = ink[line.y0 : line.y1, line.x0 : line.x1]
    count, _labels, stats, _c = cv2.connectedComponentsWithStats(inside, connectivity=8)
    tall = 0.6 * line.height
    return sum(1 for i in range(1, count) if stats[i][3] >= tall)


def _slot(gray: np.ndarray, cl: _CellLines, got: list[Read]) -> Slot:
    c = cl.cell
    texts = [r.text for r in got]
    text = join_wrapped(texts)
    confidence = min((r.confidence for r in got), default=1.0)
    if got and not text:
        text, confidence = UNREADABLE, 0.0  # ink the recogniser could not read is not an empty cell
    crop = None
    if not text or text == UNREADABLE or set(text.replace(" ", "")) <= _NUMBER:
        crop = cell_png(gray, c.box)
    else:
        text = snap(text)
    return Slot(text, c.row, c.col, confidence=round(confidence, 3), crop_png=crop)


def _lines(ink: np.ndarray, box: Box, dpi: float) -> list[Box]:
    """The printed lines inside a cell, top to bottom (none for an empty cell)."""
    trim = _mm(dpi, 0.5)
    x0, y0, x1, y1 = box.x0 + trim, box.y0 + trim, box.x1 - trim, box.y1 - trim
    if x1 - x0 < 3 or y1 - y0 < 3:
        return []
    inside = ink[y0:y1, x0:x1]
    count, labels, stats, _c = cv2.connectedComponentsWithStats(inside, connectivity=8)
    speck = _mm(dpi, 0.8)
    keep = np.zeros(count, bool)
    for i in range(1, count):
        _x, _y, w, h, _a = stats[i]
        if w < speck and h < speck:
            continue  # dust, or a dot: a dot beside glyphs is cut with them anyway
        if (w >= 0.9 * inside.shape[1] and h <= _mm(dpi, 0.8)) or (h >= 0.9 * inside.shape[0] and w <= _mm(dpi, 0.8)):
            continue  # a rule left over at the edge
        keep[i] = True
    if not keep.any():
        return []
    mask = keep[labels]
    rows = mask.any(axis=1)
    runs = _runs(rows, gap=_mm(dpi, 0.5))
    lines: list[Box] = []
    for top, bottom in runs:
        cols = np.flatnonzero(mask[top:bottom].any(axis=0))
        width = int(cols[-1]) + 1 - int(cols[0])
        pieces = [(top, bottom)]
        if bottom - top > 1.8 * width and bottom - top > _mm(dpi, 6):
            # A label set vertically, one glyph under another: read glyph by glyph.
            pieces = _glyphs(mask[top:bottom].sum(axis=1), width, top)
        for a, b in pieces:
            if b - a < _mm(dpi, 0.6):
                continue
            cols = np.flatnonzero(mask[a:b].any(axis=0))
            lines.append(Box(x0 + int(cols[0]), y0 + a, x0 + int(cols[-1]) + 1, y0 + b))
    return lines


def _glyphs(profile: np.ndarray, width: int, top: int) -> list[tuple[int, int]]:
    """A vertical run of glyphs cut into glyphs: CJK glyphs are square, so about one per ``width``
    rows, each cut moved to the emptiest row near it."""
    height = len(profile)
    n = max(1, round(height / max(1.0, width * 1.1)))
    cuts = [0]
    reach = max(1, int(0.3 * width))
    for k in range(1, n):
        target = round(k * height / n)
        lo, hi = max(cuts[-1] + 1, target - reach), min(height - 1, target + reach)
        cuts.append(lo + int(np.argmin(profile[lo : hi + 1])) if hi >= lo else target)
    cuts.append(height)
    return [(top + a, top + b) for a, b in itertools.pairwise(cuts) if b > a]


def _vertical(lines: list[Box]) -> bool:
    """Three or more lines of one glyph each, stacked: text set vertically."""
    return len(lines) >= 3 and all(b.width < 1.6 * b.height for b in lines)


def _side_by_side(crops: list[np.ndarray]) -> np.ndarray:
    height = max(c.shape[0] for c in crops)
    padded = [cv2.copyMakeBorder(c, 0, height - c.shape[0], 0, 0, cv2.BORDER_CONSTANT, value=255) for c in crops]
    return np.hstack(padded)


def _runs(flags: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True, joined across gaps of at most ``gap``."""
    idx = np.flatnonzero(flags)
    if idx.size == 0:
        return []
    runs: list[tuple[int, int]] = []
    start = prev = int(idx[0])
    for i in idx[1:].tolist():
        if i - prev > gap + 1:
            runs.append((start, prev + 1))
            start = i
        prev = i
    runs.append((start, prev + 1))
    return runs


def _line_crop(gray: np.ndarray, line: Box, dpi: float) -> np.ndarray:
    """One printed line with a white margin around it, as the recogniser likes it."""
    h, w = gray.shape
    pad_y = max(3, line.height // 4)
    pad_x = max(4, line.height // 2)
    crop = gray[max(0, line.y0 - 1) : min(h, line.y1 + 1), max(0, line.x0 - 1) : min(w, line.x1 + 1)]
    return cv2.copyMakeBorder(crop, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT, value=255)


def cell_png(gray: np.ndarray, box: Box) -> bytes:
    """The cell as scanned (with its rules), small: a grey PNG ``CROP_HEIGHT`` pixels high at most."""
    h, w = gray.shape
    m = 3
    crop = gray[max(0, box.y0 - m) : min(h, box.y1 + m), max(0, box.x0 - m) : min(w, box.x1 + m)]
    if crop.shape[0] > CROP_HEIGHT:
        f = CROP_HEIGHT / crop.shape[0]
        crop = cv2.resize(crop, (max(1, int(crop.shape[1] * f)), CROP_HEIGHT), interpolation=cv2.INTER_AREA)
    crop = (crop // 32) * 36  # eight grey levels: as legible, and a third of the bytes
    crop = np.minimum(crop, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".png", crop, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return buf.tobytes() if ok else b""
