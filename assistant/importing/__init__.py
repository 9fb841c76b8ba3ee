"""Reading a report from a file: the project's JSON, a flat cell map, and documents.

``read_document(path)`` and ``read_bytes(data, filename)`` are the entry points (the app passes
uploads as bytes). The format is decided by the content, not only the name: a ".docx" that is
really a PDF is read as a PDF, and said so. Bad input of any kind (empty, too large, corrupt,
encrypted, a scan, a zip bomb, an old binary .doc, a document that is not an annual report)
raises an ``InputError`` with a Chinese message; nothing else escapes.

The document readers (docx, pdf, html, text) turn a file into blocks; ``assemble`` turns the
blocks into a ``Report`` with notes and provenance. No LLM is involved: the format is fixed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import EncryptedFile, FileTooLarge, InputError, UnsupportedFormat
from assistant.reading.document import Document
from assistant.reading.scan import Progress
from assistant.model import Report, read_report_json

MAX_BYTES = 30 * 1024 * 1024
MAX_JSON_BYTES = 20 * 1024 * 1024

FORMAT_NAMES = {
    "json": "JSON",
    "docx": "Word 文档",
    "pdf": "PDF",
    "html": "网页",
    "text": "文本",
    "markdown": "Markdown",
    "image": "图片",
}
_EXTENSIONS = {
    ".json": "json",
    ".docx": "docx",
    ".docm": "docx",
    ".wps": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"), "image"),
}


@dataclass
class ImportResult:
    """A report read from a source, with notes for the clerk and where each value came from."""

    report: Report
    notes: list[str] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)


def read_json_bytes(data: bytes, name: str = "") -> ImportResult:
    if len(data) > MAX_JSON_BYTES:
        raise FileTooLarge(f"文件“{name}”超过{MAX_JSON_BYTES // 1024 // 1024}MB，无法读取。")
    try:
        text = data.decode("utf-8-sig")
        parsed = json.loads(text)
    except UnicodeDecodeError:
        raise InputError(f"文件“{name}”不是 UTF-8 编码的 JSON 文件。") from None
    except json.JSONDecodeError as e:
        raise InputError(f"文件“{name}”不是有效的 JSON（第{e.lineno}行第{e.colno}列附近有错误）。") from None
    return ImportResult(read_report_json(parsed))


def read_document(path: str | Path, progress: Progress | None = None) -> ImportResult:
    """Read any supported file into a report. Raises an InputError with a Chinese message."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件“{p}”。")
    if p.is_dir():
        raise InputError(f"“{p}”是文件夹，请指定一个文件。")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise _too_large(p.name, size)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取文件“{p}”：{e.strerror or '权限不足或文件被占用'}。") from None
    return read_bytes(data, p.name, progress)


def _too_large(name: str, size: int) -> FileTooLarge:
    return FileTooLarge(
        f"文件“{name}”有{size / 1024 / 1024:.1f}MB，超过{MAX_BYTES // 1024 // 1024}MB的上限，无法读取。"
        "年度报告通常不到5MB；如含大量图片，请删去图片或另存为文字版后再上传。"
    )


def read_bytes(data: bytes, filename: str, progress: Progress | None = None) -> ImportResult:
    """Read an uploaded file's bytes into a report; the name gives the extension, the bytes decide.

    ``progress(done, total)`` hears of every page read by OCR (scans and photos take seconds a page).
    """
    name = Path(filename).name or "上传的文件"
    if not data or not data.strip():
        raise InputError(f"文件“{name}”是空的，没有可读取的内容。请检查是否选错了文件。")
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    fmt, notes = sniff(data, name)
    if fmt == "json":
        return read_json_bytes(data, name)
    from assistant.importing.assemble import assemble

    document = _read(fmt, data, name, progress)
    report, more, provenance = assemble(document, name, document.format)
    return ImportResult(report, notes + more, provenance)


def _read(fmt: str, data: bytes, name: str, progress: Progress | None = None) -> Document:
    if fmt == "docx":
        from assistant.importing.docx_reader import read_docx

        return read_docx(data, name)
    if fmt == "pdf":
        from assistant.importing.pdf_reader import read_pdf

        return read_pdf(data, name, progress)
    if fmt == "image":
        from assistant.reading.scan import read_image

        return read_image(data, name, progress)
    if fmt == "html":
        from assistant.importing.html_reader import read_html

        return read_html(data, name)
    from assistant.importing.text_reader import read_text

    return read_text(decode_text(data, name), markdown=fmt == "markdown")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<body", b"<table")
_RESAVE = "请在 Word 或 WPS 中重新另存为 .docx 后再试。"


def sniff(data: bytes, name: str) -> tuple[str, list[str]]:
    """The format of a file by its content (and its extension where the content allows both)."""
    suffix = Path(name).suffix.lower()
    claimed = _EXTENSIONS.get(suffix)
    head = data[:2048]
    fmt: str | None = None
    if b"%PDF-" in head[:1024]:
        fmt = "pdf"
    elif head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        fmt = _zip_kind(data, name)
    elif head.startswith(_OLE):
        _ole(data, name)
    elif _image(head):
        fmt = "image"
    elif head.lstrip().startswith(b"{\\rtf"):
        raise UnsupportedFormat(f"文件“{name}”是 RTF 格式。请在 Word 或 WPS 中打开后“另存为” .docx 再上传。")
    elif _binary(head):
        raise UnsupportedFormat(
            f"无法识别文件“{name}”的格式。请上传 .docx、.pdf、网页（.html）、文本（.txt/.md）、"
            "扫描或拍摄的图片（.png/.jpg）或本工具的 .json 文件。"
        )
    else:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if claimed == "json" or (claimed is None and stripped.startswith((b"{", b"["))):
            fmt = "json"
        elif stripped.startswith((b"<!doctype html", b"<html")):
            fmt = "html"
        elif claimed in ("html", "markdown", "text"):
            fmt = claimed
        elif stripped.startswith(_HTML_STARTS) or (b"<p" in stripped[:2048] and b"</" in stripped):
            fmt = "html"
        else:
            fmt = "text"
    assert fmt is not None
    notes = []
    if claimed and claimed != fmt and {claimed, fmt} != {"text", "markdown"}:
        notes.append(f"文件“{name}”的扩展名是{suffix}，但内容是{FORMAT_NAMES[fmt]}，已按{FORMAT_NAMES[fmt]}读取。")
    return fmt, notes


def _image(head: bytes) -> bool:
    """A picture file (a photo or scan of a page) by its signature."""
    if head.startswith(b"BM"):
        return b"\x00" in head[:32]
    return head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


def _binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


def _zip_kind(data: bytes, name: str) -> str:
    import io
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        raise InputError(f"文件“{name}”已损坏（压缩包结构不完整），无法读取。{_RESAVE}") from None
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("word/") for n in names):
        raise UnsupportedFormat(f"文件“{name}”像是 Word 文档，但缺少正文部分，可能已损坏。{_RESAVE}")
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormat(f"文件“{name}”是 Excel 表格，不是年度报告。年度报告请上传 .docx、.pdf 或网页文件。")
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedFormat(f"文件“{name}”是 PowerPoint 演示文稿，不是年度报告。")
    if "content.xml" in names:
        raise UnsupportedFormat(f"文件“{name}”是 OpenDocument 格式。请在 WPS 或 LibreOffice 中另存为 .docx 再上传。")
    raise UnsupportedFormat(f"文件“{name}”是压缩包，不是年度报告文档。请解压后上传其中的 .docx、.pdf 等文件。")


def _ole(data: bytes, name: str) -> None:
    """An OLE compound file: a password-protected Office document, or an old binary one."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise EncryptedFile(
            f"文件“{name}”设置了打开密码，无法读取。请在 Word 或 WPS 中输入密码打开，取消密码后另存为 .docx 再上传。"
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise UnsupportedFormat(
            f"文件“{name}”是旧版 Word 格式（.doc）。请在 Word 或 WPS 中打开后“另存为” .docx 格式再上传。"
        )
    if "Workbook".encode("utf-16-le") in data:
        raise UnsupportedFormat(f"文件“{name}”是旧版 Excel 表格（.xls），不是年度报告。")
    raise UnsupportedFormat(f"文件“{name}”是旧版 Office 格式，无法读取。请另存为 .docx 后再上传。")


def decode_text(data: bytes, name: str) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16, or a Chinese legacy encoding (GB18030)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError(f"无法识别文件“{name}”的文字编码。请另存为 UTF-8 编码的文本后再上传。")
    return data.decode(best.encoding, errors="replace")
