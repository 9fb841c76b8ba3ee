"""The figures a drafted text states, checked against the facts it was given.

A number in a draft must be a fact (a cell of this year or last year, a sum of a row group, a
number the clerk stated), a difference between this year's and last year's value of the same
cell, or a percentage of two of these, as rounded in the text. Years must be the report's year,
the year before or the year after; dates and document numbers must be ones the facts contain.
Units matter: a table count is stated in 件 (or 宗/起/份/个/项), money in 元 or 万元; a number in
any other unit (条, 篇, 期, 次…) can only come from the clerk's own statements.

What is not checked here, because the other checks do it: whether a number stands for the right
cell (rule TEXT-TABLE, through ``assistant.claims``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from assistant.drafting.facts import Facts
from assistant.numbers import parse_number

_COUNT_UNITS = frozenset({"件", "宗", "起", "份", "个", "项", ""})
# Set phrases whose numerals are no figures.
_SET_PHRASES = re.compile(
    r"两个确立|两个维护|四个意识|四个自信|三安全一稳定|三审三校|一网通办|一网统管|一事一审|一次性|"
    r"二十大|二十届[一二三四五六七八九]中全会|十四五|十五五|三农|一站式|一件事|一窗受理|五公开|最多跑一次|"
    r"[一二两三四五六七八九十]个(?:方面|环节|层面|维度|重点|关键|步骤)"
)
_DATE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_YEAR = re.compile(r"(?<![\d.])(?P<y>\d{4})\s*(?:年|〕|\])")
_DOC_NUMBER = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号|第\s*\d+\s*号")
_ORDINAL = re.compile(r"第\s*(?:\d+|[一二三四五六七八九十百零〇两]+)")
_LIST_MARK = re.compile(r"(?:^|(?<=[\n。；;：:]))\s*[（(]?\d{1,2}[）)、.．](?!\d)")
_PERCENT = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*[%％]|百分之(?P<cn>[零〇一二两三四五六七八九十百点]+)")
_NUMBER = re.compile(
    r"(?P<n>(?<![\d.])\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]{2,}|[二两三四五六七八九十]"
    r"|一(?=\s*(?:件|宗|起|元)))"
    r"\s*(?:余|多)?\s*"
    r"(?P<unit>万元|亿元|元|件|宗|起|份|个|项|条|篇|期|场|次|人次|名|人|家|批|类|天|小时|月|年|倍)?"
)
_CN_NEEDS_UNIT = re.compile(r"[零〇一二两三四五六七八九十百千万]")


@dataclass(frozen=True)
class Unsupported:
    quote: str
    number: str

    @property
    def message(self) -> str:
        return f"“{self.quote}”中的“{self.number}”不是所给数据中的数字（也不能由所给数据算出）。"


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + "□" * (end - start) + text[end:]


def _quote(text: str, start: int, end: int) -> str:
    left = max(0, start - 10)
    right = min(len(text), end + 6)
    return re.sub(r"\s+", "", text[left:right]).replace("□", "")


def _masked_literals(text: str, facts: Facts) -> str:
    for literal in sorted(facts.literals, key=len, reverse=True):
        if not literal or not re.search(r"\d", literal):
            continue
        pos = text.find(literal)
        while pos != -1:
            text = _mask(text, pos, pos + len(literal))
            pos = text.find(literal, pos + len(literal))
    for literal in facts.literals:  # a contact detail inside a longer sentence: its digit runs
        for run in re.findall(r"[\d\-－@.A-Za-z]{5,}", literal):
            if re.search(r"\d", run):
                text = text.replace(run, "□" * len(run))
    return text


def _allowed_years(facts: Facts) -> set[int]:
    years = set()
    for y in (facts.year, facts.previous_year):
        if y is not None:
            years |= {y - 1, y, y + 1}
    return years


def _differences(facts: Facts) -> set[Decimal]:
    out = set()
    for f in facts.items:
        if f.source in ("table", "derived"):
            last = facts.by_key(f"last:{f.key}")
            if last is not None:
                out.add(abs(f.value - last.value))
    return out


def _ratio_pairs(facts: Facts) -> set[tuple[Decimal, Decimal]]:
    """(part, whole) pairs a percentage or ratio may be computed from, where the two belong together:
    a value and last year's value of the same cell (and their difference); a table-三 result and the
    applications of its column; a table-四 outcome and its group's total."""
    this = {f.key: f.value for f in facts.items if f.source in ("table", "derived")}
    last = {f.key.removeprefix("last:"): f.value for f in facts.items if f.source == "last_year"}
    pairs: set[tuple[Decimal, Decimal]] = set()
    for key, value in this.items():
        if key in last:
            pairs |= {(value, last[key]), (abs(value - last[key]), last[key])}
        parts = key.split(".")
        if key.startswith("t3.") and len(parts) >= 3:
            column = parts[-1]
            for whole in ("new", "processed_total"):
                if (w := this.get(f"t3.{whole}.{column}")) is not None:
                    pairs.add((value, w))
        elif key.startswith("sum:t3."):
            for whole in ("new", "processed_total"):
                if (w := this.get(f"t3.{whole}.total")) is not None:
                    pairs.add((value, w))
        elif (total := _t4_whole(key, this)) is not None:
            pairs.add((value, total))
    return {(p, w) for p, w in pairs if w > 0}


def _t4_whole(key: str, this: dict[str, Decimal]) -> Decimal | None:
    """The total of a table-四 value's group ("t4.review.upheld" → t4.review.total), or None."""
    parts = key.split(".")
    if key.startswith("t4."):
        return this.get(f"t4.{parts[1]}.total")
    if key.startswith("sum:t4."):
        return this.get(f"sum:t4.{parts[1]}.total")
    return None


def _ratio_ok(stated: Decimal, pairs: set[tuple[Decimal, Decimal]], scale: int = 100) -> bool:
    """Whether ``stated`` is part/whole (×100 for a percentage) of a pair, as rounded in the text."""
    exponent = stated.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return any((part * scale / whole).quantize(places) == stated for part, whole in pairs)


def stated_figures(text: str, facts: Facts) -> Iterator[Unsupported]:
    """Every figure of ``text`` that the facts do not support, in order."""
    work = _masked_literals(text, facts)
    work = _SET_PHRASES.sub(lambda m: "□" * len(m.group(0)), work)
    years = _allowed_years(facts)
    for m in _DATE.finditer(work):
        y, month, day = m.group("y"), int(m.group("m")), int(m.group("d"))
        if (y and int(y) not in years) or (month, day) not in ((1, 1), (12, 31)):
            yield Unsupported(_quote(text, m.start(), m.end()), m.group(0))
        work = _mask(work, m.start(), m.end())
    for m in _DOC_NUMBER.finditer(work):
        yield Unsupported(_quote(text, m.start(), m.end()), m.group(0))
        work = _mask(work, m.start(), m.end())
    for m in _YEAR.finditer(work):
        if int(m.group("y")) not in years:
            yield Unsupported(_quote(text, m.start(), m.end()), m.group("y") + "年")
        work = _mask(work, m.start(), m.start() + len(m.group("y")))
    for m in _ORDINAL.finditer(work):
        work = _mask(work, m.start(), m.end())
    for m in _LIST_MARK.finditer(work):
        work = _mask(work, m.start(), m.end())
    table = {f.value for f in facts.items if f.source in ("table", "derived", "last_year")}
    counts = {f.value for f in facts.items if f.source in ("table", "derived", "last_year") and f.unit == "件"}
    counts |= _differences(facts)
    money = {unit: {f.value for f in facts.items if f.unit == unit and f.source != "material"}
             for unit in ("元", "万元")}
    stated = {f.value for f in facts.items if f.source == "material"}
    pairs = _ratio_pairs(facts)
    for m in _PERCENT.finditer(work):
        raw = m.group("n") or m.group("cn")
        value, _ = parse_number(raw)
        ok = value is not None and (value in stated or _ratio_ok(value, pairs))
        if not ok:
            yield Unsupported(_quote(text, m.start(), m.end()), m.group(0))
        work = _mask(work, m.start(), m.end())
    for m in _NUMBER.finditer(work):
        raw, unit = m.group("n"), m.group("unit") or ""
        if _CN_NEEDS_UNIT.fullmatch(raw[0]) and not unit:
            continue  # a Chinese numeral without a measure word is wording ("一是", "三审"), not a figure
        if unit in ("年", "月") and not re.match(r"\d", raw):
            continue  # "三年来", "十二月": not a figure of the report
        value, _ = parse_number(raw)
        if value is None:
            continue
        if value in stated:
            continue
        if unit in _COUNT_UNITS and value in counts:
            continue
        if unit in ("元", "万元") and value in money[unit]:
            continue
        if unit == "" and value in table:
            continue
        if unit == "倍" and _ratio_ok(value, pairs, scale=1):
            continue
        yield Unsupported(_quote(text, m.start(), m.end()), m.group(0).strip())


def unsupported_figures(text: str, facts: Facts) -> list[str]:
    """Chinese messages naming each figure of ``text`` the facts do not support."""
    return list(dict.fromkeys(u.message for u in stated_figures(text, facts)))
