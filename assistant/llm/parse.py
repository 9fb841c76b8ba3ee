"""Reading what a model wrote, leniently in form and strictly in values.

Models wrap a usable answer in many ways: a ``<think>…</think>`` block first (Qwen3, QwQ and R1
distills served without a reasoning parser; sometimes only the closing ``</think>``), prose or a
Markdown fence around the JSON, a trailing comma, a literal newline inside a string, the object
wrapped (``{"proposal": {...}}``) or given as a bare array, tool arguments encoded twice, or a
Hermes-style ``<tool_call>…</tool_call>`` in the content instead of a tool call. All of these are
form, and are repaired here.

Values are another matter: ``NaN``, ``Infinity``, ``1e400``, integers of thousands of digits and
lone surrogates are refused (``BadJSON``), never passed on: a reply carrying one is an invalid
reply like any other. Every JSON text goes through ``loads`` — the one strict loader, to be pointed
at ``assistant.jsonsafe.loads`` once that lands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assistant import jsonsafe
from assistant.errors import InputError
from assistant.jsonsafe import Strictness

MAX_INT_DIGITS = 30
MAX_ABS_NUMBER = Decimal(10) ** 15
MAX_DEPTH = 40

_THINK_BLOCK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_THINK_CLOSE = re.compile(r"^.*?</(?:think|thinking|reasoning)>", re.S | re.I)
_THINK_OPEN_ONLY = re.compile(r"<(?:think|thinking|reasoning)>", re.I)
_FENCE = re.compile(r"```[a-zA-Z]*[ \t]*\n?(.*?)```", re.S)
_HERMES = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)


class BadJSON(InputError):
    """JSON that may not be used: broken beyond repair, or carrying a value no cell can hold."""


class BadValue(BadJSON):
    """Well-formed JSON carrying a value that may not be used (NaN, 1e400, a lone surrogate…)."""


# ------------------------------------------------------------------------------------------------
# The strict loader

# What a model's reply may hold: exact decimals, no number a cell could not take, shallow nesting.
REPLY = Strictness(decimals=True, digits=MAX_INT_DIGITS, magnitude=MAX_ABS_NUMBER, depth=MAX_DEPTH)


def loads(text: str) -> Any:
    """JSON read strictly (``assistant.jsonsafe.loads`` at ``REPLY`` strictness): numbers as int/Decimal
    within bounds, no NaN/Infinity, valid strings. Raises BadJSON (an InputError); the lenient reader
    below only needs ``loads`` to raise an InputError for anything it will not return."""
    try:
        return jsonsafe.loads(text, what="回答", strict=REPLY)
    except jsonsafe.RefusedValue as e:  # said so that the re-ask names what to change
        raise BadJSON(f"回答中有无法使用的数值或字符：{e.message}") from None
    except InputError as e:
        raise BadJSON(e.message) from None


# ------------------------------------------------------------------------------------------------
# Lenient reading


@dataclass
class Read:
    """What was found in a reply, and how it had to be repaired (for the log and the tests)."""

    data: Any = None
    repairs: list[str] = field(default_factory=list)
    problem: str = ""  # Chinese, for the re-ask, when nothing usable was found

    @property
    def ok(self) -> bool:
        return self.data is not None


def strip_thinking(text: str) -> tuple[str, bool]:
    """The text without reasoning blocks; an unclosed ``</think>`` cuts everything before it."""
    out = _THINK_BLOCK.sub("", text)
    if re.search(r"</(?:think|thinking|reasoning)>", out, re.I):
        out = _THINK_CLOSE.sub("", out, count=1)
    return out.strip(), out.strip() != text.strip()


def thinking_unfinished(text: str) -> bool:
    """True when the text opens a reasoning block it never closes (cut off while thinking)."""
    stripped = _THINK_BLOCK.sub("", text)
    return bool(_THINK_OPEN_ONLY.search(stripped)) and not re.search(r"</(?:think|thinking|reasoning)>", stripped, re.I)


def balanced_spans(text: str, opener: str = "{") -> Iterable[tuple[int, int]]:
    """Spans of balanced ``{…}`` (or ``[…]``) in ``text``, outermost first, strings respected."""
    closer = "}" if opener == "{" else "]"
    i = 0
    while True:
        start = text.find(opener, i)
        if start < 0:
            return
        depth, in_str, esc = 0, False, False
        end = -1
        for j in range(start, len(text)):
            ch = text[j]
            if in_str:
                if esc:
                    esc = False
                elif ch == "\\":
                    esc = True
                elif ch == '"':
                    in_str = False
            elif ch == '"':
                in_str = True
            elif ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    end = j + 1 if ch == closer else -1
                    break
        if end < 0:
            yield start, len(text)  # unbalanced to the end: a candidate for repair
            return
        yield start, end
        i = end


def _repair(text: str) -> str:
    import json_repair

    repaired = json_repair.repair_json(text, skip_json_loads=True)
    return repaired if isinstance(repaired, str) else ""


def _well_formed(text: str) -> bool:
    """True when ``text`` is JSON syntax (values aside: Python's parser takes NaN and huge numbers)."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    except (ValueError, RecursionError):  # int() beyond its digit limit: well-formed, a bad value
        return True
    return True


def _strict(text: str) -> Any:
    """``loads``, with a refusal of well-formed JSON raised as BadValue (it is never repaired away)."""
    try:
        return loads(text)
    except InputError as e:
        if _well_formed(text):
            raise BadValue(e.message) from None
        raise BadJSON("回答不是有效的 JSON。") from None


def _load_or_repair(candidate: str, repairs: list[str]) -> Any:
    try:
        return _strict(candidate)
    except BadValue:
        raise
    except BadJSON:
        pass
    fixed = _repair(candidate)
    if not fixed or fixed in ('""', "{}", "[]"):
        raise BadJSON("回答不是有效的 JSON。")
    data = _strict(fixed)
    repairs.append("json-repair")
    return data


def read_json(text: str) -> Read:
    """The first JSON object (or array) a model wrote, however it was wrapped.

    Order: thinking stripped; a Markdown fence; the whole text; the first balanced ``{…}`` in
    prose; the first ``[…]``. Broken syntax is repaired (json-repair); bad values are not.
    """
    result = Read()
    if not text or not text.strip():
        result.problem = "回答为空。"
        return result
    body, stripped = strip_thinking(text)
    if stripped:
        result.repairs.append("thinking")
    if not body:
        result.problem = "回答只有推理过程，没有给出结果。"
        return result
    candidates: list[tuple[str, str]] = []
    fence = _FENCE.search(body)
    if fence:
        candidates.append((fence.group(1).strip(), "fence"))
    candidates.append((body, ""))
    for start, end in balanced_spans(body, "{"):
        candidates.append((body[start:end], "prose"))
        break
    brace, bracket = body.find("{"), body.find("[")
    if bracket >= 0 and (brace < 0 or bracket < brace):  # a bare array, not one inside an object
        for start, end in balanced_spans(body, "["):
            candidates.append((body[start:end], "prose"))
            break
    for candidate, how in candidates:
        if not candidate.lstrip().startswith(("{", "[", '"')):
            continue
        try:
            data = _load_or_repair(candidate, result.repairs)
        except BadValue as e:  # a bad value makes the whole reply invalid: no inner part is taken
            result.problem = e.message
            return result
        except BadJSON:
            continue
        if how:
            result.repairs.append(how)
        result.data = data
        return result
    result.problem = "回答不是有效的 JSON（可能不完整或夹杂了其他文字）。"
    return result


def decode_arguments(arguments: Any) -> Read:
    """Tool-call arguments: a JSON object, possibly encoded twice, possibly with broken syntax."""
    result = Read()
    value = arguments
    for _ in range(4):
        if isinstance(value, dict | list):
            result.data = value
            return result
        if not isinstance(value, str):
            break
        inner = read_json(value)
        if not inner.ok:
            bad_value = inner.problem.startswith("回答中")
            result.problem = inner.problem if bad_value else "工具调用的参数不是有效的 JSON 对象。"
            return result
        result.repairs += inner.repairs
        if isinstance(inner.data, str):
            result.repairs.append("double-encoded")
        value = inner.data
    result.problem = "工具调用的参数不是有效的 JSON 对象。"
    return result


def hermes_tool_calls(text: str) -> list[tuple[str, Any]]:
    """``<tool_call>{"name": …, "arguments": …}</tool_call>`` blocks written into the content."""
    calls: list[tuple[str, Any]] = []
    body, _ = strip_thinking(text)
    for m in _HERMES.finditer(body):
        read = read_json(m.group(1))
        if isinstance(read.data, dict) and "name" in read.data:
            calls.append((str(read.data.get("name")), read.data.get("arguments", read.data.get("parameters"))))
    return calls


def unwrap(data: Any, keys: frozenset[str], list_key: str | None = None) -> tuple[Any, list[str]]:
    """The object with the expected ``keys``: unwrapped from ``{"proposal": {...}}`` and the like.

    A bare array becomes ``{list_key: array}`` when ``list_key`` is given.
    """
    repairs: list[str] = []
    for _ in range(3):
        if isinstance(data, list) and list_key is not None:
            if len(data) == 1 and isinstance(data[0], dict) and keys & set(data[0]):
                data = data[0]
                repairs.append("array-of-one")
                continue
            return {list_key: data}, [*repairs, "bare-array"]
        if not isinstance(data, dict) or keys & set(data):
            return data, repairs
        inner = [v for v in data.values() if isinstance(v, dict | list)]
        if len(data) == 1 and len(inner) == 1:
            data = inner[0]
            repairs.append("wrapper")
            continue
        if isinstance(data.get("arguments"), dict | str):  # {"name": "proposal", "arguments": {...}}
            decoded = decode_arguments(data["arguments"])
            if decoded.ok:
                data = decoded.data
                repairs.append("wrapper")
                continue
        return data, repairs
    return data, repairs


__all__ = [
    "BadJSON",
    "BadValue",
    "Read",
    "balanced_spans",
    "decode_arguments",
    "hermes_tool_calls",
    "loads",
    "read_json",
    "strip_thinking",
    "thinking_unfinished",
    "unwrap",
]
