"""Offline engine accuracy and speed over the clerk message sets.

Three sets share one schema (``fixtures/chat/``):
- ``messages.yaml``: messages in the style of the official labels (the engine's first set);
- ``clerk.yaml``: messages in clerks' own words, by kind, with corrections and conversations;
- ``heldout.yaml``: the lead's held-out set in the same schema, scored when the file exists.

Also the loader and the scorer of those sets, shared with the tests: each case is one message (or
the turns of a conversation), an optional draft, the exact changes expected, and optionally
whether the engine must ask, the material it must keep and the words its help must contain.
"""

from __future__ import annotations

import fnmatch
import inspect
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from assistant import cells as reg
from assistant.engines.base import Engine, Proposal
from assistant.engines.offline import OfflineEngine
from assistant.model import Report
from bench import Result

CHAT = Path(__file__).resolve().parent.parent / "fixtures" / "chat"
MESSAGES = CHAT / "messages.yaml"
CLERK = CHAT / "clerk.yaml"
HELDOUT = CHAT / "heldout.yaml"
KINDS = ("plain_results", "applicants", "structure", "not_cells", "pasted", "t4_legal", "corrections",
         "conversation", "help", "material")
_LEAVES = [c.id for c in reg.CELLS.values() if not c.is_total]


@dataclass(frozen=True)
class Turn:
    """One message of a case and what the engine must answer to it."""

    msg: str
    expect: dict[str, Decimal] = field(default_factory=dict)
    ask: bool | None = None  # None: not checked
    material: dict[str, str] = field(default_factory=dict)  # section -> text material.<section> must gain
    help: tuple[str, ...] = ()  # words the reply must contain


@dataclass(frozen=True)
class Case:
    number: int
    turns: tuple[Turn, ...]
    draft: dict[str, Decimal] = field(default_factory=dict)
    kind: str = ""
    note: str = ""
    known_miss: str = ""
    set: str = ""

    @property
    def msg(self) -> str:
        return self.turns[0].msg

    @property
    def expect(self) -> dict[str, Decimal]:
        return self.turns[0].expect

    @property
    def ask(self) -> bool:
        return bool(self.turns[0].ask)

    @property
    def report(self) -> Report:
        return Report().with_values(self.draft)

    def id(self) -> str:
        return f"{self.number:03d}-{self.kind + '-' if self.kind else ''}{self.msg[:16]}"


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
            raise KeyError(f"unknown cell {key}")
        else:
            out[key] = Decimal(str(value))
    for prefix, value in rest:
        columns = reg.T3_APPLICANT_COLUMNS if prefix.startswith("t3.") else reg.T4_OUTCOMES
        for col in columns:
            out.setdefault(f"{prefix}.{col}", Decimal(str(value)))
    return out


def _turn(entry: dict[str, Any], *, legacy: bool) -> Turn:
    ask = entry.get("ask")
    material = {str(k).removeprefix("material."): str(v) for k, v in (entry.get("material") or {}).items()}
    return Turn(
        msg=str(entry["msg"]),
        expect=expand(entry.get("expect") or {}),
        # messages.yaml predates "when given": there a missing ask means the engine must not ask.
        ask=bool(ask) if ask is not None or legacy else None,
        material=material,
        help=tuple(str(h) for h in entry.get("help") or ()),
    )


def load_cases(path: Path = MESSAGES) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    legacy = path.name == MESSAGES.name
    cases = []
    for i, entry in enumerate(raw, start=1):
        turns = entry.get("turns") or [entry]
        cases.append(Case(
            number=i,
            turns=tuple(_turn(t, legacy=legacy) for t in turns),
            draft=expand(entry.get("draft") or {}),
            kind=str(entry.get("kind", "")),
            note=str(entry.get("note", "")),
            known_miss=str(entry.get("known_miss", "")),
            set=path.stem,
        ))
    return cases


def proposed(proposal: Proposal) -> dict[str, Decimal]:
    """The proposed cell changes, material aside."""
    return {c.cell: Decimal(str(c.value)) for c in proposal.changes if not c.cell.startswith("material.")}


def turn_failures(turn: Turn, proposal: Proposal) -> list[str]:
    """Why a proposal does not answer a turn; empty when it does."""
    failures: list[str] = []
    got = proposed(proposal)
    if got != turn.expect:
        diff = {k: (got.get(k), turn.expect.get(k)) for k in sorted(set(got) | set(turn.expect))
                if got.get(k) != turn.expect.get(k)}
        failures.append(f"cells (got, expected): {diff}")
    if turn.ask is not None and bool(proposal.questions) != turn.ask:
        failures.append(f"ask expected {turn.ask}, questions {proposal.questions}")
    materials = {c.cell.removeprefix("material."): str(c.value) for c in proposal.changes
                 if c.cell.startswith("material.")}
    for section, text in turn.material.items():
        if text not in materials.get(section, ""):
            failures.append(f"material.{section} lacks “{text}”: {materials}")
    missing = [h for h in turn.help if h not in proposal.reply]
    if missing:
        failures.append(f"help reply lacks {missing}: {proposal.reply}")
    return failures


def matches(case: Case, proposal: Proposal) -> bool:
    """Exact match of a one-turn case."""
    return not turn_failures(case.turns[0], proposal)


def _takes_context(engine: Engine) -> bool:
    return "context" in inspect.signature(engine.propose).parameters


def converse(engine: Engine, case: Case) -> list[Proposal]:
    """Every turn of a case, each read with the conversation context the last one left."""
    report = case.report
    proposals: list[Proposal] = []
    context = None
    for turn in case.turns:
        if _takes_context(engine):
            proposal = engine.propose(turn.msg, report, context=context)  # type: ignore[call-arg]
        else:
            proposal = engine.propose(turn.msg, report)
        context = getattr(proposal, "context", None)
        proposals.append(proposal)
    return proposals


def case_failures(engine: Engine, case: Case) -> list[str]:
    """Why the engine misses a case, turn by turn; empty when every turn passes."""
    failures = []
    for n, (turn, proposal) in enumerate(zip(case.turns, converse(engine, case), strict=True), start=1):
        failures += [f"turn {n}: {f}" if len(case.turns) > 1 else f for f in turn_failures(turn, proposal)]
    return failures


@dataclass(frozen=True)
class Score:
    passed: int
    total: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.rate:.1%} ({self.passed}/{self.total})"


def score(engine: Engine, cases: Sequence[Case]) -> tuple[Score, dict[str, Score]]:
    """The exact-match score of a set, in total and per kind."""
    passed: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for case in cases:
        ok = not case_failures(engine, case)
        seen[case.kind] += 1
        passed[case.kind] += ok
    per_kind = {k: Score(passed[k], seen[k]) for k in sorted(seen, key=lambda k: (k not in KINDS, KINDS.index(k)
                                                                                 if k in KINDS else 0, k))}
    return Score(sum(passed.values()), sum(seen.values())), per_kind


def sets() -> dict[str, Path]:
    """The message sets present: the held-out one only when the lead has put it here."""
    return {p.stem: p for p in (MESSAGES, CLERK, HELDOUT) if p.exists()}


def report_scores(engine: Engine | None = None) -> str:
    """The scores of every set, per kind and in total, as plain text (for notes and commits)."""
    engine = engine or OfflineEngine()
    lines = []
    for path in sets().values():
        total, kinds = score(engine, load_cases(path))
        lines.append(f"{path.name}: {total}")
        lines += [f"  {kind}: {s}" for kind, s in kinds.items() if kind]
    return "\n".join(lines)


_TARGETS = {"messages": 0.99, "clerk": 0.95, "heldout": 0.95}
_KIND_TARGET = 0.85


def run() -> list[Result]:
    engine = OfflineEngine()
    engine.propose("今年收到个人申请12件")  # compile the lexicon once, as the app does at start
    results: list[Result] = []
    every: list[Case] = []
    for name, path in sets().items():
        cases = load_cases(path)
        every += cases
        total, kinds = score(engine, cases)
        target = _TARGETS.get(name, 0.95)
        results.append(Result("engine", f"offline exact match, {path.name} ({total.total} cases)", str(total),
                              f">= {target:.0%}", total.rate >= target))
        for kind, s in kinds.items():
            if kind:
                results.append(Result("engine", f"  {path.stem} · {kind}", str(s), f">= {_KIND_TARGET:.0%}",
                                      s.rate >= _KIND_TARGET))
    times: list[float] = []
    singles = [(c.msg, c.report) for c in every]
    for _ in range(3):
        for msg, report in singles:
            t = time.perf_counter()
            engine.propose(msg, report)
            times.append((time.perf_counter() - t) * 1000)
    ledger_ms, draft_ms = _ledger_and_draft_ms()
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    return [
        *results,
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

    root = CHAT.parent
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


if __name__ == "__main__":
    print(report_scores())
