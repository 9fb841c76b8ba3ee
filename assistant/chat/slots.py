"""Number slots: each quantity of a clause with the words that belong to it.

Words before a number belong to it ("个人12件"); when the clause starts with a number the words
after it do ("8件予以公开"). Words after the last number that no earlier number has are shared
("个人8件、企业2件予以公开"). "分别" pairs names and numbers in order; "三个村民各申请了1件" counts
the 1 three times. What the clause says around the number ("又", "多算了", "现在是") is its mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.chat import lexicon as lx
from assistant.chat.lexicon import NumberRole, Token
from assistant.chat.record import Mode


@dataclass
class Slot:
    words: list[Token]
    number: Token
    mode: Mode = Mode.SET
    now: bool = False  # "现在是11件": the value after an addition, not a new count
    remainder: bool = False  # "剩下的7件是个人的": what is left of the count, so nothing else is
    times: Decimal = Decimal(1)  # "三个村民各申请了1件": the number counted for each of them
    counted: dict[int, Decimal] = field(default_factory=dict)  # "4个村民和1家企业各…": a subject's own counter


def slots(clause_tokens: list[Token], norm: str = "") -> list[Slot]:
    """The slots of a clause (its tokens in order, non-quantity numbers included; ``norm`` the text)."""
    counters = [t for t in clause_tokens if t.is_number and t.role is NumberRole.COUNTER]
    tokens = [t for t in clause_tokens if not t.is_number or t.is_quantity]
    pairs = [p for part in _parts(tokens, norm) for p in _pairs(part)]
    if not pairs:
        return []
    pairs = _respectively(pairs, tokens)
    out = []
    for words, number in pairs:
        before = [t for t in tokens if t.end <= number.start]
        cats = {t.cat for t in [*before, *words] if not _joins_suit(t, tokens) and not _sums(t, norm)}
        mode = Mode.SET
        if lx.AGAIN in cats:
            mode = Mode.ADD
        elif lx.FEWER in cats:
            mode = Mode.SUBTRACT
        now = any(t.cat == lx.NOW for t in before)
        slot = Slot(words, number, mode, now, remainder=lx.REMAINDER in cats)
        subjects = [t for t in words if t.cat in (lx.APPL, lx.ORG, lx.T4G)]
        if any(t.cat == lx.EACH for t in words) and counters and len({t.id for t in subjects}) == 1:
            counter = max((c for c in counters if c.end <= number.start), key=lambda c: c.start, default=None)
            if counter is not None and counter.value is not None:
                slot.times = counter.value
        elif any(t.cat == lx.EACH for t in words) and counters:
            for subject in subjects:  # each subject with the counter right before it
                counter = next((c for c in counters if 0 <= subject.start - c.end <= 1), None)
                if counter is not None and counter.value is not None:
                    slot.counted[subject.start] = counter.value
        out.append(slot)
    return out


def _sums(token: Token, norm: str) -> bool:
    """ "去年结转的1件加上今年新收的6件，共办结7件": 加上 is arithmetic in words, not an addition."""
    if token.cat != lx.AGAIN or token.text not in _SUM_WORDS:
        return False
    rest = _SENTENCE.match(norm[token.end :])
    said = rest.group(0) if rest else ""
    return bool(_TOTAL.search(said)) and not _NOW.search(said)


# "2件（维持1，纠正1）": a bracket with numbers in it, right after a count ("16（个人）" holds words only)
_BRACKET_OF_NUMBERS = re.compile(r"\s*[(（][^()（）]*\d")
_SUM_WORDS = frozenset({"加上", "再加上", "连同", "加"})
_SENTENCE = re.compile(r"[^。；;！!？?\n]*")
_TOTAL = re.compile(r"一共|总共|共计|合计|共")
_NOW = re.compile(r"现在|目前")


def _joins_suit(token: Token, tokens: list[Token]) -> bool:
    """ "复议后又起诉", "经过复议又打官司": 又 says a suit came after the review, not an addition."""
    if token.cat != lx.AGAIN:
        return False
    nxt = next((t for t in tokens if t.start >= token.end), None)
    return nxt is not None and nxt.start - token.end <= 1 and nxt.cat in (lx.LIT, lx.T4G)


def _parts(tokens: list[Token], norm: str) -> list[list[Token]]:
    """Stretches of a clause whose numbers are paired apart.

    "这15件中予以公开12件": a count that opens a scope takes the words before it; what follows
    belongs to the counts inside the scope. "2件（维持1，纠正1）": a bracket with numbers inside
    holds the parts of the count before it.
    """
    cuts = []
    for i, t in enumerate(tokens[:-1]):
        rest = tokens[i + 1 :]
        if not t.is_number or not any(r.is_quantity for r in rest):
            continue
        if t.role is NumberRole.SCOPE or (_BRACKET_OF_NUMBERS.match(norm[t.end :]) is not None):
            cuts.append(i + 1)
    parts, start = [], 0
    for cut in cuts:
        parts.append(tokens[start:cut])
        start = cut
    parts.append(tokens[start:])
    return parts


def _pairs(tokens: list[Token]) -> list[tuple[list[Token], Token]]:
    numbers = [i for i, t in enumerate(tokens) if t.is_number]
    if not numbers:
        return []
    pairs: list[tuple[list[Token], Token]] = []
    if any(t.cat in lx.TARGETS for t in tokens[: numbers[0]]):
        prev = 0
        for i in numbers:
            pairs.append(([t for t in tokens[prev:i] if not t.is_number], tokens[i]))
            prev = i + 1
        trailing = [t for t in tokens[prev:] if not t.is_number]
        for words, _ in pairs[:-1]:
            have = {t.cat for t in words}
            words.extend(t for t in trailing if t.cat in lx.TARGETS and t.cat not in have)
        pairs[-1][0].extend(trailing)
    else:
        for k, i in enumerate(numbers):
            end = numbers[k + 1] if k + 1 < len(numbers) else len(tokens)
            pairs.append(([t for t in tokens[i + 1 : end] if not t.is_number], tokens[i]))
    return pairs


def _respectively(pairs: list[tuple[list[Token], Token]], tokens: list[Token]) -> list[tuple[list[Token], Token]]:
    """ "个人和企业分别为5件、3件": the first slot holds every name; give each number its own."""
    if len(pairs) < 2 or not any(t.cat == lx.RESP for t in tokens):
        return pairs
    first_words = pairs[0][0]
    for cat in (lx.APPL, lx.ROW, lx.T4C, lx.T4G, lx.T2C, lx.T2I, lx.FEE):
        named = [t for t in first_words if t.cat == cat]
        if len(named) == len(pairs) and all(not any(t.cat == cat for t in w) for w, _ in pairs[1:]):
            shared = [t for t in first_words if t.cat != cat]
            return [([*shared, named[k], *(w if k else [])], n) for k, (w, n) in enumerate(pairs)]
    return pairs
