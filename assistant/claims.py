"""Numbers the narrative states about the tables ("收到政府信息公开申请12件", "行政复议2件").

A claim ties a quote of the text to the cells whose sum it states. Rule TEXT-TABLE compares
claims with the tables; the importer reads the fee cells of section 六 from them; drafting checks
that what it writes does not contradict the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from assistant.cells import T4_OUTCOMES
from assistant.numbers import parse_number

_NUM = r"(?P<n>\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
_GAP = r"(?:(?!复议|诉讼|申请|。|；|，|,|;)[^\n]){0,16}?"
_S = r"\s*"

_LITIGATION = ("t4.suit_direct", "t4.suit_after_review")


@dataclass(frozen=True)
class Claim:
    """A statement of the text about the tables: the sum of ``cells`` is ``value``.

    ``alternatives`` are other readings of the same words (受理 counts 新收, or 新收 + 上年结转):
    the claim agrees with the tables if any reading does. ``key`` names the rule message that
    tells a disagreement ("fail", or "not_all_upheld" for "均获维持"). ``clause`` is the quote's
    clause, for checks that skip what speaks of another year.
    """

    quote: str
    cells: tuple[str, ...]
    value: Decimal
    start: int
    alternatives: tuple[tuple[str, ...], ...] = ()
    key: str = "fail"
    clause: str = ""

    @property
    def readings(self) -> tuple[tuple[str, ...], ...]:
        return (self.cells, *self.alternatives)


@dataclass(frozen=True)
class _Pattern:
    cells: tuple[str, ...]
    regex: re.Pattern[str]
    needs: str = ""  # the sentence must contain this for the pattern to count
    fixed: Decimal | None = None  # value stated by words ("未收到…") rather than a number
    trigger: str = ""  # a word every match contains: texts without it are not searched
    scoped: bool = False  # table-3 counts: the words between verb and 申请 may narrow them


def _p(
    cells: tuple[str, ...],
    regex: str,
    needs: str = "",
    fixed: int | None = None,
    *,
    scoped: bool = False,
    trigger: str | None = None,
) -> _Pattern:
    return _Pattern(
        cells,
        re.compile(regex.replace("NUM", _NUM)),
        needs,
        None if fixed is None else Decimal(fixed),
        _trigger(cells) if trigger is None else trigger,
        scoped,
    )


def _trigger(cells: tuple[str, ...]) -> str:
    first = cells[0]
    if first.startswith("t4.review") or first.startswith("t4.suit"):
        return "行政复议" if first.startswith("t4.review") else "行政诉讼"
    if first == "s6.fee.collected":
        return "处理费"
    if first.startswith("s6.fee"):
        return "收费通知"
    if first in ("t3.carried_over.total", "t3.carried_forward.total"):
        return ""
    return "申请"


_OUTCOME_WORDS = {
    "upheld": r"(?:结果)?维持",
    "corrected": r"(?:结果)?纠正",
    "other": r"其他结果",
    "pending": r"尚未审结|未审结",
}

_NEW = ("t3.new.total",)
_CARRIED = ("t3.carried_over.total",)
_PROCESSED = ("t3.processed_total.total",)
_SUITS = tuple(f"{g}.total" for g in _LITIGATION)
_KIND = r"(?:政府信息公开|信息公开|依申请公开)?"
# How each verb counts applications: 受理 is said of 新收 alone or of 新收 + 上年结转 (all handled
# this year); 办理 also of the 办结 total. A claim agrees with the tables if any reading does.
_VERB_READINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "收到": (_NEW,),
    "接收": (_NEW,),
    "新收": (_NEW,),
    "接到": (_NEW,),
    "共收": (_NEW,),
    "受理": (_NEW, (*_NEW, *_CARRIED)),
    "办理": (_NEW, (*_NEW, *_CARRIED), _PROCESSED),
    "答复": (_PROCESSED,),
    "办结": (_PROCESSED,),
    "办理完毕": (_PROCESSED,),
}

PATTERNS: tuple[_Pattern, ...] = (
    _p(
        _NEW,
        rf"(?P<verb>收到|受理|接收|新收|接到|共收|办理)(?:了)?(?P<gap>{_GAP}){_KIND}申请(?:共|合计|总计|数量为)?{_S}NUM{_S}(?:件|宗|份)",
        scoped=True,
    ),
    _p(
        _NEW,
        r"(?:未|没有)(?:收到|受理|接到|接收)(?:任何|过)?(?:政府信息公开|信息公开|依申请公开)申请",
        fixed=0,
    ),
    _p(
        _CARRIED,
        rf"(?<!办结)(?<!答复)(?<!办理)(?:上年度?|上一年度?|去年)结转(?:的)?(?:政府信息公开)?(?:申请)?{_S}NUM{_S}件",
    ),
    _p(
        ("t3.carried_forward.total",),
        rf"NUM{_S}件(?:申请)?(?:顺延|结转)(?:到|至)?下(?:一)?年",
    ),
    _p(
        ("t3.carried_forward.total",),
        rf"结转下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?{_S}NUM{_S}件",
    ),
    # "答复政府信息公开申请805件", "办结申请29件"; "办结29件" where the sentence speaks of 申请.
    _p(
        _PROCESSED,
        rf"(?P<verb>答复|办结|办理完毕)(?:了)?(?P<gap>{_GAP}){_KIND}申请(?:共|合计|总计)?{_S}NUM{_S}(?:件|宗|份)",
        scoped=True,
    ),
    _p(_PROCESSED, rf"(?P<verb>答复|办结|办理完毕){_S}NUM{_S}件", needs="申请", scoped=True),
    _p(("t4.review.total",), rf"行政复议(?:案件|申请)?(?:共)?{_S}NUM{_S}(?:件|起)"),
    # "行政复议和行政诉讼共5件": one number for both; "行政复议7件，诉讼9件": 诉讼 in the scope of 行政.
    _p(
        ("t4.review.total", *_SUITS),
        rf"行政复议(?:和|、|及|与)行政诉讼(?:案件)?(?:共|合计|总计)(?:计)?{_S}NUM{_S}(?:件|起)",
    ),
    _p(_SUITS, rf"(?<!行政复议[和、及与])行政诉讼(?:案件)?(?:共)?{_S}NUM{_S}(?:件|起)"),
    _p(
        _SUITS,
        rf"(?<=[，、,])(?:提起)?诉讼(?:案件)?(?:共)?{_S}NUM{_S}(?:件|起)",
        needs="行政复议",
        trigger="诉讼",
    ),
    _p(
        ("t4.review.total", *_SUITS),
        r"(?:未|没有)(?:发生|收到|涉及|出现)?(?:因)?(?:政府信息公开)?(?:引起的?|方面的?|相关的?)?行政复议(?:和|、|及|或)行政诉讼",
        fixed=0,
    ),
    _p(
        ("s6.fee.collected",),
        rf"(?:收取|收到|实收)(?:了)?(?:政府信息公开)?信息处理费(?:共|合计|总计)?{_S}NUM{_S}元",
    ),
    _p(("s6.fee.collected",), r"(?:未|没有)(?:收取|收到)(?:任何)?(?:政府信息公开)?信息处理费", fixed=0),
    _p(("s6.fee.notices",), rf"发出(?:信息处理费)?收费通知(?:书)?(?:共)?{_S}NUM{_S}(?:件|份)"),
    _p(
        ("s6.fee.notices", "s6.fee.notice_amount", "s6.fee.collected"),
        r"收费通知的件数[^。；]{0,30}均为\s*(?:0|零)",
        fixed=0,
    ),
)

_BREAKDOWN = re.compile(
    rf"(?P<word>{'|'.join(f'(?P<{k}>{w})' for k, w in _OUTCOME_WORDS.items())}){_S}{_NUM}{_S}(?:件|起)"
)
_SENTENCE_END = re.compile(r"[。；;！!\n]")
_CLAUSE_END = re.compile(r"[。；;！!\n，,：:]")

# Words between the verb and 申请 that narrow the count to a part of it: a channel ("网上申请"),
# an earlier year, or applicants other than those a column names.
_CHANNEL = re.compile(r"网上|网络|在线|线上|线下|当面|现场|窗口|信函|邮寄|邮件|传真|电话|上年|去年|结转|其中")
_APPLICANTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"自然人|公民|个人"), ("natural",)),
    (
        re.compile(r"法人(?:或|和|及|与)其他组织|法人或者其他组织"),
        ("commercial", "research", "social", "legal", "other"),
    ),
)
_OTHER_SCOPE = re.compile(r"企业|公司|律师|律所|单位|组织|机构|法人|群众|部门")
_SCOPED_PART = re.compile(
    rf"(?P<who>自然人|公民个人|个人|法人(?:或|和|及|与)其他组织|法人或者其他组织)(?:提出|的)?(?:申请)?(?:共)?{_S}{_NUM}{_S}(?:件|宗|份)"
)

# "均获维持": every case of the groups the sentence names ended upheld, so 纠正, 其他结果 and
# 尚未审结 are 0 ("已审结的均获维持" says nothing of those still pending).
_ALL_UPHELD = re.compile(
    r"(?:均|全部|都|一律)(?:已)?(?:获|被|予以|为|是)?(?:结果)?(?:为)?维持|(?:均|全部|都)(?:未|没有)被?(?:纠错|纠正)"
)


_SENTENCE_MARKS = "。；;！!\n"
_CLAUSE_MARKS = _SENTENCE_MARKS + "，,：:"


def _last_mark(text: str, marks: str, pos: int) -> int:
    """Where the text after the last of ``marks`` before ``pos`` begins (0 if none)."""
    return max(text.rfind(ch, 0, pos) for ch in marks) + 1


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = _last_mark(text, _SENTENCE_MARKS, pos)
    end_match = _SENTENCE_END.search(text, pos)
    return start, end_match.start() if end_match else len(text)


def _clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end] (between commas), where a year or 其中 narrows a claim."""
    begin = _last_mark(text, _CLAUSE_MARKS, start)
    stop = _CLAUSE_END.search(text, end)
    return text[begin : stop.start() if stop else len(text)]


def _columns(rows: tuple[str, ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{r.removesuffix('.total')}.{c}" for r in rows for c in columns)


@lru_cache(maxsize=512)
def find_claims(text: str) -> tuple[Claim, ...]:
    """Every claim the text makes about table cells, in order of appearance.

    Cached: the validator runs after every edit, and the narrative rarely changes between two.
    """
    claims: list[Claim] = []
    for pat in PATTERNS:
        if pat.trigger and pat.trigger not in text:
            continue
        for m in pat.regex.finditer(text):
            s, e = _sentence(text, m.start())
            if pat.needs and pat.needs not in text[s:e]:
                continue
            value = pat.fixed
            if value is None:
                value, _unit = parse_number(m.group("n"))
                if value is None:
                    continue
            clause = _clause(text, m.start(), m.end())
            readings: tuple[tuple[str, ...], ...] = (pat.cells,)
            if pat.scoped:
                scoped = _scoped_readings(m, clause, text[s:e])
                if scoped is None:
                    continue
                readings = scoped
            claims.append(Claim(m.group(0).strip(), readings[0], value, m.start(), readings[1:], clause=clause))
            if pat.scoped and "其中" in text[m.end() : e] and readings[0] == _NEW:
                claims.extend(_applicant_breakdown(text, m.end(), e, readings))
            if pat.cells[0].startswith("t4.") and pat.fixed is None:
                claims.extend(_t4_breakdown(text, m.end(), e, pat.cells))
    if "维持" in text or "纠" in text:
        claims.extend(_all_upheld(text))
    claims.sort(key=lambda c: c.start)
    return tuple(claims)


def _scoped_readings(m: re.Match[str], clause: str, sentence: str) -> tuple[tuple[str, ...], ...] | None:
    """The readings of a table-3 count, narrowed by the words around it; None when the words
    narrow it to something no cell holds (a channel, 其中 without an applicant column)."""
    readings = _VERB_READINGS[m.group("verb")]
    if m.group("verb") in ("收到", "接收", "接到", "共收") and ("含上年" in sentence or "包括上年" in sentence):
        readings = (*readings, (*_NEW, *_CARRIED))
    gap = m.groupdict().get("gap") or ""
    before = clause[: clause.find(m.group(0))] if m.group(0) in clause else ""
    if _CHANNEL.search(gap):
        return None
    for words, columns in _APPLICANTS:
        if words.search(gap):
            return tuple(_columns(r, columns) for r in readings)
    if _OTHER_SCOPE.search(gap) or "其中" in before:
        return None
    return readings


def _applicant_breakdown(text: str, start: int, end: int, readings: tuple[tuple[str, ...], ...]) -> Iterator[Claim]:
    """ "收到申请100件，其中自然人申请80件、法人或其他组织申请20件" — the same count by applicant."""
    clause_end = text.find("；", start, end)
    rest = text[start : clause_end if clause_end != -1 else end]
    for m in _SCOPED_PART.finditer(rest):
        who = m.group("who")
        columns = next((cols for words, cols in _APPLICANTS if words.search(who)), None)
        value, _ = parse_number(m.group("n"))
        if columns is None or value is None:
            continue
        scoped = tuple(_columns(r, columns) for r in readings)
        yield Claim(m.group(0), scoped[0], value, start + m.start(), scoped[1:], clause=m.group(0))


def _t4_breakdown(text: str, start: int, end: int, totals: tuple[str, ...]) -> Iterator[Claim]:
    """ "行政复议351件，其中结果维持72件，…" — the outcomes of the same group, up to the clause end."""
    clause_end = text.find("；", start, end)
    clause = text[start : clause_end if clause_end != -1 else end]
    if "其中" not in clause:
        return
    groups = tuple(t.removesuffix(".total") for t in totals)
    for m in _BREAKDOWN.finditer(clause):
        outcome = next(k for k in T4_OUTCOMES if m.group(k))
        value, _ = parse_number(m.group("n"))
        if value is not None:
            cells = tuple(f"{g}.{outcome}" for g in groups)
            yield Claim(m.group(0), cells, value, start + m.start(), clause=m.group(0))


def _all_upheld(text: str) -> Iterator[Claim]:
    """ "行政复议7件，诉讼9件，均获维持": no case of the named groups corrected, ended otherwise or pending."""
    for m in _ALL_UPHELD.finditer(text):
        s, _e = _sentence(text, m.start())
        before = text[s : m.start()]
        groups = []
        if "复议" in before:
            groups.append("t4.review")
        if "诉讼" in before or "起诉" in before:
            groups.extend(_LITIGATION)
        if not groups:
            continue
        if "纠" in m.group(0):
            outcomes: tuple[str, ...] = ("corrected",)
        elif "已审结" in before or "审结的" in before:
            outcomes = ("corrected", "other")
        else:
            outcomes = ("corrected", "other", "pending")
        cells = tuple(f"{g}.{o}" for g in groups for o in outcomes)
        quote = text[max(s, m.start() - 30) : m.end()].strip("，, ")
        yield Claim(quote, cells, Decimal(0), m.start(), key="not_all_upheld", clause=before + m.group(0))
