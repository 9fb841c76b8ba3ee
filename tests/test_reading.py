"""The reading layer: one entry point for every format, one set of limits, one archive check.

The cases of issue 9 are here as refusals that must come quickly and in Chinese: a million rows in
a small .xlsx, a sheet that spans the whole grid, a line without end, a page of countless elements,
a ledger whose formulas have no saved results. ``bench/reading.py`` measures their cost.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from assistant.errors import EncryptedFile, FileTooLarge, InputError, ScannedDocument, UnsupportedFormat
from assistant.importing import read_bytes
from assistant.ledger import ledger_changes
from assistant.notes import propose_from_notes
from assistant.reading import LIMITS, Document, Grid, Line, read, sniff
from assistant.reading import legacy as legacy_module
from bench.reading import _html, _million_rows, _xlsx
from tests.helpers import FIXTURES

OWN = FIXTURES / "import"


def test_one_entry_point_reads_every_format_into_one_document_type() -> None:
    cases = {
        "word-like.docx": "docx",
        "filled-template-2021.pdf": "pdf",
        "portal-gbk.html": "html",
        "edition-2019-2022.txt": "text",
    }
    for name, fmt in cases.items():
        doc = read((OWN / name).read_bytes(), name)
        assert isinstance(doc, Document) and doc.format == fmt
        assert any(isinstance(b, Line) for b in doc.blocks)
    sheet = read((FIXTURES / "ledger" / "ledger-2024.xlsx").read_bytes(), "台账.xlsx")
    assert sheet.format == "xlsx" and isinstance(sheet.blocks[0], Grid)
    csv = read((FIXTURES / "ledger" / "ledger-2024-gbk.csv").read_bytes(), "台账.csv")
    assert csv.format == "csv" and csv.blocks[0].slots[0][1] is not None  # type: ignore[union-attr]


def test_the_content_decides_the_format() -> None:
    pdf = (OWN / "filled-template-2021.pdf").read_bytes()
    assert sniff(pdf, "年报.docx") == ("pdf", ["文件“年报.docx”的扩展名是.docx，但内容是PDF，已按PDF读取。"])
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00", "a.jpg")[0] == "image"
    with pytest.raises(InputError, match="不是有效的Excel 表格"):
        sniff("序号,申请人".encode(), "台账.xlsx")  # text saved under a spreadsheet's name
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    assert sniff(ofd.getvalue(), "年报.ofd")[0] == "ofd"
    with pytest.raises(UnsupportedFormat, match="OFD 版式文档"):
        read(ofd.getvalue(), "年报.ofd")


def test_a_broken_picture_and_a_blank_scan_are_refused_in_chinese() -> None:
    with pytest.raises(InputError, match="图片"):
        read(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "照片.png")
    with pytest.raises(ScannedDocument, match="没有文字层"):
        read((OWN / "bad-scanned.pdf").read_bytes(), "扫描件.pdf")  # OCR finds nothing on it either


def test_a_pdf_with_a_text_layer_reports_no_progress() -> None:
    """Only OCR takes seconds a page (tests/test_scan.py follows its progress); a text layer takes milliseconds."""
    seen: list[tuple[int, int, str]] = []
    doc = read((FIXTURES / "real" / "hongze-district-2023.pdf").read_bytes(), "x.pdf", progress=lambda *a: seen.append(a))
    assert seen == [] and doc.blocks


# ------------------------------------------------------------------------------------------------
# Limits (issue 9)


def test_a_million_rows_in_a_small_workbook_are_refused_before_they_are_read() -> None:
    data = _million_rows()
    assert len(data) < 300_000
    with pytest.raises(FileTooLarge, match=f"台账超过{LIMITS.sheet_rows:,}行"):
        propose_from_notes(_engine(), data, "台账.xlsx")


def test_a_sheet_spanning_the_whole_grid_is_refused() -> None:
    with pytest.raises(FileTooLarge, match="个单元格（行数×列数）"):
        read(_xlsx(0, 0, sparse=True), "台账.xlsx")


def test_text_without_end_is_refused() -> None:
    with pytest.raises(FileTooLarge, match="超过300,000个字符"):
        read_bytes(("收到申请12件。" * 200_000).encode(), "年报.txt")
    long_line = ("收到申请12件，" * 30_000).encode()  # 240,000 characters on one line
    with pytest.raises(FileTooLarge, match="第1行超过200,000个字符"):
        read(long_line, "笔记.txt")


def test_a_page_of_countless_elements_is_refused() -> None:
    with pytest.raises(FileTooLarge, match="网页元素"):
        read_bytes(_html(LIMITS.html_elements + 2_000), "年报.html")
    huge_text = b"<html><body><p>" + "公开".encode() * 200_000 + b"</p></body></html>"
    with pytest.raises(FileTooLarge, match="超过300,000个字符"):
        read_bytes(huge_text, "年报.html")


def test_a_pdf_of_too_many_pages_is_refused() -> None:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument((OWN / "filled-template-2021.pdf").read_bytes())
    out = pdfium.PdfDocument.new()
    for k in range(LIMITS.pages + 1):
        out.import_pages(src, [k % len(src)])
    buf = io.BytesIO()
    out.save(buf)
    with pytest.raises(FileTooLarge, match=f"超过{LIMITS.pages}页的上限"):
        read(buf.getvalue(), "长文件.pdf")


def test_an_encrypted_zip_member_is_refused() -> None:
    data = bytearray((OWN / "word-like.docx").read_bytes())
    # Set the "encrypted" flag of the first member (local header and central directory).
    data[6] |= 1
    central = data.rfind(b"PK\x01\x02")
    first = data.find(b"PK\x01\x02")
    assert central >= first >= 0
    data[first + 8] |= 1
    with pytest.raises(EncryptedFile, match="设置了密码"):
        read(bytes(data), "加密.docx")


# ------------------------------------------------------------------------------------------------
# Spreadsheets written by programs: formulas without results


def _formula_ledger(formula_column: str) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["序号", "申请人类型", "收到日期", "办理结果", "答复日期", "用时"])
    for k in range(1, 6):
        outcome = f'=IF(F{k + 1}>0,"予以公开","")' if formula_column == "outcome" else "予以公开"
        ws.append([k, "个人", f"2024-03-0{k}", outcome, f"2024-03-1{k}", f"=E{k + 1}-C{k + 1}"])
    buf = io.BytesIO()
    book.save(buf)  # openpyxl writes formulas and no results: as any program does
    return buf.getvalue()


def test_formula_cells_without_results_are_found_and_said() -> None:
    doc = read(_formula_ledger("outcome"), "台账.xlsx")
    grid = doc.blocks[0]
    assert isinstance(grid, Grid) and (1, 3) in grid.uncomputed and (1, 5) in grid.uncomputed
    assert any("公式单元格没有保存计算结果" in n for n in doc.notes)


def test_a_ledger_whose_counted_formulas_have_no_results_is_not_counted() -> None:
    with pytest.raises(InputError, match=r"公式单元格没有保存计算结果.*未统计"):
        ledger_changes(_formula_ledger("outcome"), 2024, filename="台账.xlsx")
    with pytest.raises(InputError, match="在 Excel 或 WPS 中打开该文件、保存后重新上传"):
        propose_from_notes(_engine(), _formula_ledger("outcome"), "台账.xlsx")
    # Formulas only in a column the ledger does not count: counted, and the notice still given.
    result = ledger_changes(_formula_ledger("other"), 2024, filename="台账.xlsx")
    assert result.counts()["t3.granted.natural"] == 5
    proposal = propose_from_notes(_engine(), _formula_ledger("other"), "台账.xlsx")
    assert any("公式单元格" in n for n in proposal.notices)


# ------------------------------------------------------------------------------------------------
# Legacy formats through LibreOffice


def _as_doc(tmp_path: Path) -> bytes:
    import subprocess

    command = legacy_module.soffice()
    assert command is not None, "LibreOffice (soffice) is needed: make sysdeps installs it"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [command, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "doc", "--outdir", str(tmp_path),
         str(OWN / "word-like.docx")],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    return (tmp_path / "word-like.doc").read_bytes()


@pytest.mark.libreoffice
def test_a_word_97_document_is_converted_and_read(tmp_path: Path) -> None:
    data = _as_doc(tmp_path)
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    result = read_bytes(data, "年报.doc")
    want = read_bytes((OWN / "word-like.docx").read_bytes(), "年报.docx").report
    assert result.report.cells == want.cells
    assert any("已用 LibreOffice 转换后读取" in n for n in result.notes)
    assert result.report.source is not None and result.report.source.format == "doc"


def test_without_libreoffice_a_legacy_file_gets_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy_module, "soffice", lambda: None)
    with pytest.raises(UnsupportedFormat, match=r"未安装 LibreOffice.*另存为” \.docx"):
        read((OWN / "bad-old-binary.doc").read_bytes(), "年报.doc")
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\x00" * 64
    with pytest.raises(UnsupportedFormat, match=r"旧版 Excel 格式.*另存为” \.xlsx"):
        read(xls, "台账.et")


def _engine():  # type: ignore[no-untyped-def]
    from assistant.engines.offline import OfflineEngine

    return OfflineEngine()
