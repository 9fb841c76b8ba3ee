"""The checks on the command line (issue 14's CLI cases), through a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import flat_fixture
from tests.test_cli import run


def test_a_partial_table_whose_known_parts_break_the_balance(tmp_path: Path) -> None:
    # 自然人: 新收 30, 上年结转 3, 结转下年度 3; results 20 + 4 + 5 + 2 = 31 entered, the rest blank.
    flat = {k: v for k, v in flat_fixture("ziqiang-street-2024").items() if not k.startswith("t3.")}
    flat |= {
        "t3.new.natural": 30,
        "t3.carried_over.natural": 3,
        "t3.carried_forward.natural": 3,
        "t3.granted.natural": 20,
        "t3.partial.natural": 4,
        "t3.unavailable.not_held.natural": 5,
        "t3.refused.petition.natural": 2,
    }
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(flat, ensure_ascii=False), "utf-8")
    p = run("validate", path, "--json")
    assert p.returncode == 1
    findings = json.loads(p.stdout)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert [(f["rule"], f["fix"]) for f in errors] == [("T3-BALANCE", None)]
    assert "无论其余未填的单元格填什么都不可能相等" in errors[0]["message"]
    # no fix anywhere that contradicts the parts already entered ("办理结果总计 填为30")
    fixed = [c for f in findings if f["fix"] for c in f["fix"]["changes"]]
    assert not [c for c in fixed if c["cell"] == "t3.processed_total.natural"]
    text = run("validate", path, "--all").stdout
    assert "按推算填写" not in text and "填为30" not in text
