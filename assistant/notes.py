"""Uploaded notes (.txt, .md, .docx, .xlsx, .csv) read to text and put through the chat engine.

Notes are data, never instructions: they go through the same engines as chat messages, in
chunks of whole paragraphs, and the chunk proposals are merged into one. A spreadsheet that is
an application ledger (台账: one row per application) is not read as prose: it becomes table 3
exactly, through ``assistant.ledger``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.changes import Change
from assistant.engines.base import Engine, Proposal, report_of
from assistant.errors import EncryptedFile, FileTooLarge, InputError, UnsupportedFormat

if TYPE_CHECKING:
    from assistant.editing import Draft
    from assistant.model import Report

NOTE_SUFFIXES = (".txt", ".md", ".docx", ".xlsx", ".csv")
MAX_NOTES_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a .docx/.xlsx that inflates beyond this is refused
CHUNK_CHARS = 1200
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")


@dataclass
class Notes:
    """A note file as text; ``rows`` keeps a spreadsheet's cells for the ledger reader."""

    name: str
    kind: str  # the suffix without the dot
    text: str
    rows: list[list[Any]] = field(default_factory=list)
    data: bytes = b""


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def read_notes(source: str | Path | bytes, filename: str | None = None) -> Notes:
    """A note file (path, or bytes with their file name) as text. Bad input: a Chinese InputError."""
    if isinstance(source, bytes):
        data, name = source, filename or "笔记"
    else:
        path = Path(source)
        name = filename or path.name
        if not path.is_file():
            raise InputError(f"找不到笔记文件“{path}”。")
        if path.stat().st_size > MAX_NOTES_BYTES:
            raise FileTooLarge(f"笔记文件“{name}”超过{MAX_NOTES_BYTES // 1024 // 1024}MB，请拆分后再上传。")
        data = path.read_bytes()
    suffix = _suffix(name)
    if suffix not in NOTE_SUFFIXES:
        raise UnsupportedFormat(
            f"暂不支持读取“{suffix or name}”格式的笔记，请上传 .txt、.md、.docx、.xlsx 或 .csv 文件。"
        )
    if len(data) > MAX_NOTES_BYTES:
        raise FileTooLarge(f"笔记文件“{name}”超过{MAX_NOTES_BYTES // 1024 // 1024}MB，请拆分后再上传。")
    if not data.strip():
        raise InputError(f"笔记文件“{name}”是空的。")
    kind = suffix.lstrip(".")
    if kind in ("txt", "md"):
        return Notes(name, kind, decode_text(data, name), data=data)
    if kind == "csv":
        rows = csv_rows(data, name)
        return Notes(name, kind, rows_text(rows), rows, data)
    _check_zip(data, name)
    if kind == "docx":
        return Notes(name, kind, _docx_text(data, name), data=data)
    rows = xlsx_rows(data, name)
    return Notes(name, kind, rows_text(rows), rows, data)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (GBK), else whatever charset-normalizer finds."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"无法识别文件“{name}”的文字编码，请另存为 UTF-8 编码的文本后重新上传。")
    return str(best)


def csv_rows(data: bytes, name: str) -> list[list[Any]]:
    text = decode_text(data, name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _check_zip(data: bytes, name: str) -> None:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise EncryptedFile(f"“{name}”已加密或是旧版 Office 文件，请另存为未加密的 .docx/.xlsx 后重新上传。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(info.file_size for info in z.infolist())
    except zipfile.BadZipFile:
        raise InputError(f"“{name}”不是有效的 Office 文件（文件可能已损坏），请重新保存后上传。") from None
    if total > MAX_UNZIPPED_BYTES:
        raise FileTooLarge(f"“{name}”解压后过大，无法读取。")


def _docx_text(data: bytes, name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise InputError(f"无法读取 Word 文件“{name}”，文件可能已损坏，请重新保存后上传。") from None
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():  # paragraphs and tables in document order
        if isinstance(block, Table):
            lines.append(_table_line(block))
        else:
            lines.append(block.text)
    return "\n".join(line for line in lines if line.strip())


def _table_line(table: Any) -> str:
    """A table as one paragraph ("予以公开 15件；部分公开 3件"): a heading cell stays its rows' topic."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = cell.text.strip()
            if text and (not cells or cells[-1] != text):  # merged cells repeat
                cells.append(text)
        if cells:
            rows.append(" ".join(cells))
    return "；".join(rows)


def xlsx_rows(data: bytes, name: str) -> list[list[Any]]:
    """The first worksheet's values, merged ranges filled from their top-left cell."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:
        raise InputError(f"无法读取 Excel 文件“{name}”，文件可能已损坏，请重新保存后上传。") from None
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(rows) and c - 1 < len(rows[r - 1]):
                    rows[r - 1][c - 1] = value
    return rows


def rows_text(rows: list[list[Any]]) -> str:
    lines = []
    for row in rows:
        cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
        if cells:
            lines.append(" ".join(dict.fromkeys(cells)))
    return "\n".join(lines)


def chunks(text: str, max_chars: int = CHUNK_CHARS) -> list[str]:
    """Whole paragraphs grouped up to ``max_chars``; a longer paragraph is cut between sentences."""
    out: list[str] = []
    current = ""
    for para in (p.strip() for p in text.splitlines()):
        if not para:
            continue
        pieces = [para] if len(para) <= max_chars else _split_long(para, max_chars)
        for piece in pieces:
            if current and len(current) + len(piece) + 1 > max_chars:
                out.append(current)
                current = ""
            current = f"{current}\n{piece}" if current else piece
    if current:
        out.append(current)
    return out


def _split_long(para: str, max_chars: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE.split(para):
        while len(sentence) > max_chars:  # one endless sentence: cut it hard
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if current and len(current) + len(sentence) > max_chars:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def propose_from_notes(
    engine: Engine,
    source: str | Path | bytes | Notes,
    filename: str | None = None,
    draft: Report | Draft | None = None,
    *,
    year: int | None = None,
) -> Proposal:
    """One proposal from a note file: a ledger becomes table 3; prose goes through ``engine``."""
    notes = source if isinstance(source, Notes) else read_notes(source, filename)
    report = report_of(draft)
    if notes.kind in ("xlsx", "csv"):
        from assistant.ledger import ledger_proposal, looks_like_ledger

        if looks_like_ledger(notes.rows):
            return ledger_proposal(notes.rows, year or report.meta.year, name=notes.name)
    parts = [engine.propose(chunk, report, kind="notes") for chunk in chunks(notes.text)]
    return merge(parts, notes.name)


def merge(parts: list[Proposal], name: str = "笔记") -> Proposal:
    """Chunk proposals as one: a cell given two different values is asked about, not chosen.

    Material (``material.*``: statements with no cell, one a line) is not a value that chunks can
    disagree on: every chunk's statements are kept, in order, each once.
    """
    if not parts:
        return Proposal(reply=f"没有从“{name}”中读出文字。", engine="offline")
    values: dict[str, list[Change]] = {}
    for p in parts:
        for c in p.changes:
            values.setdefault(c.cell, []).append(c)
    changes: list[Change] = []
    questions: list[str] = []
    for cell, said in values.items():
        distinct = {str(c.value) for c in said}
        if cell.startswith("material."):
            changes.append(_material(cell, said))
        elif len(distinct) == 1:
            changes.append(said[0])
        else:
            quotes = "”和“".join(c.evidence for c in said[:3])
            questions.append(f"笔记中“{quotes}”说法不一，“{cell}”应填多少？")
    for p in parts:
        questions += [q for q in p.questions if q not in questions]
    notices = list(dict.fromkeys(n for p in parts for n in p.notices))
    prompt = next((p.prompt for p in parts if p.prompt), None)
    engine = next((p.engine for p in parts if p.engine != "offline"), parts[0].engine)
    numbers = [c for c in changes if not c.cell.startswith("material.")]
    if numbers:
        reply = f"从“{name}”中识别到{len(numbers)}项数字，请逐项核对后应用。"
    else:
        reply = f"没有从“{name}”中识别出可以填写的数字。"
    if len(numbers) < len(changes):
        reply += "没有对应单元格的文字（如主动公开条数、存在的问题）已记为起草素材。"
    return Proposal(changes=changes, reply=reply, questions=questions, engine=engine, prompt=prompt, notices=notices)


def _material(cell: str, said: list[Change]) -> Change:
    """Every chunk's statements for one section, each once (each chunk repeats what the draft held)."""
    lines = dict.fromkeys(line for c in said for line in str(c.value).splitlines() if line.strip())
    return Change(cell=cell, value="\n".join(lines), evidence=said[0].evidence)


__all__ = [
    "NOTE_SUFFIXES",
    "Notes",
    "chunks",
    "decode_text",
    "merge",
    "propose_from_notes",
    "read_notes",
]
