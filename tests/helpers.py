"""Shared test helpers: fixture reports and finding assertions (table-driven rule tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.findings import Finding, Status
from assistant.model import Report
from assistant.rules import message_for
from assistant.validator import validate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECTED = FIXTURES / "expected"


def unmd(source: str) -> str:
    """Markdown source made by ``assistant.safe_text.md`` read back as the text a browser shows."""
    import html
    import re

    return html.unescape(re.sub(r"\\(.)", r"\1", source.replace("  \n", "\n")))


def flat_fixture(name: str) -> dict[str, Any]:
    return json.loads((EXPECTED / f"{name}.cells.json").read_text(encoding="utf-8"))


def ziqiang() -> Report:
    """长春市南关区自强街道办事处 2024: a real, clean report (all table numbers are 0)."""
    return Report.from_flat(flat_fixture("ziqiang-street-2024"))


def failed(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule and f.status is Status.FAILED]


def assert_finding(
    report: Report,
    rule: str,
    key: str = "fail",
    *,
    cells: list[str] | None = None,
    expected: Any = None,
    previous: Report | None = None,
    fmt: dict[str, Any] | None = None,
) -> Finding:
    """The finding described is among the report's findings; ``fmt`` fills the rule table's message."""
    found = failed(validate(report, previous), rule)
    assert found, f"no {rule} finding"
    message = message_for(rule, key, **fmt) if fmt is not None else None
    matches = [
        f
        for f in found
        if (cells is None or set(cells) <= set(f.cells))
        and (expected is None or f.expected == expected)
        and (message is None or f.message == message)
    ]
    assert matches, f"{rule}: none of {[f.message for f in found]} matches cells={cells} expected={expected} {message}"
    return matches[0]


def assert_clean(report: Report, rule: str, *, previous: Report | None = None) -> None:
    found = failed(validate(report, previous), rule)
    assert not found, [f.message for f in found]
