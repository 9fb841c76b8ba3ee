"""The reading layer under load: the largest upload each reader accepts, and what it costs.

Issue 9: within the byte limit, a 250 KB .xlsx held a million rows, a 29 MB page took 198 s and a
20 MB one-line text 30 s, all in the server's one process. Each case below builds an input at (or
just past) a reader's limits and runs it through the path the app takes (report import, notes,
ledger) in a fresh subprocess, which reports its wall time and peak memory (``VmHWM``, the peak
resident set of the process: the interpreter and its imports included). Accepted inputs must
finish, refused ones must be refused, each within 10 s and 500 MB on the 2-core machine (CPU time
is judged: on a machine shared with other work the wall time also counts their turns; both are
printed).

``python -m bench reading`` runs this suite alone.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from bench import Result

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 10.0
MEGABYTES = 500

# ------------------------------------------------------------------------------------------------
# Inputs


def _xlsx(rows: int, cols: int, *, sparse: bool = False, header: bool = True) -> bytes:
    """An .xlsx written as raw XML (fast to make, like a program's export): a ledger-like sheet."""
    from assistant.cells import T3_ROWS

    outcomes = [r.label for r in T3_ROWS if r.group and r.id != "processed_total"]
    kinds = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他组织"]
    letters = [chr(65 + i) for i in range(26)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + _MAIN + b'"><sheetData>')
            if sparse:
                f.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>')
                f.write(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
            else:
                names = ["序号", "申请人类型", "收到日期", "申请内容", "办理结果", "答复日期"]
                names += [f"备注{k}" for k in range(cols - len(names))]
                chunk: list[str] = []
                for r in range(1, rows + 1):
                    if r == 1 and header:
                        values = names[:cols]
                    else:
                        values = [str(r), kinds[r % 6], f"2024-{r % 12 + 1:02d}-{r % 28 + 1:02d}", "某项目的批复文件",
                                  outcomes[r % len(outcomes)], f"2024-{r % 12 + 1:02d}-28"]
                        values += ["" for _ in range(cols - len(values))]
                    cells = "".join(
                        f'<c r="{letters[c]}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
                        for c, v in enumerate(values[:cols])
                    )
                    chunk.append(f'<row r="{r}">{cells}</row>')
                    if len(chunk) >= 5000:
                        f.write("".join(chunk).encode())
                        chunk = []
                f.write("".join(chunk).encode())
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _million_rows() -> bytes:
    """A million one-cell rows, compressed to a few hundred KB (the issue's 246 KB file)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="' + _MAIN + b'"><sheetData>')
            f.write(b"<row><c><v>1</v></c></row>" * 1_000_000)
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def _csv(rows: int) -> bytes:
    from assistant.cells import T3_ROWS

    outcomes = [r.label for r in T3_ROWS if r.group and r.id != "processed_total"]
    lines = ["序号,申请人类型,收到日期,办理结果,答复日期"]
    for r in range(rows):
        month = f"2024-{r % 12 + 1:02d}"
        lines.append(f"{r},自然人,{month}-05,{outcomes[r % len(outcomes)]},{month}-20")
    return "\n".join(lines).encode("utf-8")


def _report_text() -> str:
    return (ROOT / "fixtures" / "real" / "ziqiang-street-2024.txt").read_text(encoding="utf-8")


def _html(elements: int, text_per_element: int = 8) -> bytes:
    """A portal page: the real report's text, then a long list of menu links (chrome), to ``elements`` tags."""
    report = "".join(f"<p>{line}</p>" for line in _report_text().splitlines() if line.strip())
    link = "<li><a href='/x'>" + "栏目" * (text_per_element // 2) + "</a></li>"
    chrome = link * max(0, (elements - 400) // 2)
    head = "<head><meta charset='utf-8'><title>年报</title></head>"
    return f"<html>{head}<body><ul>{chrome}</ul>{report}</body></html>".encode()


def _html_one_text(size: int) -> bytes:
    body = "信息公开" * (size // 12)
    return f"<html><body><p>{body}</p></body></html>".encode()


def _text_lines(chars: int) -> bytes:
    """A report's text repeated to ``chars`` characters: many short lines and many tables."""
    report = _report_text()
    return (report * max(1, chars // len(report)))[:chars].encode("utf-8")


def _one_line(size: int) -> bytes:
    return ("收到申请12件，予以公开8件。" * (size // 42)).encode("utf-8")


def _markdown_table(rows: int) -> bytes:
    from assistant.cells import T3_ROWS

    header = "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |"
    lines = ["# 笔记", "", header, "|---" * 8 + "|"]
    for r in range(rows):
        row = T3_ROWS[r % len(T3_ROWS)]
        lines.append(f"| {row.label} | 1 | 0 | 0 | 0 | 0 | 0 | 1 |")
    return "\n".join(lines).encode("utf-8")


def _docx(paragraphs: int, table_rows: int) -> bytes:
    """A .docx near the text limit: many paragraphs of varied text (it compresses like real text) and a long table."""
    import random

    rng = random.Random(9)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    words = list("政府信息公开条例主动依申请办理结果予以部分不予无法提供处理复议诉讼年度报告本机关")
    paras = []
    for _ in range(paragraphs):
        text = "".join(rng.choice(words) for _ in range(12))
        run = f'<w:r><w:rPr><w:sz w:val="32"/></w:rPr><w:t>{text}</w:t></w:r>'
        paras.append(f'<w:p><w:pPr><w:jc w:val="both"/></w:pPr>{run}</w:p>')
    cell = "<w:tc><w:tcPr><w:tcW w:w=\"900\" w:type=\"dxa\"/></w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    rows = [
        "<w:tr>" + cell.format("予以公开") + "".join(cell.format(rng.randrange(100)) for _ in range(7)) + "</w:tr>"
        for _ in range(table_rows)
    ]
    body = "".join(paras) + "<w:tbl>" + "".join(rows) + "</w:tbl>"
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def _docx_runs(chars: int) -> bytes:
    """A .docx whose every character is a run of its own with its own formatting: the most XML per
    character of text (19 MB of document.xml for 140,000 characters), the parser's worst case."""
    import random

    rng = random.Random(3)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    words = "政府信息公开条例主动依申请办理结果予以部分不予无法提供处理复议诉讼年度报告本机关"
    run = '<w:r><w:rPr><w:rFonts w:ascii="仿宋" w:eastAsia="仿宋"/><w:color w:val="{:06x}"/><w:sz w:val="32"/></w:rPr>'
    paras = [
        "<w:p>" + "".join(run.format(rng.randrange(1 << 24)) + f"<w:t>{rng.choice(words)}</w:t></w:r>"
                          for _ in range(20)) + "</w:p>"
        for _ in range(chars // 20)
    ]
    body = "".join(paras)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def _pdf(pages: int) -> bytes:
    """A text PDF of ``pages`` pages, most printing table words, whose printed lines do not give complete
    tables: the ruling lines are read too (the worst case)."""
    import pypdfium2 as pdfium

    real = (ROOT / "fixtures" / "import" / "filled-template-2021.pdf").read_bytes()
    src = pdfium.PdfDocument(real)
    out = pdfium.PdfDocument.new()
    for k in range(pages):
        out.import_pages(src, [k % len(src)])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------
# Cases: (label, path, file name, maker). path: "import" (a report), "notes" (a note, ledger included)


CASES: tuple[tuple[str, str, str, Callable[[], bytes]], ...] = (
    (".xlsx ledger, 50,000 rows × 6 columns (the row limit)", "notes", "台账.xlsx", lambda: _xlsx(49_990, 6)),
    (".xlsx, 50,000 rows × 10 columns (the cell limit)", "notes", "台账.xlsx", lambda: _xlsx(49_990, 10)),
    (".xlsx, 1,000,000 rows in a 100 KB file (refused)", "notes", "台账.xlsx", _million_rows),
    (".xlsx, one cell at XFD1048576 (refused)", "notes", "台账.xlsx", lambda: _xlsx(0, 0, sparse=True)),
    (".csv ledger, 50,000 rows (the row limit)", "notes", "台账.csv", lambda: _csv(49_990)),
    (".html, 29 MB, 300,000 elements (refused)", "import", "年报.html", lambda: _html(300_000, 54)),
    (".html, 140,000 elements (the element limit)", "import", "年报.html", lambda: _html(140_000, 2)),
    (".html, 29 MB of text in one element (refused)", "import", "年报.html", lambda: _html_one_text(29_000_000)),
    (".txt, 20 MB on one line (refused)", "import", "年报.txt", lambda: _one_line(20_000_000)),
    (".txt report, 300,000 characters (the text limit)", "import", "年报.txt", lambda: _text_lines(295_000)),
    (".txt note, 300,000 characters (the text limit)", "notes", "笔记.txt", lambda: _text_lines(295_000)),
    (".md note, a pipe table of 6,500 rows (the text limit)", "notes", "笔记.md", lambda: _markdown_table(6_500)),
    (".docx, 20,000 paragraphs and a 2,000-row table", "import", "年报.docx", lambda: _docx(20_000, 2_000)),
    (".docx, 19 MB of formatted runs (the document.xml limit)", "import", "年报.docx", lambda: _docx_runs(145_000)),
    (".pdf, 100 pages read with their ruling lines (the page limit)", "import", "年报.pdf", lambda: _pdf(100)),
    (".doc (Word 97), converted by LibreOffice", "import", "年报.doc", lambda: _legacy_doc()),
)


def _legacy_doc() -> bytes:
    """The Word-like fixture saved as Word 97 by LibreOffice (skipped when it is not installed)."""
    import tempfile

    from assistant.reading.legacy import soffice

    command = soffice()
    if command is None:
        return b""
    with tempfile.TemporaryDirectory() as tmp:
        source = ROOT / "fixtures" / "import" / "word-like.docx"
        profile = (Path(tmp) / "profile").as_uri()
        subprocess.run(
            [command, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "doc", "--outdir", tmp,
             str(source)],
            capture_output=True, timeout=120, check=False,
        )
        out = Path(tmp) / "word-like.doc"
        return out.read_bytes() if out.exists() else b""


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(index: int, path: str) -> None:
    """Run one case in this (fresh) process and print what it cost."""
    import time

    _label, kind, name, _make = CASES[index]
    data = Path(path).read_bytes()
    from assistant.engines.offline import OfflineEngine
    from assistant.errors import AssistantError
    from assistant.importing import read_bytes
    from assistant.notes import propose_from_notes

    started = time.perf_counter()
    before = os.times()
    try:
        if kind == "import":
            result = read_bytes(data, name)
            outcome = f"read ({len(result.report.cells)} cells)"
        else:
            proposal = propose_from_notes(OfflineEngine(), data, name)
            outcome = f"read ({len(proposal.changes)} changes, engine {proposal.engine})"
    except AssistantError as e:
        outcome = "refused: " + e.message[:60]
    seconds = time.perf_counter() - started
    after = os.times()
    # This process's CPU and its children's (LibreOffice converting a legacy file).
    cpu = sum(after[k] - before[k] for k in range(4))
    peak = _peak_mb()
    print(json.dumps(
        {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "outcome": outcome, "bytes": len(data)}, ensure_ascii=False
    ))


def run() -> list[Result]:
    import tempfile

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-reading-") as tmp:
        for index, (label, _kind, _name, make) in enumerate(CASES):
            path = Path(tmp) / f"case{index}"
            path.write_bytes(make())
            code = f"from bench.reading import _child; _child({index}, {str(path)!r})"
            try:
                p = subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
                )
                data = json.loads(p.stdout.strip().splitlines()[-1])
            except (subprocess.TimeoutExpired, IndexError, json.JSONDecodeError) as e:
                results.append(Result("reading", label, f"failed: {type(e).__name__}", "finishes", False))
                continue
            # CPU time decides: on a shared machine the wall time also counts other processes' turns.
            ok = data["cpu"] < SECONDS and data["peak_mb"] < MEGABYTES
            size = data["bytes"] / 1024 / 1024
            value = (
                f"{data['cpu']:.2f} s CPU ({data['seconds']:.2f} s wall), {data['peak_mb']:.0f} MB peak "
                f"({size:.1f} MB file; {data['outcome']})"
            )
            results.append(Result("reading", label, value, f"< {SECONDS:g} s, < {MEGABYTES} MB", ok))
    return results
