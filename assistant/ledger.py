"""An application ledger (台账) becomes table 3 exactly, deterministically.

A ledger has one row per application, with at least the applicant's type and the outcome, in
whatever words the office uses. Columns are found by their header words (a title row above the
header, a header on two rows with merged cells, any reasonable names). Each row is then counted:

- received before 1 January of the year → 上年结转, otherwise 本年新收;
- no outcome, 办理中, 未办结, or answered after 31 December → carried forward (结转下年度);
- the outcome words (and a reason column, when there is one) are matched against the registry's
  labels and phrases: "不予公开（涉及第三方合法权益）" is the third-party row;
- a row that cannot be classified is reported with its reason and counted nowhere.

The result proposes every leaf cell of table 3 (zeros included); totals follow from them. The sheet
comes from the reading layer (``assistant.reading``) as a grid, whatever the file's format; a
sheet whose formula cells have no saved result (written by a program, never opened in Excel) is
refused where those cells would be counted, because they read empty and would count wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from assistant import cells as reg
from assistant.changes import Change
from assistant.chat import lexicon as g
from assistant.engines.base import Proposal
from assistant.errors import InputError
from assistant.reading import Document, Grid, read

Role = Literal["applicant", "received", "outcome", "reason", "closed", "status"]

# Header words, most specific first. A header cell is given the first role whose words it holds.
_ROLE_WORDS: tuple[tuple[Role, tuple[str, ...], tuple[str, ...]], ...] = (
    # (role, words any of which the header must contain, words it must also contain one of)
    ("closed", ("办结", "答复", "回复", "结案", "完成", "处理"), ("日期", "时间")),
    ("received", ("收到", "受理", "登记", "申请", "收件", "接收", "提交", "来件"), ("日期", "时间")),
    ("applicant", ("申请人", "申请主体", "申请者", "主体"), ("类型", "类别", "性质", "身份", "分类", "属性", "主体")),
    ("reason", ("理由", "依据", "原因", "情形", "备注", "说明"), ()),
    ("status", ("状态", "是否办结", "进度"), ()),
    ("outcome", ("结果", "处理情况", "办理情况", "答复情况", "答复类型", "答复方式", "处理意见", "答复意见"), ()),
)
_HEADER_SCAN_ROWS = 25
_TOTAL_ROW = re.compile(r"^(合计|总计|小计|共计)")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_PENDING_WORDS = ("办理中", "正在办理", "未办结", "尚未办结", "在办", "待答复", "未答复", "延期答复", "处理中")
_EXCEL_EPOCH = dt.date(1899, 12, 30)

_RESULT_ROWS = frozenset(reg.T3_RESULT_ROWS)


@dataclass
class LedgerIssue:
    """A ledger row that is counted nowhere, and why."""

    row: int  # the row number as the spreadsheet shows it (1-based)
    reason: str
    values: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        shown = "，".join(f"{k}：{v}" for k, v in self.values.items() if v)
        return f"第{self.row}行：{self.reason}" + (f"（{shown}）" if shown else "")


@dataclass
class LedgerResult:
    year: int
    changes: list[Change]
    unclassified: list[LedgerIssue]
    notes: list[str]
    counted: int  # applications counted in table 3
    columns: dict[str, str]  # role -> the header it was found under

    def counts(self) -> dict[str, int]:
        """The non-zero cells."""
        return {c.cell: c.value for c in self.changes if isinstance(c.value, int) and c.value}

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "changes": [c.model_dump(mode="json") for c in self.changes],
            "unclassified": [{"row": i.row, "reason": i.reason, "values": i.values} for i in self.unclassified],
            "notes": self.notes,
        }


# ------------------------------------------------------------------------------------------------
# Reading the sheet


@dataclass
class Sheet:
    """A worksheet's rows as text, and where its formula cells have no saved result."""

    rows: list[list[Any]]
    name: str = "台账"
    uncomputed: set[tuple[int, int]] = field(default_factory=set)


def grid_rows(grid: Grid) -> list[list[str]]:
    """A grid's rows as the clerk sees them (a merged cell's text at each of its positions)."""
    return [[s.text if s is not None else "" for s in row] for row in grid.slots]


def ledger_sheet(doc: Document, name: str = "台账") -> Sheet | None:
    """The first grid of a document that is a ledger (a header with applicant and outcome columns)."""
    for block in doc.blocks:
        if isinstance(block, Grid):
            rows = grid_rows(block)
            if looks_like_ledger(rows):
                return Sheet(rows, name, set(block.uncomputed))
    return None


def read_rows(source: str | Path | bytes, filename: str | None = None) -> list[list[Any]]:
    """The rows of a ledger file (.xlsx, .xls, .csv…; any encoding): its first ledger-like sheet."""
    return _sheet(source, filename).rows


def _sheet(source: str | Path | bytes, filename: str | None) -> Sheet:
    if isinstance(source, bytes):
        data, name = source, filename or "台账"
    else:
        path = Path(source)
        name = filename or path.name
        if not path.is_file():
            raise InputError(f"找不到台账文件“{path}”。")
        data = path.read_bytes()
    doc = read(data, name)
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    if not grids or doc.format not in ("xlsx", "csv", "xls", "ods"):
        raise InputError(f"台账应为 .xlsx、.xls 或 .csv 表格文件，“{name}”不是。")
    found = ledger_sheet(doc, name)
    if found is not None:
        return found
    return Sheet(grid_rows(grids[0]), name, set(grids[0].uncomputed))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _normal(str(value))


@lru_cache(maxsize=65536)
def _normal(text: str) -> str:
    return re.sub(r"\s+", "", g.normalise(text))


@lru_cache(maxsize=4096)
def _role(header: str) -> Role | None:
    for role, words, also in _ROLE_WORDS:
        if any(w in header for w in words) and (not also or any(w in header for w in also)):
            if role == "outcome" and any(w in header for w in ("日期", "时间")):
                continue
            return role
    return None


def find_header(rows: list[list[Any]]) -> tuple[int, dict[Role, int], dict[Role, str]] | None:
    """(index of the last header row, role -> column, role -> header text), or None.

    A header may span two rows ("办理情况" merged over "答复结果" and "答复日期"): each column is
    read as the text of the row above joined to its own.
    """
    best: tuple[int, int, dict[Role, int], dict[Role, str]] | None = None
    for i in range(min(len(rows), _HEADER_SCAN_ROWS)):
        for span in (1, 2):
            if i - span + 1 < 0:
                continue
            width = max(len(rows[j]) for j in range(i - span + 1, i + 1))
            roles: dict[Role, int] = {}
            texts: dict[Role, str] = {}
            for c in range(width):
                parts = [_text(rows[j][c]) if c < len(rows[j]) else "" for j in range(i - span + 1, i + 1)]
                header = "".join(dict.fromkeys(p for p in parts if p))
                role = _role(header) if 0 < len(header) <= 30 else None
                if role and role not in roles:
                    roles[role], texts[role] = c, header
            if "applicant" in roles and ("outcome" in roles or "received" in roles):
                score = len(roles) * 2 - span
                if best is None or score > best[0]:
                    best = (score, i, roles, texts)
    return None if best is None else (best[1], best[2], best[3])


def looks_like_ledger(rows: list[list[Any]]) -> bool:
    if len(rows) < 2:
        return False
    top = _text("".join(str(v) for row in rows[:_HEADER_SCAN_ROWS] for v in row[:60] if v is not None))
    if not any(w in top for w in _ROLE_WORDS[2][1]):
        return False  # no applicant column: not a ledger (a quick look before the header search)
    header = find_header(rows)
    return header is not None and "outcome" in header[1] and len(rows) > header[0] + 1


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # an Excel serial day number
    text = _text(value)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text) and 20000 < float(text) < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))  # the same, read as text
    m = _DATE.search(text) or _COMPACT_DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------------
# Classifying a row


def classify_applicant(text: str) -> tuple[str | None, str]:
    """The applicant column for a type written in any of the registry's words, or None and why."""
    if not text:
        return None, "申请人类型为空"
    words = g.tokenize(text)
    appls = list(dict.fromkeys(t.meaning.id for t in words if t.meaning and t.cat == g.APPL))
    if not appls and any(t.cat == g.OTHER for t in words):
        appls = ["other"]
    if len(appls) == 1:
        return appls[0], ""
    if len(appls) > 1:
        return None, "申请人类型含多种类别"
    if any(t.cat == g.ORG for t in words):
        return None, "申请人类型只写了法人或其他组织，未写明具体类别"
    return None, "无法识别申请人类型"


def classify_outcome(text: str) -> tuple[str | None, str]:
    """The table-3 result row for an outcome written in any of the registry's words.

    None and why when the words do not decide. "carried_forward" when it is not finished.
    """
    if not text:
        return "carried_forward", ""
    if any(w in text for w in _PENDING_WORDS):
        return "carried_forward", ""
    words = g.tokenize(text)
    rows = list(dict.fromkeys(t.meaning.id for t in words if t.meaning and t.cat == g.ROW))
    groups = [t.meaning.id for t in words if t.meaning and t.cat == g.GROUP3]
    if any(t.cat == g.OTHER for t in words) and not rows:
        rows = ["other.other"]
    if "carried_forward" in rows:
        return "carried_forward", ""
    if "partial" in rows:  # 区分处理的，只计这一情形
        return "partial", ""
    specific = [r for r in rows if r in _RESULT_ROWS and r != "granted"]
    if groups:  # the reason must belong to the group written ("不予公开" + 第三方权益)
        specific = [r for r in specific if reg.T3_ROW[r].group == groups[0]] or specific
    if len(specific) == 1:
        return specific[0], ""
    if len(specific) > 1:
        return None, "办理结果含多种情形"
    if groups:
        return None, f"只写了“{reg.T3_GROUP[groups[0]].label}”，未写明具体情形"
    if "granted" in rows:
        return "granted", ""
    if "processed_total" in rows:
        return None, "只写了已办结，未写明办理结果"
    return None, "无法识别办理结果"


# ------------------------------------------------------------------------------------------------
# Counting


def ledger_changes(
    source: str | Path | bytes | list[list[Any]] | Sheet, year: int | None = None, *, filename: str | None = None
) -> LedgerResult:
    """Table 3 from a ledger: every leaf cell (zeros included), the rows it could not classify."""
    if isinstance(source, Sheet):
        sheet = source
    elif isinstance(source, list):
        sheet = Sheet(source)
    else:
        sheet = _sheet(source, filename)
    rows = sheet.rows
    header = find_header(rows)
    if header is None:
        raise InputError("没有在表格中找到台账的表头：需要“申请人类型”和“办理结果”（或“收到日期”）等列。")
    head, cols, texts = header
    _refuse_uncomputed(sheet, head, cols, texts)
    notes: list[str] = []
    missing = [name for role, name in (("outcome", "办理结果"), ("received", "收到日期")) if role not in cols]
    if missing:
        notes.append(f"台账中没有“{'”“'.join(missing)}”列：" + _missing_note(missing))
    body = [(head + 2 + k, r) for k, r in enumerate(rows[head + 1 :])]
    year = year or _likely_year(body, cols)
    counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[int]] = {}
    issues: list[LedgerIssue] = []
    skipped_next: list[int] = []
    skipped_last: list[int] = []
    counted = 0
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def value(row: list[Any], role: Role) -> Any:
        c = cols.get(role)
        return row[c] if c is not None and c < len(row) else None

    for number, row in body:
        if not any(v not in (None, "") for v in row) or any(_TOTAL_ROW.match(_text(v)) for v in row[:3]):
            continue

        def shown(row: list[Any] = row) -> dict[str, str]:
            return {texts[r]: _shown(value(row, r)) for r in cols}

        applicant_text = _text(value(row, "applicant"))
        if not applicant_text and not _text(value(row, "outcome")) and not _text(value(row, "received")):
            continue  # a note under the table, not an application
        received = parse_date(value(row, "received")) if "received" in cols else None
        closed = parse_date(value(row, "closed")) if "closed" in cols else None
        if "received" in cols and received is None:
            issues.append(LedgerIssue(number, "收到日期无法识别", shown()))
            continue
        if received and received > end:
            skipped_next.append(number)
            continue
        if closed and closed < start:
            skipped_last.append(number)
            continue
        column, why = classify_applicant(applicant_text)
        if column is None:
            issues.append(LedgerIssue(number, why, shown()))
            continue
        status = _text(value(row, "status"))
        outcome_text = "；".join(filter(None, (_text(value(row, "outcome")), _text(value(row, "reason")))))
        if (closed and closed > end) or any(w in status for w in _PENDING_WORDS):
            result: str | None = "carried_forward"
        elif "outcome" not in cols:
            result = "carried_forward" if not closed else None
            why = "台账没有办理结果列"
        else:
            result, why = classify_outcome(outcome_text)
        if result is None:
            issues.append(LedgerIssue(number, why, shown()))
            continue
        intake = "carried_over" if received and received < start else "new"
        for cell_row in (intake, result):
            counts[(cell_row, column)] += 1
            where.setdefault((cell_row, column), []).append(number)
        counted += 1
    if skipped_next:
        notes.append(f"第{_rows(skipped_next)}行收到日期在{year}年以后，未计入{year}年度。")
    if skipped_last:
        notes.append(f"第{_rows(skipped_last)}行在{year}年以前已办结，属于上一年度，未计入。")
    changes = []
    for axis in reg.T3_ROWS:
        if axis.id == "processed_total":
            continue
        for col in reg.T3_APPLICANT_COLUMNS:
            n = counts[(axis.id, col)]
            evidence = f"台账第{_rows(where[(axis.id, col)])}行" if n else "台账中没有此类申请"
            changes.append(Change(cell=f"t3.{axis.id}.{col}", value=n, evidence=evidence))
    columns: dict[str, str] = {role: text for role, text in texts.items()}
    return LedgerResult(year, changes, issues, notes, counted, columns)


def _refuse_uncomputed(sheet: Sheet, head: int, cols: dict[Role, int], texts: dict[Role, str]) -> None:
    """Formula cells without a saved result in the columns that are counted: refuse, never count them as empty."""
    counted = {c: texts[r] for r, c in cols.items()}
    hits = sorted((r, c) for r, c in sheet.uncomputed if r > head and c in counted)
    if not hits:
        return
    r, c = hits[0]
    raise InputError(
        f"台账“{sheet.name}”的“{counted[c]}”等列有{len(hits)}个公式单元格没有保存计算结果（如第{r + 1}行），"
        "直接统计会把它们当作空白而算错，因此未统计。这通常是程序生成、未经 Excel 保存的文件："
        "请在 Excel 或 WPS 中打开该文件、保存后重新上传。"
    )


def _shown(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return _text(value)


def _missing_note(missing: list[str]) -> str:
    if "收到日期" in missing:
        return "所有申请按本年新收计。"
    return "无法区分办理结果。"


def _likely_year(body: list[tuple[int, list[Any]]], cols: dict[Role, int]) -> int:
    years: Counter[int] = Counter()
    roles: tuple[Role, ...] = ("received", "closed")
    for role in roles:
        c = cols.get(role)
        if c is None:
            continue
        for _, row in body:
            d = parse_date(row[c]) if c < len(row) else None
            if d:
                years[d.year] += 1
        if years:
            break
    if not years:
        return dt.date.today().year - 1
    return years.most_common(1)[0][0]


def _rows(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:12])
    return shown + (f"等{len(numbers)}" if len(numbers) > 12 else "")


def ledger_proposal(
    source: str | Path | bytes | list[list[Any]] | Sheet, year: int | None = None, *, name: str = "台账"
) -> Proposal:
    """The ledger as a proposal for the chat: table 3's leaf cells, a reply, the rows to check."""
    result = ledger_changes(source, year, filename=name if isinstance(source, bytes) else None)
    questions = [f"{issue.text()}，请补充后重新上传或手工填写。" for issue in result.unclassified]
    nonzero = len(result.counts())
    reply = (
        f"已按台账“{name}”统计{result.year}年度表三：计入{result.counted}件申请，"
        f"涉及{nonzero}个单元格，其余为0。" + "".join(result.notes)
    )
    if result.unclassified:
        reply += f"有{len(result.unclassified)}行无法归类，未计入，请核对。"
    return Proposal(changes=result.changes, reply=reply, questions=questions, engine="ledger")


__all__ = [
    "LedgerIssue",
    "LedgerResult",
    "Sheet",
    "classify_applicant",
    "classify_outcome",
    "find_header",
    "grid_rows",
    "ledger_changes",
    "ledger_proposal",
    "ledger_sheet",
    "looks_like_ledger",
    "parse_date",
    "read_rows",
]
