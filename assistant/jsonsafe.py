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
(``assistant.model.coerce_cell_value``), not this reader's.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from assistant.errors import InputError

MAX_NUMBER_CHARS = 40  # longer number literals are refused before Python converts them
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Bad:
    """A number literal the parser met and refused; reported with its key once parsing is done."""

    __slots__ = ("raw", "reason")

    def __init__(self, raw: str, reason: str) -> None:
        self.raw, self.reason = raw, reason


def _constant(raw: str) -> _Bad:
    return _Bad(raw, "不是有效的数字（不接受 NaN、Infinity 等特殊值）")


def _int(raw: str) -> int | _Bad:
    if len(raw.lstrip("-")) > MAX_NUMBER_CHARS:
        return _Bad(raw, f"是{len(raw.lstrip('-'))}位的数字，超出可处理的范围")
    return int(raw)


def _float(raw: str) -> float | _Bad:
    if len(raw) > MAX_NUMBER_CHARS:
        return _Bad(raw, "位数过多，超出可处理的范围")
    value = float(raw)
    if not math.isfinite(value):
        return _Bad(raw, "超出可处理的范围")
    return value


def loads(text: str | bytes, *, what: str = "JSON") -> Any:
    """``text`` parsed as JSON, or InputError with a Chinese message that names ``what`` and the key.

    Refused: syntax errors, ``NaN``/``Infinity``/``-Infinity``, numbers written with more than
    ``MAX_NUMBER_CHARS`` characters or beyond the float range (``1e400``), lone surrogates in any
    string or key, nesting too deep to walk.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{what}不是 UTF-8 编码的文字。") from None
    try:
        data = json.loads(text, parse_constant=_constant, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as e:
        raise InputError(f"{what}不是有效的 JSON（第{e.lineno}行第{e.colno}列附近有错误）。") from None
    except RecursionError:
        raise InputError(f"{what}的嵌套层数过多，无法读取。") from None
    _check(data, what)
    return data


def _check(data: Any, what: str) -> None:
    """Walk the parsed value (without recursion: any depth the parser accepted) for refused values."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _Bad):
            raise InputError(f"{what}中“{_path(path)}”的值“{_short(value.raw)}”{value.reason}。")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise InputError(f"{what}中“{_path(path)}”的文字含有无效的字符（孤立的代理字符），请检查来源。")
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if _SURROGATE.search(key):
                    raise InputError(f"{what}中“{_path(path)}”下有一个名称含无效字符（孤立的代理字符）的键。")
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
