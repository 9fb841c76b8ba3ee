"""How drafts speak: the agency's word for itself, seeded choices of wording, sentences.

Wording varies with a seed derived from the agency and year, so that two offices (or two years)
do not get the same text; for one input the draft is always the same. A ``Writer`` never hands
out the same variant twice, so a draft does not say "已基本整改到位" in two sentences running.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.model import Report

ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是")
HEADING_NUMBERS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）")

_LEAD_MARK = re.compile(
    r"^\s*(?:[-*•·]|\d+[、.．)）]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)\s*"
)
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n")


def seed_of(report: Report, seed: int | str | None) -> int:
    key = str(seed) if seed is not None else f"{report.meta.agency or ''}|{report.meta.year or ''}"
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:12], 16)


def we_of(agency: str | None) -> str:
    """How an agency speaks of itself: 我街道, 我区, 我市, 我局… ("本机关" when unknown)."""
    if not agency:
        return "本机关"
    name = re.sub(r"\s+", "", agency)
    for ending, we in (
        ("街道办事处", "我街道"),
        ("乡人民政府", "我乡"),
        ("镇人民政府", "我镇"),
        ("区人民政府", "我区"),
        ("县人民政府", "我县"),
        ("市人民政府", "我市"),
        ("省人民政府", "我省"),
        ("办公室", "我办"),
        ("局", "我局"),
        ("委员会", "我委"),
        ("厅", "我厅"),
        ("中心", "我中心"),
    ):
        if name.endswith(ending):
            return we
    return "本机关"


class Writer:
    """Seeded choices among ways of saying a thing, each variant handed out at most once."""

    def __init__(self, report: Report, seed: int | str | None, words: Mapping[str, Sequence[str]]) -> None:
        self.rng = random.Random(seed_of(report, seed))
        self.words = words
        self.year = report.meta.year
        self.we = we_of(report.meta.agency)
        self._used: set[str] = set()

    def pick(self, key: str, **values: Any) -> str:
        options = list(self.words[key])
        fresh = [o for o in options if o not in self._used] or options
        text = self.rng.choice(fresh)
        self._used.add(text)
        year = self.year or "本"
        return text.format(we=self.we, year=year, next=(self.year + 1) if self.year else "下一", **values)

    def shuffled(self, items: Sequence[Any]) -> list[Any]:
        out = list(items)
        self.rng.shuffle(out)
        return out


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with its closing mark, blank pieces dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _core(sentence: str) -> str:
    """A sentence as compared for repetition: without its list marker and punctuation."""
    s = re.sub(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八]是|\d+[、.．])", "", sentence.strip())
    return re.sub(r"[\s，,。；;：:！!？?、“”\"']", "", s)


def repeated_sentences(text: str) -> list[str]:
    """Clauses said twice in ``text``: the same clause (eight characters or more) again, or a
    clause of twelve characters or more inside another one ("我区坚持以公开为常态…" after
    "坚持以公开为常态…")."""
    clauses: list[tuple[str, str]] = []
    for sentence in sentences(text):
        for clause in re.split(r"[，,：:]", sentence):
            core = _core(clause)
            if len(core) >= 8:
                clauses.append((core, clause.strip().rstrip("。；;")))
    repeated: list[str] = []
    for i, (core, clause) in enumerate(clauses):
        for other, _ in clauses[:i]:
            if core == other or (len(core) >= 12 and core in other) or (len(other) >= 12 and other in core):
                if clause not in repeated:
                    repeated.append(clause)
                break
    return repeated


def as_sentence(statement: str) -> str:
    """A clerk's statement ("主动公开信息320条") as a sentence of the draft ("主动公开信息320条。")."""
    s = _LEAD_MARK.sub("", statement)
    s = s.strip().rstrip("，,；;、 ")
    if not s:
        return ""
    return s if s[-1] in "。！？!?" else s + "。"


def joined(parts: Sequence[str], sep: str = "，") -> str:
    return sep.join(p for p in parts if p)
