"""A proposed change to a draft: which key, what value, and the words that justify it.

Every source (chat engine, notes, ledger, importer, a finding's fix, the clerk's own edit) speaks
in changes; applying them is a separate, single step (``assistant.editing``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_serializer

from assistant.cells import CELLS, FIELDS
from assistant.numbers import json_value


class Change(BaseModel):
    """Set one flat key (cell id, ``meta.*`` or section id) to a value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cell: str
    value: int | Decimal | str | list[Any] | None
    evidence: str = ""

    @field_serializer("value", when_used="json")
    def _value_json(self, value: Any) -> Any:
        return json_value(value)

    @property
    def known_key(self) -> bool:
        return self.cell in CELLS or self.cell in FIELDS
