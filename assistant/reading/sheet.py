"""Spreadsheets (.xlsx, .csv; .xls and .ods after conversion): each worksheet as one grid.

Cells become text as a clerk sees them (12 not 12.0, dates as 2024-03-05); merged areas become one
slot with its origin, like merged cells of a Word table. The work is bounded before it is done:
a worksheet's XML is scanned as a byte stream (rows, cells and the area they span counted, formula
cells without a saved result found) and refused past the limits before the workbook is parsed,
because a 250 KB file can hold a million rows and a sparse sheet can span a billion positions.

A formula cell carries the result Excel computed when it saved the file. Files written by programs
(exports, scripts) often carry the formula only: such cells read empty, so they are listed on the
grid (``uncomputed``) and said in the document's notes; the ledger refuses to count them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from assistant.errors import EncryptedFile, InputError
from assistant.reading import archive
from assistant.reading.decode import decode_text
from assistant.reading.document import Document, Grid, Slot
from assistant.reading.limits import LIMITS, check_text, too_many_cells, too_many_rows

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_RESAVE = "请在 Excel 或 WPS 中打开后重新另存为 .xlsx 再上传。"
MAX_SHEETS = 50

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_REF_ROW = re.compile(rb'<c\b[^>]*?\br="[A-Z]{1,3}(\d{1,7})"')
_REF_COL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})\d')
_ROW = re.compile(rb"<row\b")
_VALUE = re.compile(rb"<v>\s*[^<\s]")
_INLINE = re.compile(rb"<is>")


@dataclass
class SheetScan:
    """What a worksheet's XML holds, counted without parsing it."""

    rows: int = 0
    cells: int = 0
    max_row: int = 0
    max_col: int = 0
    uncomputed: list[tuple[int, int]] = field(default_factory=list)  # (row, col), 0-based


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def scan_sheet(zf: zipfile.ZipFile, member: str, name: str, sheet: str) -> SheetScan:
    """Rows, cells, extent and formula cells without a value, from the XML as a stream of bytes."""
    scan = SheetScan()
    carry = b""
    read = 0
    try:
        with zf.open(member) as f:
            while True:
                chunk = f.read(1 << 20)
                read += len(chunk)
                if read > LIMITS.sheet_xml:
                    raise archive.bomb_error(name)
                data = carry + chunk
                # Whole cells only: from the last cell's start tag on, the bytes wait for the next chunk.
                cut = max(data.rfind(b"<c "), data.rfind(b"<c>"))
                cut = cut if cut >= 0 else data.rfind(b"<")
                cut = len(data) if not chunk or cut < 0 else cut
                body, carry = data[:cut], data[cut:]
                scan.rows += len(_ROW.findall(body))
                if scan.rows > LIMITS.sheet_rows:
                    raise too_many_rows(name, sheet)
                _scan_cells(body, scan, name, sheet)
                if not chunk:
                    break
                if len(carry) > (4 << 20):  # one cell of megabytes: not a table
                    raise InputError(f"表格“{name}”的工作表“{sheet}”有异常庞大的单元格，无法读取。{_RESAVE}")
    except archive.BROKEN:
        raise InputError(f"表格“{name}”已损坏，无法读取工作表“{sheet}”。{_RESAVE}") from None
    return scan


def _scan_cells(body: bytes, scan: SheetScan, name: str, sheet: str) -> None:
    # Counted at C speed (count, findall, set); only chunks holding formulas are parsed cell by cell.
    scan.cells += body.count(b"<c ") + body.count(b"<c>")
    rows = set(_REF_ROW.findall(body))
    if rows:
        scan.max_row = max(scan.max_row, max(int(n) for n in rows))
        scan.max_col = max(scan.max_col, max(_col_index(c) + 1 for c in set(_REF_COL.findall(body))))
    if b"<f" in body:
        for m in _CELL.finditer(body):
            inner = m.group(2)
            if inner and b"<f" in inner and not _VALUE.search(inner) and not _INLINE.search(inner):
                ref = _REF.search(m.group(1))
                row, col = (int(ref.group(2)) - 1, _col_index(ref.group(1))) if ref else (-1, -1)
                scan.uncomputed.append((row, col))
    if scan.cells > LIMITS.sheet_cells or scan.max_row * scan.max_col > LIMITS.sheet_cells:
        raise too_many_cells(name, sheet)
    if scan.max_row > LIMITS.sheet_rows:
        raise too_many_rows(name, sheet)


def _sheet_members(zf: zipfile.ZipFile, name: str) -> list[tuple[str, str]]:
    """(sheet name, member path) of each worksheet, in the workbook's order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        workbook = etree.fromstring(archive.read_member(zf, "xl/workbook.xml", name, "", 8 << 20), parser)
        rels = etree.fromstring(archive.read_member(zf, "xl/_rels/workbook.xml.rels", name, "", 8 << 20), parser)
    except (KeyError, etree.XMLSyntaxError, InputError):
        raise InputError(f"表格“{name}”已损坏（缺少工作簿结构），无法读取。{_RESAVE}") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    out: list[tuple[str, str]] = []
    for s in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(s.get(f"{{{_REL}}}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((s.get("name", ""), path))
    return out


def text_of(value: Any) -> str:
    """A cell's value as the clerk sees it: 12 not 12.0, 2024-03-05 not a serial number."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def read_xlsx(data: bytes, name: str) -> Document:
    import python_calamine as pc

    zf = archive.open_zip(data, name, f"表格“{name}”已损坏，无法打开。{_RESAVE}", streamed=("xl/worksheets/",))
    with zf:
        members = _sheet_members(zf, name)
        scans: dict[str, SheetScan] = {}
        for sheet, member in members[:MAX_SHEETS]:
            if member in zf.namelist():
                scans[sheet] = scan_sheet(zf, member, name, sheet)
        for other in ("xl/sharedStrings.xml",):
            info = next((i for i in zf.infolist() if i.filename == other), None)
            if info is not None and info.file_size > LIMITS.sheet_xml:
                raise archive.bomb_error(name)
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise EncryptedFile(f"表格“{name}”设置了密码，无法读取。请取消密码后另存为 .xlsx 再上传。") from None
    except Exception:  # calamine raises its own types (XmlError, ZipError, CalamineError) and ValueError
        raise InputError(f"表格“{name}”已损坏，无法读取。{_RESAVE}") from None
    blocks: list[Grid] = []
    notes: list[str] = []
    try:
        for meta in book.sheets_metadata[:MAX_SHEETS]:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            scan = scans.get(meta.name)
            worksheet = book.get_sheet_by_name(meta.name)
            if scan is None and worksheet.total_height * worksheet.total_width > LIMITS.sheet_cells:
                raise too_many_cells(name, meta.name)
            rows = worksheet.to_python(skip_empty_area=False)
            merged = list(worksheet.merged_cell_ranges or [])
            grid = _grid([[text_of(v) for v in row] for row in rows], merged, f"工作表“{meta.name}”")
            if not grid.slots:
                continue
            if scan is not None and scan.uncomputed:
                grid.uncomputed = [(r, c) for r, c in scan.uncomputed if r >= 0]
                first = grid.uncomputed[0] if grid.uncomputed else None
                shown = f"（如第{first[0] + 1}行第{first[1] + 1}列）" if first else ""
                notes.append(
                    f"工作表“{meta.name}”有{len(scan.uncomputed)}个公式单元格没有保存计算结果{shown}"
                    "（文件可能由程序生成，未经 Excel 或 WPS 保存），这些单元格读作空白。"
                    "请在 Excel 或 WPS 中打开该文件、保存后重新上传。"
                )
            blocks.append(grid)
    except InputError:
        raise
    except Exception:
        raise InputError(f"表格“{name}”已损坏，无法读取。{_RESAVE}") from None
    finally:
        book.close()
    return Document(list(blocks), "xlsx", notes)


def _grid(rows: list[list[str]], merged: list[Any], where: str) -> Grid:
    while rows and not any(t for t in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    while width and not any(len(r) >= width and r[width - 1] for r in rows):
        width -= 1
    slots: list[list[Slot | None]] = [[Slot(t, r, c) for c, t in enumerate(row[:width])] for r, row in enumerate(rows)]
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(slots) or c0 >= width:
            continue
        origin = slots[r0][c0]
        for r in range(r0, min(r1 + 1, len(slots))):
            for c in range(c0, min(c1 + 1, len(slots[r]))):
                slots[r][c] = origin
    row_where = [f"{where}第{r + 1}行" for r in range(len(slots))]
    return Grid(slots, where, row_where=row_where)


def read_csv(data: bytes, name: str) -> Document:
    text, _encoding = decode_text(data, name)
    check_text(text, name, total=False)  # bounded by rows and cells below
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    width = 0
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append([cell.strip() for cell in row])
            width = max(width, len(row))
            if len(rows) > LIMITS.sheet_rows:
                raise too_many_rows(name, "CSV")
            if len(rows) * width > LIMITS.sheet_cells:
                raise too_many_cells(name, "CSV")
    except csv.Error:
        raise InputError(
            f"表格“{name}”不是有效的 CSV 文件（引号不配对或格式错误）。请在 Excel 中另存为 .xlsx 再上传。"
        ) from None
    return Document([_grid(rows, [], "表格")], "csv")
