"""The engine commands through a real subprocess: extract, ledger, draft-problems."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant import editing
from assistant.model import Report
from tests.helpers import EXPECTED, FIXTURES, flat_fixture

LEDGER = FIXTURES / "ledger" / "ledger-2024.xlsx"


def run(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for name in ("ASSISTANT_RAISE", "PYTEST_CURRENT_TEST", "NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_PRESET"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


def test_extract_json_is_the_proposal() -> None:
    p = run("extract", "今年收到个人申请12件，予以公开8件", "--json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert list(data) == ["changes", "reply", "questions"]
    assert data["changes"] == [
        {"cell": "t3.new.natural", "value": 12, "evidence": "今年收到个人申请12件"},
        {"cell": "t3.granted.natural", "value": 8, "evidence": "予以公开8件"},
    ]
    assert data["questions"] == [] and data["reply"].startswith("建议填写2项")


def test_extract_asks_and_reads_the_draft(tmp_path: Path) -> None:
    p = run("extract", "共收到15件", "--json")
    data = json.loads(p.stdout)
    assert data["changes"] == [{"cell": "t3.new.total", "value": 15, "evidence": "共收到15件"}]
    assert data["questions"] and "哪类申请人" in data["questions"][0]
    # Against a draft (the flat map of a real report, and a saved draft with its history).
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps(flat_fixture("hongze-district-2024"), ensure_ascii=False), encoding="utf-8")
    p = run("extract", "予以公开应该是51件", "--draft", flat)
    assert p.returncode == 0 and "（原为50）" in p.stdout and "由50改为51" in p.stdout
    saved = tmp_path / "draft.json"
    draft = editing.start(Report.from_flat(flat_fixture("hongze-district-2024")))
    saved.write_text(draft.model_dump_json(), encoding="utf-8")
    p = run("extract", "予以公开应该是51件", "--draft", saved, "--json")
    assert json.loads(p.stdout)["changes"][0] == {"cell": "t3.granted.natural", "value": 51, "evidence": "予以公开应该是51件"}


def test_extract_from_stdin_and_bad_input() -> None:
    p = run("extract", "-", "--json", stdin="行政复议2件，都维持了")
    assert json.loads(p.stdout)["changes"][0]["cell"] == "t4.review.upheld"
    p = run("extract", "  ")
    assert p.returncode == 2 and "请提供要识别的一句话" in p.stderr
    p = run("extract", "收到2件", "--draft", "no-such-file.json")
    assert p.returncode == 2 and "找不到文件" in p.stderr and "Traceback" not in p.stderr


def test_ledger_command() -> None:
    p = run("ledger", LEDGER)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("2024年度表三（按台账统计，共计入37件申请）")
    assert "本年新收申请：自然人28，商业企业2，科研机构2，社会公益组织1，法律服务机构1，其他1" in p.stdout
    assert "以下3行无法归类" in p.stdout and "第38行" in p.stdout
    data = json.loads(run("ledger", LEDGER, "--json", "--year", "2024").stdout)
    assert data["year"] == 2024 and len(data["changes"]) == 144 and len(data["unclassified"]) == 3
    assert {k: data["changes"][0][k] for k in ("cell", "value")} == {"cell": "t3.new.natural", "value": 28}


def test_ledger_bad_input_exits_two(tmp_path: Path) -> None:
    bad = tmp_path / "台账.xlsx"
    bad.write_bytes(b"not a workbook")
    p = run("ledger", bad)
    assert p.returncode == 2 and "不是有效的Excel 表格" in p.stderr and "Traceback" not in p.stderr
    p = run("ledger", EXPECTED / "ziqiang-street-2024.cells.json")
    assert p.returncode == 2 and "不是文档" in p.stderr


def test_draft_problems_command() -> None:
    p = run(
        "draft-problems",
        EXPECTED / "hongze-district-2024.cells.json",
        "--previous",
        EXPECTED / "hongze-district-2023.cells.json",
        "--fees",
    )
    assert p.returncode == 0, p.stderr
    assert "本年新收政府信息公开申请95件" in p.stdout
    assert "请补充" not in p.stdout and "问题：所附上年报告中没有第五部分" in p.stderr  # the 2023 fixture has no 五
    assert p.stdout.rstrip().endswith("本年度未实际收取信息处理费。")
    again = run(
        "draft-problems",
        EXPECTED / "hongze-district-2024.cells.json",
        "--previous",
        EXPECTED / "hongze-district-2023.cells.json",
        "--fees",
    )
    assert again.stdout == p.stdout  # deterministic
    other = run("draft-problems", EXPECTED / "hongze-district-2024.cells.json", "--seed", "7")
    assert other.returncode == 0 and other.stdout != p.stdout
