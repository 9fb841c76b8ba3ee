"""Import speed per format, and how many cells come out right over every fixture with expected values."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.importing import read_document
from assistant.importing.assemble import assemble
from assistant.model import Report
from assistant.reading.document import Line
from assistant.reading.pdf import read_pdf
from bench import Result

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RUNS = 5

# (format, file, target seconds)
TIMED: tuple[tuple[str, str, float], ...] = (
    ("pdf", "real/huaian-city-2024.pdf", 1.0),
    ("pdf", "real/hongze-district-2023.pdf", 1.0),
    ("pdf", "import/filled-template-2021.pdf", 1.0),
    ("docx", "import/filled-template-2021.docx", 0.3),
    ("docx", "import/word-like.docx", 0.3),
    ("html", "import/portal-utf8.html", 0.3),
    ("html", "import/portal-gbk.html", 0.3),
    ("txt", "real/ziqiang-street-2024.txt", 0.3),
    ("txt", "import/edition-2019-2022.txt", 0.3),
)

# (file, expected cell map); the fragment of 淮安's pages is held to the cells it prints.
ACCURACY: tuple[tuple[str, str], ...] = (
    ("real/huaian-city-2024.pdf", "expected/huaian-city-2024.cells.json"),
    ("real/hongze-district-2023.pdf", "expected/hongze-district-2023.cells.json"),
    ("real/hongze-district-2024.pdf", "expected/hongze-district-2024.cells.json"),
    ("real/ziqiang-street-2024.txt", "expected/ziqiang-street-2024.cells.json"),
    ("real/huaian-city-2024-section3-pdftext.txt", "expected/huaian-city-2024.cells.json"),
    ("import/filled-template-2021.docx", "import/filled-template-2021.expected.json"),
    ("import/filled-template-2021.pdf", "import/filled-template-2021.expected.json"),
    ("import/word-like.docx", "import/word-like.expected.json"),
    ("import/portal-utf8.html", "import/portal-utf8.expected.json"),
    ("import/portal-gbk.html", "import/portal-gbk.expected.json"),
    ("import/traditional-mirror.html", "import/traditional-mirror.expected.json"),
    ("import/edition-2019-2022.txt", "import/edition-2019-2022.expected.json"),
    ("import/huaian-ocr.md", "import/huaian-ocr.expected.json"),
    ("import/huaian-pdf2md.md", "import/huaian-pdf2md.expected.json"),
    ("import/huaian-portal.txt", "import/huaian-portal.expected.json"),
    ("import/hongze-2019-form.md", "import/hongze-2019-form.expected.json"),
    ("import/hongze-2019-form.html", "import/hongze-2019-form.expected.json"),
    ("import/hongze-2019-form.docx", "import/hongze-2019-form.expected.json"),
)
PARTIAL = {"real/huaian-city-2024-section3-pdftext.txt"}


def _expected(path: str) -> Report:
    data: dict[str, Any] = json.loads((FIXTURES / path).read_text(encoding="utf-8"))
    data.pop("__blank_cells__", None)
    return Report.from_flat(data)


def _score(got: Report, want: Report, partial: bool) -> tuple[int, int]:
    """(right, counted): every expected cell, plus every cell read that should not have been."""
    keys = set(got.cells) if partial else set(want.cells) | set(got.cells)
    right = sum(1 for k in keys if got.cells.get(k) == want.cells.get(k))
    return right, len(keys)


def _lines_only(path: Path) -> Report:
    doc = read_pdf(path.read_bytes(), path.name)
    doc.load_grids = None
    return assemble(doc, path.name, "pdf")[0]


def _grids_only(path: Path) -> Report:
    doc = read_pdf(path.read_bytes(), path.name)
    assert doc.load_grids is not None
    doc = doc.load_grids()
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Line) and b.in_table)]
    return assemble(doc, path.name, "pdf")[0]


def run() -> list[Result]:
    results: list[Result] = []
    for fmt, rel, target in TIMED:
        path = FIXTURES / rel
        read_document(path)  # warm: imports and caches
        samples = []
        for _ in range(RUNS):
            t = time.perf_counter()
            read_document(path)
            samples.append(time.perf_counter() - t)
        p50 = statistics.median(samples)
        pages = ""
        if fmt == "pdf":
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                pages = f", {len(pdf.pages)} pages"
        metric = f"{fmt}: {path.name}{pages} (p50 of {RUNS})"
        results.append(Result("import", metric, f"{p50 * 1000:.0f} ms", f"< {target:g} s", p50 < target))

    worst = FIXTURES / "real/huaian-city-2024.pdf"
    samples = []
    for _ in range(3):
        t = time.perf_counter()
        _grids_only(worst)
        samples.append(time.perf_counter() - t)
    p50 = statistics.median(samples)
    metric = f"pdf: {worst.name}, ruling lines read too (worst case)"
    results.append(Result("import", metric, f"{p50 * 1000:.0f} ms", "< 1 s", p50 < 1.0))

    right = total = 0
    wrong_files = []
    for rel, expected in ACCURACY:
        got = read_document(FIXTURES / rel).report
        r, n = _score(got, _expected(expected), rel in PARTIAL)
        right, total = right + r, total + n
        if r != n:
            wrong_files.append(Path(rel).name)
    rate = right / total if total else 0.0
    detail = f"{right:,}/{total:,} = {rate:.2%} over {len(ACCURACY)} documents" + (
        f" (wrong: {', '.join(wrong_files)})" if wrong_files else ""
    )
    results.append(Result("import", "cells correct, all fixtures with expected values", detail, "100%", right == total))

    real_pdfs = [(rel, exp) for rel, exp in ACCURACY if rel.startswith("real/") and rel.endswith(".pdf")]
    for label, read in (("printed lines only", _lines_only), ("ruling lines only", _grids_only)):
        right = total = 0
        for rel, expected in real_pdfs:
            r, n = _score(read(FIXTURES / rel), _expected(expected), False)
            right, total = right + r, total + n
        results.append(
            Result(
                "import",
                f"cells correct, the {len(real_pdfs)} real PDFs read from {label}",
                f"{right:,}/{total:,} = {right / total:.2%}",
                "100%",
                right == total,
            )
        )
    return results
