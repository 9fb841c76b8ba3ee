"""How much of one Chinese text is another one again (rule PROBLEMS-COPIED, s5 drafting)."""

from __future__ import annotations

import re
from functools import lru_cache

_NOT_WORDS = re.compile(r"[\W\d_a-zA-Z]+")
_N = 8


@lru_cache(maxsize=256)
def shingles(text: str, n: int = _N) -> frozenset[str]:
    """Character n-grams of the words only: numbers, years and punctuation do not count."""
    t = _NOT_WORDS.sub("", text)
    return frozenset(t[i : i + n] for i in range(len(t) - n + 1))


def reuse_ratio(text: str, earlier: str) -> float:
    """Share of ``text``'s 8-grams that already stand in ``earlier`` (0.0 – 1.0)."""
    mine = shingles(text)
    if not mine:
        return 0.0
    return len(mine & shingles(earlier)) / len(mine)
