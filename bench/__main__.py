"""Run every benchmark suite and print one table (also written to bench/results.md)."""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
import time
from pathlib import Path

import bench
from bench import Result


def suites() -> list[str]:
    """Every module of the bench package but this one; each has ``run() -> list[Result]``."""
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))


def render(results: list[Result]) -> str:
    rows = ["| area | metric | value | target | met |", "|---|---|---|---|---|"]
    rows += [f"| {r.area} | {r.metric} | {r.value} | {r.target} | {'yes' if r.ok else 'NO'} |" for r in results]
    return "\n".join(rows)


def main() -> int:
    names = sys.argv[1:] or suites()
    results: list[Result] = []
    started = time.perf_counter()
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        results.extend(module.run())
    table = render(results)
    header = f"Python {platform.python_version()} on {platform.machine()}, {time.perf_counter() - started:.1f} s in all"
    print(table)
    print(header)
    if not sys.argv[1:]:
        Path(__file__).with_name("results.md").write_text(f"{table}\n\n{header}\n", encoding="utf-8")
    missed = [r for r in results if not r.ok]
    if missed:
        print(f"{len(missed)} target(s) not met: " + "; ".join(f"{r.area} {r.metric}" for r in missed))
    return 0  # a benchmark informs; the tests are the gate


if __name__ == "__main__":
    sys.exit(main())
