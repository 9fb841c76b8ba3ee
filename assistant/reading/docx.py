"""Word documents (.docx, also as saved by WPS): paragraphs and tables in body order.

Tables are read by walking ``w:tr``/``w:tc`` with ``gridSpan``, ``vMerge`` and ``gridBefore``, so
the grid has the true columns and every merged cell its origin (``row.cells`` of python-docx
repeats merged cells and loses where they start). The archive is checked before anything is
decompressed (``archive.open_zip``): a few kilobytes must not turn into gigabytes (zip bomb).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from assistant.errors import InputError, UnsupportedFormat
from assistant.reading import archive
from assistant.reading.document import Block, Document, Grid, Line, Slot
from assistant.reading.limits import check_blocks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_SKIP = {f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{MC}}}Fallback", f"{{{W}}}instrText", f"{{{W}}}delText"}
_RESAVE = "请在 Word 或 WPS 中重新另存为 .docx 后再试。"
_WRAPPERS = {f"{{{W}}}sdt", f"{{{W}}}sdtContent", f"{{{W}}}customXml", f"{{{W}}}smartTag"}


def read_docx(data: bytes, name: str) -> Document:
    zf = archive.open_zip(data, name, f"文件“{name}”已损坏，无法作为 Word 文档打开。{_RESAVE}")
    with zf:
        try:
            xml = archive.read_member(zf, "word/document.xml", name, f"文件“{name}”已损坏，无法读取正文。{_RESAVE}")
        except KeyError:
            raise UnsupportedFormat(f"文件“{name}”是压缩包，但不是 Word 文档（缺少正文部分）。") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        raise InputError(f"文件“{name}”的正文已损坏，无法读取。{_RESAVE}") from None
    body = root.find(f"{{{W}}}body")
    if body is None:
        raise InputError(f"文件“{name}”不是有效的 Word 文档（没有正文）。")
    blocks: list[Block] = []
    counts = {"p": 0, "tbl": 0}
    for el in _body_children(body):
        tag = etree.QName(el).localname
        if tag == "p":
            text = paragraph_text(el)
            if text.strip():
                counts["p"] += 1
                blocks.append(Line(text, f"第{counts['p']}段"))
        elif tag == "tbl":
            counts["tbl"] += 1
            blocks.append(table_grid(el, f"表格{counts['tbl']}"))
    check_blocks(blocks, name)
    return Document(blocks, "docx")


def _body_children(parent: etree._Element) -> Iterator[etree._Element]:
    for el in parent:
        if el.tag in _WRAPPERS:
            yield from _body_children(el)
        elif el.tag in (f"{{{W}}}p", f"{{{W}}}tbl"):
            yield el


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's text: runs, tabs as spaces, line breaks as "\\n"; deletions left out."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _collect(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{{{W}}}t":
            out.append(child.text or "")
        elif tag == f"{{{W}}}tab":
            out.append(" ")
        elif tag in (f"{{{W}}}br", f"{{{W}}}cr"):
            out.append("\n")
        elif tag == f"{{{W}}}noBreakHyphen":
            out.append("-")
        elif tag == f"{{{W}}}tbl":
            continue  # a table nested in a paragraph's text box: not part of the sentence
        else:
            _collect(child, out)


def _rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for el in tbl:
        if el.tag == f"{{{W}}}tr":
            yield el
        elif el.tag in _WRAPPERS:
            yield from _rows(el)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for el in tr:
        if el.tag == f"{{{W}}}tc":
            yield el
        elif el.tag in _WRAPPERS:
            yield from _cells(el)


_MAX_SPAN = 64  # a table of the report has 9 columns; a span of millions is an attack on memory


def _int_attr(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return min(_MAX_SPAN, max(0, int(el.get(f"{{{W}}}val", default))))
    except ValueError:
        return default


def _cell_text(tc: etree._Element) -> str:
    paras = []
    for el in _body_children(tc):
        if etree.QName(el).localname == "p":
            paras.append(paragraph_text(el))
    return "\n".join(p for p in paras if p.strip())


def table_grid(tbl: etree._Element, where: str) -> Grid:
    """The table as a dense grid: horizontal spans from gridSpan, vertical ones from vMerge."""
    slots: list[list[Slot | None]] = []
    for r, tr in enumerate(_rows(tbl)):
        row: list[Slot | None] = []
        col = _int_attr(tr.find(f"{{{W}}}trPr/{{{W}}}gridBefore"), 0)
        row.extend([None] * col)
        for tc in _cells(tr):
            pr = tc.find(f"{{{W}}}tcPr")
            span = max(1, _int_attr(pr.find(f"{{{W}}}gridSpan") if pr is not None else None, 1))
            vmerge = pr.find(f"{{{W}}}vMerge") if pr is not None else None
            slot: Slot | None = None
            if vmerge is not None and vmerge.get(f"{{{W}}}val", "continue") != "restart" and r > 0:
                above = slots[r - 1]
                slot = above[col] if col < len(above) else None
            if slot is None:
                slot = Slot(_cell_text(tc), r, col)
            row.extend([slot] * span)
            col += span
        slots.append(row)
    row_where = [f"{where}第{r + 1}行" for r in range(len(slots))]
    return Grid(slots, where, row_where=row_where)
