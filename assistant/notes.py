"""Uploaded notes of any readable format turned into one proposal for the chat.

The note is read by the reading layer (``assistant.reading``) into a document, whatever its
format (.txt, .md, .docx, .xlsx, .csv, .pdf, .html, .doc…). Three kinds of content, three paths:

- a sheet that is an application ledger (台账: one row per application) becomes table 3 exactly
  (``assistant.ledger``);
- grids and printed tables that are pieces of tables 二/三/四 (a summary sheet laid out like table
  三, a Markdown or Word table) are read by their labels like a report's tables
  (``assistant.importing.fragments``), one change per cell they print;
- the rest is running text: notes are data, never instructions, and go through the same engines
  as chat messages, in chunks of whole paragraphs.

The proposals are merged into one. A cell given two different values is asked about, not chosen;
a change that would leave the draft as it is is not proposed; a year is never a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.changes import Change
from assistant.engines.base import Engine, Proposal, report_of
from assistant.errors import InputError
from assistant.importing.fragments import Fragments, describe, read_fragments, without_noops
from assistant.ledger import ledger_proposal, ledger_sheet
from assistant.reading import Block, Document, Grid, Line, read
from assistant.reading.limits import LIMITS, too_large

if TYPE_CHECKING:
    from assistant.editing import Draft
    from assistant.model import Report

CHUNK_CHARS = 1200
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")


@dataclass
class Notes:
    """A note file as the reading layer read it."""

    name: str
    kind: str  # the format read: "text", "markdown", "docx", "xlsx", "csv", "pdf", …
    document: Document

    @cached_property
    def text(self) -> str:
        """The whole text, tables flattened into it (what evidence is quoted from)."""
        return blocks_text(self.document.blocks)


def read_notes(source: str | Path | bytes, filename: str | None = None) -> Notes:
    """A note file (a path, or bytes with their file name). Bad input: a Chinese InputError."""
    if isinstance(source, bytes):
        data, name = source, filename or "笔记"
    else:
        path = Path(source)
        name = filename or path.name
        if not path.is_file():
            raise InputError(f"找不到笔记文件“{path}”。")
        if path.stat().st_size > LIMITS.bytes:
            raise too_large(name, path.stat().st_size)
        data = path.read_bytes()
    if not data.strip():
        raise InputError(f"笔记文件“{name}”是空的。")
    doc = read(data, name)
    return Notes(name, doc.format, doc)


def blocks_text(blocks: list[Block]) -> str:
    """Blocks as text, one paragraph per line; a grid as one paragraph ("予以公开 15件；部分公开 3件")."""
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Line):
            lines.extend(part for part in b.text.split("\n") if part.strip())
        else:
            lines.append(grid_text(b))
    return "\n".join(line for line in lines if line.strip())


def grid_text(grid: Grid) -> str:
    """A table as one paragraph: a row's cells joined by spaces, rows by "；" (merged cells once)."""
    rows: list[str] = []
    for r, row in enumerate(grid.slots):
        cells: list[str] = []
        for c, s in enumerate(row):
            if s is None or not s.text.strip() or ((s.row, s.col) != (r, c) and s.row != r):
                continue
            text = " ".join(s.text.split())
            if not cells or cells[-1] != text:
                cells.append(text)
        if cells:
            rows.append(" ".join(cells))
    return "；".join(rows)


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
    """One proposal from a note file: a ledger becomes table 3; tables are read by their labels;
    running text goes through ``engine``. Changes that change nothing in ``draft`` are left out."""
    notes = source if isinstance(source, Notes) else read_notes(source, filename)
    report = report_of(draft)
    sheet = ledger_sheet(notes.document, notes.name)
    if sheet is not None:
        proposal = ledger_proposal(sheet, year or report.meta.year, name=notes.name)
        proposal.notices[:0] = notes.document.notes
        return without_noops(proposal, report)
    tables = read_fragments(notes.document.blocks)
    prose = blocks_text(tables.rest)
    years = note_years(notes.text, report.meta.year)
    parts = [without_years(engine.propose(chunk, report, kind="notes"), years) for chunk in chunks(prose)]
    proposal = merge([tables_proposal(tables, notes.name), *parts], notes.name)
    proposal.notices[:0] = [*notes.document.notes, *tables.notes]
    return without_noops(proposal, report)


def tables_proposal(tables: Fragments, name: str) -> Proposal:
    return Proposal(changes=tables.changes, questions=tables.questions, engine="tables", reply=(
        f"从“{name}”的表格中读出{describe(tables.changes)}。" if tables.changes else ""))


def merge(parts: list[Proposal], name: str = "笔记") -> Proposal:
    """Proposals of one note as one: a cell given two different values is asked about, not chosen.

    Material (``material.*``: statements with no cell, one a line) is not a value that parts can
    disagree on: every part's statements are kept, in order, each once.
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
            from assistant.cells import label_of

            quotes = "”和“".join(c.evidence for c in said[:3])
            questions.append(f"笔记中“{quotes}”说法不一，“{label_of(cell)}”应填多少？")
    for p in parts:
        questions += [q for q in p.questions if q not in questions]
    notices = list(dict.fromkeys(n for p in parts for n in p.notices))
    prompt = next((p.prompt for p in parts if p.prompt), None)
    engines = [p.engine for p in parts if p.changes or p.questions] or [parts[-1].engine]
    engine = next((e for e in engines if e.startswith("openai:")), engines[0])
    numbers = [c for c in changes if not c.cell.startswith("material.")]
    from_tables = sum(1 for c in numbers if any(c in p.changes for p in parts if p.engine == "tables"))
    if numbers:
        reply = f"从“{name}”中识别到{len(numbers)}项数字"
        if from_tables:
            reply += f"（其中{from_tables}项来自表格）"
        reply += "，请逐项核对后应用。"
    else:
        reply = f"没有从“{name}”中识别出可以填写的数字。"
    if len(numbers) < len(changes):
        reply += "没有对应单元格的文字（如主动公开条数、存在的问题）已记为起草素材。"
    return Proposal(changes=changes, reply=reply, questions=questions, engine=engine, prompt=prompt, notices=notices)


_YEAR_WORD = re.compile(r"((?:19|20)\d\d)\s*(?:年|年度)")


def note_years(text: str, year: int | None) -> set[int]:
    """The years a note speaks of: every "2025年" it writes, and the draft's year and its neighbours."""
    years = {int(m.group(1)) for m in _YEAR_WORD.finditer(text)}
    if year:
        years |= {year - 1, year, year + 1}
    return years


def without_years(proposal: Proposal, years: set[int]) -> Proposal:
    """Counts that are a year of the note ("行政复议 2025", a title's year) left out, with what was asked of them.

    A year is taken for a count when a heading or a table header puts it beside a label; the note's
    own years (``note_years``) are never counts unless a unit says so ("2025件").
    """
    bad: set[str] = set()
    kept: list[Change] = []
    for c in proposal.changes:
        value = c.value
        if (
            isinstance(value, int)
            and value in years
            and not re.search(rf"{value}\s*(?:件|个|项|次|条|人|家|起|宗)", c.evidence)
        ):
            bad.add(str(value))
            continue
        kept.append(c)
    if not bad:
        return proposal
    questions = [q for q in proposal.questions if not any(f"{y}件" in q or f"{y}个" in q for y in bad)]
    return proposal.model_copy(update={"changes": kept, "questions": questions})


def _material(cell: str, said: list[Change]) -> Change:
    """Every part's statements for one section, each once (each part repeats what the draft held)."""
    lines = dict.fromkeys(line for c in said for line in str(c.value).splitlines() if line.strip())
    return Change(cell=cell, value="\n".join(lines), evidence=said[0].evidence)


__all__ = [
    "CHUNK_CHARS",
    "Notes",
    "blocks_text",
    "chunks",
    "grid_text",
    "merge",
    "note_years",
    "propose_from_notes",
    "read_notes",
    "without_noops",
    "without_years",
]
