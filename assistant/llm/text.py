"""Drafting's call: a section text from the model, as prose or as JSON with a ``text``.

No output method is imposed (prose needs none): the reply is read leniently — thinking stripped,
a Markdown fence removed, and when the model answered JSON anyway (``{"text": "…"}``, even with
literal newlines inside the string, or wrapped) the text is taken from it. ``check`` (drafting's
own checks of the numbers and the wording) decides whether the text may be offered; its reasons
are sent back in a re-ask, at most ``settings.max_retries`` times. A cut-off answer is never
offered: it is asked again with more room, then refused as truncated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.engines.settings import EngineSettings, Method
from assistant.errors import EngineError
from assistant.llm import parse
from assistant.prompts import Prompt, load_prompt

MAX_TOKENS_DRAFT = 2048
TEXT_KEYS = frozenset({"text", "content", "draft", "正文"})
_FENCE_ONLY = re.compile(r"^```[a-zA-Z]*\s*\n?(.*?)\n?```\s*$", re.S)

Check = Callable[[str], Sequence[str]]


@dataclass
class TextAnswer:
    """A drafted text that passed ``check``, what answered it, and notices for the clerk."""

    text: str
    engine: str
    prompt: str  # "id@version" of the prompts used, for the audit trail
    attempts: int = 1
    notices: list[str] = field(default_factory=list)
    usage: list[dict[str, Any]] = field(default_factory=list)


def output_format() -> str:
    """The output-format paragraph for a drafting prompt (prompt file ``output_text``)."""
    return load_prompt("output_text").system.strip()


def read_text(content: str) -> str:
    """The section text in a reply: prose as written, or the ``text`` of a JSON answer."""
    body, _ = parse.strip_thinking(content)
    body = body.strip()
    fence = _FENCE_ONLY.match(body)
    if fence:
        body = fence.group(1).strip()
    if body.startswith(("{", "[")):
        read = parse.read_json(body)
        found = _text_in(read.data) if read.ok else None
        if found is not None:
            return found.strip()
    return body


def _text_in(data: Any, depth: int = 0) -> str | None:
    """The text of a JSON answer: under a text-like key, or the only string, however wrapped."""
    if isinstance(data, str):
        return data
    if depth > 4:
        return None
    if isinstance(data, list) and len(data) == 1:
        return _text_in(data[0], depth + 1)
    if isinstance(data, dict):
        for key in TEXT_KEYS:
            if key in data:
                found = _text_in(data[key], depth + 1)
                if found is not None:
                    return found
        if len(data) == 1:
            return _text_in(next(iter(data.values())), depth + 1)
    return None


def draft_text(
    settings: EngineSettings,
    system: str,
    user: str,
    *,
    prompt: Prompt,
    check: Check,
    max_tokens: int = MAX_TOKENS_DRAFT,
) -> TextAnswer:
    """One drafted text through the configured endpoint; EngineError when none may be offered.

    ``system``/``user`` are the rendered prompt; ``check(text)`` returns the reasons (Chinese)
    why a text may not be offered, empty when it may.
    """
    from assistant.llm.structured import Session

    session = Session(settings, max_tokens)
    history: list[dict[str, Any]] = []
    used = [prompt.ref]

    def build(_method: Method | None) -> list[dict[str, Any]]:
        return [{"role": "system", "content": system}, {"role": "user", "content": user}, *history]

    problems: Sequence[str] = ()
    for attempt in range(1, settings.max_retries + 2):
        reply = session.send(build, None, None, "draft", "")
        text = read_text(reply.content)
        problems = ["回答为空，没有给出正文。"] if not text else list(check(text))
        if not problems:
            return TextAnswer(text, settings.engine_name, "+".join(used), attempt, session.notices, session.usage)
        reask = load_prompt("reask")
        if reask.ref not in used:
            used.append(reask.ref)
        history += [
            {"role": "assistant", "content": (reply.content or "（空）")[:4000]},
            {"role": "user", "content": reask.render(errors="\n".join(f"- {p}" for p in problems[:10]))[0]},
        ]
    raise EngineError(f"大模型起草的正文多次未通过检查（{'；'.join(list(problems)[:3])}）。")


__all__ = ["MAX_TOKENS_DRAFT", "TextAnswer", "draft_text", "output_format", "read_text"]
