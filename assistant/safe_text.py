"""Untrusted text made inert before the view shows it or the store writes it.

Anything that comes from a file, a note, the chat, an import or a model is data: it is shown as the
characters it is, never as HTML and never as Markdown that could load a remote image, follow a
link or style itself. Streamlit reads Markdown in ``st.markdown``, ``st.caption``, ``st.info`` and
the other notices, ``st.write`` of a string, titles, and the labels of checkboxes, buttons,
expanders and radios; the view passes every piece of outside text through ``md`` before it reaches
any of them (or shows it with ``st.text``). The only HTML the app renders is what the project
builds itself from escaped values (``assistant.views.preview_html``); a test scans ``ui/`` for any
other ``unsafe_allow_html``.

``clean`` (and ``clean_data`` for nested JSON-able data) removes what no database or file can
store: lone UTF-16 surrogates (``"\\ud800"``, which a JSON escape or a broken decoder can produce)
and NUL characters (PostgreSQL refuses them in text).
"""

from __future__ import annotations

import html
import re
from typing import Any

# What Markdown (CommonMark, GFM, Streamlit's ``:red[…]``, ``:material/icon:``, ``:emoji:`` and
# ``$…$``) could read as syntax, escaped with a backslash where it could act and nowhere else, so
# that ordinary text ("0431-81179803", "3.5", "12:30", "工作笔记.txt") stays as typed. ``<``, ``>`` and
# ``&`` are written as entities first (``html.escape``): no tag or entity of the input survives.
# Inline: emphasis, code, links and images (``[``/``]``: without them ``!`` and ``(`` are plain),
# strikethrough, tables, math, e-mail autolinks (``@``), ``www.`` autolinks, and a colon that could
# start a scheme (``http:``, ``javascript:``) or a Streamlit directive, icon or emoji.
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]~|$@])|(:)(?![\d\s])|(?i:(?<=www)(\.))")
# At the start of a line: headings, quotes, lists, thematic breaks, setext underlines, numbered lists.
_LINE_START = re.compile(r"^(?:([#>+\-=])|(\d{1,9})([.)]))")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")
_WHITESPACE_RUN = re.compile(r"\s+")
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
_INVISIBLE = re.compile("[\x01-\x08\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")  # controls, bidi overrides


def md(text: object, *, inline: bool = False) -> str:
    """``text`` as Markdown source that shows exactly these characters: no HTML, links, images or styling.

    Line breaks are kept as hard breaks (a clerk's note reads as written); with ``inline`` (labels,
    titles) every run of whitespace becomes one space. Leading spaces cannot indent a line into a
    code block, control and bidi-override characters are dropped (they could disguise the text).
    """
    plain = _INVISIBLE.sub("", clean(str(text)))
    if inline:
        return _escape(_WHITESPACE_RUN.sub(" ", plain).strip())
    lines = [_escape(line.strip(" \t")) for line in _LINE_BREAKS.split(plain)]
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line:
            out[-1] += "  "  # two trailing spaces: a hard line break between the two lines
        out.append(line)
    return "\n".join(out).strip("\n")


def _escape(line: str) -> str:
    escaped = _INLINE_SYNTAX.sub(lambda m: "\\" + m.group(0), html.escape(line, quote=False))
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped)


def clean(text: str) -> str:
    """``text`` without lone surrogates (each becomes U+FFFD) and NUL characters: storable anywhere."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def clean_data(data: Any) -> Any:
    """JSON-able ``data`` with every string (and key) passed through ``clean``."""
    if isinstance(data, str):
        return clean(data)
    if isinstance(data, dict):
        return {clean(k) if isinstance(k, str) else k: clean_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [clean_data(v) for v in data]
    return data
