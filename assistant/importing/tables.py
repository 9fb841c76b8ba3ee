"""Tables 2, 3 and 4 read from grids or from printed lines, rows found by their words.

Two ways of reading each table:
- from **grids** (docx, html, pdf ruling lines, text flattened one cell per line): each row's label
  cells name the row, the header cells name the columns;
- from **printed lines** (pdf text, text extracted from a pdf): the labels are searched in the
  stream of words in table order, the runs of numbers are paired with them. This survives
  vertical labels written into the lines, labels wrapped around their numbers and numbers
  printed before their labels.
When both are possible, or a layout admits several pairings, the table's own arithmetic
(T3-PROCESSED-SUM, T3-BALANCE, row totals) chooses: a parse that breaks it where another does
not is the wrong parse. The report's own errors are never corrected: values are read as printed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from assistant import cells as reg
from assistant.cells import CELLS, T2_LAYOUT, T3_APPLICANT_COLUMNS, T3_COLUMNS, T3_RESULT_ROWS, T3_ROWS, Kind
from assistant.labels import (
    T2_COLUMNS_2019,
    Match,
    is_value_text,
    match_t2_column,
    match_t2_item,
    match_t3,
    match_t3_column,
    match_t3_column_words,
    match_t3_phrase,
    match_t4_column,
    match_t4_group,
    split_cell_note,
    squash,
    t2_columns_in,
)
from assistant.numbers import Value, parse_cell_text
from assistant.reading.document import Grid, Line, Slot

T3_COLUMN_IDS: tuple[str, ...] = tuple(c.id for c in T3_COLUMNS)
T3_ROW_IDS: tuple[str, ...] = tuple(r.id for r in T3_ROWS)
T4_ORDER: tuple[tuple[str, str], ...] = tuple((g.id, c.id) for g in reg.T4_GROUPS for c in reg.T4_COLUMNS)
SINGLE_OTHER_ZERO = ("other.no_correction", "other.unpaid_fee")
# Relations of table 3: (七)总计 and the balance per column, the total per row.
T3_RELATIONS = 2 * len(T3_COLUMN_IDS) + len(T3_ROW_IDS)

@dataclass
class CellRead:
    """One cell as found in the source."""

    raw: str
    where: str
    value: Value | None = None  # None: the text is not a valid value (rule CELL-VALUE)
    blank: bool = False
    implied: bool = False  # not printed: set by the reader (2019 single-row （六）)
    note: str = ""  # what the cell says beside its number ("（含自然失效29件）"), kept for the clerk
    slot: Slot | None = None  # the grid slot it was read from (a scan's carries confidence and picture)


@dataclass
class TableRead:
    """What was read of one table, and what the clerk should know about it."""

    cells: dict[str, CellRead] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    template_notes: list[str] = field(default_factory=list)
    old_form: bool = False  # a 2019-edition layout was seen
    ambiguous: bool = False  # several pairings of labels and numbers were possible
    # Where the cells were read from: (id(grid), row) of grid rows, (id(line), -1) of printed lines.
    used: set[tuple[int, int]] = field(default_factory=set)

    def put(self, cell_id: str, raw: str, where: str, slot: Slot | None = None) -> None:
        if cell_id in self.cells:
            return
        number, note = split_cell_note(raw)
        parsed = parse_cell_text(number, CELLS[cell_id].kind)
        value = parsed.value
        if value is not None and CELLS[cell_id].kind is Kind.COUNT and (not isinstance(value, int) or value < 0):
            value = None
        if value is not None and not isinstance(value, int) and value < 0:
            value = None
        self.cells[cell_id] = CellRead(raw.strip(), where, value, parsed.blank, note=note, slot=slot)
        if note and value is not None:
            self.notes.append(
                f"“{reg.label_of(cell_id)}”一格写的是“{raw.strip()}”：已读取数字{number.strip()}，"
                f"其中的说明“{note}”未计入，请核对。"
            )

    def values(self) -> dict[str, Value]:
        return {cid: c.value for cid, c in self.cells.items() if c.value is not None}


def _col_label(col: str) -> str:
    return reg.T3_COLUMN[col].label


def _t3_where(where: str, row: str, col: str) -> str:
    return f"{where} 表三“{reg.t3_row_label(row, with_group=False)}”行 {_col_label(col)}列"


# --------------------------------------------------------------------------------------------
# Arithmetic used to judge a parse


def t3_consistency(values: dict[str, Value]) -> int:
    """How many of table 3's own relations a set of values satisfies (unknowns count for nothing)."""
    score = 0
    for col in T3_COLUMN_IDS:
        parts = [values.get(f"t3.{r}.{col}") for r in T3_RESULT_ROWS]
        total = values.get(f"t3.processed_total.{col}")
        if total is not None and all(p is not None for p in parts):
            score += sum(parts) == total  # type: ignore[arg-type]
        four = [values.get(f"t3.{r}.{col}") for r in ("new", "carried_over", "processed_total", "carried_forward")]
        if all(v is not None for v in four):
            a, b, c, d = four
            score += a + b == c + d  # type: ignore[operator]
    for row in T3_ROW_IDS:
        parts = [values.get(f"t3.{row}.{c}") for c in T3_APPLICANT_COLUMNS]
        total = values.get(f"t3.{row}.total")
        if total is not None and all(p is not None for p in parts):
            score += sum(parts) == total  # type: ignore[arg-type]
    return score


def better(a: TableRead | None, b: TableRead | None, score: bool = True) -> TableRead | None:
    """The more complete read, then the one the arithmetic agrees with more; ``a`` on a tie."""
    if a is None or not a.cells:
        return b if b is not None and b.cells else a
    if b is None or not b.cells:
        return a
    ka, kb = len(a.values()), len(b.values())
    if ka != kb:
        return a if ka > kb else b
    if score and t3_consistency(b.values()) > t3_consistency(a.values()):
        return b
    return a


# --------------------------------------------------------------------------------------------
# Grid rows


@dataclass(frozen=True)
class Row:
    """One grid row split into its label texts and its value positions."""

    labels: tuple[str, ...]
    values: tuple[tuple[int, str], ...]  # (grid column, text); text "" for an empty cell
    where: str


def _distinct(row: Sequence[Slot | None]) -> list[tuple[int, Slot]]:
    seen: set[tuple[int, int]] = set()
    out = []
    for c, slot in enumerate(row):
        if slot is None or (slot.row, slot.col) in seen:
            continue
        seen.add((slot.row, slot.col))
        out.append((c, slot))
    return out


def split_row(grid: Grid, r: int, value_cols: set[int] | None = None) -> Row:
    """Label texts and values of grid row ``r``.

    With known value columns (a table-3 header was found), values are read at those columns
    only, and only where a cell starts (a cell merged down from the row above is not a value of
    this row). Otherwise the values are the cells after the last label cell.
    """
    row = grid.slots[r]
    where = grid.at(r)
    if value_cols is not None:
        labels = tuple(
            s.text for c, s in _distinct(row) if c not in value_cols and s.text.strip() and not is_value_text(s.text)
        )
        at_columns: list[tuple[int, str]] = []
        for c in sorted(value_cols):
            slot = row[c] if c < len(row) else None
            if slot is None or slot.row != r or slot.col != c:
                continue
            at_columns.append((c, slot.text))
        return Row(labels, tuple(at_columns), where)
    cells = _distinct(row)
    last_label = -1
    for i, (_c, s) in enumerate(cells):
        if s.text.strip() and not is_value_text(s.text):
            last_label = i
    labels = tuple(s.text for _c, s in cells[: last_label + 1] if s.text.strip())
    values = tuple(
        (c, s.text)
        for c, s in cells[last_label + 1 :]
        if not grid.columns_known or (s.row == r and s.col == c)
    )
    return Row(labels, values, where)


def _slot_at(grid: Grid, r: int, c: int) -> Slot | None:
    """The slot at a grid position (carried with the value: a scan's slot has its confidence and picture)."""
    row = grid.slots[r] if r < len(grid.slots) else []
    return row[c] if c < len(row) else None


def _hits(row: Sequence[Slot | None], match: Callable[[str], str | None]) -> dict[int, str]:
    """Grid column → what ``match`` recognises in that column's cell, for the cells it recognises."""
    out: dict[int, str] = {}
    for c, s in enumerate(row):
        if s is not None and s.text.strip():
            hit = match(s.text)
            if hit:
                out[c] = hit
    return out


def _t3_header(grid: Grid, min_columns: int = 5) -> tuple[dict[int, str], set[int]]:
    """Column → applicant column id from the header rows, and which rows are header rows.

    A note's header (``min_columns`` below 5) may name columns in a clerk's words ("个人", "律所")."""
    if not grid.columns_known:
        return {}, set()
    match = match_t3_column if min_columns >= 5 else match_t3_column_words
    found: dict[int, tuple[int, str]] = {}
    header_rows: set[int] = set()
    for r, row in enumerate(grid.slots[:8]):
        hits = _hits(row, match)
        if len(set(hits.values())) < 2:
            continue
        header_rows.add(r)
        for c, h in hits.items():
            found[c] = (r, h)  # a lower header row is more specific ("商业企业" under "法人或其他组织")
    colmap = {c: h for c, (_r, h) in found.items()}
    if len(set(colmap.values())) < min_columns:
        return {}, set()
    return colmap, header_rows


def _match_pieces(text: str) -> Match | None:
    """A row named inside a longer cell ("（三）不予公开 1.属于国家秘密"), rightmost piece first."""
    pieces = [p for p in re.split(r"\s+", text.strip()) if len(p) >= 2]
    if len(pieces) < 2:
        return None
    for piece in reversed(pieces):
        m = match_t3(piece)
        if m is not None and not m.group:
            return m
    return None


def _t3_row_id(labels: Sequence[str]) -> tuple[str | None, bool]:
    """The table-3 row named by a row's label cells; True when it is the 2019 single （六） row."""
    for text in reversed(labels):
        m = match_t3(text) or _match_pieces(text)
        if m is None:
            continue
        if not m.group:
            return m.id, False
        if m.id == "other":
            return "other.other", True
        if m.id != "results":
            return None, False
    if len(labels) > 1:
        m = match_t3("".join(labels))
        if m is not None and not m.group:
            return m.id, False
    return None, False


def t3_from_grids(grids: Sequence[Grid], *, min_columns: int = 5) -> TableRead | None:
    """Table 3 from grids; a header must name ``min_columns`` applicant columns (a note's summary
    sheet may show only some of them)."""
    read = TableRead()
    colmap: dict[int, str] = {}
    width = -1
    single_where = None
    seen_rows: set[str] = set()
    for grid in grids:
        own, header_rows = _t3_header(grid, min_columns)
        if own:
            colmap, width = own, grid.width
        elif not (colmap and grid.width == width and grid.columns_known):
            colmap = {}
        taken: set[int] = set()
        for r in range(len(grid.slots)):
            if r in header_rows or r in taken:
                continue
            row = split_row(grid, r, set(colmap) if colmap else None)
            if not row.labels or not row.values:
                continue
            if not colmap and len({match_t3_column(t) for t in row.labels} - {None}) >= 2:
                continue  # a header row of flattened text ("自然人", "法人或其他组织", "总计")
            if colmap and not any(t.strip() for _c, t in row.values):
                below = _numbers_below(grid, r, colmap)
                if below is not None:  # a converter put the numbers on a row of their own
                    row = Row(row.labels, below.values, row.where)
                    taken.add(r + 1)
                elif r + 1 < len(grid.slots) and split_row(grid, r + 1, set(colmap)).labels:
                    m = match_t3(row.labels[-1])
                    if m is not None and m.group:
                        continue  # a group's own line ("（六）其他处理"), its rows follow
            row_id, single = _t3_row_id(row.labels)
            if row_id is None and colmap and row.labels:
                row_id = match_t3_phrase(row.labels[-1])  # under a table-3 header: a clerk's words will do
            if row_id is None:
                continue
            if row_id in seen_rows:
                read.notes.append(f"表三“{reg.t3_row_label(row_id)}”行出现了不止一次（{row.where}），已按第一次读取。")
                continue
            if colmap:
                read.used.add((id(grid), r))
                seen_rows.add(row_id)
                single_where = row.where if single else single_where
                by_col = {colmap[c]: (text, c) for c, text in row.values}
                for col in T3_COLUMN_IDS:
                    if col in by_col:
                        text, c = by_col[col]
                        read.put(f"t3.{row_id}.{col}", text, _t3_where(row.where, row_id, col), _slot_at(grid, r, c))
                continue
            texts = [t for _c, t in row.values]
            at = [c for c, _t in row.values]
            if len(texts) > len(T3_COLUMN_IDS):
                texts = texts[-len(T3_COLUMN_IDS) :]
                at = at[-len(T3_COLUMN_IDS) :]
            if len(texts) < len(T3_COLUMN_IDS):
                read.notes.append(
                    f"表三“{reg.t3_row_label(row_id)}”行只有{len(texts)}个数（{row.where}），无法确定所属栏目，未读取。"
                )
                continue
            read.used.add((id(grid), r))
            seen_rows.add(row_id)
            single_where = row.where if single else single_where
            for col, text, c in zip(T3_COLUMN_IDS, texts, at, strict=True):
                read.put(f"t3.{row_id}.{col}", text, _t3_where(row.where, row_id, col), _slot_at(grid, r, c))
    if not read.cells:
        return None
    if single_where is not None:
        _single_other(read, single_where)
    return read


def _numbers_below(grid: Grid, r: int, colmap: dict[int, str]) -> Row | None:
    """The next row, when it holds only numbers at the value columns (no label of its own)."""
    if r + 1 >= len(grid.slots):
        return None
    below = split_row(grid, r + 1, set(colmap))
    if below.labels or not any(t.strip() for _c, t in below.values):
        return None
    return below


def _single_other(read: TableRead, where: str) -> None:
    """The 2019 form's single （六）其他处理 row: read into “其他”, the two new sub-rows are 0."""
    read.old_form = True
    for row in SINGLE_OTHER_ZERO:
        for col in T3_COLUMN_IDS:
            cid = f"t3.{row}.{col}"
            if cid not in read.cells:
                read.cells[cid] = CellRead("", f"{where}（原表无此分项，按0计）", 0, implied=True)
    group = reg.T3_GROUP["other"].printed
    zero = "和".join(f"“{reg.T3_ROW[r].printed}”" for r in SINGLE_OTHER_ZERO)
    read.template_notes.append(f"表三“{group}”为2019年版的单行，未按2021年版分为{len(SINGLE_OTHER_ZERO) + 1}项")
    read.notes.append(
        f"表三“{group}”只有一行（2019年版格式）：其数字已计入“{reg.T3_ROW['other.other'].printed}”，"
        f"{zero}两项按0计，请核对。"
    )


# --------------------------------------------------------------------------------------------
# Printed lines (text layer of a pdf, text extracted from one)


@dataclass(frozen=True)
class Tokens:
    """A printed line split into its words and its trailing run of numbers."""

    label: str
    values: tuple[str, ...]
    line: Line
    leading: tuple[str, ...] = ()  # numbers printed before the label on the same line


_NOTE_APART = re.compile(r"(\d)\s+(?=[（(](?:其中|含|包括|包含|注)[^）)]*[）)])")  # "22 （其中修订16件）"
_GLUED_TAIL = re.compile(r"(?<=[\u4e00-\u9fff）)”])(\d[\d,]*)$")


def tokenize(line: Line, width: int | None = None) -> Tokens:
    """Split off the run of numbers at the end of a line (all of them, or the last ``width``);
    a line without one may print its numbers first ("1 0 0 0 0 0 1 1.属于国家秘密"). Numbers run
    onto the label ("申请数量21710000218", text saved from a web page) are split from it."""
    text = _NOTE_APART.sub(r"\1", nfkc_digits(line.text))
    parts = _GLUED_TAIL.sub(r" \1", text).split()
    i = len(parts)
    while i > 0 and is_value_text(parts[i - 1]) and parts[i - 1].strip():
        i -= 1
    values = parts[i:]
    if width is not None and len(values) > width:
        i += len(values) - width
        values = parts[i:]
    j = 0
    if not values:
        while j < len(parts) and is_value_text(parts[j]) and parts[j].strip():
            j += 1
        if width is not None and j != width:
            j = 0
    return Tokens(" ".join(parts[j:i]), tuple(values), line, tuple(parts[:j]))


def nfkc_digits(text: str) -> str:
    """Full-width digits as ASCII digits (the rest of the text as written)."""
    return text.translate(_FULL_DIGITS)


_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def unglue(digits: str, width: int, totals: Sequence[int]) -> list[tuple[str, ...]]:
    """Every way to cut a run of digits into ``width`` numbers (no leading zeros) such that each
    number at a position in ``totals`` is the sum of those since the previous total: "21710000218"
    in 7 with the 7th a total has one way, 217 1 0 0 0 0 218. Two or more ways: the caller must not
    choose. A text saved from a web page runs a row's cells together like this."""
    if not digits.isdigit() or len(digits) < width or len(digits) > 4 * width + 4:
        return []
    ends = set(totals)
    found: list[tuple[str, ...]] = []

    def walk(pos: int, parts: list[str], since: int, longest: int) -> None:
        if len(found) > 1:
            return
        k = len(parts)
        if k == width:
            if pos == len(digits):
                found.append(tuple(parts))
            return
        left = width - k - 1
        if k in ends:  # the total is the sum so far: its digits are known
            piece = str(since)
            if digits.startswith(piece, pos) and len(digits) - pos - len(piece) >= left:
                walk(pos + len(piece), [*parts, piece], 0, 0)
            return
        for end in range(pos + 1, len(digits) - left + 1):
            piece = digits[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            # A later total is at least as long as its longest part.
            if ends and len(digits) - end < left + max(longest, len(piece)) - 1:
                break
            walk(end, [*parts, piece], since + int(piece), max(longest, len(piece)))

    walk(0, [], 0, 0)
    return found


@dataclass(frozen=True)
class _Found:
    row: str
    start: int
    end: int


def _row_keys(row: reg.Axis) -> list[str]:
    keys = [squash(row.label), *(squash(a) for a in row.aliases)]
    return [k for k in dict.fromkeys(keys) if k]


def _search_row(stream: str, row: reg.Axis, start: int) -> _Found | None:
    """The first place from ``start`` where the row's label begins in the stream of words."""
    best: _Found | None = None
    for k in _row_keys(row):
        # Long labels may be cut by a vertical label written into them: their beginning is enough.
        probe = k if len(k) <= 8 else k[:8]
        pos = stream.find(probe, start)
        if pos < 0:
            continue
        if len(k) <= 4 and row.id == "other.other":
            # "其他" is also the start of "其他法律…" and "其他处理": only a whole "其他" counts.
            while pos >= 0 and stream.startswith("其他法律", pos):
                pos = stream.find(probe, pos + 1)
            if pos < 0:
                continue
        end = pos + len(k) if stream.startswith(k, pos) else pos + len(probe)
        if best is None or pos < best.start:
            best = _Found(row.id, pos, end)
    return best


def t3_from_lines(lines: Sequence[Line]) -> TableRead | None:
    """Table 3 from printed lines: labels searched in table order, runs of 7 numbers paired with them."""
    width = len(T3_COLUMN_IDS)
    stream = ""
    runs: list[tuple[int, tuple[str, ...], Line]] = []
    line_at: list[tuple[int, Line]] = []
    said: list[str] = []
    for line in lines:
        tok = tokenize(line, width)
        line_at.append((len(stream), line))
        if tok.leading:
            runs.append((len(stream), tok.leading, line))
        stream += squash(tok.label)
        values = tok.values if len(tok.values) == width else _unglued(tok, width, (width - 1,), said)
        if values:
            runs.append((len(stream), values, line))
    found: list[_Found] = []
    cursor = 0
    for row in T3_ROWS:
        hit = _search_row(stream, row, cursor)
        if hit is None:
            continue
        found.append(hit)
        cursor = hit.end
    if not found or not runs:
        return None
    single = _is_single_other(stream, found)
    candidates = list(_pairings(found, runs))
    read: TableRead | None = None
    best_key: tuple[int, int, int] | None = None
    for pairs in candidates:
        cand = TableRead()
        for hit, (_pos, values, line) in pairs:
            row_where = _line_where(line_at, hit.start) or line.where
            cand.used |= {(id(ln), -1) for ln in [line, *_lines_between(line_at, hit.start, hit.end)]}
            for col, text in zip(T3_COLUMN_IDS, values, strict=True):
                cand.put(f"t3.{hit.row}.{col}", text, _t3_where(row_where, hit.row, col))
        k = (len(cand.values()), t3_consistency(cand.values()), -_distance(pairs))
        if best_key is None or k > best_key:
            read, best_key = cand, k
    if read is None or not read.cells:
        return None
    read.notes.extend(said)
    if len(candidates) > 1:
        read.ambiguous = True
        read.notes.append(
            f"表三找到{len(found)}个行标签、{len(runs)}组数字，个数不一致，"
            "已按表内勾稽关系选定各组数字所属的行，请核对。"
        )
    if single:
        other = next(h for h in found if h.row == "other.other")
        _single_other(read, _line_where(line_at, other.start))
    return read


def _line_where(line_at: list[tuple[int, Line]], pos: int) -> str:
    where = ""
    for start, line in line_at:
        if start > pos:
            break
        where = line.where
    return where


def _unglued(tok: Tokens, width: int, totals: tuple[int, ...], said: list[str]) -> tuple[str, ...] | None:
    """A line's one run of digits cut into ``width`` numbers where the totals allow exactly one cut."""
    if len(tok.values) != 1 or not tok.label:
        return None
    digits = tok.values[0].replace(",", "")
    if len(digits) <= width // 2 or not digits.isdigit():
        return None
    ways = unglue(digits, width, totals)
    where = tok.line.where
    if len(ways) == 1:
        if len(digits) > width:  # one digit per cell needs no arithmetic, and no word to the clerk
            said.append(f"{where}“{tok.label}”的数字连在一起（{digits}），已按合计拆分为{' '.join(ways[0])}，请核对。")
        return ways[0]
    if len(ways) > 1 or len(digits) >= width:
        why = "有多种拆法都符合合计" if ways else "无法拆分得与合计相符"
        said.append(f"{where}“{tok.label}”的数字连在一起（{digits}），{why}，未读取，请核对后填写。")
    return None


def _lines_between(line_at: list[tuple[int, Line]], start: int, end: int) -> list[Line]:
    """The lines that printed the stream's characters ``start:end`` (a label wrapped over lines)."""
    out = []
    for k, (pos, line) in enumerate(line_at):
        nxt = line_at[k + 1][0] if k + 1 < len(line_at) else pos + 10**9
        if pos < end and nxt > start:
            out.append(line)
    return out


def _is_single_other(stream: str, found: list[_Found]) -> bool:
    rows = {h.row for h in found}
    other = next((h for h in found if h.row == "other.other"), None)
    return (
        other is not None
        and not rows & set(SINGLE_OTHER_ZERO)
        and stream.startswith("其他处理", other.start)
    )


def _distance(pairs: Sequence[tuple[_Found, tuple[int, tuple[str, ...], Line]]]) -> int:
    return sum(abs(run[0] - hit.end) for hit, run in pairs)


def _pairings(
    found: list[_Found], runs: list[tuple[int, tuple[str, ...], Line]]
) -> Iterator[list[tuple[_Found, tuple[int, tuple[str, ...], Line]]]]:
    """Order-keeping pairings of rows and runs: one when their numbers agree, else each way of
    leaving the surplus out (at most three), for the arithmetic to choose from."""
    surplus = abs(len(found) - len(runs))
    if surplus == 0:
        yield list(zip(found, runs, strict=True))
        return
    if surplus > 3:
        yield list(zip(found, runs, strict=False))
        return
    if len(runs) > len(found):
        for drop in itertools.combinations(range(len(runs)), surplus):
            kept = [r for i, r in enumerate(runs) if i not in drop]
            yield list(zip(found, kept, strict=True))
    else:
        for drop in itertools.combinations(range(len(found)), surplus):
            kept_rows = [h for i, h in enumerate(found) if i not in drop]
            yield list(zip(kept_rows, runs, strict=True))


# --------------------------------------------------------------------------------------------
# Table 2


def _t2_where(where: str, item: str, col: str) -> str:
    return f"{where} 表二“{reg.T2_ITEM[item].label}”行 {reg.T2_COLUMN[col].label}"


def _old_columns_note(read: TableRead, item: str, header: Iterable[str]) -> None:
    olds = [h.removeprefix("2019:") for h in dict.fromkeys(header) if h.startswith("2019:")]
    clause = reg.T2_CLAUSES[item]
    text = f"表二{clause}使用2019年版栏目（{'、'.join(olds)}）"
    if text not in read.template_notes:
        read.template_notes.append(text)
        wanted = "、".join(reg.T2_COLUMN[c].label for c in T2_LAYOUT[item])
        total = T2_COLUMNS_2019[2]  # 对外公开总数量: all published, not those in force
        extra = f"（“{total}”不是“{reg.T2_COLUMN['in_force'].label}”）" if total in olds else ""
        read.notes.append(
            f"{text}，与2021年版的“{wanted}”含义不同{extra}；无法对应的单元格未填，请按2021年版口径补填。"
        )
    read.old_form = True


def _old_item_note(read: TableRead, item: str) -> None:
    name = item.removeprefix("2019:")
    text = f"表二有2019年版的“{name}”行"
    if text not in read.template_notes:
        read.template_notes.append(text)
        read.notes.append(f"{text}，2021年版已无此项，未读取。")
    read.old_form = True


def _t2_assign(
    read: TableRead,
    item: str,
    header: list[str] | None,
    values: list[tuple[str, str]],
    where: str,
    slots: Sequence[Slot | None] = (),
) -> None:
    """Values of one table-2 item row, by the header's columns (or in the template's order)."""
    layout = T2_LAYOUT[item]
    old = any(h.startswith("2019:") for h in header or ())
    if header and not old and not set(layout) & set(header):
        header = None  # the header of another item (a sub-table printed without its own header)
    if header:
        if old and any(c not in header for c in layout):
            _old_columns_note(read, item, header)
        for col in layout:
            if col in header:
                i = header.index(col)
                if i < len(values):
                    slot = slots[i] if i < len(slots) else None
                    read.put(f"t2.{item}.{col}", values[i][0], _t2_where(values[i][1], item, col), slot)
        return
    if len(values) >= len(layout):
        for i, (col, (text, w)) in enumerate(zip(layout, values, strict=False)):
            read.put(f"t2.{item}.{col}", text, _t2_where(w, item, col), slots[i] if i < len(slots) else None)
    elif values:
        read.notes.append(f"表二“{reg.T2_ITEM[item].label}”行的数字个数不对（{where}），未读取。")


def t2_from_grids(grids: Sequence[Grid]) -> TableRead | None:
    read = TableRead()
    for grid in grids:
        header: dict[int, str] | None = None
        for r, row in enumerate(grid.slots):
            hits = _hits(row, match_t2_column)
            if hits and grid.columns_known:
                header = hits
                continue
            if hits:  # flattened text: header cells come in the order of the columns
                header = dict(enumerate(dict.fromkeys(hits.values())))
                continue
            before = len(read.cells)
            _t2_row(read, grid, r, header)
            if len(read.cells) > before:
                read.used.add((id(grid), r))
    return read if read.cells or read.old_form else None


def _t2_row(read: TableRead, grid: Grid, r: int, header: dict[int, str] | None) -> None:
    parsed = split_row(grid, r)
    item = next((i for i in (_t2_item_in(t) for t in reversed(parsed.labels)) if i), None)
    if item is None:
        return
    if item.startswith("2019:"):
        _old_item_note(read, item)
        return
    if header is not None and grid.columns_known:
        cols = [header[c] for c, _t in parsed.values if c in header]
        vals = [(t, grid.at(r)) for c, t in parsed.values if c in header]
        slots = [_slot_at(grid, r, c) for c, _t in parsed.values if c in header]
        _t2_assign(read, item, cols, vals, grid.at(r), slots)
    else:
        vals = [(t, grid.at(r)) for _c, t in parsed.values]
        cols_seq = list(header.values()) if header else None
        if cols_seq and len(cols_seq) != len(vals):
            cols_seq = cols_seq[-len(vals) :] if len(cols_seq) > len(vals) else None
        _t2_assign(read, item, cols_seq, vals, grid.at(r), [_slot_at(grid, r, c) for c, _t in parsed.values])


def _t2_item_in(label: str) -> str | None:
    item = match_t2_item(label)
    if item:
        return item
    s = squash(label)
    best: tuple[int, str] | None = None
    for axis in reg.T2_ITEMS:
        for text in (axis.label, *axis.aliases):
            k = squash(text)
            if k and k in s and (best is None or len(k) > best[0]):
                best = (len(k), axis.id)
    return best[1] if best else None


def t2_from_lines(lines: Sequence[Line]) -> TableRead | None:
    read = TableRead()
    header: list[str] | None = None
    pending: tuple[str, Line] | None = None
    for line in lines:
        tok = tokenize(line)
        cols = t2_columns_in(tok.label) if tok.label else []
        if cols and not tok.values:
            header, pending = cols, None
            continue
        item = _t2_item_in(tok.label) if tok.label else None
        if item and item.startswith("2019:"):
            _old_item_note(read, item)
            pending = None
            continue
        if item and not tok.values:
            pending = (item, line)
            continue
        if not item and pending and tok.values and not tok.label:
            read.used.add((id(line), -1))
            item, line = pending[0], pending[1]
        pending = None
        if item is None or not tok.values:
            continue
        read.used.add((id(line), -1))
        vals = [(t, line.where) for t in tok.values]
        _t2_assign(read, item, header if header and len(header) == len(vals) else None, vals, line.where)
    return read if read.cells or read.old_form else None


# --------------------------------------------------------------------------------------------
# Table 4


def _t4_put(read: TableRead, group: str, col: str, text: str, where: str, slot: Slot | None = None) -> None:
    label = f"{reg.T4_GROUP[group].label}·{reg.T4_COLUMN[col].label}"
    read.put(f"t4.{group}.{col}", text, f"{where} 表四“{label}”", slot)


def t4_from_grids(grids: Sequence[Grid], captions: Mapping[int, str] | None = None) -> TableRead | None:
    """Table 4 from grids: one row of 15, a row per group, or stacked tables (行政复议 above, 行政诉讼
    below). ``captions`` maps id(grid) to the line printed just above it, which may name the group
    ("行政复议") of a grid that does not."""
    read = TableRead()
    for grid in grids:
        headers = _t4_headers(grid) if grid.columns_known else {}
        caption = t4_group_in((captions or {}).get(id(grid), ""))
        for r in range(len(grid.slots)):
            before = len(read.cells)
            _t4_row(read, grid, r, headers, caption)
            if len(read.cells) > before:
                read.used.add((id(grid), r))
    return read if read.cells else None


Header = dict[int, tuple[str | None, str | None]]  # column -> (group, outcome) named above it


def _t4_headers(grid: Grid) -> dict[int, Header]:
    """The rows of a grid that name table-4 groups or outcomes (and print no number), per column.

    A group label stands over the empty cells to its right: a merged header cell ("行政复议" over
    five columns) drawn without its merge, as Markdown and PDF converters do.
    """
    out: dict[int, Header] = {}
    for r, row in enumerate(grid.slots):
        texts = [s.text.strip() if s is not None else "" for s in row]
        if any(t and is_value_text(t) for t in texts):
            continue
        hits: Header = {}
        current: str | None = None
        for c, text in enumerate(texts):
            if text:
                current = match_t4_group(text)
                hits[c] = (current, match_t4_column(text))
            elif current is not None:
                hits[c] = (current, None)
        if any(g or k for g, k in hits.values()):
            out[r] = hits
    return out


def t4_group_in(text: str) -> str | None:
    """The one table-4 group a caption names ("（一）行政复议情况" → review), else None."""
    s = squash(text)
    if not s or len(s) > 30:
        return None
    found = {g.id for g in reg.T4_GROUPS if any(squash(k) in s for k in (g.label, *g.aliases) if squash(k))}
    if "suit_after_review" in found or "suit_direct" in found:
        found.discard("review")  # "复议后起诉" says 复议 too
    if squash(reg.T4_LITIGATION.label) in s and not found & {"suit_direct", "suit_after_review"}:
        return None  # 行政诉讼 without saying which: two groups
    return found.pop() if len(found) == 1 else None


def _t4_row(read: TableRead, grid: Grid, r: int, headers: dict[int, Header], caption: str | None) -> None:
    row = split_row(grid, r)
    if len(row.values) < 3 or not all(is_value_text(t) for _c, t in row.values):
        return
    filled = [t for _c, t in row.values if t.strip()]
    placed = _t4_by_headers(r, row, headers, caption) if grid.columns_known else None
    if placed is None and len(filled) < 3:
        return  # a row of empty cells is table 4 only where its header says so
    if placed is not None:
        for (group, col), (c, text) in placed.items():
            _t4_put(read, group, col, text, grid.at(r), _slot_at(grid, r, c))
    elif len(row.values) == len(T4_ORDER):
        for (group, col), (c, text) in zip(T4_ORDER, row.values, strict=True):
            _t4_put(read, group, col, text, grid.at(r), _slot_at(grid, r, c))
    elif len(row.values) == len(reg.T4_COLUMNS):
        named = next((g for g in (match_t4_group(t) for t in row.labels) if g and g != "litigation"), None)
        if named:
            for axis, (c, text) in zip(reg.T4_COLUMNS, row.values, strict=True):
                _t4_put(read, named, axis.id, text, grid.at(r), _slot_at(grid, r, c))


_T4_HEADER_REACH = 8  # header rows further above a row than this belong to another table


def _t4_by_headers(
    r: int, row: Row, headers: dict[int, Header], caption: str | None
) -> dict[tuple[str, str], tuple[int, str]] | None:
    """Each value's group and outcome from the header cells above it, the row's own label, or the caption."""
    row_groups = [g for g in (match_t4_group(t) for t in row.labels) if g and g != "litigation"]
    row_cols = [c for c in (match_t4_column(t) for t in row.labels) if c]
    above = [headers[rr] for rr in range(max(0, r - _T4_HEADER_REACH), r) if rr in headers]
    placed: dict[tuple[str, str], tuple[int, str]] = {}
    for c, text in row.values:
        groups, cols = list(row_groups), list(row_cols)
        for header in above:
            g, k = header.get(c, (None, None))
            if g and g != "litigation":
                groups.append(g)
            if k:
                cols.append(k)
        if not groups and caption:
            groups.append(caption)
        if not groups or not cols:
            return None
        key = (groups[-1], cols[-1])
        if key in placed:
            return None
        placed[key] = (c, text)
    return placed if len(placed) >= len(reg.T4_COLUMNS) else None


def t4_from_lines(lines: Sequence[Line]) -> TableRead | None:
    read = TableRead()
    flat: list[tuple[str, str]] = []
    flat_lines: list[Line] = []
    said: list[str] = []
    five = len(reg.T4_COLUMNS)
    for line in lines:
        tok = tokenize(line)
        group = None
        if tok.label:
            group = next(
                (g for g in (match_t4_group(w) for w in tok.label.split()) if g and g != "litigation"), None
            )
        values = tok.values
        if group and len(values) == 1:
            values = _unglued(tok, five, (five - 1,), said) or values
        elif not tok.label and len(values) == 1 and len(values[0]) >= len(T4_ORDER):
            ways = unglue(values[0], len(T4_ORDER), tuple(range(five - 1, len(T4_ORDER), five)))
            values = ways[0] if len(ways) == 1 else values
        if len(values) < 3:
            continue
        if tok.label and all(match_t4_group(w) or match_t4_column(w) for w in tok.label.split()):
            group = None  # the header's words printed on the numbers' line: the numbers stand alone
            tok = Tokens("", values, line)
        if group and len(values) == five:
            read.used.add((id(line), -1))
            for axis, text in zip(reg.T4_COLUMNS, values, strict=True):
                _t4_put(read, group, axis.id, text, line.where)
            continue
        if not tok.label:
            flat.extend((t, line.where) for t in values)
            flat_lines.append(line)
    if len(flat) == len(T4_ORDER) and not read.cells:
        read.used |= {(id(line), -1) for line in flat_lines}
        for (group, col), (text, where) in zip(T4_ORDER, flat, strict=True):
            _t4_put(read, group, col, text, where)
    elif flat and not read.cells:
        read.notes.append(f"表四读到{len(flat)}个数字，应为15个，无法确定各数字所属的栏目，未读取。")
    read.notes.extend(said)
    return read if read.cells or read.notes else None
