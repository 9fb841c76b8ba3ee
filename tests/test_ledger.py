"""The application ledger (台账) becomes table 3 exactly.

``fixtures/ledger/ledger-2024.xlsx`` holds 42 hand-made applications with a title row, a header on
two rows with merged cells, dates typed five ways, outcome and reason in separate columns. The
expected table 3 below was counted by hand from ``fixtures/ledger/make_ledgers.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant import cells as reg
from assistant import editing
from assistant.errors import InputError
from assistant.ledger import (
    classify_applicant,
    classify_outcome,
    find_header,
    ledger_changes,
    ledger_proposal,
    parse_date,
    read_rows,
)
from assistant.validator import validate
from tests.helpers import FIXTURES

XLSX = FIXTURES / "ledger" / "ledger-2024.xlsx"
GBK_CSV = FIXTURES / "ledger" / "ledger-2024-gbk.csv"

# Table 3 of ledger-2024.xlsx: every non-zero applicant cell (all others are 0).
EXPECTED_XLSX = {
    "t3.new.natural": 28,
    "t3.new.commercial": 2,
    "t3.new.research": 2,
    "t3.new.social": 1,
    "t3.new.legal": 1,
    "t3.new.other": 1,
    "t3.carried_over.natural": 1,  # received 2023-12-18, answered 2024-01-05
    "t3.carried_over.commercial": 1,
    "t3.granted.natural": 6,
    "t3.granted.commercial": 1,
    "t3.granted.social": 1,
    "t3.granted.other": 1,
    "t3.partial.natural": 2,
    "t3.partial.research": 1,
    "t3.denied.state_secret.natural": 1,
    "t3.denied.law_prohibited.natural": 1,
    "t3.denied.security.natural": 1,
    "t3.denied.third_party.commercial": 1,  # 属于商业秘密
    "t3.denied.third_party.legal": 1,
    "t3.denied.internal.natural": 1,
    "t3.denied.process.natural": 1,
    "t3.denied.enforcement.natural": 1,
    "t3.denied.query.natural": 1,
    "t3.unavailable.not_held.natural": 2,  # 本机关不掌握; 信息不存在
    "t3.unavailable.not_held.commercial": 1,
    "t3.unavailable.needs_creation.research": 1,
    "t3.unavailable.unclear.natural": 1,
    "t3.refused.petition.natural": 1,
    "t3.refused.duplicate.natural": 1,
    "t3.refused.publication.natural": 1,
    "t3.refused.excessive.natural": 1,
    "t3.refused.confirmation.natural": 1,
    "t3.other.no_correction.natural": 1,
    "t3.other.unpaid_fee.natural": 1,
    "t3.other.other.natural": 1,  # 申请人主动撤回申请
    "t3.carried_forward.natural": 3,  # 办理中; answered 2025-01-06; no outcome yet
}

EXPECTED_CSV = {
    "t3.new.natural": 4,
    "t3.new.commercial": 1,
    "t3.new.research": 1,
    "t3.new.legal": 1,
    "t3.carried_over.natural": 1,
    "t3.granted.natural": 3,
    "t3.partial.natural": 1,
    "t3.denied.third_party.legal": 1,
    "t3.unavailable.not_held.commercial": 1,
    "t3.other.other.research": 1,
    "t3.carried_forward.natural": 1,
}


def test_the_fixture_is_a_real_ledger() -> None:
    rows = read_rows(XLSX)
    applications = [r for r in rows[4:] if str(r[0]).isdigit()]
    assert len(applications) >= 30
    header = find_header(rows)
    assert header is not None and header[0] in (2, 3)  # the header is not on line 1


def test_xlsx_ledger_gives_table_3_exactly() -> None:
    result = ledger_changes(XLSX)
    assert result.year == 2024
    assert result.counts() == EXPECTED_XLSX
    assert result.counted == 37
    assert len(result.changes) == 24 * 6  # every leaf cell of table 3, zeros included
    assert {c.cell for c in result.changes} == {
        f"t3.{r.id}.{c}" for r in reg.T3_ROWS if r.id != "processed_total" for c in reg.T3_APPLICANT_COLUMNS
    }
    assert result.columns == {
        "applicant": "申请主体",
        "received": "申请时间",
        "outcome": "答复结果",
        "reason": "不予公开/无法提供理由",
        "closed": "答复日期",
    }


def test_rows_it_cannot_classify_are_reported_not_guessed() -> None:
    result = ledger_changes(XLSX)
    issues = {i.row: i.reason for i in result.unclassified}
    assert issues == {
        38: "申请人类型只写了法人或其他组织，未写明具体类别",
        39: "只写了已办结，未写明办理结果",
        40: "只写了“不予公开”，未写明具体情形",
    }
    assert "申请主体：单位" in result.unclassified[0].text()
    assert any("第37行收到日期在2024年以后" in n for n in result.notes)
    assert any("第36行在2024年以前已办结" in n for n in result.notes)


def test_applied_ledger_balances() -> None:
    draft = editing.apply(editing.start(), ledger_changes(XLSX).changes, source="ledger")
    report = draft.report
    assert report.get("t3.new.total") == 35 and report.get("t3.carried_over.total") == 2
    assert report.get("t3.processed_total.total") == 34 and report.get("t3.carried_forward.total") == 3
    broken = [f for f in validate(report) if f.rule.startswith("T3-") and f.status == "failed"]
    assert broken == []


def test_gbk_csv_with_other_column_names() -> None:
    result = ledger_changes(GBK_CSV)
    assert result.counts() == EXPECTED_CSV and result.unclassified == []
    assert result.columns["applicant"] == "申请人类别" and result.columns["received"] == "登记日期"


def test_utf8_csv_with_a_bom_and_an_explicit_year(tmp_path: Path) -> None:
    text = GBK_CSV.read_bytes().decode("gbk")
    path = tmp_path / "台账.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    assert ledger_changes(path).counts() == EXPECTED_CSV
    # Read as the 2023 report: the one application received in 2023 is new, and as it was answered in
    # January 2024 it was carried forward; the rest are the next year's.
    earlier = ledger_changes(path, 2023)
    assert earlier.year == 2023
    assert earlier.counts() == {"t3.new.natural": 1, "t3.carried_forward.natural": 1}
    assert any("第2、3、4、5、6、8、9行收到日期在2023年以后" in n for n in earlier.notes)


def test_year_defaults_to_the_year_of_most_dates() -> None:
    assert ledger_changes(XLSX).year == 2024


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ("予以公开", "granted"),
        ("同意公开", "granted"),
        ("部分公开（涉及个人隐私）", "partial"),
        ("不予公开；涉及第三方合法权益", "denied.third_party"),
        ("已答复，信息不存在", "unavailable.not_held"),
        ("申请人逾期未补正，不再处理", "other.no_correction"),
        ("申请人主动撤回申请", "other.other"),
        ("办理中", "carried_forward"),
        ("", "carried_forward"),
        ("不予处理；重复申请", "refused.duplicate"),
    ],
)
def test_outcome_wording(text: str, row: str) -> None:
    assert classify_outcome(text) == (row, "")


@pytest.mark.parametrize(
    ("text", "column"),
    [("个人", "natural"), ("公民", "natural"), ("企业法人", "commercial"), ("律所", "legal"), ("科研院所", "research"),
     ("社会组织", "social"), ("其他组织", "other"), ("其他", "other")],
)
def test_applicant_wording(text: str, column: str) -> None:
    assert classify_applicant(text) == (column, "")


def test_dates_in_every_form() -> None:
    day = dt.date(2024, 3, 5)
    for value in (dt.datetime(2024, 3, 5, 9, 30), day, "2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305",
                  45356):
        assert parse_date(value) == day, value
    assert parse_date("三月五日") is None and parse_date(None) is None


def test_ledger_proposal_for_the_chat() -> None:
    proposal = ledger_proposal(XLSX.read_bytes(), name="ledger-2024.xlsx")
    assert proposal.engine == "ledger" and len(proposal.changes) == 144
    assert "计入37件申请" in proposal.reply and "有3行无法归类" in proposal.reply
    assert len(proposal.questions) == 3 and proposal.questions[0].startswith("第38行")


def test_a_sheet_that_is_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "汇总.csv"
    path.write_text("项目,数量\n行政许可,12\n", encoding="utf-8")
    with pytest.raises(InputError, match="没有在表格中找到台账的表头"):
        ledger_changes(path)
    with pytest.raises(InputError, match=r"应为 \.xlsx、\.xls 或 \.csv"):
        ledger_changes(FIXTURES / "notes" / "work-notes-2024.txt")
