"""Pass ``unmark``: markup, links and clock times are not the clerk's words and carry no counts.

Text pasted from a web page, a mail or a WeChat chat brings HTML tags and entities (``<img …
onerror=alert(2)>``, ``&nbsp;``), links with query strings (``…?id=1&page=2``), mail addresses and
clock times (``10:30``). None of their digits is a count. They are blanked in ``Doc.norm`` (same
length, so every span still points into the clerk's text) and remembered in ``Doc.masked``, so
evidence and material quote the words around them, never them. List markers written as symbols
(①, ⑵, 3️⃣) become sentence breaks: NFKC would otherwise turn ① into the digit 1.
"""

from __future__ import annotations

import re

from assistant.chat.record import Doc

_MARKUP = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>"  # a script or style element with its content
    r"|<!--.*?-->"
    r"|</?[A-Za-z][A-Za-z0-9:-]*(?:[\s/][^<>]{0,400})?/?>"  # a tag with its attributes
    r"|&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});",  # an entity
    re.DOTALL | re.IGNORECASE,
)
_STOP = r"\s，。；、“”\"'<>（）()【】《》"
_LINK = re.compile(
    rf"(?:https?|ftp)://[^{_STOP}]+"
    rf"|www\.[^{_STOP}]+"
    rf"|[A-Za-z0-9][A-Za-z0-9.-]*\.(?:gov|com|org|net|edu)(?:\.cn)?(?:[/?][^{_STOP}]*)?(?![A-Za-z])"
    r"|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?<![\d.])\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?![\d.])")
_KEYCAP = re.compile(r"[0-9#*]\ufe0f?\u20e3")
# ①–⒇, ⑴–⒇, ⒈–⒛, ❶–➓, ㉑–㊿: numbers that only ever number a list.
_LIST_SYMBOL = re.compile(r"[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds markup, links, mail addresses or clock times."""
    spans = [m.span() for pattern in (_MARKUP, _LINK, _CLOCK) for m in pattern.finditer(text)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def unmark(doc: Doc) -> None:
    chars = list(doc.norm)
    for m in [*_KEYCAP.finditer(doc.text), *_LIST_SYMBOL.finditer(doc.text)]:
        for i in range(*m.span()):
            chars[i] = "；"
    doc.masked = masked_spans(doc.text)
    for a, b in doc.masked:
        for i in range(a, b):
            chars[i] = " "
    doc.norm = "".join(chars)
