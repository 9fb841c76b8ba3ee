"""Kept for the modules that still import the chat's tokens from here (the ledger reader and the
LLM engine's cell selection): the lexicon and tokenizer now live in ``assistant.chat.lexicon``."""

from __future__ import annotations

from assistant.chat.lexicon import (
    APPL,
    COUNT_UNITS,
    FEE,
    GROUP3,
    LIT,
    MONEY_UNITS,
    ORG,
    OTHER,
    ROW,
    T2C,
    T2I,
    T4C,
    T4G,
    TOTAL,
    WEAK_NEW,
    Meaning,
    Token,
    lexicon,
    normalise,
    tokenize,
)

__all__ = [
    "APPL",
    "COUNT_UNITS",
    "FEE",
    "GROUP3",
    "LIT",
    "MONEY_UNITS",
    "ORG",
    "OTHER",
    "ROW",
    "T2C",
    "T2I",
    "T4C",
    "T4G",
    "TOTAL",
    "WEAK_NEW",
    "Meaning",
    "Token",
    "lexicon",
    "normalise",
    "tokenize",
]
