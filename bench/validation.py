"""Validation speed: one full report, and a batch of 10,000 different ones."""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from assistant import cells as reg
from assistant.model import Report
from assistant.totals import autofill_totals
from assistant.validator import validate
from bench import Result

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "expected" / "ziqiang-street-2024.cells.json"
BATCH = 10_000


def _report(rng: random.Random, base: Report, i: int, consistent: bool = True) -> Report:
    """A full report with random numbers and texts of its own; ``consistent``: as published."""
    values: dict[str, object] = {}
    for cid, c in reg.CELLS.items():
        if not c.is_total and c.kind is reg.Kind.COUNT:
            values[cid] = rng.randint(0, 30)
    if consistent:
        for col in reg.T3_APPLICANT_COLUMNS:
            values[f"t3.carried_over.{col}"] = 0  # as last year's carried_forward
            processed = sum(values[f"t3.{r}.{col}"] for r in reg.T3_RESULT_ROWS)  # type: ignore[misc]
            values[f"t3.new.{col}"] = processed + values[f"t3.carried_forward.{col}"]  # type: ignore[operator]
        for item in ("rules", "normative"):
            values[f"t2.{item}.in_force"] = values[f"t2.{item}.issued"]
            values[f"t2.{item}.repealed"] = 0
    for s in ("s1", "s5", "s6"):
        values[s] = f"{base.section_text(s)}（第{i}稿。）"
    return autofill_totals(base.with_values(values))


def _p50_ms(fn: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def run() -> list[Result]:
    base = Report.from_flat(json.loads(FIXTURE.read_text(encoding="utf-8")))
    previous = base.with_values({"meta.year": 2023, "t2.rules.in_force": 0, "t2.normative.in_force": 0})
    rng = random.Random(7)
    batch = [_report(rng, base, i) for i in range(BATCH)]
    messy = _report(rng, base, -1, consistent=False)
    cold = statistics.median(_p50_ms(lambda r=r: validate(r, previous), 1) for r in batch[:500])
    warm = _p50_ms(lambda: validate(batch[0], previous), 500)
    worst = _p50_ms(lambda: validate(messy, previous), 200)
    t = time.perf_counter()
    findings = sum(len(validate(r, previous)) for r in batch)
    batch_s = time.perf_counter() - t
    return [
        Result("validation", "full report, first validation (p50)", f"{cold:.3f} ms", "< 1 ms", cold < 1.0),
        Result("validation", "full report, again after a cell edit (p50)", f"{warm:.3f} ms", "< 1 ms", warm < 1.0),
        Result(
            "validation",
            f"report with {len(validate(messy, previous))} findings (p50)",
            f"{worst:.3f} ms",
            "< 2 ms",
            worst < 2.0,
        ),
        Result(
            "validation",
            f"batch of {BATCH:,} different full reports",
            f"{batch_s:.2f} s ({batch_s / BATCH * 1000:.3f} ms each; {findings:,} findings)",
            "< 10 s",
            batch_s < 10,
        ),
    ]
