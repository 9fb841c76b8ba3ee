"""``python -m assistant review`` through a real subprocess (and its process pool): output, JSON,
exports read back, exit status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests import review_batch
from tests.test_review import PAIRS, UNREADABLE


def run(*args: str | Path, data_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", "NIANBAO_DATA_DIR": str(data_dir), **(env or {})}
    for var in ("ASSISTANT_RAISE", "PYTEST_CURRENT_TEST", "NIANBAO_DB_URL", "NIANBAO_DASK_SCHEDULER"):
        if var not in (env or {}):
            full.pop(var, None)
    return subprocess.run([sys.executable, "-m", "assistant", "review", *map(str, args)], capture_output=True,
                          text=True, env=full, timeout=300, check=False)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    review_batch.build(root / "2024", root / "2023")
    return root / "2024", root / "2023"


def test_json_exports_and_exit_status(folders: tuple[Path, Path], tmp_path: Path) -> None:
    xlsx, page = tmp_path / "审核结果.xlsx", tmp_path / "审核结果.html"
    p = run(folders[0], "--previous", folders[1], "--json", "-o", xlsx, "--workers", "2", data_dir=tmp_path / "d")
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    assert {r["file"]: r["paired_with"] for r in data["reports"]} == PAIRS
    assert data["reports"][0]["file"] == UNREADABLE and data["reports"][0]["error"]
    assert data["summary"]["year"] == 2024 and data["summary"]["runner"] == "本机（2个进程）"
    assert "读取 13/13" in p.stderr and "已导出" in p.stderr  # the progress bar, on stderr

    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["总览", "问题清单", "汇总", "表三汇总", "表四汇总"]
    overview = wb["总览"]
    assert overview.freeze_panes == "C2" and overview.auto_filter.ref == f"A1:S{len(PAIRS) + 1}"
    header = [c.value for c in overview[1]]
    assert header[:4] == ["状态", "机关", "年度", "文件"] and overview["A1"].font.bold
    rows = {r[3]: r for r in overview.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(PAIRS)
    assert rows["曙光街道2024.html"][7] == 2 and rows["曙光街道2024.html"][14] == "曙光街道2023.docx"
    assert rows[UNREADABLE][0] == "无法读取"
    findings = wb["问题清单"]
    assert findings.freeze_panes == "A2" and findings.auto_filter.ref
    carry = [r for r in findings.iter_rows(min_row=2, values_only=True) if r[4] == "CARRY-OVER"]
    assert len(carry) == 2 and all(r[3] == "错误" for r in carry)
    t3 = wb["表三汇总"]
    assert any(isinstance(c.value, int) and c.value == data["summary"]["totals"]["t3.new.total"]
               for row in t3.iter_rows() for c in row)
    assert t3.merged_cells.ranges  # the official layout, merged header cells and all

    # A re-run reads nothing again, gives the same rows, and writes the page.
    q = run(folders[0], "--previous", folders[1], "--json", "--quiet", "-o", page, data_dir=tmp_path / "d")
    again = json.loads(q.stdout)
    assert again["summary"]["cached"] == 13 and q.stderr.strip().startswith("已导出")
    assert [r["findings"] for r in again["reports"]] == [r["findings"] for r in data["reports"]]
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_text_overview(folders: tuple[Path, Path], tmp_path: Path) -> None:
    p = run(folders[0], "--previous", folders[1], "--quiet", "--workers", "1", data_dir=tmp_path / "d")
    assert p.returncode == 1
    out = p.stdout
    assert out.startswith("审核2024年度报告8份：2份有错误") and "未报送：长春市南关区民康街道办事处" in out
    assert out.index(UNREADABLE) < out.index("桃源街道2024.docx") < out.index("淮安市2024.pdf")  # worst first


def test_exit_zero_when_nothing_is_wrong(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(review_batch.REAL / "huaian-city-2024.pdf", folder / "淮安市.pdf")
    p = run(folder, "--quiet", data_dir=tmp_path / "d")
    assert p.returncode == 0, p.stdout + p.stderr


def test_exit_two_when_nothing_is_readable(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.docx").write_bytes(b"PK\x03\x04broken")
    p = run(folder, "--quiet", data_dir=tmp_path / "d")
    assert p.returncode == 2 and "无法读取" in p.stdout
    missing = run(tmp_path / "没有这个文件夹", data_dir=tmp_path / "d")
    assert missing.returncode == 2 and "找不到" in missing.stderr
    wrong = run(folder, "-o", tmp_path / "结果.pdf", data_dir=tmp_path / "d")
    assert wrong.returncode == 2 and ".xlsx 或 .html" in wrong.stderr


def test_an_unreachable_cluster_is_said_in_chinese(tmp_path: Path) -> None:
    from tests.appserver import free_port

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(review_batch.REAL / "ziqiang-street-2024.txt", folder)
    address = f"tcp://127.0.0.1:{free_port()}"
    p = run(folder, "--quiet", data_dir=tmp_path / "d", env={"NIANBAO_DASK_SCHEDULER": address,
                                                              "NIANBAO_DASK_TIMEOUT": "2"})
    assert p.returncode == 2 and f"无法连接 Dask 调度器“{address}”" in p.stderr, p.stderr
