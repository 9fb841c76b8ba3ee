"""PDFs with a text layer: printed lines with their geometry (pdfium), and ruled tables (pdfplumber).

Every printed line is kept (page numbers dropped): sections are found in them, and the tables are
first read from them (``tables.t*_from_lines``). Reading the ruling lines is ten times slower
(pdfminer parses every drawing operator), so it is done only when the printed lines do not give
complete tables that satisfy their own arithmetic: ``Document.load_grids`` adds the ruled tables of
the pages that print table words, and the importer then takes the better of the two reads.

A "table" that pdfplumber finds around running text (a framed preface, a page border) keeps only
its rows that look like table rows. Paragraphs are rebuilt from the geometry: a line that starts
indented, or follows a line that ended short, starts a paragraph.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.errors import EncryptedFile, InputError
from assistant.labels import is_value_text, section_of_heading
from assistant.reading.document import Block, Document, Grid, Line, Slot, grid_from_cells, is_footer
from assistant.reading.limits import LIMITS, Progress, check_blocks, too_many_pages
from assistant.reading.scan import image_coverage, read_scanned_pdf, scan_pdf_pages

# The ruling lines of this many pages at most are read (the three tables fill two to six pages):
# pdfminer takes a tenth of a second or more per page, and a long document must not take minutes.
MAX_GRID_PAGES = 12
# Words only a page holding one of the tables prints; other pages are not searched for tables.
_TABLE_WORDS = re.compile(r"信息内容|第二十条|申请人情况|自然人|予以公开|结果维持|行政复议|本年新收|行政许可")
_BREAK = re.compile(r"\r\n|\r|\n")
_SENTENCE_END = re.compile(r"[。！？：；!?:;]\s*$")
_PARA_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．](?!\d))"
)


@dataclass(frozen=True)
class _Printed:
    """A printed line: its text and its box (top-left origin, as pdfplumber measures)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _password_error(name: str) -> EncryptedFile:
    return EncryptedFile(
        f"文件“{name}”设置了打开密码，无法读取。请用 PDF 阅读器输入密码打开后，另存（或打印）为不加密的 PDF 再上传。"
    )


def read_pdf(data: bytes, name: str, progress: Progress | None = None) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise _password_error(name) from None
        raise InputError(f"文件“{name}”已损坏或不是有效的 PDF，无法读取。") from None
    pages: list[list[_Printed]] = []
    empty: list[int] = []
    try:
        count = len(pdf)
        if count > LIMITS.pages:
            raise too_many_pages(name, count)
        for i in range(count):
            page = pdf[i]
            try:
                printed = _page_lines(page)
                if sum(len(ln.text) for ln in printed) < 40 and image_coverage(page) > 0.5:
                    printed = []  # a scanned page with a stray line of text (a scanner's stamp)
            finally:
                page.close()
            if not printed:
                empty.append(i + 1)
            pages.append(printed)  # milliseconds a page: only OCR (seconds a page) reports progress
    except pdfium.PdfiumError:
        raise InputError(f"文件“{name}”已损坏，读取到一半出错，无法读取。") from None
    finally:
        pdf.close()
    if len(empty) == len(pages):
        return read_scanned_pdf(data, name, progress)
    notes: list[str] = []
    scanned: dict[int, list[Block]] = {}
    if empty:
        # Pages that are pictures (a scanned table pasted into a digital report) are read by OCR.
        found = scan_pdf_pages(data, name, empty, progress)
        scanned = {n: p.blocks for n, p in found.items() if p.blocks}
        read = [str(n) for n in empty if n in scanned]
        if read:
            notes.append(f"第{'、'.join(read)}页没有文字层（是扫描的图片），已用文字识别（OCR）读取，请对照原件核对。")
        if len(read) < len(empty):
            unread = [str(n) for n in empty if n not in scanned]
            notes.append(f"第{'、'.join(unread)}页没有文字层，文字识别也没有读出内容。")
    flow = _Flow()
    blocks: list[Block] = []
    for number, printed in enumerate(pages, start=1):
        if number in scanned:
            blocks.extend(scanned[number])
            continue
        blocks.extend(line for _top, line in _paragraph_lines(printed, number, [], flow))
    check_blocks(blocks, name)
    doc = Document(blocks, "pdf", notes)
    if len(scanned) < len(pages):
        doc.load_grids = lambda: _with_grids(data, name, pages, notes, scanned)
    return doc


def _page_lines(page: Any) -> list[_Printed]:
    """The page's printed lines from pdfium's text, each with the box of its glyphs."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        height = page.get_height()
        lines: list[_Printed] = []
        start = 0
        for m in [*_BREAK.finditer(text), None]:
            end = m.start() if m else len(text)
            chunk = text[start:end]
            boxes = [
                textpage.get_charbox(start + k)
                for k, ch in enumerate(chunk)
                if not ch.isspace() and start + k < count
            ]
            boxes = [b for b in boxes if b[2] > b[0]]
            if chunk.strip() and boxes and not is_footer(chunk):
                lines.append(
                    _Printed(
                        chunk.strip(),
                        min(b[0] for b in boxes),
                        max(b[2] for b in boxes),
                        height - max(b[3] for b in boxes),
                        height - min(b[1] for b in boxes),
                    )
                )
            start = m.end() if m else len(text)
    finally:
        textpage.close()
    return _merge_same_baseline(lines)


def _merge_same_baseline(lines: list[_Printed]) -> list[_Printed]:
    """Lines printed on one baseline (a label and its numbers drawn apart) make one line, left to right."""
    out: list[_Printed] = []
    for ln in sorted(lines, key=lambda d: (round(d.top), d.x0)):
        prev = out[-1] if out else None
        if prev and abs(prev.top - ln.top) < 2 and abs(prev.bottom - ln.bottom) < 3 and ln.x0 >= prev.x1 - 1:
            out[-1] = replace(prev, text=f"{prev.text} {ln.text}", x1=ln.x1, bottom=max(prev.bottom, ln.bottom))
            continue
        out.append(ln)
    return sorted(out, key=lambda d: (d.top, d.x0))


class _Flow:
    """What carries over from one page to the next when rebuilding paragraphs."""

    def __init__(self) -> None:
        self.previous_short = True
        self.previous_ended = True


Box = tuple[float, float, float, float]


def _paragraph_lines(printed: list[_Printed], page: int, boxes: Sequence[Box], flow: _Flow) -> list[tuple[float, Line]]:
    if not printed:
        return []
    long_lines = [ln for ln in printed if len(ln.text) >= 12] or printed
    left = Counter(round(ln.x0) for ln in long_lines).most_common(1)[0][0]
    ends = sorted(ln.x1 for ln in long_lines)
    right = ends[int(len(ends) * 0.9)]
    size = statistics.median(ln.bottom - ln.top for ln in printed) or 10.0
    out: list[tuple[float, Line]] = []
    for ln in printed:
        mid_x, mid_y = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
        in_table = any(b[0] - 1 <= mid_x <= b[2] + 1 and b[1] - 1 <= mid_y <= b[3] + 1 for b in boxes)
        heading = section_of_heading(ln.text) is not None
        indented = ln.x0 - left > 0.8 * size
        numbered = flow.previous_ended and bool(_PARA_START.match(ln.text))
        new = indented or flow.previous_short or numbered or heading or in_table
        ended = bool(_SENTENCE_END.search(ln.text))
        # A line that stops short ends its paragraph only where a sentence ends: text set ragged
        # right stops short anywhere.
        flow.previous_short = (ln.x1 < right - 1.5 * size and ended) or heading
        flow.previous_ended = ended or heading
        out.append((ln.top, Line(ln.text, f"第{page}页", page, new_paragraph=new, in_table=in_table)))
    return out


# --------------------------------------------------------------------------------------------
# Ruled tables (pdfplumber), read only when the printed lines are not enough


def _with_grids(
    data: bytes, name: str, pages: list[list[_Printed]], notes: list[str], scanned: dict[int, list[Block]]
) -> Document:
    import pdfplumber

    # pdfminer logs every oddity of a damaged file as a warning; the clerk gets one message instead.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    blocks: list[Block] = []
    flow = _Flow()
    searched = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, (page, printed) in enumerate(zip(pdf.pages, pages, strict=False), start=1):
                if number in scanned:
                    blocks.extend(scanned[number])
                    continue
                bands: list[tuple[float, Grid, list[Box]]] = []
                if any(_TABLE_WORDS.search(ln.text) for ln in printed) and searched < MAX_GRID_PAGES:
                    searched += 1
                    for k, table in enumerate(page.find_tables(), start=1):
                        bands.extend(_table_bands(table, number, k))
                boxes = [box for _top, _g, rows in bands for box in rows]
                placed: list[tuple[float, int, Block]] = [
                    (top, 1, line) for top, line in _paragraph_lines(printed, number, boxes, flow)
                ]
                placed += [(top, 0, grid) for top, grid, _rows in bands]
                placed.sort(key=lambda t: (t[0], t[1]))
                blocks.extend(scanned.get(number, ()))
                blocks.extend(b for _t, _o, b in placed)
    except Exception as e:  # pdfminer raises many unrelated types for files pdfium could read
        if "password" in str(e).lower() or type(e).__name__.startswith("PDFPassword"):
            raise _password_error(name) from None
        raise InputError(f"文件“{name}”的表格部分已损坏，无法读取。") from None
    return Document(blocks, "pdf", list(notes))


def _table_bands(table: Any, page: int, k: int) -> list[tuple[float, Grid, list[Box]]]:
    """The table's runs of table-like rows, each as a grid placed at its first row."""
    cells = table.cells
    if not cells:
        return []
    xs = sorted({c[0] for c in cells})
    tops = sorted({c[1] for c in cells})
    data = table.extract()
    placed: list[tuple[int, int, int, int, str]] = []
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            x0, top, x1, bottom = bbox
            cs = max(1, sum(1 for x in xs if x0 - 0.5 <= x < x1 - 0.5))
            rs = max(1, sum(1 for t in tops if top - 0.5 <= t < bottom - 0.5))
            text = (data[r][c] or "") if r < len(data) and c < len(data[r]) else ""
            placed.append((tops.index(top), xs.index(x0), rs, cs, text))
    grid = grid_from_cells(placed, "")
    row_boxes = [row.bbox for row in table.rows]
    keep = [_table_like(grid.slots[r]) for r in range(len(grid.slots))]
    bands: list[tuple[float, Grid, list[Box]]] = []
    r = 0
    while r < len(keep):
        if not keep[r]:
            r += 1
            continue
        end = r
        while end < len(keep) and keep[end]:
            end += 1
        where = f"第{page}页表格{k}"
        band = _band(grid, r, end, where)
        band.row_where = [f"{where}第{i + 1}行" for i in range(r, end)]
        bands.append((row_boxes[r][1], band, row_boxes[r:end]))
        r = end
    return bands


def _table_like(row: list[Slot | None]) -> bool:
    texts = {(s.row, s.col): s.text for s in row if s is not None and s.text.strip()}
    return len(texts) >= 2 or any(is_value_text(t) for t in texts.values())


def _band(grid: Grid, start: int, end: int, where: str) -> Grid:
    """Rows ``start:end`` of a grid as a grid of their own (a cell merged in from above starts at its top)."""
    slots: list[list[Slot | None]] = [
        [None if s is None else Slot(s.text, max(s.row - start, 0), s.col) for s in grid.slots[r]]
        for r in range(start, end)
    ]
    return Grid(slots, where)
