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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from assistant import cells as reg
from assistant.cells import CELLS, T2_LAYOUT, T3_APPLICANT_COLUMNS, T3_COLUMNS, T3_RESULT_ROWS, T3_ROWS, Kind
from assistant.reading.document import Grid, Line, Slot
from assistant.importing.labels import (
    Match,
    match_t2_column,
    match_t2_item,
    match_t3,
    match_t3_column,
    match_t4_column,
    match_t4_group,
    squash,
    t2_columns_in,
)
from assistant.numbers import Value, parse_cell_text
from assistant.textnorm import is_blank_mark, nfkc

T3_COLUMN_IDS: tuple[str, ...] = tuple(c.id for c in T3_COLUMNS)
T3_ROW_IDS: tuple[str, ...] = tuple(r.id for r in T3_ROWS)
T4_ORDER: tuple[tuple[str, str], ...] = tuple((g.id, c.id) for g in reg.T4_GROUPS for c in reg.T4_COLUMNS)
SINGLE_OTHER_ZERO = ("other.no_correction", "other.unpaid_fee")
# Relations of table 3: (七)总计 and the balance per column, the total per row.
T3_RELATIONS = 2 * len(T3_COLUMN_IDS) + len(T3_ROW_IDS)

_VALUE = re.compile(r"^(?:[+\-]?\d[\d,]*(?:\.\d+)?(?:件|个|项|次|条|元|万元)?|(?:增|减)\d+(?:\.\d+)?)$")


def is_value_text(text: str) -> bool:
    """Whether a cell's text is a number (or a mark standing for none: blank, "/", "—")."""
    t = nfkc(text).replace(" ", "").replace("\u00a0", "").strip()
    return is_blank_mark(t) or bool(_VALUE.match(t))


@dataclass
class CellRead:
    """One cell as found in the source."""

    raw: str
    where: str
    value: Value | None = None  # None: the text is not a valid value (rule CELL-VALUE)
    blank: bool = False
    implied: bool = False  # not printed: set by the reader (2019 single-row （六）)
    slot: Slot | None = None  # the grid slot it was read from (a scan's carries confidence and picture)


@dataclass
class TableRead:
    """What was read of one table, and what the clerk should know about it."""

    cells: dict[str, CellRead] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    template_notes: list[str] = field(default_factory=list)
    old_form: bool = False  # a 2019-edition layout was seen
    ambiguous: bool = False  # several pairings of labels and numbers were possible

    def put(self, cell_id: str, raw: str, where: str, slot: Slot | None = None) -> None:
        if cell_id in self.cells:
            return
        parsed = parse_cell_text(raw, CELLS[cell_id].kind)
        value = parsed.value
        if value is not None and CELLS[cell_id].kind is Kind.COUNT and (not isinstance(value, int) or value < 0):
            value = None
        if value is not None and not isinstance(value, int) and value < 0:
            value = None
        self.cells[cell_id] = CellRead(raw.strip(), where, value, parsed.blank, slot=slot)

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


def _t3_header(grid: Grid) -> tuple[dict[int, str], set[int]]:
    """Column → applicant column id from the header rows, and which rows are header rows."""
    if not grid.columns_known:
        return {}, set()
    found: dict[int, tuple[int, str]] = {}
    header_rows: set[int] = set()
    for r, row in enumerate(grid.slots[:8]):
        hits = _hits(row, match_t3_column)
        if len(set(hits.values())) < 2:
            continue
        header_rows.add(r)
        for c, h in hits.items():
            found[c] = (r, h)  # a lower header row is more specific ("商业企业" under "法人或其他组织")
    colmap = {c: h for c, (_r, h) in found.items()}
    if len(set(colmap.values())) < 5:
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


def t3_from_grids(grids: Sequence[Grid]) -> TableRead | None:
    read = TableRead()
    colmap: dict[int, str] = {}
    width = -1
    single_where = None
    seen_rows: set[str] = set()
    for grid in grids:
        own, header_rows = _t3_header(grid)
        if own:
            colmap, width = own, grid.width
        elif not (colmap and grid.width == width and grid.columns_known):
            colmap = {}
        for r in range(len(grid.slots)):
            if r in header_rows:
                continue
            row = split_row(grid, r, set(colmap) if colmap else None)
            if not row.labels or not row.values:
                continue
            if not colmap and len({match_t3_column(t) for t in row.labels} - {None}) >= 2:
                continue  # a header row of flattened text ("自然人", "法人或其他组织", "总计")
            row_id, single = _t3_row_id(row.labels)
            if row_id is None:
                continue
            if row_id in seen_rows:
                read.notes.append(f"表三“{reg.t3_row_label(row_id)}”行出现了不止一次（{row.where}），已按第一次读取。")
                continue
            if colmap:
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
            seen_rows.add(row_id)
            single_where = row.where if single else single_where
            for col, text, c in zip(T3_COLUMN_IDS, texts, at, strict=True):
                read.put(f"t3.{row_id}.{col}", text, _t3_where(row.where, row_id, col), _slot_at(grid, r, c))
    if not read.cells:
        return None
    if single_where is not None:
        _single_other(read, single_where)
    return read


def _single_other(read: TableRead, where: str) -> None:
    """The 2019 form's single （六）其他处理 row: read into “其他”, the two new sub-rows are 0."""
    read.old_form = True
    for row in SINGLE_OTHER_ZERO:
        for col in T3_COLUMN_IDS:
            cid = f"t3.{row}.{col}"
            if cid not in read.cells:
                read.cells[cid] = CellRead("", f"{where}（原表无此分项，按0计）", 0, implied=True)
    read.template_notes.append("表三“（六）其他处理”为2019年版的单行，未分“逾期不补正”“逾期未缴费”“其他”三项")
    read.notes.append(
        "表三“（六）其他处理”只有一行（2019年版格式）：其数字已计入“3.其他”，"
        "“1.申请人无正当理由逾期不补正…”和“2.申请人逾期未按收费通知要求缴纳费用…”两项按0计，请核对。"
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


def tokenize(line: Line, width: int | None = None) -> Tokens:
    """Split off the run of numbers at the end of a line (all of them, or the last ``width``);
    a line without one may print its numbers first ("1 0 0 0 0 0 1 1.属于国家秘密")."""
    parts = line.text.split()
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
    for line in lines:
        tok = tokenize(line, width)
        line_at.append((len(stream), line))
        if tok.leading:
            runs.append((len(stream), tok.leading, line))
        stream += squash(tok.label)
        if len(tok.values) == width:
            runs.append((len(stream), tok.values, line))
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
            for col, text in zip(T3_COLUMN_IDS, values, strict=True):
                cand.put(f"t3.{hit.row}.{col}", text, _t3_where(row_where, hit.row, col))
        k = (len(cand.values()), t3_consistency(cand.values()), -_distance(pairs))
        if best_key is None or k > best_key:
            read, best_key = cand, k
    if read is None or not read.cells:
        return None
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
        extra = "（“对外公开总数量”不是“现行有效件数”）" if "对外公开总数量" in olds else ""
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
            parsed = split_row(grid, r)
            item = next((i for i in (_t2_item_in(t) for t in reversed(parsed.labels)) if i), None)
            if item is None:
                continue
            if item.startswith("2019:"):
                _old_item_note(read, item)
                continue
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
    return read if read.cells or read.old_form else None


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
            item, line = pending[0], pending[1]
        pending = None
        if item is None or not tok.values:
            continue
        vals = [(t, line.where) for t in tok.values]
        _t2_assign(read, item, header if header and len(header) == len(vals) else None, vals, line.where)
    return read if read.cells or read.old_form else None


# --------------------------------------------------------------------------------------------
# Table 4


def _t4_put(read: TableRead, group: str, col: str, text: str, where: str, slot: Slot | None = None) -> None:
    label = f"{reg.T4_GROUP[group].label}·{reg.T4_COLUMN[col].label}"
    read.put(f"t4.{group}.{col}", text, f"{where} 表四“{label}”", slot)


def t4_from_grids(grids: Sequence[Grid]) -> TableRead | None:
    read = TableRead()
    for grid in grids:
        for r in range(len(grid.slots)):
            row = split_row(grid, r)
            if len(row.values) < 3 or not all(is_value_text(t) for _c, t in row.values):
                continue
            filled = [t for _c, t in row.values if t.strip()]
            placed = _t4_by_headers(grid, r, row) if grid.columns_known else None
            if placed is None and len(filled) < 3:
                continue  # a row of empty cells is table 4 only where its header says so
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
    return read if read.cells else None


def _t4_by_headers(grid: Grid, r: int, row: Row) -> dict[tuple[str, str], tuple[int, str]] | None:
    """Each value's group and outcome from the header cells above it and the row's own label."""
    row_groups = [g for g in (match_t4_group(t) for t in row.labels) if g and g != "litigation"]
    row_cols = [c for c in (match_t4_column(t) for t in row.labels) if c]
    placed: dict[tuple[str, str], tuple[int, str]] = {}
    for c, text in row.values:
        groups, cols = list(row_groups), list(row_cols)
        for rr in range(r):
            slot = grid.slots[rr][c] if c < len(grid.slots[rr]) else None
            if slot is None:
                continue
            g = match_t4_group(slot.text)
            if g and g != "litigation":
                groups.append(g)
            k = match_t4_column(slot.text)
            if k:
                cols.append(k)
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
    for line in lines:
        tok = tokenize(line)
        if len(tok.values) < 3:
            continue
        group = None
        if tok.label:
            group = next(
                (g for g in (match_t4_group(w) for w in tok.label.split()) if g and g != "litigation"), None
            )
        if group and len(tok.values) == len(reg.T4_COLUMNS):
            for axis, text in zip(reg.T4_COLUMNS, tok.values, strict=True):
                _t4_put(read, group, axis.id, text, line.where)
            continue
        if not tok.label:
            flat.extend((t, line.where) for t in tok.values)
    if len(flat) == len(T4_ORDER) and not read.cells:
        for (group, col), (text, where) in zip(T4_ORDER, flat, strict=True):
            _t4_put(read, group, col, text, where)
    elif flat and not read.cells:
        read.notes.append(f"表四读到{len(flat)}个数字，应为15个，无法确定各数字所属的栏目，未读取。")
    return read if read.cells or read.notes else None
