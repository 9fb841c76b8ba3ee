"""Normalising Chinese text as found in the wild, so that labels can be matched by their words.

Published reports come in traditional characters (mirror sites), with full-width digits and
brackets, "1、" / "1，" / "1." numbering, spaces and line breaks inside labels and PDF glyph
spacing. Everything that compares words goes through here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A space between two CJK characters, or between CJK and punctuation, is layout, not content.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}\W])[ \t]+(?=[{_CJK}\W])|(?<=[{_CJK}])[ \t]+(?=\d)|(?<=\d)[ \t]+(?=[{_CJK}])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"'})
_NUMBERING = re.compile(r"^(\d{1,2})\s*[、，,．.]\s*")
_DASHES = re.compile(r"[‐‑‒–—―－─━]+")


def to_simplified(text: str) -> str:
    return str(_T2S.convert(text))


def nfkc(text: str) -> str:
    """Full-width digits, letters and brackets to their half-width forms."""
    return unicodedata.normalize("NFKC", text)


def clean_text(text: str) -> str:
    """Readable text: simplified characters, no layout spaces between CJK glyphs, no control chars.

    Keeps full-width punctuation (it is part of how Chinese is written) and line breaks.
    """
    text = to_simplified(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "").replace("\ufeff", "")
    lines = [_CJK_GAP.sub("", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A comparison key for a table label: equal keys mean the same label.

    Drops whitespace, numbering prefixes and punctuation variants; maps traditional to simplified
    and full-width to half-width; "合计" counts as "总计".
    """
    text = to_simplified(nfkc(text)).translate(_QUOTES)
    text = _SPACE.sub("", text)
    text = _NUMBERING.sub(lambda m: f"{m.group(1)}.", text)
    text = _DASHES.sub("-", text)
    text = text.replace("合计", "总计")
    return text.strip()


def words_key(text: str) -> str:
    """Like label_key, but also without numbering and punctuation: only the words remain."""
    key = label_key(text)
    key = re.sub(r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+\.)", "", key)
    return re.sub(r"[\W_]+", "", key)


def is_blank_mark(text: str) -> bool:
    """Whether a table cell's text is one of the marks that stand for "nothing": blank, "/", "—"."""
    t = _SPACE.sub("", nfkc(text))
    return t == "" or bool(re.fullmatch(r"[/\\\-‐‑‒–—―－─━×xX无]+", t))
