"""Writing a review out: an .xlsx workbook or a standalone HTML page, chosen by the file's extension."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from assistant.errors import UnsupportedFormat
from assistant.exporting import OutputError
from assistant.review.results import Review

FORMATS = {"xlsx": "Excel 工作簿（.xlsx）", "html": "网页（.html）"}
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def export_bytes(review: Review, fmt: str) -> bytes:
    if fmt == "xlsx":
        from assistant.review.workbook import workbook_bytes

        return workbook_bytes(review)
    if fmt == "html":
        from assistant.review.page import page_bytes

        return page_bytes(review)
    raise UnsupportedFormat(f"审核结果只能导出为 .xlsx 或 .html，不能导出为“{fmt}”。")


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = {"htm": "html"}.get(suffix, suffix)
    if fmt not in FORMATS:
        raise UnsupportedFormat(f"无法导出为“{Path(path).name}”：审核结果请用 .xlsx 或 .html 作为文件扩展名。")
    return fmt


def export_file(review: Review, path: str | Path) -> Path:
    """Write the review to ``path`` whole or not at all (an existing file stays as it was on failure)."""
    target = Path(path)
    fmt = format_of(target)
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"无法写入“{target}”：文件夹“{folder}”不存在。")
    data = export_bytes(review, fmt)
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        tmp.chmod(0o644)
        os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        reason = e.strerror or e
        raise OutputError(f"无法写入“{target}”：{reason}。请检查文件是否正被其他程序（如 Excel）打开。") from None
    return target
