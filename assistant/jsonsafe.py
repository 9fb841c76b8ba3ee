"""The one strict JSON reader for everything that comes from outside (files, uploads, model replies).

Python's ``json`` accepts what no report holds and what later code cannot handle: ``NaN`` and
``Infinity``, ``1e400`` (read as infinity), integers of thousands of digits (``str()`` of one raises
``ValueError`` beyond 4,300 digits) and lone surrogates such as ``"\\ud800"`` (no database or file
can store them). ``loads`` refuses all of these with an ``InputError`` whose Chinese message names
the key where the value sits, so a command exits 2 and the app shows the message instead of a crash.

Use::

    from assistant.jsonsafe import loads
    data = loads(text)                        # InputError: “JSON 中“t3.new.natural”的值……”
    data = loads(text, what="文件“a.json”")   # the message names the file

Numbers keep Python's types (``int``, ``float``); bounds on what a cell may hold are the model's
(``assistant.model.coerce_cell_value``), not this reader's. A caller that wants more (a model's reply:
exact decimals, smaller numbers, shallow nesting) passes ``Strictness``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.errors import InputError

MAX_NUMBER_CHARS = 40  # longer number literals are refused before Python converts them
_SURROGATE = re.compile("[\ud800-\udfff]")


class RefusedValue(InputError):
    """Well-formed JSON holding a value that may not be used (NaN, 1e400, a lone surrogate…)."""


class _Bad:
    """A number literal the parser met and refused; reported with its key once parsing is done."""

    __slots__ = ("raw", "reason")

    def __init__(self, raw: str, reason: str) -> None:
        self.raw, self.reason = raw, reason


@dataclass(frozen=True)
class Strictness:
    """What ``loads`` refuses beyond what every caller gets refused."""

    decimals: bool = False  # numbers with a fraction read exactly, as Decimal (else float)
    digits: int = MAX_NUMBER_CHARS  # the longest number literal accepted
    magnitude: Decimal | None = None  # numbers at or beyond this absolute value are refused
    depth: int | None = None  # the deepest nesting accepted


DEFAULT = Strictness()


def _constant(raw: str) -> _Bad:
    return _Bad(raw, "不是有效的数字（不接受 NaN、Infinity 等特殊值）")


def _numbers(strict: Strictness) -> tuple[Any, Any]:
    """The parser's int and float hooks under ``strict``: a refused literal becomes a ``_Bad``."""
    too_big = "超出可处理的范围"

    def as_int(raw: str) -> int | _Bad:
        digits = len(raw.lstrip("-"))
        if digits > strict.digits:
            return _Bad(raw, f"是{digits}位的数字，{too_big}")
        value = int(raw)
        if strict.magnitude is not None and abs(value) >= strict.magnitude:
            return _Bad(raw, too_big)
        return value

    def as_float(raw: str) -> float | Decimal | _Bad:
        if len(raw) > strict.digits:
            return _Bad(raw, f"位数过多，{too_big}")
        try:
            exact = Decimal(raw)
        except InvalidOperation:
            return _Bad(raw, "不是有效的数字")
        if not exact.is_finite() or (strict.magnitude is not None and abs(exact) >= strict.magnitude):
            return _Bad(raw, too_big)
        if strict.decimals:
            return exact
        value = float(raw)
        return value if math.isfinite(value) else _Bad(raw, too_big)

    return as_int, as_float


def loads(text: str | bytes, *, what: str = "JSON", strict: Strictness = DEFAULT) -> Any:
    """``text`` parsed as JSON, or InputError with a Chinese message that names ``what`` and the key.

    Refused: syntax errors, ``NaN``/``Infinity``/``-Infinity``, numbers written with more than
    ``strict.digits`` characters or beyond the float range (``1e400``), lone surrogates in any
    string or key, nesting too deep to walk; and what ``strict`` adds (magnitude, depth).
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{what}不是 UTF-8 编码的文字。") from None
    as_int, as_float = _numbers(strict)
    try:
        data = json.loads(text, parse_constant=_constant, parse_int=as_int, parse_float=as_float)
    except json.JSONDecodeError as e:
        raise InputError(f"{what}不是有效的 JSON（第{e.lineno}行第{e.colno}列附近有错误）。") from None
    except RecursionError:
        raise InputError(f"{what}的嵌套层数过多，无法读取。") from None
    _check(data, what, strict.depth)
    return data


def _check(data: Any, what: str, depth: int | None = None) -> None:
    """Walk the parsed value (without recursion: any depth the parser accepted) for refused values."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if depth is not None and len(path) > depth:
            raise InputError(f"{what}的嵌套层数过多，无法读取。")
        if isinstance(value, _Bad):
            raise RefusedValue(f"{what}中“{_path(path)}”的值“{_short(value.raw)}”{value.reason}。")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise RefusedValue(f"{what}中“{_path(path)}”的文字含有无效的字符（孤立的代理字符），请检查来源。")
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if _SURROGATE.search(key):
                    raise RefusedValue(f"{what}中“{_path(path)}”下有一个名称含无效字符（孤立的代理字符）的键。")
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, f"[{i}]")) for i, item in reversed(list(enumerate(value))))


def _path(path: tuple[str, ...]) -> str:
    if not path:
        return "（整体）"
    text = ""
    for part in path:
        text += part if part.startswith("[") or not text else f".{part}"
    return _short(text, 80)


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
