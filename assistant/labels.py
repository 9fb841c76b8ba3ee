"""Recognising the report's words in any text: table labels, section headings, value cells.

Every label comes from the registry (``assistant.cells``). The readers (``assistant.reading``) use
the heading and value tests to lay out what they read; the importer, notes and pasted text use the
label matchers to find rows and columns. It sits below all of them, so imports point down only.

Two comparison forms are used. ``words_key`` (from ``assistant.textnorm``) compares a whole label
cell: numbering, punctuation, spaces, traditional characters and full-width forms do not count.
``squash`` keeps only CJK characters; it is for text where a label may be cut by line breaks,
page breaks or a vertical label written into it, and is searched rather than compared.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant import cells as reg
from assistant.textnorm import is_blank_mark, label_key, nfkc, to_simplified, words_key

_NOT_CJK = re.compile(r"[^\u3400-\u9fff]+")

# Table 2 columns of the 2019 edition (国办公开办函〔2019〕60号). They do not mean what the 2021
# columns mean (对外公开总数量 is not 现行有效件数), so they are recognised in order to be left out.
T2_COLUMNS_2019: tuple[str, ...] = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "本年增减",
    "采购项目数量",
    "采购总金额",
)
# Rows of the 2019 table 2 that the 2021 edition dropped.
T2_ITEMS_2019: tuple[str, ...] = ("其他对外管理服务事项", "政府集中采购")


_VALUE = re.compile(r"^(?:[+\-]?\d[\d,]*(?:\.\d+)?(?:件|个|项|次|条|元|万元)?|(?:增|减)\d+(?:\.\d+)?)$")


# A number followed by a note in brackets, or after a comma: "22（其中修订16件）", "55（含自然失效29件）",
# "3，其中1件为复议后撤回".
_NOTED = re.compile(
    r"^\s*([+\-]?\d[\d,]*(?:\.\d+)?\s*(?:件|个|项|次|条|元|万元)?)\s*"
    r"(?:([（(\[【].*[)）\]】])|[,，;；]\s*((?:其中|含|包括|包含|注|另有|均为|系).*))\s*$"
)


def split_cell_note(text: str) -> tuple[str, str]:
    """A cell's number and the note written beside it ("55（含自然失效29件）" → ("55", "（含自然失效29件）"))."""
    normal = nfkc(text).replace("\u00a0", " ")
    m = _NOTED.match(normal)
    if m is None:
        return text, ""
    group = 2 if m.group(2) else 3
    # The note as written (full-width brackets kept) where normalising kept every position.
    source = text if len(normal) == len(text) else normal
    return m.group(1).strip(), source[m.start(group) : m.end(group)].strip()


@lru_cache(maxsize=65536)
def is_value_text(text: str) -> bool:
    """Whether a cell's text is a number (or a mark standing for none: blank, "/", "—"), a note beside it allowed."""
    t = nfkc(text).replace(" ", "").replace("\u00a0", "").strip()
    if is_blank_mark(t) or _VALUE.match(t):
        return True
    number, note = split_cell_note(t)
    return bool(note) and bool(_VALUE.match(number.replace(" ", "")))


@lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """Only the CJK characters of ``text`` (simplified): the form searched for labels in a stream."""
    return _NOT_CJK.sub("", to_simplified(text))


def key(text: str) -> str:
    """The words of a label cell ("（三）不予公开" → "不予公开", "合 计" → "总计")."""
    return words_key(text)


@dataclass(frozen=True)
class Match:
    """What a label cell was recognised as: a row (or item, column…) id, or a group id."""

    id: str
    group: bool = False
    exact: bool = True


def _keys(axis: reg.Axis) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in (key(axis.label), *(key(a) for a in axis.aliases)) if k))


@lru_cache(maxsize=1)
def _t3_index() -> tuple[dict[str, str], dict[str, str]]:
    rows = {k: r.id for r in reg.T3_ROWS for k in _keys(r)}
    groups = {k: g.id for g in reg.T3_GROUPS for k in _keys(g)}
    return rows, groups


def _fuzzy(k: str, index: dict[str, str], cutoff: float) -> str | None:
    best = difflib.get_close_matches(k, list(index), n=1, cutoff=cutoff)
    return index[best[0]] if best else None


@lru_cache(maxsize=4096)
def match_t3(text: str) -> Match | None:
    """A table-3 row label (or a group label such as "（三）不予公开") by its words."""
    k = key(text)
    if not k:
        return None
    rows, groups = _t3_index()
    if k in rows:
        return Match(rows[k])
    if k in groups:
        return Match(groups[k], group=True)
    if len(k) >= 6:
        # A label cut short or run on ("…只计这一情形，不计其他情形）" wrapped, a stray character).
        for rk, rid in rows.items():
            if len(rk) >= 6 and (k.startswith(rk) or rk.startswith(k)):
                return Match(rid, exact=False)
    if len(k) >= 5:
        near = _fuzzy(k, rows, 0.8)
        if near:
            return Match(near, exact=False)
    return None


@lru_cache(maxsize=4096)
def match_t3_phrase(text: str) -> str | None:
    """A table-3 row named in a clerk's words ("本年新收申请" → new), by the registry's phrases: the row
    whose phrase found in the text is longest, None when two rows tie or the text is long. For a row
    of a grid whose header already says it is table 三."""
    s = squash(text)
    if not s or len(s) > 24:
        return None
    best: dict[str, int] = {}
    for row in reg.T3_ROWS:
        for phrase in (row.label, *row.aliases, *row.phrases):
            k = squash(phrase)
            if len(k) >= 2 and k in s:
                best[row.id] = max(best.get(row.id, 0), len(k))
    if not best:
        return None
    top = max(best.values())
    rows = [r for r, n in best.items() if n == top]
    return rows[0] if len(rows) == 1 else None


@lru_cache(maxsize=1)
def _column_index() -> dict[str, str]:
    return {k: c.id for c in reg.T3_COLUMNS for k in _keys(c)}


@lru_cache(maxsize=4096)
def match_t3_column(text: str) -> str | None:
    """A table-3 applicant column by its header words ("商业\\n企业" → commercial)."""
    return _column_index().get(key(text))


@lru_cache(maxsize=1)
def _column_phrases() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in reg.T3_COLUMNS:
        for phrase in c.phrases:
            index.setdefault(key(phrase), c.id)
    return index


@lru_cache(maxsize=4096)
def match_t3_column_words(text: str) -> str | None:
    """A table-3 column by its label, or by a clerk's whole word for it ("个人", "律所", "企业")."""
    return match_t3_column(text) or _column_phrases().get(key(text))


@lru_cache(maxsize=1)
def _t2_items() -> dict[str, str]:
    return {k: a.id for a in reg.T2_ITEMS for k in _keys(a)}


@lru_cache(maxsize=1)
def _t2_columns() -> dict[str, str]:
    index = {k: a.id for a in reg.T2_COLUMNS for k in _keys(a)}
    for old in T2_COLUMNS_2019:
        index[key(old)] = "2019:" + old  # the 2019 meaning wins over any alias
    return index


@lru_cache(maxsize=4096)
def match_t2_item(text: str) -> str | None:
    """A table-2 item ("行政规范性文件", "规范性文件") or a 2019-only item ("2019:政府集中采购")."""
    k = key(text)
    items = _t2_items()
    if k in items:
        return items[k]
    for old in T2_ITEMS_2019:
        if k == key(old):
            return "2019:" + old
    return None


@lru_cache(maxsize=4096)
def match_t2_column(text: str) -> str | None:
    """A table-2 column id, or "2019:<label>" for a 2019-edition column."""
    return _t2_columns().get(key(text))


def t2_columns_in(text: str) -> list[str]:
    """The table-2 column ids a header line names, in the order it names them."""
    s = squash(text)
    found: list[tuple[int, int, str]] = []
    for k, cid in _t2_columns().items():
        ks = squash(k)
        if not ks:
            continue
        for m in re.finditer(re.escape(ks), s):
            found.append((m.start(), -len(ks), cid))
    found.sort()
    out: list[str] = []
    end = -1
    for start, neg_len, cid in found:
        if start >= end:  # the longest label at a place wins (the full column label over its alias)
            out.append(cid)
            end = start - neg_len
    return out


@lru_cache(maxsize=1)
def _t4_groups() -> dict[str, str]:
    index = {k: g.id for g in reg.T4_GROUPS for k in _keys(g)}
    index[key(reg.T4_LITIGATION.label)] = "litigation"
    return index


@lru_cache(maxsize=1)
def _t4_columns() -> dict[str, str]:
    return {k: c.id for c in reg.T4_COLUMNS for k in _keys(c)}


@lru_cache(maxsize=4096)
def match_t4_group(text: str) -> str | None:
    """"行政复议" → review, "未经复议直接起诉" → suit_direct, "行政诉讼" → litigation (a parent)."""
    return _t4_groups().get(key(text))


@lru_cache(maxsize=4096)
def match_t4_column(text: str) -> str | None:
    """"结果维持" → upheld …; "总 计" / "合计" → total."""
    return _t4_columns().get(key(text))


# --------------------------------------------------------------------------------------------
# Section headings

_HEADING_NUMBER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+\s*[、.．，,]|"
    r"\d{1,2}\s*[、.．，,](?!\d))\s*"
)


@lru_cache(maxsize=1)
def _section_keys() -> dict[str, str]:
    index: dict[str, str] = {}
    for f in reg.SECTIONS:
        if f.id == "preface":
            continue
        for text in (f.label, *f.aliases):
            index[squash(text)] = f.id
    return index


def section_of_heading(text: str) -> str | None:
    """The section id a heading line names ("3、 收到和处理…" → "s3", "第一部分 总体情况" → "s1"), else None.

    A heading is recognised by its words; the number in front is optional and not trusted
    (reports number sections 一、/ 3、/ （三）/ 第三部分). Running text is never a heading.
    """
    t = label_key(text)
    if not t or len(t) > 40:
        return None
    numbered = bool(_HEADING_NUMBER.match(text))
    body = _HEADING_NUMBER.sub("", text, count=1)
    s = squash(body)
    if not s or re.search(r"[。；]", body):
        return None
    index = _section_keys()
    for words in dict.fromkeys((s, _SUBJECT.sub("", s))):
        # The 2019 wording names the subject first ("五、政府信息公开工作存在的…"): try without it too.
        if not words:
            continue
        if words in index:
            return index[words]
        if not numbered:
            continue
        for k, sid in index.items():
            # "一、总体情况概述", "五、存在的主要问题及改进措施" and the like
            if words.startswith(k) and len(words) - len(k) <= 4:
                return sid
    if not numbered:
        return None
    for words in dict.fromkeys((s, _SUBJECT.sub("", s))):
        best = difflib.get_close_matches(words, list(index), n=1, cutoff=0.8)
        if best:
            return index[best[0]]
    return None


@lru_cache(maxsize=1)
def _heading_finder() -> re.Pattern[str]:
    number = r"(?:[一二三四五六七八九十]{1,2}\s*[、.．]|第[一二三四五六七八九十]{1,2}部分)\s*"
    subject = r"(?:(?:政府信息公开|政务公开)(?:工作)?)?"
    words = []
    for f in reg.SECTIONS:
        if f.id == "preface":
            continue
        for text in (f.label, *f.aliases):
            chars = [re.escape(ch) for ch in squash(text)]
            words.append(r"\s*[、，,]?\s*".join(chars))
    words.sort(key=len, reverse=True)
    return re.compile(number + subject + "(?:" + "|".join(words) + ")")


def heading_spans(text: str) -> list[tuple[int, int]]:
    """Where numbered section headings stand inside a run of text ("…办理。二、主动公开…")."""
    return [m.span() for m in _heading_finder().finditer(to_simplified(text))]


@lru_cache(maxsize=1)
def _row_start_finder() -> re.Pattern[str]:
    """A table-2 block ("第二十条第（五）项") or item label right after a number: where a printed row begins."""
    clauses = sorted({re.escape(c) for c in reg.T2_CLAUSES.values()}, key=len, reverse=True)
    names = {a.label for a in reg.T2_ITEMS} | {alias for a in reg.T2_ITEMS for alias in a.aliases}
    items = sorted((re.escape(n) for n in names), key=len, reverse=True)
    clause = r"(?:(?<=\d)\s+|\s+)(?=" + "|".join(clauses) + ")"
    item = r"(?<=\d)\s+(?=(?:" + "|".join(items) + r")\s*\d)"
    return re.compile(f"{clause}|{item}")


def row_starts(text: str) -> list[int]:
    """Where a table-2 row begins inside a run of text (before its clause or its item label after a number)."""
    return [m.end() for m in _row_start_finder().finditer(text)]


_SUBJECT = re.compile(
    r"^(?:本机关|本单位|我局|我委|我办|我区|我县|我市|我镇|本部门)?(?:政府信息公开|政务公开)(?:工作)?"
)
