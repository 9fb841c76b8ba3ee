"""Ruled tables in a page image: ruling lines, cells, and each cell's place (row, column, spans).

The ruling lines are what a morphological opening with a long thin kernel keeps of the ink:
horizontal strokes longer than 8 mm, vertical ones longer than 4.5 mm (no glyph of table text is
that tall). Lines joined into one connected frame make a table; its bounding box is drawn in too, so
a table cut by a page break (no top or bottom rule) still closes. The cells are the holes of that
frame. Where the cells start (left and top edges, clustered) gives the columns and rows; a cell
covers the columns and rows that start inside it, so merged cells get their spans, as in a .docx.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from assistant.reading.scan_image import ink_mask

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Cell:
    """One ruled cell: its interior box and its place in the table's grid."""

    box: Box
    row: int
    col: int
    rowspan: int
    colspan: int


@dataclass
class Table:
    box: Box
    cells: list[Cell]
    rows: int
    cols: int


def _mm(dpi: float, mm: float) -> int:
    return max(1, round(dpi * mm / MM_PER_INCH))


def ruling_lines(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines of an ink mask (255 = ink)."""
    # Noise and JPEG break thin lines into dashes: close small gaps along the line first.
    h_len, v_len, gap = _mm(dpi, 8), _mm(dpi, 4.5), _mm(dpi, 0.6)
    along_h = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    along_v = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    horizontal = cv2.morphologyEx(along_h, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vertical = cv2.morphologyEx(along_v, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return horizontal, vertical


def find_tables(gray: np.ndarray, dpi: float) -> list[Table]:
    """Every ruled table on the page, top to bottom."""
    ink = ink_mask(gray)
    horizontal, vertical = ruling_lines(ink, dpi)
    # A vertical line stands between two rules; a tall stroke of text does not touch one.
    vertical = _touching(vertical, horizontal, _mm(dpi, 1.2))
    frame = cv2.bitwise_or(horizontal, vertical)
    frame = cv2.dilate(frame, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    count, labels, stats, _c = cv2.connectedComponentsWithStats(frame, connectivity=8)
    _page_h, page_w = gray.shape
    tables: list[Table] = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        if w < 0.25 * page_w or h < _mm(dpi, 10):
            continue
        region = (labels[y : y + h, x : x + w] == i).astype(np.uint8) * 255
        cv2.rectangle(region, (0, 0), (w - 1, h - 1), 255, thickness=max(2, _mm(dpi, 0.3)))
        table = _cells(region, Box(int(x), int(y), int(x + w), int(y + h)), dpi)
        if table is not None:
            tables.append(table)
    tables.sort(key=lambda t: t.box.y0)
    return tables


def _touching(vertical: np.ndarray, horizontal: np.ndarray, reach: int) -> np.ndarray:
    """The vertical segments whose top or bottom end meets a horizontal rule."""
    near = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    count, labels, stats, _c = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    keep = np.zeros(count, bool)
    for i in range(1, count):
        x, y, w, h, _a = stats[i]
        top = near[y : y + reach, x : x + w].any()
        bottom = near[max(y, y + h - reach) : y + h, x : x + w].any()
        keep[i] = bool(top or bottom)
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _cells(region: np.ndarray, box: Box, dpi: float) -> Table | None:
    """The holes of a table's frame as cells placed on the table's rows and columns."""
    holes = cv2.bitwise_not(region)
    count, _labels, stats, _c = cv2.connectedComponentsWithStats(holes, connectivity=4)
    min_side = _mm(dpi, 2.0)
    found: list[Box] = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        if w < min_side or h < min_side or area < 0.5 * w * h:
            continue
        if x == 0 and y == 0 and w >= region.shape[1] - 1:
            continue  # outside the frame
        found.append(Box(int(box.x0 + x), int(box.y0 + y), int(box.x0 + x + w), int(box.y0 + y + h)))
    if len(found) < 2:
        return None
    tol = _mm(dpi, 1.0)
    col_starts = _cluster([b.x0 for b in found], tol)
    row_starts = _cluster([b.y0 for b in found], tol)
    cells: list[Cell] = []
    for b in found:
        c0 = _index(col_starts, b.x0)
        r0 = _index(row_starts, b.y0)
        cs = max(1, sum(1 for x in col_starts if b.x0 - tol <= x < b.x1 - tol))
        rs = max(1, sum(1 for y in row_starts if b.y0 - tol <= y < b.y1 - tol))
        cells.append(Cell(b, r0, c0, rs, cs))
    return Table(box, cells, len(row_starts), len(col_starts))


def _cluster(values: list[int], tol: int) -> list[int]:
    """Positions that lie within ``tol`` of each other, as one (their median)."""
    out: list[list[int]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [int(np.median(group)) for group in out]


def _index(starts: list[int], value: int) -> int:
    return int(np.argmin([abs(s - value) for s in starts]))
