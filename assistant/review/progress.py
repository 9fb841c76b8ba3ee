"""How far a batch review has got: files done, failures, time left; the same for the CLI and the app."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    """Files done of ``total`` (read or taken from the cache), of which ``failed`` could not be read.

    Time left is estimated from the files actually read (cached ones cost nothing).
    """

    total: int
    done: int = 0
    failed: int = 0
    cached: int = 0
    stage: str = "读取"
    started: float = field(default_factory=time.monotonic)
    _read_started: float | None = None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def remaining(self) -> float | None:
        read = self.done - self.cached
        if read <= 0 or self._read_started is None:
            return None
        per_file = (time.monotonic() - self._read_started) / read
        return per_file * (self.total - self.done)

    def mark_read_started(self) -> None:
        if self._read_started is None:
            self._read_started = time.monotonic()

    def text(self) -> str:
        parts = [f"{self.stage} {self.done}/{self.total}", f"无法读取 {self.failed}"]
        if self.cached:
            parts.append(f"已读过 {self.cached}")
        parts.append(f"已用 {clock(self.elapsed)}")
        if self.done < self.total:
            left = self.remaining
            parts.append(f"剩余约 {clock(left)}" if left is not None else "剩余时间估算中")
        return " · ".join(parts)


def clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


ProgressFn = Callable[[Progress], None]


def terminal_bar(stream: TextIO | None = None, width: int = 30) -> ProgressFn:
    """A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""
    out = stream or sys.stderr
    tty = out.isatty()
    last_tenth = -1

    def show(p: Progress) -> None:
        nonlocal last_tenth
        filled = int(width * p.fraction)
        line = f"[{'#' * filled}{'-' * (width - filled)}] {p.text()}"
        if tty:
            out.write("\r" + line + ("\n" if p.done >= p.total else ""))
            out.flush()
            return
        tenth = int(p.fraction * 10)
        if tenth != last_tenth or p.done >= p.total:
            last_tenth = tenth
            out.write(line + "\n")
            out.flush()

    return show
