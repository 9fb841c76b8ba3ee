"""Scanned reports read by OCR: time, peak memory, cells exact and cells marked for the clerk.

The scans are made at run time with ``fixtures/scan/make_scans.py`` (the same imitation of a
flatbed scanner as the test fixtures): 淮安市2024 (6 pages) with a cover and a signed last page,
8 pages at 200 dpi, and its three table pages at 150, 200 and 300 dpi. Each is read in a fresh
process (``python -m bench.scan FILE``), as the command line would: the time includes loading
the models, and the peak memory is that process's own.

    python -m bench scan
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import Result

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SOURCE = FIXTURES / "real" / "huaian-city-2024.pdf"
EXPECTED = FIXTURES / "expected" / "huaian-city-2024.cells.json"
TARGET_SECONDS = 30.0


def _make_scans() -> Any:
    sys.path.insert(0, str(FIXTURES / "scan"))
    import make_scans

    return make_scans


def _text_page(lines: list[tuple[str, int, float]], dpi: int) -> np.ndarray:
    """A printed page of a few centred lines: (text, size in points, height on the page 0–1)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Serif CJK SC:bold"], capture_output=True, text=True,
                           check=False).stdout.strip()  # fmt: skip
    for text, points, y in lines:
        font = ImageFont.truetype(found, int(points * dpi / 72)) if found else ImageFont.load_default()
        w = draw.textlength(text, font=font)
        draw.text(((width - w) / 2, y * height), text, fill=0, font=font)
    return np.asarray(image)


def eight_pages(dpi: int = 200, seed: int = 800) -> bytes:
    """淮安市2024 scanned whole: a cover, its six pages, and the page with the office's name and date."""
    ms = _make_scans()
    cover = _text_page([("淮安市人民政府", 22, 0.30), ("2024年政府信息公开工作年度报告", 22, 0.36),
                        ("淮安市人民政府办公室", 16, 0.75), ("2025年1月", 16, 0.79)], dpi)  # fmt: skip
    last = _text_page([("淮安市人民政府办公室", 16, 0.20), ("2025年1月20日", 16, 0.24)], dpi)
    pages = [cover, *(ms.render(SOURCE, p, dpi) for p in range(1, 7)), last]
    images = []
    for i, page in enumerate(pages):
        degraded, quality = ms.scanned(page, dpi, seed + i)
        images.append(ms.jpeg(degraded, quality))
    return bytes(ms.image_pdf(images))


def table_pages(dpi: int, seed: int = 900) -> bytes:
    ms = _make_scans()
    images = []
    for i, p in enumerate((3, 4, 5)):
        degraded, quality = ms.scanned(ms.render(SOURCE, p, dpi), dpi, seed + i)
        images.append(ms.jpeg(degraded, quality))
    return bytes(ms.image_pdf(images))


def _read_in_fresh_process(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.scan", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=900, check=True)  # fmt: skip
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_seconds"] = time.perf_counter() - started
    return out


def _exact(cells: dict[str, Any], pages: set[int] | None) -> tuple[int, int]:
    expected = {k: v for k, v in json.loads(EXPECTED.read_text(encoding="utf-8")).items() if k.startswith("t")}
    if pages is not None:  # only the cells these pages print (the digital original's text layer says where)
        expected = {k: v for k, v in expected.items() if k in cells or _page_of(k) in pages}
    return sum(1 for k, v in expected.items() if cells.get(k) == v), len(expected)


_PAGES: dict[str, int] = {}


def _page_of(cell: str) -> int:
    if not _PAGES:
        import re

        from assistant.importing import read_document

        for cid, where in read_document(SOURCE).provenance.items():
            m = re.search(r"第(\d+)页", where)
            if m:
                _PAGES[cid] = int(m.group(1))
    return _PAGES.get(cell, 0)


def run() -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "淮安2024-扫描件-200dpi.pdf"
        full.write_bytes(eight_pages())
        got = _read_in_fresh_process(full)
        right, total = _exact(got["cells"], None)
        area = "scan"
        name = "8-page 200-dpi scan (淮安市2024 + cover + signature page)"
        per_page = f"reading {got['seconds']:.1f} s, {got['seconds'] / 8:.1f} s a page"
        results += [
            Result(area, f"{name}: import time, fresh process", f"{got['process_seconds']:.1f} s ({per_page})",
                   f"< {TARGET_SECONDS:g} s", got["process_seconds"] < TARGET_SECONDS),
            Result(area, f"{name}: peak memory", f"{got['peak_mb']} MB", "< 1500 MB", got["peak_mb"] < 1500),
            Result(area, f"{name}: cells exact", f"{right}/{total}", "all", right == total),
            Result(area, f"{name}: cells marked for confirmation", f"{got['marked']}", "≤ 10", got["marked"] <= 10),
            Result(area, f"{name}: metadata", f"{got['agency']} {got['year']}", "淮安市人民政府 2024",
                   (got["agency"], got["year"]) == ("淮安市人民政府", 2024)),
        ]  # fmt: skip
        budget = 3 * TARGET_SECONDS / 8
        for dpi in (150, 200, 300):
            path = Path(tmp) / f"表格页-{dpi}dpi.pdf"
            path.write_bytes(table_pages(dpi))
            got = _read_in_fresh_process(path)
            right, total = _exact(got["cells"], {3, 4, 5})
            value = f"{got['process_seconds']:.1f} s · {right}/{total} · {got['marked']} · {got['peak_mb']} MB"
            ok = right == total and got["process_seconds"] < budget
            metric = f"3 table pages at {dpi} dpi: time · exact · marked · peak"
            results.append(Result(area, metric, value, f"all exact, < {budget:.0f} s", ok))
    return results


def _worker(path: str) -> None:
    """Read one file as the command line does and print what the bench needs as one JSON line."""
    import resource

    from assistant.importing import read_document
    from assistant.numbers import json_value

    started = time.perf_counter()
    result = read_document(path)
    seconds = time.perf_counter() - started
    report = result.report
    print(json.dumps({
        "seconds": seconds,
        "cells": {k: json_value(v) for k, v in report.cells.items()},
        "marked": len(report.uncertain),
        "agency": report.meta.agency,
        "year": report.meta.year,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    _worker(sys.argv[1])
