"""The .docx opens in LibreOffice and converts to PDF; the PDF has the layout we meant.

LibreOffice is a system dependency (``make sysdeps``; CI installs it): without ``soffice`` these
tests fail, they do not skip. Each run uses its own LibreOffice profile and is time-boxed.
``docs/fonts.conf`` maps the 公文 fonts to Noto CJK so the render looks like the printed report.

With ``UPDATE_GOLDEN=1`` the renders in ``docs/`` (page 1, and the page with table 三) are
written again from the PDFs; review them before committing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.exporting import export_bytes
from assistant.model import Report
from tests.helpers import flat_fixture

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FONTS_CONF = DOCS / "fonts.conf"
PAGE1_PNG = DOCS / "export-page1.png"
TABLE3_PNG = DOCS / "export-table3.png"
TIMEOUT = 60
RENDER_DPI = 96


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(f"缺少系统命令 {names[0]}：请先运行 make sysdeps（安装 libreoffice-writer、poppler-utils）")


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, check=False, **kw)  # type: ignore[call-overload]
    except subprocess.TimeoutExpired:
        pytest.fail(f"{Path(args[0]).name} did not finish within {TIMEOUT} s")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """huaian 2024 (forced: it lacks sections) and ziqiang 2024 (clean), converted in one run."""
    soffice = _tool("soffice", "libreoffice")
    work = tmp_path_factory.mktemp("lo")
    sources = []
    for name, force in (("huaian-city-2024", True), ("ziqiang-street-2024", False)):
        path = work / f"{name}.docx"
        path.write_bytes(export_bytes(Report.from_flat(flat_fixture(name)), "docx", force=force))
        sources.append(path)
    profile = work / "profile"
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(work)}
    p = _run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "pdf"),
            *map(str, sources),
        ],
        env=env,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    out = {s.stem: work / "pdf" / f"{s.stem}.pdf" for s in sources}
    for name, pdf in out.items():
        assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-", f"{name}: no PDF ({p.stdout} {p.stderr})"
    return out


def _pages(pdf: Path) -> list[str]:
    p = _run([_tool("pdftotext"), "-layout", str(pdf), "-"])
    assert p.returncode == 0, p.stderr
    return [page for page in p.stdout.split("\f") if page.strip()]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_pdf_is_a4_and_has_the_report(pdfs: dict[str, Path]) -> None:
    info = _run([_tool("pdfinfo"), str(pdfs["huaian-city-2024"])]).stdout
    assert "(A4)" in info
    pages = [_squeeze(p) for p in _pages(pdfs["huaian-city-2024"])]
    assert pages[0].startswith(
        "本稿尚有3处错误未解决，仅供内部核对，请勿直接公开。淮安市人民政府2024年政府信息公开工作年度报告"
    )
    text = "".join(pages)
    for expected in (
        "二、主动公开政府信息情况",
        "96171.6",
        "3985758",
        "三、收到和处理政府信息公开申请情况",
        "复议后起诉",
    ):
        assert expected in text
    clean = "".join(_squeeze(p) for p in _pages(pdfs["ziqiang-street-2024"]))
    assert "本稿尚有" not in clean and clean.startswith("2024年南关区自强街道政府信息公开工作年度报告")


def test_table3_stays_on_one_page(pdfs: dict[str, Path]) -> None:
    for pdf in pdfs.values():
        pages = [_squeeze(p) for p in _pages(pdf)]
        first = next(i for i, p in enumerate(pages) if "一、本年新收政府信息公开申请数量" in p)
        assert "四、结转下年度继续办理" in pages[first], pdf.name
        assert "（本列数据的勾稽关系为" in pages[first]


def test_renders_in_docs(pdfs: dict[str, Path]) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        _render(pdfs["ziqiang-street-2024"], 1, PAGE1_PNG)
        pages = [_squeeze(p) for p in _pages(pdfs["huaian-city-2024"])]
        t3 = next(i for i, p in enumerate(pages) if "一、本年新收政府信息公开申请数量" in p) + 1
        _render(pdfs["huaian-city-2024"], t3, TABLE3_PNG)
    for png in (PAGE1_PNG, TABLE3_PNG):
        assert png.exists(), f"{png} missing: run this test with UPDATE_GOLDEN=1"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _render(pdf: Path, page: int, target: Path) -> None:
    stem = target.with_suffix("")
    p = _run(
        [
            _tool("pdftoppm"),
            "-png",
            "-r",
            str(RENDER_DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ]
    )
    assert p.returncode == 0, p.stderr
