"""Bad input of every kind: a clear Chinese message, exit status 2, never a traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import (
    EncryptedFile,
    FileTooLarge,
    InputError,
    NotAReport,
    ScannedDocument,
    UnsupportedFormat,
)
from assistant.importing import MAX_BYTES, read_bytes, read_document
from tests.helpers import FIXTURES

OWN = FIXTURES / "import"

BAD = [
    ("bad-corrupt.docx", InputError, "已损坏"),
    ("bad-empty.docx", InputError, "是空的"),
    ("bad-encrypted.pdf", EncryptedFile, "设置了打开密码"),
    ("bad-scanned.pdf", ScannedDocument, "没有文字层（是扫描件或图片）"),
    ("bad-zip-bomb.docx", InputError, "压缩炸弹"),
    ("bad-unrelated.docx", NotAReport, "该文件看起来不是政府信息公开工作年度报告"),
    ("bad-password.docx", EncryptedFile, "取消密码后另存为 .docx"),
    ("bad-old-binary.doc", UnsupportedFormat, "旧版 Word 格式（.doc）"),
]


@pytest.mark.parametrize(("name", "error", "words"), BAD)
def test_bad_fixture_raises_a_clear_error(name: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as caught:
        read_document(OWN / name)
    assert words in caught.value.message  # type: ignore[attr-defined]
    assert name in caught.value.message  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "error", "words"), BAD)
def test_bad_fixture_exits_two_on_the_command_line(
    name: str, error: type[Exception], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cells", str(OWN / name)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and words in err


def test_no_traceback_reaches_the_clerk() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_RAISE", "PYTEST_CURRENT_TEST")}
    for name in ("bad-zip-bomb.docx", "bad-scanned.pdf"):
        p = subprocess.run(
            [sys.executable, "-m", "assistant", "validate", str(OWN / name)],
            capture_output=True, text=True, env={**env, "PYTHONIOENCODING": "utf-8"}, timeout=60, check=False,
        )  # fmt: skip
        assert p.returncode == 2 and "Traceback" not in p.stderr and p.stderr.startswith("错误：")


def test_the_zip_bomb_is_refused_before_it_is_inflated() -> None:
    data = (OWN / "bad-zip-bomb.docx").read_bytes()
    assert len(data) < 100_000
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.getinfo("word/document.xml").file_size > 40 * 1024 * 1024


def test_huge_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileTooLarge, match="超过30MB的上限"):
        read_bytes(b"x" * (MAX_BYTES + 1), "big.txt")
    sparse = tmp_path / "big.pdf"
    with sparse.open("wb") as f:
        f.truncate(MAX_BYTES + 10)  # refused by its size, never read
    with pytest.raises(FileTooLarge, match=r"big\.pdf"):
        read_document(sparse)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "error", "words"),
    [
        (_zip({"xl/workbook.xml": b"<workbook/>"}), "ledger.xlsx", UnsupportedFormat, "Excel 表格"),
        (_zip({"content.xml": b"<doc/>", "mimetype": b"x"}), "report.odt", UnsupportedFormat, "OpenDocument"),
        (_zip({"readme.txt": b"hi"}), "files.zip", UnsupportedFormat, "压缩包"),
        (_zip({"word/document.xml": b"<w:document"}), "broken.docx", InputError, "正文已损坏"),
        (_zip({"word/styles.xml": b"<x/>"}), "nobody.docx", UnsupportedFormat, "缺少正文"),
        (b"{\\rtf1\\ansi 2024}", "report.rtf", NotAReport, "不是政府信息公开工作年度报告"),  # converted, then read
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.png", InputError, "不是可以读取的图片"),  # a broken picture
        (b"\x00\x01\x02garbage", "mystery.bin", UnsupportedFormat, "无法识别"),
        (b"%PDF-1.4\n1 0 obj garbage", "report.pdf", InputError, "不是有效的 PDF"),
        (b"   \n\t \n", "blank.txt", InputError, "是空的"),
        ("春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。\n".encode(), "poem.txt", NotAReport, "不是政府信息公开工作年度报告"),
        (
            "<html><body><h1>通知</h1><p>明天下午开会。</p><table><tr><td>a</td><td>1</td></tr></table></body></html>".encode(),
            "notice.html",
            NotAReport,
            "不是政府信息公开工作年度报告",
        ),
    ],
)
def test_other_bad_input(data: bytes, name: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as caught:
        read_bytes(data, name)
    assert words in caught.value.message  # type: ignore[attr-defined]


def test_a_text_file_in_gbk_is_read() -> None:
    data = (FIXTURES / "real" / "ziqiang-street-2024.txt").read_text(encoding="utf-8").encode("gb18030")
    r = read_bytes(data, "ziqiang-gbk.txt").report
    assert r.meta.agency == "长春市南关区自强街道办事处" and len(r.cells) == 203


@pytest.mark.parametrize("name", ["real/hongze-district-2023.pdf", "import/filled-template-2021.docx", "import/portal-gbk.html", "real/ziqiang-street-2024.txt"])
def test_damaged_copies_never_escape_as_tracebacks(name: str) -> None:
    """Truncated, overwritten and cut-out copies of real files: a report or an InputError, nothing else."""
    import random

    from assistant.errors import AssistantError

    data = (FIXTURES / name).read_bytes()
    rng = random.Random(name)
    for k in range(6 if name.endswith(".pdf") else 9):  # a damaged PDF is read twice: keep it short
        if k % 3 == 0:
            damaged = data[: rng.randrange(1, len(data))]
        elif k % 3 == 1:
            b = bytearray(data)
            for _ in range(20):
                b[rng.randrange(len(b))] = rng.randrange(256)
            damaged = bytes(b)
        else:
            cut = rng.randrange(len(data))
            damaged = data[:cut] + data[cut + rng.randrange(1, 2000) :]
        try:
            read_bytes(damaged, Path(name).name)
        except AssistantError as e:
            assert e.message and "Traceback" not in e.message
