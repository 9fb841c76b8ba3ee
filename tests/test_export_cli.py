"""``python -m assistant export`` through a real subprocess: formats, --force, exit status, messages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document

from assistant.model import Report
from tests.helpers import EXPECTED
from tests.test_cli import run

HUAIAN = EXPECTED / "huaian-city-2024.cells.json"  # three error findings (sections missing)
ZIQIANG = EXPECTED / "ziqiang-street-2024.cells.json"  # clean


def test_clean_report_exports_silently(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    p = run("export", ZIQIANG, "-o", out)
    assert (p.returncode, p.stdout, p.stderr) == (0, "", "")
    paragraphs = [para.text for para in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert paragraphs[0] == "2024年南关区自强街道\n政府信息公开工作年度报告"


def test_error_findings_refuse_with_exit_one_and_leave_nothing(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    p = run("export", HUAIAN, "-o", out)
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr.startswith("错误：本稿尚有3处错误未解决，未导出：\n  [SECTIONS-COMPLETE] 缺少“一、总体情况”部分。")
    assert "加 --force" in p.stderr
    assert list(tmp_path.iterdir()) == []


def test_force_exports_with_the_notice_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    p = run("export", HUAIAN, "-o", out, "--force")
    assert p.returncode == 0 and p.stdout == ""
    assert "注意：本稿尚有3处错误未解决" in p.stderr
    assert '<p class="notice" style="color:#c00000;font-weight:bold">本稿尚有3处错误未解决' in out.read_text("utf-8")


@pytest.mark.parametrize(("suffix", "start"), [(".md", b"# 2024"), (".html", b"<!DOCTYPE html>"), (".docx", b"PK")])
def test_each_format_by_extension(tmp_path: Path, suffix: str, start: bytes) -> None:
    out = tmp_path / f"r{suffix}"
    assert run("export", ZIQIANG, "-o", out).returncode == 0
    assert out.read_bytes().startswith(start)


def test_json_export_is_never_blocked(tmp_path: Path) -> None:
    out = tmp_path / "draft.json"
    p = run("export", HUAIAN, "-o", out)
    assert (p.returncode, p.stderr) == (0, "")
    assert Report.model_validate(json.loads(out.read_text("utf-8"))) == Report.from_flat(
        json.loads(HUAIAN.read_text("utf-8"))
    )


def test_bad_output_and_bad_input_exit_two(tmp_path: Path) -> None:
    p = run("export", ZIQIANG, "-o", tmp_path / "r.pdf")
    assert p.returncode == 2 and p.stderr.startswith("错误：无法导出为“.pdf”格式")
    p = run("export", ZIQIANG, "-o", tmp_path / "no" / "r.docx")
    assert p.returncode == 2 and "不存在" in p.stderr
    p = run("export", tmp_path / "missing.json", "-o", tmp_path / "r.docx")
    assert p.returncode == 2 and p.stderr.startswith("错误：找不到文件")
    assert "Traceback" not in p.stderr


def _with_blank_cells(tmp_path: Path) -> Path:
    """ziqiang (clean) with three cells removed: 规章·本年制发件数, 予以公开·法律服务机构, 直接起诉·尚未审结."""
    flat = json.loads(ZIQIANG.read_text("utf-8"))
    for cell in ("t2.rules.issued", "t3.granted.legal", "t4.suit_direct.pending"):
        del flat[cell]
    path = tmp_path / "blank.json"
    path.write_text(json.dumps(flat, ensure_ascii=False), "utf-8")
    return path


def test_blank_cells_refuse_the_export_and_are_named(tmp_path: Path) -> None:
    src = _with_blank_cells(tmp_path)
    out = tmp_path / "report.docx"
    p = run("export", src, "-o", out)
    assert p.returncode == 1 and p.stdout == "" and not out.exists()
    lines = p.stderr.splitlines()
    assert lines[0] == "错误：本稿尚有3个单元格未填，未导出："
    assert "“规章·本年制发件数”未填" in lines[1]
    assert "“予以公开·法律服务机构”未填" in lines[2]
    assert "“行政诉讼·未经复议直接起诉·尚未审结”未填" in lines[3]
    # the ordinary check reminds, once per table, without refusing
    p = run("validate", src)
    assert p.returncode == 0 and p.stdout.count("[CELLS-FILLED]") == 3


def test_blank_cells_with_force_export_marked_on_the_first_page(tmp_path: Path) -> None:
    src = _with_blank_cells(tmp_path)
    out = tmp_path / "report.docx"
    p = run("export", src, "-o", out, "--force")
    assert p.returncode == 0
    assert p.stderr.startswith("注意：本稿尚有3个单元格未填，已导出到")
    first = Document(io.BytesIO(out.read_bytes())).paragraphs[0].text
    assert first.startswith("本稿尚有3处错误未解决")
