"""Offline engine accuracy and speed over the clerk message set (``fixtures/chat/messages.yaml``).

Also the loader of that set, shared with ``tests/test_engine_offline.py``: each case is a message,
an optional draft, the exact changes expected and whether the engine must ask something back.
"""

from __future__ import annotations

import fnmatch
import statistics
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from assistant import cells as reg
from assistant.engines.base import Proposal
from assistant.engines.offline import OfflineEngine
from assistant.model import Report
from bench import Result

MESSAGES = Path(__file__).resolve().parent.parent / "fixtures" / "chat" / "messages.yaml"
_LEAVES = [c.id for c in reg.CELLS.values() if not c.is_total]


@dataclass(frozen=True)
class Case:
    number: int
    msg: str
    draft: dict[str, Decimal] = field(default_factory=dict)
    expect: dict[str, Decimal] = field(default_factory=dict)
    ask: bool = False
    note: str = ""
    known_miss: str = ""

    @property
    def report(self) -> Report:
        return Report().with_values(self.draft)

    def id(self) -> str:
        return f"{self.number:03d}-{self.msg[:16]}"


def expand(spec: dict[str, Any]) -> dict[str, Decimal]:
    """A case's cell map with its shorthands (``.rest``, ``*``) spelled out."""
    out: dict[str, Decimal] = {}
    rest: list[tuple[str, Any]] = []
    for key, value in spec.items():
        if key.endswith(".rest"):
            rest.append((key.removesuffix(".rest"), value))
        elif "*" in key:
            for cid in fnmatch.filter(_LEAVES, key):
                out.setdefault(cid, Decimal(str(value)))
        elif key not in reg.CELLS:
            raise KeyError(f"unknown cell {key} in {MESSAGES.name}")
        else:
            out[key] = Decimal(str(value))
    for prefix, value in rest:
        columns = reg.T3_APPLICANT_COLUMNS if prefix.startswith("t3.") else reg.T4_OUTCOMES
        for col in columns:
            out.setdefault(f"{prefix}.{col}", Decimal(str(value)))
    return out


def load_cases(path: Path = MESSAGES) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            number=i,
            msg=str(entry["msg"]),
            draft=expand(entry.get("draft") or {}),
            expect=expand(entry.get("expect") or {}),
            ask=bool(entry.get("ask", False)),
            note=str(entry.get("note", "")),
            known_miss=str(entry.get("known_miss", "")),
        )
        for i, entry in enumerate(raw, start=1)
    ]


def proposed(proposal: Proposal) -> dict[str, Decimal]:
    return {c.cell: Decimal(str(c.value)) for c in proposal.changes}


def matches(case: Case, proposal: Proposal) -> bool:
    """Exact match: the same cells with the same values, and a question exactly when one is due."""
    return proposed(proposal) == case.expect and bool(proposal.questions) == case.ask


def run() -> list[Result]:
    engine = OfflineEngine()
    cases = load_cases()
    reports = [c.report for c in cases]
    engine.propose("今年收到个人申请12件")  # compile the lexicon once, as the app does at start
    exact = 0
    times: list[float] = []
    for _ in range(5):
        for case, report in zip(cases, reports, strict=True):
            t = time.perf_counter()
            engine.propose(case.msg, report)
            times.append((time.perf_counter() - t) * 1000)
    for case, report in zip(cases, reports, strict=True):
        exact += matches(case, engine.propose(case.msg, report))
    rate = exact / len(cases)
    ledger_ms, draft_ms = _ledger_and_draft_ms()
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    return [
        Result("engine", f"offline exact match ({len(cases)} clerk messages)", f"{rate:.1%} ({exact}/{len(cases)})",
               ">= 95%", rate >= 0.95),
        Result("engine", "offline latency per message (p50)", f"{p50:.2f} ms", "< 20 ms", p50 < 20),
        Result("engine", "offline latency per message (p95)", f"{p95:.2f} ms", "< 50 ms", p95 < 50),
        Result("engine", "ledger .xlsx (42 applications) to table 3 (p50)", f"{ledger_ms:.1f} ms", "< 500 ms",
               ledger_ms < 500),
        Result("engine", "section 五 drafted offline, with findings (p50)", f"{draft_ms:.1f} ms", "< 100 ms",
               draft_ms < 100),
    ]


def _ledger_and_draft_ms() -> tuple[float, float]:
    import json

    from assistant.drafting import draft_s5
    from assistant.ledger import ledger_changes
    from assistant.validator import validate

    root = MESSAGES.parent.parent
    ledger = root / "ledger" / "ledger-2024.xlsx"
    this = Report.from_flat(json.loads((root / "expected" / "hongze-district-2024.cells.json").read_text("utf-8")))
    last = Report.from_flat(json.loads((root / "expected" / "hongze-district-2023.cells.json").read_text("utf-8")))
    ledger_times, draft_times = [], []
    for i in range(7):
        t = time.perf_counter()
        ledger_changes(ledger)
        ledger_times.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        draft_s5(this, last, validate(this, last), seed=i)
        draft_times.append((time.perf_counter() - t) * 1000)
    return statistics.median(ledger_times), statistics.median(draft_times)
