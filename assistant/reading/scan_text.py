"""A scanned page's running text (prose, headings) as printed lines and paragraphs.

The tables are cut out first (they are read cell by cell); what the detector finds on the rest of
the page is grouped into printed lines (boxes that share a baseline, left to right) and the
paragraphs are rebuilt from the geometry as for a PDF's text layer: a line that starts indented,
follows a line that ended short at the end of a sentence, or starts with a heading's numbering
starts a paragraph.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass

import numpy as np

from assistant.reading.document import Line, is_footer, tidy
from assistant.reading.scan_grid import Box
from assistant.reading.scan_ocr import TextBox, read_lines

_SENTENCE_END = re.compile(r"[。！？：；!?:;]\s*$")
_PARA_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+部分)"
)


@dataclass(frozen=True)
class PrintedLine:
    text: str
    box: Box
    confidence: float


def page_lines(gray: np.ndarray, tables: list[Box]) -> list[PrintedLine]:
    """The page's printed lines outside its tables, top to bottom."""
    masked = gray.copy()
    for b in tables:
        masked[max(0, b.y0 - 2) : b.y1 + 2, max(0, b.x0 - 2) : b.x1 + 2] = 255
    return group_lines(read_lines(masked))


def group_lines(boxes: list[TextBox]) -> list[PrintedLine]:
    """Text boxes on one baseline joined left to right (a space where they stand apart)."""
    rows: list[list[TextBox]] = []
    for tb in sorted(boxes, key=lambda b: (b.box[1] + b.box[3]) / 2):
        mid = (tb.box[1] + tb.box[3]) / 2
        if rows:
            last = rows[-1]
            top = statistics.median(b.box[1] for b in last)
            bottom = statistics.median(b.box[3] for b in last)
            if top <= mid <= bottom:
                last.append(tb)
                continue
        rows.append([tb])
    out: list[PrintedLine] = []
    for row in rows:
        row.sort(key=lambda b: b.box[0])
        height = statistics.median(b.box[3] - b.box[1] for b in row)
        text = row[0].text
        for prev, cur in itertools.pairwise(row):
            gap = cur.box[0] - prev.box[2]
            text += (" " if gap > 0.8 * height else "") + cur.text
        text = text.strip()
        if not text or is_footer(text):
            continue
        box = Box(min(b.box[0] for b in row), min(b.box[1] for b in row),
                  max(b.box[2] for b in row), max(b.box[3] for b in row))  # fmt: skip
        out.append(PrintedLine(text, box, min(b.confidence for b in row)))
    return out


class Flow:
    """What carries over from one page to the next when rebuilding paragraphs."""

    def __init__(self) -> None:
        self.previous_short = True
        self.previous_ended = True


def to_lines(printed: list[PrintedLine], page: int, flow: Flow) -> list[tuple[int, Line]]:
    """Printed lines as document lines (with their top, for ordering among the tables)."""
    if not printed:
        return []
    long_lines = [ln for ln in printed if len(ln.text) >= 12] or printed
    left = statistics.median_low(ln.box.x0 for ln in long_lines)
    right = sorted(ln.box.x1 for ln in long_lines)[int(len(long_lines) * 0.9)]
    size = statistics.median(ln.box.height for ln in printed) or 20
    out: list[tuple[int, Line]] = []
    for ln in printed:
        text = tidy(ln.text)
        if not text:
            continue
        heading = bool(_PARA_START.match(text)) and len(text) <= 40 and not _SENTENCE_END.search(text)
        indented = ln.box.x0 - left > 0.8 * size
        numbered = flow.previous_ended and bool(_PARA_START.match(text))
        new = indented or flow.previous_short or numbered or heading
        ended = bool(_SENTENCE_END.search(text))
        flow.previous_short = (ln.box.x1 < right - 1.5 * size and ended) or heading
        flow.previous_ended = ended or heading
        out.append((ln.box.y0, Line(text, f"第{page}页", page, new_paragraph=new)))
    return out
