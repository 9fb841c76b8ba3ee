"""The quick benchmark suites run (``make bench`` is not part of the tests; these keep it from rotting)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("suite", ["engine", "llm"])
def test_a_quick_bench_suite_runs_and_meets_its_targets(suite: str) -> None:
    import importlib

    results = importlib.import_module(f"bench.{suite}").run()
    assert results and all(r.value for r in results)
    missed = [f"{r.metric}: {r.value}" for r in results if not r.ok]
    assert not missed, missed
