"""The reading layer: every source format turned into one document type (lines and span-true grids).

``read(data, name)`` is the one entry point: the format is decided by the content
(``formats.sniff``), the bytes are checked against one set of limits (``limits``), containers are
opened safely (``archive``), text is decoded once (``decode``), and one reader per format builds
the ``Document`` (``document``):

    docx.py    Word (.docx; .doc/.wps/.rtf/.odt after ``legacy`` conversion)
    pdf.py     PDF text layer (image-only pages go to the OCR reader, ``scan``, when installed)
    html.py    web pages
    text.py    plain text and Markdown (OCR and PDF-to-Markdown output included)
    sheet.py   .xlsx and .csv (.xls/.et/.ods after conversion)
    legacy.py  .doc/.wps/.xls/.et/.rtf/.odt/.ods converted by LibreOffice, when installed
    ofd.py     OFD: refused with advice (no well-kept offline reader on the registry)
    scan*.py   image-only PDF pages and photos, by OCR (``scan.read_scanned_pdf``, ``scan_pdf_pages``, ``read_image``)

Consumers (the report importer, notes, ledgers, pasted text) read documents without knowing which
format they came from. Nothing here knows the report beyond the words of its headings and what a
value cell looks like (``assistant.labels``, below this package).
"""

from __future__ import annotations

from assistant.errors import InputError, UnsupportedFormat
from assistant.reading.document import Block, Document, Grid, Line, Slot
from assistant.reading.formats import FORMAT_NAMES, SHEETS, claimed, sniff
from assistant.reading.limits import LIMITS, Progress, check_bytes

__all__ = [
    "FORMAT_NAMES",
    "LIMITS",
    "SHEETS",
    "Block",
    "Document",
    "Grid",
    "Line",
    "Progress",
    "Slot",
    "claimed",
    "read",
    "read_format",
    "sniff",
]


def read(data: bytes, name: str, *, progress: Progress | None = None) -> Document:
    """Any supported file's bytes as a document; a Chinese ``InputError`` for anything else.

    The document's ``notes`` start with what the clerk should know about the reading itself
    (an extension that did not match the content, a conversion, an encoding).
    """
    if not data or not data.strip():
        raise InputError(f"文件“{name}”是空的，没有可读取的内容。请检查是否选错了文件。")
    check_bytes(data, name)
    fmt, notes = sniff(data, name)
    if fmt == "json":
        raise UnsupportedFormat(f"文件“{name}”是 JSON 数据，不是文档。")
    doc = read_format(fmt, data, name, progress=progress)
    doc.notes[:0] = notes
    return doc


def read_format(fmt: str, data: bytes, name: str, *, progress: Progress | None = None) -> Document:
    """The document of a file whose format is known (``sniff``)."""
    if fmt == "docx":
        from assistant.reading.docx import read_docx

        return read_docx(data, name)
    if fmt == "pdf":
        from assistant.reading.pdf import read_pdf

        return read_pdf(data, name, progress)
    if fmt == "html":
        from assistant.reading.html import read_html

        return read_html(data, name)
    if fmt in ("text", "markdown"):
        from assistant.reading.text import read_text_bytes

        return read_text_bytes(data, name, markdown=fmt == "markdown")
    if fmt == "xlsx":
        from assistant.reading.sheet import read_xlsx

        return read_xlsx(data, name)
    if fmt == "csv":
        from assistant.reading.sheet import read_csv

        return read_csv(data, name)
    if fmt == "image":
        return read_image(data, name, progress)
    if fmt == "ofd":
        from assistant.reading.ofd import read_ofd

        return read_ofd(data, name)
    from assistant.reading.legacy import TARGET, convert

    if fmt in TARGET:
        converted, target = convert(data, name, fmt)
        doc = read_format(target, converted, name, progress=progress)
        doc.format = fmt
        doc.notes.insert(0, f"文件“{name}”是{FORMAT_NAMES[fmt]}，已用 LibreOffice 转换后读取，请核对。")
        return doc
    raise UnsupportedFormat(f"无法读取文件“{name}”（{FORMAT_NAMES.get(fmt, fmt)}）。")


def read_image(data: bytes, name: str, progress: Progress | None = None) -> Document:
    """A photo or scan of a printed page, read by OCR (``assistant.reading.scan``, imported only then)."""
    from assistant.reading.scan import read_image as read_scan

    return read_scan(data, name, progress)
