"""Untrusted text made inert before the view shows it.

Anything that comes from a file, a note, the chat, an import or a model is data: it is shown as the
characters it is, never as HTML and never as Markdown that could load a remote image or follow a link.
The view passes such text through ``md`` before ``st.markdown`` (or shows it with ``st.text``); the
only HTML the app renders is what the project builds itself from escaped values (table previews).
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character Markdown (CommonMark, GFM, Streamlit's directives such as
# ``:red[…]`` and ``$…$``) could read as syntax; a backslash makes each a literal character.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:>])")


def md(text: object) -> str:
    """``text`` as Markdown source that shows exactly these characters: no HTML, links, images or styling."""
    escaped = html.escape(str(text), quote=False)
    return _MARKDOWN_SYNTAX.sub(r"\\\1", escaped)
