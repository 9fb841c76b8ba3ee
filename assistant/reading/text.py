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

import itertools
import re

from assistant.labels import heading_spans, row_starts, section_of_heading
from assistant.reading.decode import decode_text
from assistant.reading.document import Block, Document, Grid, Line, Slot, is_footer
from assistant.reading.limits import check_text

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET = re.compile(r"^\s{0,6}(?:[-*+]|\d{1,2}[.)])\s+(?=\S)")
_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAGS_ONLY = re.compile(r"^\s*(?:</?(?:div|span|p|center|section|html|body|figure)\b[^>]*>\s*)+$", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_HTML_TABLE = re.compile(r"<table\b", re.I)
_HTML_TABLE_END = re.compile(r"</table\s*>", re.I)
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
    """Text as lines and grids. Markdown's conventions (``#`` headings, pipe tables, emphasis, HTML
    tables as PDF-to-Markdown tools write them) are read in any text file, as OCR tools save them
    as .txt too; a line that holds a whole page (saved from a portal) is cut at its headings and
    table rows."""
    text = _COMMENT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = text.split("\n")
    blocks: list[Block] = []
    plain: list[tuple[int, str]] = []  # (line number, text) of the lines outside tables
    bullets = markdown or any(_MD_HEADING.match(line) for line in raw[:5000])

    i = 0
    while i < len(raw):
        line = raw[i]
        if _HTML_TABLE.search(line):
            j = next((k for k in range(i, min(len(raw), i + 5000)) if _HTML_TABLE_END.search(raw[k])), -1)
            if j >= 0:
                _flush(plain, blocks)
                blocks.extend(_html_tables("\n".join(raw[i : j + 1]), i + 1))
                i = j + 1
                continue
        if _is_tsv(line):
            j = i
            while j < len(raw) and raw[j].strip() and "\t" in raw[j]:
                j += 1
            if j - i >= 2 or len(line.split("\t")) >= 3:
                _flush(plain, blocks)
                blocks.append(_tsv_grid(raw, i, j))
                i = j
                continue
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
        if _is_pipe(line):
            j = i
            while j < len(raw) and _is_pipe(raw[j]):
                j += 1
            _flush(plain, blocks)
            blocks.append(_pipe_grid(raw, i, j))
            i = j
            continue
        if _IMAGE.match(line) or _TAGS_ONLY.match(line):
            i += 1
            continue
        line = _MD_EMPHASIS.sub(r"\2", _MD_HEADING.sub("", line))
        line = line.lstrip()[1:] if line.lstrip().startswith(">") else line
        if bullets:
            line = _BULLET.sub("", line)
        for part in _BR.split(line):
            for piece in split_run_on(part) if run_on(part) else [part]:
                plain.append((i + 1, piece))
        i += 1
    _flush(plain, blocks)
    return Document(blocks, "markdown" if markdown else "text")


RUN_ON = 300  # a line this long holding headings or table rows is a page saved as one line
_NUMBERS = re.compile(r"(?<![\d.])(?:\d[\d,]*(?:\.\d+)?[ \u3000\t]+){2,}\d[\d,]*(?:\.\d+)?(?![\d.])")
_GLUED = re.compile(
    r"(?<=[\u4e00-\u9fff）)”])(\d{5,})(?=\s*[\u4e00-\u9fff（(]|\s*\d{1,2}[.、．]\s*[\u4e00-\u9fff]|\s*$)"
)
_TITLE = re.compile(r"^[^。，；《》]{4,60}?年度报告")  # the page's title, first on the line
_SUBPART = re.compile(r"(?<=[。；：])(?=[（(][一二三四五六七八九十]{1,3}[)）])")


def run_on(line: str) -> bool:
    """Whether a line is a page saved as one line: long, with two section headings or a table row in it."""
    if len(line) <= RUN_ON:
        return False
    return len(heading_spans(line)) >= 2 or bool(_NUMBERS.search(line)) or bool(_GLUED.search(line))


def split_run_on(line: str) -> list[str]:
    """A page saved as one line, cut into the lines it was printed in: before each section heading,
    after each run of numbers (a table row), before a numbered sub-part that follows a sentence.
    Digits run onto their label ("数量21710000218二、") are set apart for the table reader."""
    line = _GLUED.sub(lambda m: f" {m.group(1)}\x00", line.replace("\x00", ""))
    cuts = {0, len(line)}
    for start, end in heading_spans(line):
        cuts.update((start, end))
    cuts.update(row_starts(line))
    cuts.update(m.end() for m in _NUMBERS.finditer(line))
    cuts.update(m.start() for m in _SUBPART.finditer(line))
    title = _TITLE.match(line)
    if title:
        cuts.add(title.end())
    points = sorted(cuts)
    pieces = [line[a:b] for a, b in itertools.pairwise(points)]
    return [p.strip() for piece in pieces for p in piece.split("\x00") if p.strip()]


def _is_pipe(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2


def _is_tsv(line: str) -> bool:
    """A row copied from a spreadsheet: cells between tabs (not one tab-indented cell)."""
    body = line.lstrip("\t")
    return "\t" in body.rstrip("\t") or ("\t" in line and not line.startswith("\t") and bool(line.strip()))


def _tsv_grid(raw: list[str], start: int, end: int) -> Grid:
    rows = [raw[k].split("\t") for k in range(start, end)]
    slots: list[list[Slot | None]] = [[Slot(t.strip(), r, c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Grid(slots, f"第{start + 1}行起的表格", row_where=[f"第{k + 1}行" for k in range(start, end)])


def _html_tables(markup: str, line: int) -> list[Grid]:
    """HTML tables inside Markdown (PDF-to-Markdown tools write merged cells this way)."""
    from assistant.reading.html import table_grids

    return table_grids(markup, f"第{line}行起的表格")


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
        rows.append([_BR.sub("\n", _MD_EMPHASIS.sub(r"\2", c)) for c in cells])
        row_where.append(f"第{k + 1}行")
    slots: list[list[Slot | None]] = [[Slot(t, r, c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Grid(slots, f"第{start + 1}行起的表格", columns_known=True, row_where=row_where)
