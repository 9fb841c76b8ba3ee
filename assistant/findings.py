"""What the validator reports: one finding per broken (or not yet checkable) rule instance."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from assistant.changes import Change
from assistant.numbers import json_value
from assistant.rules import Severity


class Status(StrEnum):
    FAILED = "failed"
    NOT_ASSESSABLE = "not_assessable"


class Fix(BaseModel):
    """Changes that make the finding go away, where the arithmetic determines them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    changes: list[Change]
    description: str


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    severity: Severity
    status: Status = Status.FAILED
    cells: list[str] = Field(default_factory=list)
    seen: dict[str, Any] = Field(default_factory=dict)
    expected: Any = None
    message: str
    fix: Fix | None = None

    @field_serializer("seen", when_used="json")
    def _seen_json(self, seen: dict[str, Any]) -> dict[str, Any]:
        return {k: json_value(v) for k, v in seen.items()}

    @field_serializer("expected", when_used="json")
    def _expected_json(self, expected: Any) -> Any:
        return json_value(expected)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR and self.status is Status.FAILED


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then what could not be checked; stable within each."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(findings, key=lambda f: order[f.severity])
