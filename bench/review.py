"""Batch review speed and memory: reports per second over 300 digital reports (the real ones in
fixtures and variants of them, each file's bytes its own), in one process, in the local process
pool, on a Dask cluster of two workers started here; a re-run from the cache; and the peak memory of
the reviewing process against the number of reports (it must stay flat)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import Result
from tests.appserver import ROOT

FILES = 300
MEMORY_SIZES = (75, 150, 300)
_CHARS = "东西南北中新华光明安和平康宁乐春秋兴隆永丰泰福"


def _unit_name(i: int) -> str:
    return _CHARS[i % len(_CHARS)] + _CHARS[(i // len(_CHARS)) % len(_CHARS)]


def build(folder: Path, n: int = FILES) -> None:
    """``n`` reports: the real PDFs (a distinct trailer each), 自强街道's text and exported variants of
    it under other names, in turn; no two files with the same bytes."""
    from tests import review_batch

    folder.mkdir(parents=True, exist_ok=True)
    real = review_batch.REAL
    pdfs = [(real / name).read_bytes() for name in
            ("huaian-city-2024.pdf", "hongze-district-2024.pdf")]
    text = (real / "ziqiang-street-2024.txt").read_text(encoding="utf-8")
    base = review_batch.ziqiang()
    for i in range(n):
        name = _unit_name(i)
        kind = i % 5
        if kind < 2:  # a published PDF, the same pages (a comment after %%EOF makes the bytes differ)
            (folder / f"{i:04d}.pdf").write_bytes(pdfs[i % len(pdfs)] + f"\n%{i}\n".encode())
        elif kind == 2:
            (folder / f"{i:04d}.txt").write_text(text.replace("自强", name), encoding="utf-8")
        else:
            numbers = review_batch.Numbers(new=i % 7 + 1, carried_over=0, granted=i % 7 + 1)
            report = review_batch.street(base, name, f"长春市南关区{name}街道办事处", 2024, numbers)
            fmt = "docx" if kind == 3 else "html"
            (folder / f"{i:04d}.{fmt}").write_bytes(review_batch.render(report, fmt))


def _timed_review(folder: Path, data: Path, **kwargs: object) -> tuple[float, dict[str, object]]:
    from assistant.review import review
    from assistant.store import DraftStore

    store = DraftStore(f"sqlite:///{data / 'review.sqlite3'}")
    started = time.perf_counter()
    result = review([folder], store=store, **kwargs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return seconds, result.summary.model_dump(mode="json")


_PEAK = """
import json, resource, sys, time
from pathlib import Path
from assistant.review import review
from assistant.review.runners import InlineRunner
from assistant.store import DraftStore
folder, data = Path(sys.argv[1]), Path(sys.argv[2])
result = review([folder], store=DraftStore(f"sqlite:///{data / 'review.sqlite3'}"), runner=InlineRunner())
print(json.dumps({"reports": result.summary.reports, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _peak_memory(folder: Path, data: Path) -> tuple[int, float]:
    """(reports, peak resident MB) of a fresh process reviewing ``folder``, reading in-process."""
    data.mkdir(parents=True, exist_ok=True)
    out = subprocess.run([sys.executable, "-c", _PEAK, str(folder), str(data)], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=1800)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return int(found["reports"]), found["peak_kb"] / 1024


def _load() -> str:
    """The machine's load while measuring: parallel speed-ups mean little on a machine already busy."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def run() -> list[Result]:
    from assistant.review.runners import InlineRunner, LocalPoolRunner
    from tests.daskcluster import dask_cluster

    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "reports"
        build(folder)

        serial, summary = _timed_review(folder, root / "serial", runner=InlineRunner())
        assert summary["reports"] == FILES, summary["years"]
        serial_rate = FILES / serial
        results.append(Result("review", f"{FILES} digital reports, one process (reports/s)", f"{serial_rate:.1f}",
                              ">= 10/s", serial_rate >= 10))

        pool = LocalPoolRunner(2)
        try:
            pooled, _ = _timed_review(folder, root / "pool", runner=pool)
        finally:
            pool.close()
        results.append(Result("review", f"{FILES} digital reports, local pool of 2 (reports/s, incl. start)",
                              f"{FILES / pooled:.1f} ({serial / pooled:.2f}× one process; {_load()})", ">= 10/s",
                              FILES / pooled >= 10))

        cached, summary = _timed_review(folder, root / "pool", runner=InlineRunner())
        assert summary["cached"] == FILES, summary["cached"]
        results.append(Result("review", f"re-run of the same {FILES} (all from the cache, reports/s)",
                              f"{FILES / cached:.0f}", ">= 100/s", FILES / cached >= 100))

        with dask_cluster(root / "dask", workers=2) as address:
            on_dask, summary = _timed_review(folder, root / "dask-store", scheduler=address)
        rate = FILES / on_dask
        results.append(Result("review", f"{FILES} digital reports, Dask cluster of 2 workers (reports/s)",
                              f"{rate:.1f} ({serial / on_dask:.2f}× one process; {_load()})", ">= 1.3× one process",
                              serial / on_dask >= 1.3))

        peaks = []
        for n in MEMORY_SIZES:
            sub = root / f"memory-{n}"
            sub.mkdir()
            for p in sorted(folder.iterdir())[:n]:
                os.link(p, sub / p.name)
            peaks.append(_peak_memory(sub, root / f"memory-data-{n}"))
        shown = ", ".join(f"{n}: {mb:.0f} MB" for n, mb in peaks)
        growth = peaks[-1][1] - peaks[0][1]
        results.append(Result("review", "peak memory of the reviewing process by number of reports", shown,
                              f"< 40 MB more for {MEMORY_SIZES[-1] // MEMORY_SIZES[0]}× the reports", growth < 40))
    return results
