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
    quote: str
    cells: tuple[str, ...]
    value: Decimal
    start: int


@dataclass(frozen=True)
class _Pattern:
    cells: tuple[str, ...]
    regex: re.Pattern[str]
    needs: str = ""  # the sentence must contain this for the pattern to count
    fixed: Decimal | None = None  # value stated by words ("未收到…") rather than a number
    trigger: str = ""  # a word every match contains: texts without it are not searched


def _p(cells: tuple[str, ...], regex: str, needs: str = "", fixed: int | None = None) -> _Pattern:
    return _Pattern(
        cells,
        re.compile(regex.replace("NUM", _NUM)),
        needs,
        None if fixed is None else Decimal(fixed),
        _trigger(cells),
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

PATTERNS: tuple[_Pattern, ...] = (
    _p(
        ("t3.new.total",),
        rf"(?:收到|受理|接收|新收|接到|共收)(?:了)?{_GAP}(?:政府信息公开|信息公开|依申请公开)?申请(?:共|合计|总计|数量为)?{_S}NUM{_S}(?:件|宗|份)",
    ),
    _p(
        ("t3.new.total",),
        r"(?:未|没有)(?:收到|受理|接到|接收)(?:任何|过)?(?:政府信息公开|信息公开|依申请公开)申请",
        fixed=0,
    ),
    _p(
        ("t3.carried_over.total",),
        rf"(?:上年度?|上一年度?|去年)结转(?:的)?(?:政府信息公开)?(?:申请)?{_S}NUM{_S}件",
    ),
    _p(
        ("t3.carried_forward.total",),
        rf"NUM{_S}件(?:申请)?(?:顺延|结转)(?:到|至)?下(?:一)?年",
    ),
    _p(
        ("t3.carried_forward.total",),
        rf"结转下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?{_S}NUM{_S}件",
    ),
    _p(
        ("t3.processed_total.total",),
        rf"(?:答复|办结|办理完毕){_S}NUM{_S}件",
        needs="申请",
    ),
    _p(("t4.review.total",), rf"行政复议(?:案件|申请)?(?:共)?{_S}NUM{_S}(?:件|起)"),
    _p(tuple(f"{g}.total" for g in _LITIGATION), rf"行政诉讼(?:案件)?(?:共)?{_S}NUM{_S}(?:件|起)"),
    _p(
        ("t4.review.total", *(f"{g}.total" for g in _LITIGATION)),
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


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, pos)), default=0)
    end_match = _SENTENCE_END.search(text, pos)
    return start, end_match.start() if end_match else len(text)


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
            claims.append(Claim(m.group(0).strip(), pat.cells, value, m.start()))
            if pat.cells[0].startswith("t4.") and pat.fixed is None:
                claims.extend(_t4_breakdown(text, m.end(), e, pat.cells))
    claims.sort(key=lambda c: c.start)
    return tuple(claims)


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
            yield Claim(m.group(0), tuple(f"{g}.{outcome}" for g in groups), value, start + m.start())
