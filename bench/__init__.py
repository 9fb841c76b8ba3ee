"""Benchmarks: ``make bench`` (``python -m bench``) prints one table of speed and accuracy.

Each module listed in ``SUITES`` has ``run() -> list[Result]``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    area: str
    metric: str
    value: str
    target: str
    ok: bool
