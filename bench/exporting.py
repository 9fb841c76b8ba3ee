"""Export speed: p50 time to export the largest fixture (淮安市 2024) in each format."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from assistant.exporting import export_bytes
from assistant.model import Report
from bench import Result

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "expected" / "huaian-city-2024.cells.json"
RUNS = 30
TARGETS_MS = {"docx": 300.0, "html": 50.0, "md": 50.0, "json": 20.0}


def run() -> list[Result]:
    report = Report.from_flat(json.loads(FIXTURE.read_text(encoding="utf-8")))
    results = []
    for fmt, target in TARGETS_MS.items():
        export_bytes(report, fmt, force=True)  # first call imports the writer
        samples = []
        for _ in range(RUNS):
            t = time.perf_counter()
            data = export_bytes(report, fmt, force=True)
            samples.append((time.perf_counter() - t) * 1000)
        p50 = statistics.median(samples)
        results.append(
            Result(
                "export",
                f".{fmt}, 淮安市 2024 (p50 of {RUNS}, {len(data) // 1024} KB)",
                f"{p50:.1f} ms",
                f"< {target:g} ms",
                p50 < target,
            )
        )
    return results
