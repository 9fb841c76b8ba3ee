"""Plain text and Markdown: text extracted from a .docx, a .pdf or a web page.

Two table shapes are recognised. A document flattened to text often writes **one table cell per
tab-indented line**, rows separated by blank lines (``ziqiang-street-2024.txt``): these become
grids whose columns are not known. Text extracted from a PDF prints **a row per line**, label
then numbers (``huaian-city-2024-section3-pdftext.txt``): these stay lines for the table reader.
Markdown pipe tables become grids.

Paragraphs: a file that writes one paragraph per line keeps its lines; text wrapped at a fixed
width (extracted from a PDF) is joined back into paragraphs.
"""

from __future__ import annotations

import re

from assistant.labels import section_of_heading
from assistant.reading.decode import decode_text
from assistant.reading.document import Block, Document, Grid, Line, Slot, is_footer
from assistant.reading.limits import check_text

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PARA_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+)"
)
_SENTENCE_END = re.compile(r"[。！？!?]$")
_CLAUSE_END = re.compile(r"[：；:;]$")


def _width(text: str) -> int:
    """Printed width in half-width units: a CJK glyph counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text.strip())


def read_text_bytes(data: bytes, name: str, *, markdown: bool = False) -> Document:
    """A text file's bytes in any encoding, within the text limits."""
    text, _encoding = decode_text(data, name)
    check_text(text, name)
    return read_text(text, markdown=markdown)


def read_text(text: str, *, markdown: bool = False) -> Document:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    plain: list[tuple[int, str]] = []  # (line number, text) of the lines outside tables

    i = 0
    while i < len(raw):
        line = raw[i]
        if line.startswith("\t"):
            j = i
            while j < len(raw) and (raw[j].startswith("\t") or not raw[j].strip()):
                j += 1
            while j > i + 1 and not raw[j - 1].strip() and not raw[j - 1].startswith("\t"):
                j -= 1
            grid = _tab_grid(raw, i, j)
            if grid is not None:
                _flush(plain, blocks)
                blocks.append(grid)
            i = max(j, i + 1)
            continue
        if markdown and line.lstrip().startswith("|"):
            j = i
            while j < len(raw) and raw[j].lstrip().startswith("|"):
                j += 1
            _flush(plain, blocks)
            blocks.append(_pipe_grid(raw, i, j))
            i = j
            continue
        if markdown:
            line = _MD_EMPHASIS.sub(r"\2", _MD_HEADING.sub("", line))
            if line.lstrip().startswith(">"):
                line = line.lstrip()[1:]
        plain.append((i + 1, line))
        i += 1
    _flush(plain, blocks)
    return Document(blocks, "markdown" if markdown else "text")


def _flush(plain: list[tuple[int, str]], blocks: list[Block]) -> None:
    """The lines gathered so far as paragraphs: a line continues the one before it when that one
    was printed to the full width without ending a sentence (text wrapped by a PDF extractor)."""
    if not plain:
        return
    lines = [(n, t.strip()) for n, t in plain if not is_footer(t)]
    plain.clear()
    widths = sorted(_width(t) for _n, t in lines if t)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    previous = ""
    for n, t in lines:
        if not t:
            previous = ""
            continue
        new = True
        if previous and full >= 30:
            w = _width(previous)
            ended = bool(_SENTENCE_END.search(previous)) or (bool(_CLAUSE_END.search(previous)) and w < 0.9 * full)
            new = (
                ended
                or w < 0.7 * full
                or bool(_PARA_START.match(t))
                or section_of_heading(t) is not None
                or section_of_heading(previous) is not None
            )
        blocks.append(Line(t, f"第{n}行", new_paragraph=new))
        previous = t


def _tab_grid(raw: list[str], start: int, end: int) -> Grid | None:
    """Tab-indented lines, one cell each, rows separated by blank lines."""
    rows: list[list[str]] = []
    row_where: list[str] = []
    current: list[str] = []
    first = -1
    for k in range(start, end + 1):
        line = raw[k] if k < end else ""
        if k < end and line.strip() == "" and not line.startswith("\t"):
            line = ""
        if k == end or line == "":
            if first >= 0:
                rows.append(current)
                row_where.append(f"第{first + 1}行")
            current = []
            first = -1
            continue
        current.append(line[1:] if line.startswith("\t") else line)
        if first < 0 and line.strip():
            first = k  # the row's label, where the clerk will look
    if not rows:
        return None
    slots: list[list[Slot | None]] = [[Slot(t.strip(), r, c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Grid(slots, f"第{start + 1}行起的表格", columns_known=False, row_where=row_where)


def _pipe_grid(raw: list[str], start: int, end: int) -> Grid:
    rows: list[list[str]] = []
    row_where: list[str] = []
    for k in range(start, end):
        line = raw[k].strip()
        if _MD_RULE.match(line):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append([_MD_EMPHASIS.sub(r"\2", c).replace("<br>", "\n") for c in cells])
        row_where.append(f"第{k + 1}行")
    slots: list[list[Slot | None]] = [[Slot(t, r, c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Grid(slots, f"第{start + 1}行起的表格", columns_known=True, row_where=row_where)
