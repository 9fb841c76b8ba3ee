"""Scanned PDFs and photos read offline by OCR: every cell exactly, progress page by page, clear refusals.

The fixtures are made by ``fixtures/scan/make_scans.py`` from the real reports (and a Word file):
rotated, blurred, noisy, JPEG-compressed pages at 150, 200 and 300 dpi, a phone-scanner PDF and a
photo with perspective and uneven light. Each kind is read once here (OCR takes seconds a page);
``python -m bench scan`` measures the full 8-page case.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main
from assistant.errors import InputError, NotAReport, ScannedDocument
from assistant.importing import ImportResult, read_bytes, read_document, sniff
from assistant.numbers import json_value
from tests.helpers import FIXTURES, flat_fixture

SCANS = FIXTURES / "scan"
REAL = FIXTURES / "real"


def expected(name: str) -> dict[str, Any]:
    stem = name.rsplit(".", 1)[0]
    return json.loads((SCANS / f"{stem}.expected.json").read_text(encoding="utf-8"))


def table_cells(result: ImportResult) -> dict[str, Any]:
    return {k: json_value(v) for k, v in result.report.cells.items() if k.startswith(("t2.", "t3.", "t4."))}


def read_with_progress(data: bytes, name: str) -> tuple[ImportResult, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []
    result = read_bytes(data, name, progress=lambda done, total, _what: calls.append((done, total)))
    return result, calls


@functools.cache
def read_scan(name: str) -> tuple[ImportResult, list[tuple[int, int]]]:
    """A fixture read once for all the tests that look at it (OCR takes seconds a page)."""
    return read_with_progress((SCANS / name).read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "pages"),
    [
        ("hongze-2023-150dpi.pdf", 2),  # flatbed scan, 150 dpi, real report with its own arithmetic error
        ("template-word-300dpi.pdf", 1),  # a Word file printed and scanned at 300 dpi (blank cells, "—")
        ("hongze-2024-phone.pdf", 2),  # a phone-scanning app's PDF: photos with perspective and a lamp
        ("huaian-2024-p5-photo.jpg", 1),  # a photo of one page (.jpg)
    ],
)
def test_every_cell_of_a_scan_is_read_exactly(name: str, pages: int) -> None:
    result, calls = read_scan(name)
    assert table_cells(result) == expected(name)
    assert calls == [(i, pages) for i in range(pages + 1)]  # once before the first page, then per page
    assert result.report.source is not None
    assert result.report.source.format == ("image" if name.endswith(".jpg") else "pdf-scan")
    assert any("文字识别（OCR）" in n for n in result.notes)
    for mark in result.report.uncertain.values():  # a mark shows the cell as scanned, small
        png = base64.b64decode(mark.crop or "")
        assert png.startswith(b"\x89PNG") and len(png) < 3000


def test_a_photo_taken_sideways_is_turned_upright() -> None:
    import cv2
    import numpy as np

    photo = cv2.imdecode(np.frombuffer((SCANS / "huaian-2024-p5-photo.jpg").read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    ok, png = cv2.imencode(".png", cv2.rotate(photo, cv2.ROTATE_90_CLOCKWISE))
    assert ok
    result = read_bytes(png.tobytes(), "横着拍的.png")
    assert table_cells(result) == expected("huaian-2024-p5-photo.jpg")


def test_the_report_arithmetic_contradicting_a_scan_marks_its_numbers() -> None:
    # 洪泽区2023 prints 行政复议 10 + 1 + 0 + 0 with a total of 0: read as printed, and shown to the clerk.
    result, _calls = read_scan("hongze-2023-150dpi.pdf")
    marks = result.report.uncertain
    assert result.report.get("t4.review.total") == 0 and result.report.get("t4.review.upheld") == 10
    review = [c for c in marks if c.startswith("t4.review.")]
    assert review and all("与表内合计不符" in marks[c].reason for c in review)
    assert any("需要对照原图确认" in n for n in result.notes)


def test_scanned_pages_inside_a_digital_report_are_read_by_ocr() -> None:
    # 淮安市2024: pages 4–5 (tables 三 and 四) replaced by their 200-dpi scans; the rest keeps its text layer.
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    digital = pdfium.PdfDocument(REAL / "huaian-city-2024.pdf")
    scanned = pdfium.PdfDocument(SCANS / "huaian-2024-200dpi.pdf")
    mixed.import_pages(digital, [0, 1, 2])
    mixed.import_pages(scanned, [0, 1])
    mixed.import_pages(digital, [5])
    buf = io.BytesIO()
    mixed.save(buf)
    for doc in (mixed, digital, scanned):
        doc.close()
    result, calls = read_with_progress(buf.getvalue(), "淮安2024-表格为扫描件.pdf")
    published = {k: v for k, v in flat_fixture("huaian-city-2024").items() if k.startswith(("t2.", "t3.", "t4."))}
    assert table_cells(result) == published
    assert {k: published[k] for k in expected("huaian-2024-200dpi.pdf")} == expected("huaian-2024-200dpi.pdf")
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert result.report.meta.agency == "淮安市人民政府" and result.report.meta.year == 2024
    assert any("第4、5页没有文字层" in n for n in result.notes)


def test_a_blank_scan_is_refused_in_chinese() -> None:
    with pytest.raises(ScannedDocument) as caught:
        read_document(SCANS / "blank-150dpi.pdf")
    message = caught.value.message
    assert "blank-150dpi.pdf" in message and "没有文字层（是扫描件或图片）" in message and "文字识别" in message


def test_a_scan_of_something_else_is_not_taken_for_a_report() -> None:
    with pytest.raises(NotAReport, match="不是政府信息公开工作年度报告"):
        read_document(SCANS / "not-a-report-150dpi.pdf")


def test_pictures_are_recognised_by_their_bytes() -> None:
    png = (SCANS / "huaian-2024-p5-photo.jpg").read_bytes()
    assert sniff(png, "照片.jpg")[0] == "image"
    fmt, notes = sniff(png, "照片.txt")
    assert fmt == "image" and "内容是图片" in notes[0]
    with pytest.raises(InputError, match="不是可以读取的图片"):
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20, "坏图.png")


def _png_header(width: int, height: int) -> bytes:
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    chunk = b"IHDR" + ihdr
    body = len(ihdr).to_bytes(4, "big") + chunk + zlib.crc32(chunk).to_bytes(4, "big")
    idat = zlib.compress(b"\x00" * 64)
    return (b"\x89PNG\r\n\x1a\n" + body + len(idat).to_bytes(4, "big") + b"IDAT" + idat
            + zlib.crc32(b"IDAT" + idat).to_bytes(4, "big") + b"\x00\x00\x00\x00IEND\xaeB`\x82")  # fmt: skip


def test_a_huge_picture_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(InputError, match="过大"):
        read_bytes(_png_header(40_000, 40_000), "超大.png")


def test_the_command_line_reads_a_photo_and_refuses_a_blank_scan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cells", str(SCANS / "huaian-2024-p5-photo.jpg")]) == 0
    cells = json.loads(capsys.readouterr().out)
    assert cells["t4.review.total"] == 351 and cells["t3.refused.duplicate.natural"] == 25
    assert main(["validate", str(SCANS / "blank-150dpi.pdf")]) == 2
    assert "没有文字层（是扫描件或图片）" in capsys.readouterr().err


def test_reading_other_documents_does_not_load_the_ocr_stack(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from assistant.importing import read_document\n"
        "import assistant.engines.offline, assistant.prefill, assistant.validator\n"
        f"read_document({str(FIXTURES / 'real' / 'ziqiang-street-2024.txt')!r})\n"
        f"read_document({str(FIXTURES / 'real' / 'huaian-city-2024.pdf')!r})\n"
        "loaded = [m for m in ('cv2', 'onnxruntime', 'rapidocr_onnxruntime') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == ""


def test_a_machine_without_the_ocr_libraries_says_so_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenCV needs libGL; on a bare server its import fails: a Chinese refusal, never a traceback."""
    monkeypatch.setitem(sys.modules, "cv2", None)  # "import cv2" now raises ImportError
    with pytest.raises(ScannedDocument, match="文字识别（OCR）组件无法加载"):
        read_bytes((SCANS / "huaian-2024-p5-photo.jpg").read_bytes(), "照片.jpg")
