"""Pass ``segment``: a message cut into paragraphs, sentences and clauses.

A chat message is one paragraph unless the clerk leaves a blank line: a list typed line by line
("收到申请：\\n个人 10件\\n企业 2件") is read as one stretch of thought, each line a sentence. Notes
are documents: each line is its own paragraph, as their bullet points are. Sentences end at
。；！？ and line breaks, clauses at commas and at colons not followed by a number.
"""

from __future__ import annotations

import itertools
import re

from assistant.chat.record import Clause, Doc

_CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]")
# "个人申请：12件": a label without a number, then its value — one clause ("复议2件：1件维持…" stays two).
_VALUE_AFTER = re.compile(r"[ \t]*[\d０-９一二三四五六七八九十两零]")
_DIGIT = re.compile(r"[\d０-９]")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def paragraph_spans(doc: Doc) -> list[tuple[int, int]]:
    breaks = _BLANK_LINE if doc.kind == "chat" else re.compile(r"\n")
    spans, start = [], 0
    for m in breaks.finditer(doc.norm):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(doc.norm)))
    return [(a, b) for a, b in spans if doc.norm[a:b].strip()]


def segment(doc: Doc) -> None:
    """Fill ``doc.clauses``: every clause that holds at least one token, in order."""
    sentence = 0
    for p, (start, end) in enumerate(paragraph_spans(doc)):
        cuts = [start]
        for m in _CLAUSE_END.finditer(doc.norm, start, end):
            label = doc.norm[cuts[-1] : m.start()]
            if m.group(0) in "：:" and _VALUE_AFTER.match(doc.norm, m.end()) and not _DIGIT.search(label):
                continue
            cuts.append(m.end())
        cuts.append(end)
        ends = {m.end() for m in _SENTENCE_END.finditer(doc.norm, start, end)}
        for a, b in itertools.pairwise(cuts):
            tokens = [t for t in doc.tokens if a <= t.start < b]
            if tokens:
                doc.clauses.append(Clause((a, b), sentence, p, tokens))
            if b in ends:
                sentence += 1
        sentence += 1

