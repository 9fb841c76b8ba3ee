"""Reading a report from a file: the project's JSON, a flat cell map, and (later) documents.

``read_document(path)`` is the one entry point; it dispatches on the file's type and returns the
report with what the reader noticed along the way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import FileTooLarge, InputError, UnsupportedFormat
from assistant.model import Report, read_report_json

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
        parsed = json.loads(text)
    except UnicodeDecodeError:
        raise InputError(f"文件“{name}”不是 UTF-8 编码的 JSON 文件。") from None
    except json.JSONDecodeError as e:
        raise InputError(f"文件“{name}”不是有效的 JSON（第{e.lineno}行第{e.colno}列附近有错误）。") from None
    return ImportResult(read_report_json(parsed))


def read_document(path: str | Path) -> ImportResult:
    """Read any supported file into a report. Raises an InputError with a Chinese message."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件“{p}”。")
    if p.is_dir():
        raise InputError(f"“{p}”是文件夹，请指定一个文件。")
    suffix = p.suffix.lower()
    if suffix == ".json":
        return read_json_bytes(p.read_bytes(), p.name)
    raise UnsupportedFormat(f"暂不支持读取“{suffix or p.name}”格式的文件，请提供 .json 文件。")
