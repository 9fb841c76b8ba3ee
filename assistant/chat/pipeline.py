"""The chat's passes in order (see ``assistant.chat``): a message in, a read ``Doc`` out."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.chat import (
    changes,
    clauses,
    conversation,
    corrections,
    described,
    facts,
    help,
    markup,
    material,
    numbers,
    resolve,
)
from assistant.chat.lexicon import normalise, tokenize
from assistant.chat.record import Doc
from assistant.engines.base import ChatContext
from assistant.model import Report

Pass = Callable[[Doc], None]


def _tokens(doc: Doc) -> None:
    doc.tokens = tokenize(doc.norm)


def _table_shaped(doc: Doc) -> None:
    """Rows copied from a spreadsheet that the table reader did not take: not read as prose."""
    rows = [line for line in doc.text.splitlines() if len(re.findall(r"(?:\t|\s{2,}|\|)\s*\d", line)) >= 3]
    doc.pasted = len(rows) >= 1 and len(rows) * 2 >= len([line for line in doc.text.splitlines() if line.strip()])
    if doc.pasted:
        doc.clauses.clear()
        doc.ask("pasted")


PASSES: tuple[Pass, ...] = (
    markup.unmark,
    _tokens,
    clauses.segment,
    numbers.mark_numbers,
    described.mark_descriptions,
    _table_shaped,
    help.answer,
    conversation.seed,
    corrections.read_moves,
    facts.read_facts,
    material.collect,
    resolve.resolve,
    corrections.against_draft,
    changes.to_changes,
)


def read(text: str, report: Report | None = None, context: ChatContext | None = None, *, kind: str = "chat") -> Doc:
    """Run every pass over ``text`` read against ``report``; nothing is applied."""
    doc = Doc(text=text, norm=normalise(text), report=report or Report(), kind=kind, context=context)
    for step in PASSES:
        if doc.help and step in _NOT_FOR_HELP:
            continue
        step(doc)
    return doc


# A question about the form says nothing about the draft: its words are not read as counts.
_NOT_FOR_HELP: frozenset[Pass] = frozenset({corrections.read_moves, facts.read_facts, material.collect})


def next_context(doc: Doc) -> ChatContext:
    return conversation.next_context(doc)
