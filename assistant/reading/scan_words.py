"""A label cell misread by one or two glyphs put right from the tables' own words.

OCR confuses glyphs that differ by a stroke ("予以公开" read "子以公开", "申请" read "中请"); the
table reader finds rows by their words, so one wrong glyph loses a row. A table's label cells are
printed words from a fixed vocabulary: the official labels and their aliases in the cell registry.
A label cell whose words are within a small edit distance of exactly one vocabulary entry (and
clearly nearer to it than to any other) takes that entry's words; its numbering is kept as read.
Numbers and text that is near nothing are left as read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant import cells as reg
from assistant.textnorm import to_simplified

_NUMBERING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．，,]|\d{1,2}\s*[、.．，,])\s*"
)
_NOT_CJK = re.compile(r"[^\u3400-\u9fff]+")


def _squash(text: str) -> str:
    return _NOT_CJK.sub("", to_simplified(text))


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Squashed words → the label as printed (without its numbering), for every table label."""
    axes = [
        *reg.T2_ITEMS, *reg.T2_COLUMNS, *reg.T3_ROWS, *reg.T3_COLUMNS, *reg.T3_GROUPS, reg.T3_ORG_GROUP,
        *reg.T4_GROUPS, reg.T4_LITIGATION, *reg.T4_COLUMNS,
    ]  # fmt: skip
    words: dict[str, str] = {}
    for axis in axes:
        for text in (axis.label, *axis.aliases):
            body = _NUMBERING.sub("", text)
            key = _squash(body)
            if len(key) >= 2:
                words.setdefault(key, body)
    for text in (reg.T2_ITEM_HEADER, reg.T3_APPLICANT_HEADER):
        words.setdefault(_squash(text), text)
    return words


def snap(text: str) -> str:
    """``text`` with its words replaced by the one table label they are a near misreading of."""
    m = _NUMBERING.match(text)
    prefix, body = (text[: m.end()], text[m.end() :]) if m else ("", text)
    key = _squash(body)
    if len(key) < (2 if prefix else 3):  # two glyphs are too few to judge unless numbered ("（七）总计")
        return text
    words = vocabulary()
    if key in words:
        return text
    allowed = 1 if len(key) <= 6 else 2 if len(key) <= 14 else 3
    best: tuple[int, str] | None = None
    second = allowed + 1
    for candidate in words:
        if abs(len(candidate) - len(key)) > allowed:
            continue
        d = _distance(key, candidate, allowed)
        if best is None or d < best[0]:
            if best is not None:
                second = min(second, best[0])
            best = (d, candidate)
        elif d < second:
            second = d
    if best is None or best[0] > allowed or second <= best[0]:
        return text
    return prefix + words[best[1]]


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it is certain to exceed ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
