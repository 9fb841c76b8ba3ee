"""Reading a number written by a person: "12", "１２", "十二", "两", "3,119", "96171.6", "251000元".

Both the importers (table cells) and the chat engines (numbers in sentences) read numbers here.
Chinese numerals go through cn2an.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.cells import Kind
from assistant.textnorm import is_blank_mark, nfkc

Value = int | Decimal
MAX_DIGITS = 30  # digits of the longest number read or written out; cells hold far less (model bounds)

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_UNIT_SUFFIX = re.compile(r"(件|个|项|次|条|人次|宗|起|份|元|万元|亿元)$")
_SIGNED = re.compile(r"^(?P<sign>[+\-]|增|减|增加|减少)?(?P<num>.+)$")
_ARABIC = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Parsed:
    """A cell text read as a value.

    ``value`` is None when the text is not a number; ``blank`` is True when the text was a mark
    that stands for zero (empty, "/", "—"), in which case ``value`` is 0.
    """

    value: Value | None
    blank: bool = False
    unit: str = ""


def chinese_to_number(text: str) -> Decimal | None:
    """Chinese numerals ("二十三", "两", "一百零五", "一点五") to a number, or None."""
    if not text or any(ch not in _CN_DIGITS + "点" for ch in text):
        return None
    import cn2an  # 0.15 s to import: only when a Chinese numeral is actually met

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return Decimal(str(cn2an.cn2an(text, "smart")))
        except (ValueError, KeyError, IndexError, InvalidOperation):
            return None


def parse_number(text: str) -> tuple[Decimal | None, str]:
    """Any written number with an optional unit to (value, unit). Signs are kept."""
    t = nfkc(text).strip().replace(",", "").replace("，", "").replace(" ", "")
    unit = ""
    m = _UNIT_SUFFIX.search(t)
    if m:
        unit = m.group(1)
        t = t[: m.start()]
    sm = _SIGNED.match(t)
    if not sm:
        return None, unit
    sign = -1 if sm.group("sign") in ("-", "减", "减少") else 1
    body = sm.group("num")
    if _ARABIC.match(body):
        if len(body) > MAX_DIGITS:
            return None, unit  # no count or fee is written with this many digits: not a number to use
        value: Decimal | None = Decimal(body)
    else:
        value = chinese_to_number(body)
    if value is None:
        return None, unit
    return sign * value, unit  # the caller scales by the unit (万元, 亿元)


def to_kind(value: Decimal, kind: Kind, unit: str = "") -> Value | None:
    """A number as the value of a cell of this kind, or None when it cannot be one."""
    if kind is Kind.COUNT:
        if value != value.to_integral_value():
            return None
        return int(value)
    if kind is Kind.WAN_YUAN and unit == "元":
        value = value / Decimal(10000)
    elif kind is Kind.YUAN and unit == "万元":
        value = value * Decimal(10000)
    elif unit == "亿元":
        value = value * Decimal(10000 if kind is Kind.WAN_YUAN else 100000000)
    return value.normalize() if value != value.to_integral_value() else Decimal(int(value))


def parse_cell_text(text: str, kind: Kind) -> Parsed:
    """A table cell's text as the value of a cell of ``kind``.

    Blank marks count as 0 and say so; signs survive (a negative count is for the validator to
    reject, not for the reader to hide).
    """
    if is_blank_mark(text):
        return Parsed(0 if kind is Kind.COUNT else Decimal(0), blank=True)
    number, unit = parse_number(text)
    if number is None:
        return Parsed(None, unit=unit)
    return Parsed(to_kind(number, kind, unit), unit=unit)


def json_value(value: Any) -> Any:
    """A value as JSON holds it: money (Decimal) as a number with its written digits (96171.6), the rest as is.

    A number no cell can hold (NaN, infinite, beyond ``MAX_DIGITS`` digits) becomes a short text:
    converting ``1E+999999999`` to an int, or printing an int of 5,000 digits, would crash before
    validation could refuse it.
    """
    if isinstance(value, Decimal | int) and not isinstance(value, bool) and not _printable(value):
        return format_value(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(format_value(value))
    return value


def _printable(value: Value) -> bool:
    """Whether a value is small enough to write out digit by digit."""
    if isinstance(value, Decimal):
        return value.is_finite() and -MAX_DIGITS <= value.adjusted() <= MAX_DIGITS and (
            value.as_tuple().exponent >= -MAX_DIGITS)  # type: ignore[operator]
    return not isinstance(value, int) or value.bit_length() <= MAX_DIGITS * 3.33


def format_value(value: Value | None, kind: Kind | None = None) -> str:
    """A value as a clerk would write it in a table: 12, 96171.6, 0."""
    if value is None:
        return "未填"
    if not _printable(value):
        too_large = not isinstance(value, Decimal) or (value.is_finite() and value.adjusted() > 0)
        return "（数字过大）" if too_large else "（无效数字）"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)
