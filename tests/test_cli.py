"""The command line through a real subprocess: output, JSON shape and exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import EXPECTED, flat_fixture

ZIQIANG = EXPECTED / "ziqiang-street-2024.cells.json"
HONGZE_2023 = EXPECTED / "hongze-district-2023.cells.json"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("ASSISTANT_RAISE", None)
    env.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_cells_prints_the_flat_map() -> None:
    p = run("cells", ZIQIANG)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == flat_fixture("ziqiang-street-2024")


def test_validate_clean_report_exits_zero() -> None:
    p = run("validate", ZIQIANG)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.startswith("校验结果：0 个错误")


def test_validate_errors_exit_one_with_chinese_messages() -> None:
    p = run("validate", HONGZE_2023)
    assert p.returncode == 1
    assert "表四“行政复议”：结果维持、结果纠正、其他结果、尚未审结之和为11，但“总计”填的是0" in p.stdout
    assert "可一键修正：将表四“行政复议”的“总计”改为11" in p.stdout


def test_validate_json(tmp_path: Path) -> None:
    p = run("validate", HONGZE_2023, "--json")
    assert p.returncode == 1
    findings = json.loads(p.stdout)["findings"]
    t4 = [f for f in findings if f["rule"] == "T4-TOTAL"]
    assert {tuple(f.keys()) for f in t4} == {
        ("rule", "severity", "status", "cells", "seen", "expected", "message", "fix")
    }
    first = t4[0]
    assert first["severity"] == "error" and first["expected"] == 11
    assert first["fix"]["changes"] == [
        {"cell": "t4.review.total", "value": 11, "evidence": first["fix"]["description"]}
    ]


def test_validate_with_previous(tmp_path: Path) -> None:
    this = flat_fixture("ziqiang-street-2024")
    last = {**this, "meta.year": 2023, "t3.carried_forward.natural": 1, "t3.carried_forward.total": 1}
    a, b = tmp_path / "this.json", tmp_path / "last.json"
    a.write_text(json.dumps(this, ensure_ascii=False), encoding="utf-8")
    b.write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    p = run("validate", a, "--previous", b, "--json")
    rules = {f["rule"] for f in json.loads(p.stdout)["findings"]}
    assert {"CARRY-OVER", "PROBLEMS-COPIED"} <= rules
    assert p.returncode == 1


def test_unreadable_input_exits_two_with_a_chinese_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for path, words in ((broken, "不是有效的 JSON"), (tmp_path / "missing.json", "找不到文件"), (tmp_path, "是文件夹")):
        p = run("validate", path)
        assert p.returncode == 2, p.stderr
        assert words in p.stderr and "Traceback" not in p.stderr
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"t3.new.natual": 1}', encoding="utf-8")
    p = run("cells", unknown)
    assert p.returncode == 2 and "是否应为“t3.new.natural”" in p.stderr
    bad_value = tmp_path / "bad.json"
    bad_value.write_text('{"cells": {"t3.new.natural": -4}}', encoding="utf-8")
    p = run("validate", bad_value)
    assert p.returncode == 2 and "应为不小于0的整数" in p.stderr


def test_invalid_text_values_in_a_flat_map_are_findings_not_crashes(tmp_path: Path) -> None:
    f = tmp_path / "typed.json"
    f.write_text(
        json.dumps({**flat_fixture("ziqiang-street-2024"), "t3.new.natural": "3.5"}, ensure_ascii=False),
        encoding="utf-8",
    )
    p = run("validate", f, "--json")
    assert p.returncode == 1
    assert any(x["rule"] == "CELL-VALUE" for x in json.loads(p.stdout)["findings"])
