"""This year's draft from last year's report: what carries over, what is remembered, nothing else."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import InputError
from assistant.importing import read_document
from assistant.model import Report
from assistant.prefill import prefill
from assistant.validator import validate
from tests.helpers import FIXTURES, assert_finding, failed

HONGZE_2023 = FIXTURES / "real" / "hongze-district-2023.pdf"
HUAIAN_2024 = FIXTURES / "expected" / "huaian-city-2024.cells.json"


@cache
def hongze_2023() -> Report:
    return read_document(HONGZE_2023).report


def test_draft_carries_agency_contact_and_carry_over_only() -> None:
    last = hongze_2023()
    draft = prefill(last)
    assert draft.meta.year == 2024
    assert draft.meta.agency == "洪泽区人民政府"
    assert draft.meta.contact == last.meta.contact and draft.meta.contact.email == "hzzwgk@126.com"
    assert draft.meta.title is None  # the exporter makes the title
    assert all(getattr(draft.sections, s) is None for s in ("preface", "s1", "s2", "s3", "s4", "s5", "s6"))
    assert draft.cells == {f"t3.carried_over.{c}": 0 for c in ("natural", "commercial", "research", "social", "legal", "other", "total")}
    assert draft.source is None


def test_carry_over_is_last_years_carried_forward() -> None:
    last = read_document(HUAIAN_2024).report
    draft = prefill(last, 2025)
    assert draft.get("t3.carried_over.natural") == 103 and draft.get("t3.carried_over.total") == 103
    assert draft.get("t3.new.natural") is None  # this year's numbers are not last year's
    assert failed(validate(draft), "CARRY-OVER") == []


def test_the_draft_remembers_last_year_for_the_cross_year_rules() -> None:
    last = hongze_2023()
    draft = prefill(last)
    assert draft.previous is not None and draft.previous.cells == last.cells
    assert draft.previous.sections.s5 == last.sections.s5 and draft.sections.s5 is None
    # Last year's 现行有效 (5) is the baseline: 5 + 1 − 0 ≠ 9.
    edited = draft.with_values({"t2.normative.issued": 1, "t2.normative.repealed": 0, "t2.normative.in_force": 9})
    assert_finding(edited, "IN-FORCE-CONTINUITY", cells=["t2.normative.in_force"], expected=6)
    copied = draft.with_values({"s5": last.sections.s5})
    assert_finding(copied, "PROBLEMS-COPIED")
    wrong = draft.with_values({"t3.carried_over.natural": 2})
    assert_finding(wrong, "CARRY-OVER", cells=["t3.carried_over.natural"], expected=0)


def test_only_one_year_is_remembered() -> None:
    older = prefill(hongze_2023())
    draft = prefill(older.with_values({"meta.year": 2024}), 2025)
    assert draft.previous is not None and draft.previous.previous is None


def test_year_must_come_after_last_years() -> None:
    with pytest.raises(InputError, match="应晚于上年报告的年度（2023年）"):
        prefill(hongze_2023(), 2023)
    with pytest.raises(InputError, match="请指定本年度"):
        prefill(Report())
    draft = prefill(hongze_2023(), 2026)
    assert draft.meta.year == 2026
    assert_finding(draft, "CARRY-OVER", "year_gap", fmt={"year": 2026, "prev_year": 2023})


def test_command_line_writes_the_draft_and_says_what_it_took(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.json"
    assert main(["prefill", str(HONGZE_2023), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("已从2023年报告读取：机关名称（洪泽区人民政府）、联系方式5项；本年上年结转=0件（来自上年结转下年度）。")
    assert "上年“现行有效件数”（规章0件、行政规范性文件5件）作为本年核对基准。" in printed
    assert "上年第五部分“存在的主要问题及改进情况”留作参考，未复制到本年。" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["meta"]["year"] == 2024 and data["previous"]["meta"]["year"] == 2023
    draft = read_document(out).report
    assert draft.previous is not None and draft.previous.cells == hongze_2023().cells
    # validate reads the remembered year: the draft is incomplete, but carries over correctly.
    assert main(["validate", str(out), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert not [f for f in findings if f["rule"] == "CARRY-OVER" and f["status"] == "failed"]


def test_command_line_refuses_a_year_before_last(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.json"
    assert main(["prefill", str(HUAIAN_2024), "--year", "2024", "-o", str(out)]) == 2
    assert "本年度（2024年）应晚于上年报告的年度（2024年）" in capsys.readouterr().err
    assert not out.exists()
    assert main(["prefill", str(tmp_path / "missing.pdf"), "-o", str(out)]) == 2
    assert "找不到文件" in capsys.readouterr().err
