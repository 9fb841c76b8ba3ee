"""Which reader a file needs, decided by its content (and its name where the content allows both).

A ".docx" that is really a PDF is read as a PDF and said so; an old binary .doc saved as ".docx"
is converted like any .doc. What no reader takes (PowerPoint, a plain zip, unknown binaries) is
refused here with a Chinese message naming what the file is.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import EncryptedFile, InputError, UnsupportedFormat
from assistant.reading import archive

FORMAT_NAMES = {
    "json": "JSON",
    "docx": "Word 文档",
    "pdf": "PDF",
    "html": "网页",
    "text": "文本",
    "markdown": "Markdown",
    "xlsx": "Excel 表格",
    "csv": "CSV 表格",
    "doc": "旧版 Word 文档",
    "xls": "旧版 Excel 表格",
    "odt": "OpenDocument 文档",
    "ods": "OpenDocument 表格",
    "rtf": "RTF 文档",
    "ofd": "OFD 版式文档",
    "image": "图片",
}
SHEETS = ("xlsx", "csv", "xls", "ods")
_BINARY = ("docx", "pdf", "xlsx", "doc", "xls", "odt", "ods", "ofd", "image")

_EXTENSIONS = {
    ".json": "json",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".wps": "doc",
    ".doc": "doc",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".mht": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".tsv": "csv",
    ".xls": "xls",
    ".et": "xls",
    ".odt": "odt",
    ".ods": "ods",
    ".rtf": "rtf",
    ".ofd": "ofd",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
}
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF87a", b"GIF89a")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<body", b"<table")
_KNOWN = (
    "请上传 Word（.docx/.doc/.wps）、PDF、网页（.html）、文本（.txt/.md）、"
    "表格（.xlsx/.xls/.csv）或本工具的 .json 文件。"
)


def claimed(name: str) -> str | None:
    """The format a file's extension claims."""
    return _EXTENSIONS.get(Path(name).suffix.lower())


def sniff(data: bytes, name: str) -> tuple[str, list[str]]:
    """The format of a file by its content, and a note when the extension says otherwise."""
    suffix = Path(name).suffix.lower()
    said = claimed(name)
    head = data[:2048]
    fmt: str
    if b"%PDF-" in head[:1024]:
        fmt = "pdf"
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        fmt = _zip_kind(data, name)
    elif head.startswith(archive.OLE_MAGIC):
        fmt = _ole_kind(data, name)
    elif head.lstrip().startswith(b"{\\rtf"):
        fmt = "rtf"
    elif head.startswith(_IMAGES):
        fmt = "image"
    elif _binary(head):
        raise UnsupportedFormat(f"无法识别文件“{name}”的格式。{_KNOWN}")
    else:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if said == "json" or (said is None and stripped.startswith((b"{", b"["))):
            fmt = "json"
        elif stripped.startswith((b"<!doctype html", b"<html")):
            fmt = "html"
        elif said in ("html", "markdown", "text", "csv"):
            fmt = said
        elif stripped.startswith(_HTML_STARTS) or (b"<p" in stripped[:2048] and b"</" in stripped):
            fmt = "html"
        elif said in _BINARY:
            raise InputError(
                f"文件“{name}”不是有效的{FORMAT_NAMES[said]}（内容是纯文字，文件可能已损坏或扩展名有误）。"
                "请用原来的软件重新保存后再上传。"
            )
        else:
            fmt = "text"
    notes = []
    if said and said != fmt and not ({said, fmt} <= {"text", "markdown"} or {said, fmt} == {"doc", "docx"}):
        notes.append(f"文件“{name}”的扩展名是{suffix}，但内容是{FORMAT_NAMES[fmt]}，已按{FORMAT_NAMES[fmt]}读取。")
    return fmt, notes


def _binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


def _zip_kind(data: bytes, name: str) -> str:
    members = archive.names(data)
    if members is None:
        raise UnsupportedFormat(
            f"文件“{name}”已损坏（压缩包结构不完整），无法读取。请在 Word、WPS 或 Excel 中重新另存后再试。"
        )
    if "word/document.xml" in members:
        return "docx"
    if any(n.startswith("word/") for n in members):
        raise UnsupportedFormat(
            f"文件“{name}”像是 Word 文档，但缺少正文部分，可能已损坏。请在 Word 或 WPS 中重新另存为 .docx 后再试。"
        )
    if any(n.startswith("xl/") for n in members):
        return "xlsx"
    if "OFD.xml" in members or any(n.lower() == "ofd.xml" for n in members):
        return "ofd"
    if any(n.startswith("ppt/") for n in members):
        raise UnsupportedFormat(
            f"文件“{name}”是 PowerPoint 演示文稿，无法读取。请上传报告或笔记的 Word、PDF 或文本文件。"
        )
    if "content.xml" in members:
        return "ods" if _odf_sheet(data) else "odt"
    raise UnsupportedFormat(f"文件“{name}”是压缩包，不是报告或笔记文档。请解压后上传其中的 .docx、.pdf 等文件。")


def _odf_sheet(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return b"spreadsheet" in zf.read("mimetype")[:100]
    except (KeyError, *archive.BROKEN):
        return False


def _ole_kind(data: bytes, name: str) -> str:
    kind = archive.ole_kind(data)
    if kind == "encrypted":
        raise EncryptedFile(
            f"文件“{name}”设置了打开密码，无法读取。请在 Word 或 WPS 中输入密码打开，取消密码后另存为 .docx 再上传。"
        )
    if kind == "word":
        return "doc"
    if kind == "sheet":
        return "xls"
    if kind == "slides":
        raise UnsupportedFormat(f"文件“{name}”是旧版 PowerPoint 演示文稿，无法读取。")
    raise UnsupportedFormat(f"文件“{name}”是旧版 Office 格式，无法识别其内容。请另存为 .docx 或 .xlsx 后再上传。")
