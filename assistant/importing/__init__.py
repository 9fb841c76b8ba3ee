"""Reading a report from a file: the project's JSON, a flat cell map, and documents.

``read_document(path)`` and ``read_bytes(data, filename)`` are the entry points (the app passes
uploads as bytes). Documents of every format are read by the reading layer (``assistant.reading``,
which decides the format by the content and says when the name disagreed); ``assemble`` turns the
document into a ``Report`` with notes and provenance, without knowing the format. Bad input of any
kind (empty, too large, corrupt, encrypted, a scan, a zip bomb, a document that is not an annual
report) raises an ``InputError`` with a Chinese message; nothing else escapes. No LLM is involved:
the format is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import FileTooLarge, InputError, UnsupportedFormat
from assistant.jsonsafe import loads
from assistant.model import Report, read_report_json
from assistant.reading import FORMAT_NAMES, LIMITS, SHEETS, Progress, read_format, sniff
from assistant.reading.limits import too_large

MAX_BYTES = LIMITS.bytes
MAX_JSON_BYTES = 20 * 1024 * 1024


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
    except UnicodeDecodeError:
        raise InputError(f"文件“{name}”不是 UTF-8 编码的 JSON 文件。") from None
    return ImportResult(read_report_json(loads(text, what=f"文件“{name}”")))


def read_document(path: str | Path) -> ImportResult:
    """Read any supported file into a report. Raises an InputError with a Chinese message."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件“{p}”。")
    if p.is_dir():
        raise InputError(f"“{p}”是文件夹，请指定一个文件。")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise too_large(p.name, size)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取文件“{p}”：{e.strerror or '权限不足或文件被占用'}。") from None
    return read_bytes(data, p.name)


def read_bytes(data: bytes, filename: str, *, progress: Progress | None = None) -> ImportResult:
    """Read an uploaded file's bytes into a report; the name gives the extension, the bytes decide."""
    name = Path(filename).name or "上传的文件"
    if not data or not data.strip():
        raise InputError(f"文件“{name}”是空的，没有可读取的内容。请检查是否选错了文件。")
    if len(data) > MAX_BYTES:
        raise too_large(name, len(data))
    fmt, notes = sniff(data, name)
    if fmt == "json":
        return read_json_bytes(data, name)
    if fmt in SHEETS:
        raise UnsupportedFormat(
            f"文件“{name}”是{FORMAT_NAMES[fmt]}，不是年度报告。年度报告请上传 Word、PDF、网页或文本文件；"
            "申请台账和数据汇总表请在对话中作为笔记上传。"
        )
    from assistant.importing.assemble import assemble

    document = read_format(fmt, data, name, progress=progress)
    report, more, provenance = assemble(document, name, document.format)
    return ImportResult(report, notes + more, provenance)
