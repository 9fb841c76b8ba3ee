"""Exporting the final draft: the official-layout .docx, portal HTML, Markdown, and the project JSON.

``export_bytes(report, fmt)`` is the one entry point (the app offers the bytes for download);
``export_file(report, path)`` writes a file, choosing the format by its extension. The .docx,
HTML and Markdown all print one format-neutral document built by ``layout.document``.

A report with unresolved error findings is not exported unless forced; a forced export says on
its first page how many errors remain. Publication is stricter than the ordinary check: every
blank table cell is an error (rule CELLS-FILLED: blank is not 0), named cell by cell. The JSON
export is the draft itself and is never blocked.
Exports take only a ``Report``: nothing from the settings (API keys…) can reach them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from assistant.errors import AssistantError, UnsupportedFormat
from assistant.exporting import layout
from assistant.findings import Finding
from assistant.model import Report
from assistant.validator import validate

FORMATS: dict[str, str] = {
    "docx": "Word 文档（正式版式）",
    "html": "网页（用于门户网站发布）",
    "md": "Markdown（预览）",
    "json": "项目文件（JSON）",
}
MEDIA_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
SHOWN_FINDINGS = 5
BLANK_RULE = "CELLS-FILLED"


class ExportBlocked(AssistantError):
    """A report with error findings was to be exported without ``force``.

    Exit status 1, like ``validate`` with error findings: the input was read; the report is not
    ready to be published.
    """

    exit_code = 1

    def __init__(self, errors: list[Finding]) -> None:
        self.errors = errors
        super().__init__(blocked_message(errors))


def blocked_message(errors: list[Finding]) -> str:
    """Why an export is refused: the first few errors, and every blank cell (each one must be filled)."""
    blank = [f for f in errors if f.rule == BLANK_RULE]
    other = [f for f in errors if f.rule != BLANK_RULE]
    lines = [f"  [{f.rule}] {f.message}" for f in other[:SHOWN_FINDINGS]]
    if len(other) > SHOWN_FINDINGS:
        lines.append(f"  ……另有{len(other) - SHOWN_FINDINGS}处错误")
    lines += [f"  [{f.rule}] {f.message}" for f in blank]
    return f"本稿尚有{errors_summary(errors)}，未导出：\n" + "\n".join(lines)


def errors_summary(errors: list[Finding]) -> str:
    """"3处错误未解决、12个单元格未填": what stands between the draft and publication."""
    blank = [f for f in errors if f.rule == BLANK_RULE]
    counts = []
    if len(blank) < len(errors):
        counts.append(f"{len(errors) - len(blank)}处错误未解决")
    if blank:
        counts.append(f"{sum(len(f.cells) for f in blank)}个单元格未填")
    return "、".join(counts)


class OutputError(AssistantError):
    """The export could not be written where the clerk asked (no such folder, no permission…)."""


def error_findings(report: Report) -> list[Finding]:
    """The unresolved error findings that block a normal export: those of the ordinary check, and
    one per row with unfilled cells (blank is not 0; a published blank is an error)."""
    return [f for f in validate(report, publication=True) if f.is_error]


def format_of(path: str | Path) -> str:
    """The export format named by a file's extension, or UnsupportedFormat."""
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
    if fmt not in FORMATS:
        known = "、".join(f".{f}" for f in FORMATS)
        name = Path(path).suffix or Path(path).name
        raise UnsupportedFormat(f"无法导出为“{name}”格式，请使用 {known} 之一作为文件扩展名。")
    return fmt


def suggested_filename(report: Report, fmt: str) -> str:
    """A file name for the download: the report's title, without characters file systems refuse."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "", layout.title(report)).strip(".") or layout.REPORT_NAME
    return f"{name}.{fmt}"


def _writer(fmt: str) -> Callable[[layout.Document], bytes]:
    # Imported on use: python-docx is not needed to write HTML, Markdown or JSON.
    if fmt == "docx":
        from assistant.exporting import docx_writer

        return docx_writer.render
    if fmt == "html":
        from assistant.exporting import html_writer

        return html_writer.render
    from assistant.exporting import markdown_writer

    return markdown_writer.render


def export_bytes(report: Report, fmt: str, *, force: bool = False) -> bytes:
    """The report in ``fmt`` (docx, html, md, json).

    Raises ExportBlocked when the report has error findings and ``force`` is not set; a forced
    export carries the first-page notice. A clean report exports without any notice.
    """
    if fmt not in FORMATS:
        format_of(f"x.{fmt}")
    if fmt == "json":
        return report.model_dump_json(indent=2).encode("utf-8")
    errors = error_findings(report)
    if errors and not force:
        raise ExportBlocked(errors)
    return _writer(fmt)(layout.document(report, errors=len(errors)))


def export_file(report: Report, path: str | Path, *, force: bool = False) -> Path:
    """Write the export to ``path`` (format from the extension); returns the path written.

    The file is written whole or not at all: an existing file at ``path`` stays as it was if
    anything fails (the bytes go to a temporary file in the same folder, then replace it).
    """
    target = Path(path)
    fmt = format_of(target)
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"无法写入“{target}”：文件夹“{folder}”不存在。")
    if target.is_dir():
        raise OutputError(f"无法写入“{target}”：这是一个文件夹，请指定文件名。")
    data = export_bytes(report, fmt, force=force)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        tmp.chmod(mode)
        os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise OutputError(
            f"无法写入“{target}”：{e.strerror or e}。请检查文件是否正被其他程序（如 Word）打开，以及是否有写入权限。"
        ) from None
    return target
