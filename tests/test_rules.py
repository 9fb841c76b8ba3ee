"""Every rule: a case where it holds and one where it fails, the message checked against the rule table."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from assistant import cells as reg
from assistant.findings import Status
from assistant.model import Report, SourceNotes
from assistant.rules import RULES, Severity, message_for
from assistant.validator import CHECKS, may_make_rules, validate
from tests.helpers import FIXTURES, assert_clean, assert_finding, failed, flat_fixture, ziqiang


def test_every_rule_has_a_check_and_the_spec_ids() -> None:
    spec = {
        "T3-ROW-TOTAL",
        "T3-PROCESSED-SUM",
        "T3-BALANCE",
        "T4-TOTAL",
        "CELL-VALUE",
        "CARRY-OVER",
        "IN-FORCE-CONTINUITY",
        "SECTIONS-COMPLETE",
        "FEE-STATEMENT",
        "TEXT-TABLE",
        "PROBLEMS-COPIED",
        "YEAR",
        "TEMPLATE-VERSION",
        "BLANK-NOT-ZERO",
        "S1-TOPICS",
        "PROBLEMS-FOLLOWUP",
        "RULES-AUTHORITY",
    }
    # The spec's minimum set, and ours beyond it (issue 14: a published blank is an error).
    assert set(RULES) == spec | {"CELLS-FILLED"} == set(CHECKS)
    errors = {r.id for r in RULES.values() if r.severity is Severity.ERROR}
    assert errors == {
        "T3-ROW-TOTAL",
        "T3-PROCESSED-SUM",
        "T3-BALANCE",
        "T4-TOTAL",
        "CELL-VALUE",
        "CARRY-OVER",
        "SECTIONS-COMPLETE",
        "YEAR",
        "TEMPLATE-VERSION",
        "CELLS-FILLED",
    }
    for rule in RULES.values():
        assert all(c in reg.CELLS for c in rule.reads)


def test_the_real_ziqiang_report_has_no_error() -> None:
    findings = validate(ziqiang())
    assert not [f.message for f in findings if f.severity is Severity.ERROR]
    assert not [f for f in findings if f.status is Status.NOT_ASSESSABLE]


def consistent() -> Report:
    """ziqiang with 12 applications from natural persons: 10 granted, 1 withdrawn, 1 carried forward."""
    s1 = ziqiang().section_text("s1") or ""
    return ziqiang().with_values(
        {
            "t3.new.natural": 12,
            "t3.new.total": 12,
            "t3.granted.natural": 10,
            "t3.granted.total": 10,
            "t3.other.other.natural": 1,
            "t3.other.other.total": 1,
            "t3.processed_total.natural": 11,
            "t3.processed_total.total": 11,
            "t3.carried_forward.natural": 1,
            "t3.carried_forward.total": 1,
            "s1": s1.replace("未收到政府信息公开申请", "收到政府信息公开申请12件"),
        }
    )


def last_year(**values: object) -> Report:
    return ziqiang().with_values({"meta.year": 2023, **values})


# -- T3-ROW-TOTAL ------------------------------------------------------------------------------


def test_row_total_holds_and_fails() -> None:
    assert_clean(consistent(), "T3-ROW-TOTAL")
    r = consistent().with_values({"t3.new.total": 13})  # the total mistyped
    f = assert_finding(
        r,
        "T3-ROW-TOTAL",
        cells=["t3.new.total"],
        expected=12,
        fmt={"row": "本年新收政府信息公开申请数量", "expected": "12", "seen": "13", "diff": "1"},
    )
    assert f.fix is not None and [(c.cell, c.value) for c in f.fix.changes] == [("t3.new.total", 12)]
    assert f.fix.description == "将表三“本年新收政府信息公开申请数量”行的“总计”改为12"


def test_row_total_offers_no_fix_that_breaks_the_balance() -> None:
    # A part mistyped: making the total agree with it would break the 总计 column's balance.
    r = consistent().with_values({"t3.new.legal": 2})
    f = assert_finding(
        r,
        "T3-ROW-TOTAL",
        cells=["t3.new.total"],
        expected=14,
        fmt={"row": "本年新收政府信息公开申请数量", "expected": "14", "seen": "12", "diff": "2"},
    )
    assert f.seen["t3.new.legal"] == 2
    assert f.fix is None
    assert failed(validate(r), "T3-BALANCE")  # the 法律服务机构 column shows where the mistake is


# -- T3-PROCESSED-SUM --------------------------------------------------------------------------


def test_processed_sum_holds_and_fails() -> None:
    assert_clean(consistent(), "T3-PROCESSED-SUM")
    r = consistent().with_values({"t3.processed_total.natural": 10})  # 10 + 1 granted/withdrawn = 11
    f = assert_finding(
        r,
        "T3-PROCESSED-SUM",
        cells=["t3.processed_total.natural"],
        expected=11,
        fmt={"column": "自然人", "expected": "11", "seen": "10", "diff": "1"},
    )
    assert f.fix and [(c.cell, c.value) for c in f.fix.changes] == [("t3.processed_total.natural", 11)]
    # A result added without its totals: adding it to the 总计 would break the balance, so no fix.
    r = consistent().with_values({"t3.denied.state_secret.natural": 1, "t3.denied.state_secret.total": 1})
    f = assert_finding(
        r,
        "T3-PROCESSED-SUM",
        cells=["t3.processed_total.natural"],
        expected=12,
        fmt={"column": "自然人", "expected": "12", "seen": "11", "diff": "1"},
    )
    assert f.fix is None
    assert_finding(
        r,
        "T3-PROCESSED-SUM",
        cells=["t3.processed_total.total"],
        fmt={"column": "总计", "expected": "12", "seen": "11", "diff": "1"},
    )


def test_a_wrong_subtotal_is_fixed_where_it_is_wrong() -> None:
    # （七）总计·自然人 typed as 10: the row of （七）总计 no longer adds up to its 总计 (11), but the
    # fix is the subtotal (from the results under it), not the grand total.
    r = consistent().with_values({"t3.processed_total.natural": 10})
    f = assert_finding(r, "T3-ROW-TOTAL", cells=["t3.processed_total.total"])
    assert f.fix and [(c.cell, c.value) for c in f.fix.changes] == [("t3.processed_total.natural", 11)]


# -- T3-BALANCE --------------------------------------------------------------------------------


def test_balance_holds_and_fails_with_the_specs_message() -> None:
    assert_clean(consistent(), "T3-BALANCE")
    r = consistent().with_values(
        {
            "t3.other.other.natural": 0,
            "t3.other.other.total": 0,
            "t3.processed_total.natural": 10,
            "t3.processed_total.total": 10,
        }
    )
    f = assert_finding(
        r,
        "T3-BALANCE",
        cells=["t3.new.natural", "t3.carried_forward.natural"],
        fmt={
            "column": "自然人",
            "new": "12",
            "carried_over": "0",
            "lhs": 12,
            "processed_total": "10",
            "carried_forward": "1",
            "rhs": 11,
            "diff": 1,
        },
    )
    assert f.message.startswith(
        "表三“自然人”列：本年新收(12)+上年结转(0)=12，但办理结果总计(10)+结转下年度(1)=11，相差1"
    )
    assert f.fix is None  # which side is wrong is not determined
    assert len(failed(validate(r), "T3-BALANCE")) == 2  # the 自然人 and 总计 columns, nothing else


def test_balance_derives_a_single_missing_cell() -> None:
    r = consistent().with_values({"t3.carried_forward.natural": None})
    f = next(x for x in validate(r) if x.rule == "T3-BALANCE" and "t3.carried_forward.natural" in x.cells)
    assert f.status is Status.NOT_ASSESSABLE and f.severity is Severity.INFO
    assert f.fix and f.fix.changes[0].cell == "t3.carried_forward.natural" and f.fix.changes[0].value == 1
    assert "无法校验" in f.message and "可推算为1" in f.message


# -- T4-TOTAL ----------------------------------------------------------------------------------


def test_t4_total_holds_and_fails() -> None:
    assert_clean(ziqiang(), "T4-TOTAL")
    r = ziqiang().with_values({"t4.review.upheld": 2})
    f = assert_finding(
        r,
        "T4-TOTAL",
        cells=["t4.review.total"],
        expected=2,
        fmt={"group": "行政复议", "expected": "2", "seen": "0", "diff": "2"},
    )
    assert f.fix and f.fix.changes[0].value == 2
    r = ziqiang().with_values({"t4.suit_after_review.pending": 1})
    assert_finding(r, "T4-TOTAL", fmt={"group": "行政诉讼·复议后起诉", "expected": "1", "seen": "0", "diff": "1"})


def test_hongze_2023_table_four_errors_are_found() -> None:
    r = Report.from_flat(flat_fixture("hongze-district-2023"))
    found = {f.fix.changes[0].cell: f.fix.changes[0].value for f in failed(validate(r), "T4-TOTAL") if f.fix}
    assert found == {"t4.review.total": 11, "t4.suit_after_review.total": 5}


# -- CELL-VALUE --------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["3.5", "-1", "约十件"])
def test_cell_value_fails_for_what_is_not_a_count(raw: str) -> None:
    r = Report.from_flat({**flat_fixture("ziqiang-street-2024"), "t3.new.natural": raw})
    assert_finding(
        r,
        "CELL-VALUE",
        cells=["t3.new.natural"],
        fmt={"label": "本年新收政府信息公开申请数量·自然人", "rule": "不小于0的整数", "raw": raw},
    )


def test_cell_value_holds_for_money_with_decimals() -> None:
    r = Report.from_flat({**flat_fixture("ziqiang-street-2024"), "t2.fees.amount": "7730.28"})
    assert r.get("t2.fees.amount") == Decimal("7730.28")
    assert_clean(r, "CELL-VALUE")
    bad = Report.from_flat({**flat_fixture("ziqiang-street-2024"), "t2.fees.amount": "-2"})
    assert_finding(
        bad,
        "CELL-VALUE",
        fmt={
            "label": "行政事业性收费·本年收费金额（单位：万元）",
            "rule": "不小于0的数（单位：万元，可有小数）",
            "raw": "-2",
        },
    )


# -- CARRY-OVER --------------------------------------------------------------------------------


def test_carry_over_holds_and_fails() -> None:
    this = consistent()
    assert_clean(this, "CARRY-OVER", previous=last_year())
    prev = last_year(**{"t3.carried_forward.legal": 2, "t3.carried_forward.total": 2})
    f = assert_finding(
        this,
        "CARRY-OVER",
        previous=prev,
        cells=["t3.carried_over.legal"],
        fmt={"column": "法律服务机构", "seen": "0", "expected": "2", "prev_year": 2023},
    )
    assert f.fix and (f.fix.changes[0].cell, f.fix.changes[0].value) == ("t3.carried_over.legal", 2)


def test_carry_over_uses_the_remembered_previous_and_warns_on_a_year_gap() -> None:
    r = consistent().model_copy(update={"previous": ziqiang().with_values({"meta.year": 2021})})
    f = assert_finding(r, "CARRY-OVER", "year_gap", fmt={"year": 2024, "prev_year": 2021})
    assert f.severity is Severity.WARNING


# -- IN-FORCE-CONTINUITY -----------------------------------------------------------------------


def test_in_force_continuity() -> None:
    prev = last_year(**{"t2.normative.in_force": 5})
    ok = consistent().with_values({"t2.normative.issued": 3, "t2.normative.in_force": 8})
    assert_clean(ok, "IN-FORCE-CONTINUITY", previous=prev)
    bad = ok.with_values({"t2.normative.in_force": 7})
    f = assert_finding(
        bad,
        "IN-FORCE-CONTINUITY",
        previous=prev,
        cells=["t2.normative.in_force"],
        expected=8,
        fmt={"item": "行政规范性文件", "prev": "5", "issued": "3", "repealed": "0", "expected": "8", "seen": "7"},
    )
    assert f.severity is Severity.WARNING and f.fix and f.fix.changes[0].value == 8


def test_hongze_pair_in_force_is_continuous() -> None:
    prev = Report.from_flat(flat_fixture("hongze-district-2023"))
    this = Report.from_flat(flat_fixture("hongze-district-2024"))
    assert_clean(this, "IN-FORCE-CONTINUITY", previous=prev)
    assert_clean(this, "CARRY-OVER", previous=prev)


# -- SECTIONS-COMPLETE -------------------------------------------------------------------------


def test_sections_complete() -> None:
    assert_clean(ziqiang(), "SECTIONS-COMPLETE")
    r = ziqiang().with_values({"s5": None, "s6": "  "})
    assert_finding(r, "SECTIONS-COMPLETE", "missing", fmt={"section": "五、存在的主要问题及改进情况"})
    assert_finding(r, "SECTIONS-COMPLETE", "empty", fmt={"section": "六、其他需要报告的事项"})
    empty_t4 = Report.from_flat(
        {k: v for k, v in flat_fixture("ziqiang-street-2024").items() if not k.startswith("t4.") and k != "s4"}
    )
    assert_finding(empty_t4, "SECTIONS-COMPLETE", "missing", fmt={"section": "四、政府信息公开行政复议、行政诉讼情况"})


# -- FEE-STATEMENT -----------------------------------------------------------------------------


def test_fee_statement() -> None:
    assert_clean(ziqiang(), "FEE-STATEMENT")
    r = ziqiang().with_values({"s6": "无其他需要报告的事项。"})
    assert_finding(r, "FEE-STATEMENT", "no_statement", fmt={})
    r = consistent().with_values({"t3.other.unpaid_fee.natural": 1, "t3.other.unpaid_fee.total": 1})
    assert_finding(r, "FEE-STATEMENT", "unpaid_without_notice", fmt={"seen": "1"})


# -- TEXT-TABLE --------------------------------------------------------------------------------

NEW_TOTAL = "表三“本年新收政府信息公开申请数量”总计"


def test_text_table_holds_when_the_text_agrees() -> None:
    assert_clean(consistent(), "TEXT-TABLE")
    assert_clean(ziqiang(), "TEXT-TABLE")  # "未收到政府信息公开申请" and 0 in the table


def test_text_table_fails_on_a_different_number() -> None:
    r = consistent().with_values({"s1": "2024年，本街道共受理政府信息公开申请15件，均按时答复。"})
    assert_finding(
        r,
        "TEXT-TABLE",
        cells=["t3.new.total", "s1"],
        expected=12,
        fmt={"section": "一、总体情况", "quote": "受理政府信息公开申请15件", "target": NEW_TOTAL, "expected": "12"},
    )


def test_text_table_none_received_but_table_says_otherwise() -> None:
    r = consistent().with_values({"s1": ziqiang().section_text("s1")})
    assert_finding(
        r,
        "TEXT-TABLE",
        cells=["t3.new.total"],
        expected=12,
        fmt={"section": "一、总体情况", "quote": "未收到政府信息公开申请", "target": NEW_TOTAL, "expected": "12"},
    )


def test_text_table_reviews_and_suits_with_breakdown() -> None:
    text = (
        "本年发生政府信息公开行政复议3件，其中结果维持2件，结果纠正1件；"
        "政府信息公开行政诉讼2件，其中结果维持1件，尚未审结1件。"
    )
    r = ziqiang().with_values(
        {
            "s1": text,
            "t4.review.upheld": 2,
            "t4.review.corrected": 1,
            "t4.review.total": 3,
            "t4.suit_direct.upheld": 1,
            "t4.suit_direct.total": 1,
            "t4.suit_after_review.pending": 1,
            "t4.suit_after_review.total": 1,
        }
    )
    assert_clean(r, "TEXT-TABLE")
    wrong = r.with_values({"t4.review.upheld": 1, "t4.review.other": 1})
    f = assert_finding(wrong, "TEXT-TABLE", cells=["t4.review.upheld"], expected=1)
    assert "结果维持2件" in f.message


def test_text_table_fee_collected() -> None:
    r = ziqiang().with_values({"s6.fee.collected": 50})
    assert_finding(r, "TEXT-TABLE", cells=["s6.fee.collected"], expected=50)


# -- PROBLEMS-COPIED ---------------------------------------------------------------------------


def test_problems_copied() -> None:
    this = ziqiang()
    fresh = last_year(s5="2023年主要问题是网站栏目更新不及时，已通过建立周检查制度予以整改。")
    assert_clean(this, "PROBLEMS-COPIED", previous=fresh)
    f = assert_finding(this, "PROBLEMS-COPIED", previous=last_year(), fmt={"prev_year": 2023, "ratio": 100})
    assert f.severity is Severity.WARNING


# -- YEAR --------------------------------------------------------------------------------------


def test_year() -> None:
    assert_clean(ziqiang(), "YEAR")
    r = ziqiang().with_values({"meta.year": 2025})
    assert_finding(r, "YEAR", cells=["meta.title"], fmt={"where": "标题", "seen": 2024, "expected": 2025})
    assert_finding(r, "YEAR", cells=["preface"], fmt={"where": "统计期限", "seen": 2024, "expected": 2025})


# -- TEMPLATE-VERSION --------------------------------------------------------------------------


def test_template_version() -> None:
    assert_clean(ziqiang(), "TEMPLATE-VERSION")
    old = ziqiang().model_copy(update={"source": SourceNotes(template="2019", template_notes=["表二为2019年版栏目"])})
    assert_finding(old, "TEMPLATE-VERSION", "old", fmt={"year": 2024, "notes": "表二为2019年版栏目"})
    mixed = ziqiang().model_copy(
        update={"source": SourceNotes(template="mixed", template_notes=["（六）其他处理为单行"])}
    )
    assert_finding(mixed, "TEMPLATE-VERSION", "mixed", fmt={"notes": "（六）其他处理为单行"})
    assert_clean(old.with_values({"meta.year": 2020}), "TEMPLATE-VERSION")


# -- BLANK-NOT-ZERO ----------------------------------------------------------------------------


def test_blank_not_zero() -> None:
    assert_clean(ziqiang(), "BLANK-NOT-ZERO")
    r = Report.from_flat({**flat_fixture("ziqiang-street-2024"), "t4.review.other": "/", "t4.review.pending": "—"})
    f = assert_finding(
        r,
        "BLANK-NOT-ZERO",
        cells=["t4.review.other", "t4.review.pending"],
        fmt={"count": 2, "labels": "“行政复议·其他结果”、“行政复议·尚未审结”"},
    )
    assert f.severity is Severity.WARNING
    assert r.get("t4.review.other") == 0


# -- S1-TOPICS ---------------------------------------------------------------------------------


def test_s1_topics() -> None:
    assert_clean(ziqiang(), "S1-TOPICS")
    r = ziqiang().with_values({"s1": "本年度主动公开政府信息120条，依申请公开工作规范有序。"})
    assert_finding(r, "S1-TOPICS", fmt={"topics": "政府信息管理、平台建设、监督保障"})


# -- PROBLEMS-FOLLOWUP -------------------------------------------------------------------------


def test_problems_followup() -> None:
    prev = last_year(s5="信息更新不及时。下一步将建立周检查制度。")
    assert_finding(ziqiang(), "PROBLEMS-FOLLOWUP", previous=prev, fmt={"prev_year": 2023})
    answered = ziqiang().with_values(
        {"s5": "针对2023年报告提出的信息更新不及时问题，已建立周检查制度并整改到位。本年存在的问题是政策解读形式单一。"}
    )
    assert_clean(answered, "PROBLEMS-FOLLOWUP", previous=prev)


# -- RULES-AUTHORITY ---------------------------------------------------------------------------


def test_rules_authority() -> None:
    assert_clean(ziqiang(), "RULES-AUTHORITY")
    r = ziqiang().with_values({"t2.rules.issued": 1, "t2.rules.in_force": 1})
    assert_finding(r, "RULES-AUTHORITY", cells=["t2.rules.issued"], fmt={"agency": "长春市南关区自强街道办事处"})
    city = Report.from_flat(flat_fixture("huaian-city-2024"))
    assert city.get("t2.rules.issued") == 1
    assert_clean(city, "RULES-AUTHORITY")


@pytest.mark.parametrize(
    ("agency", "may"),
    [
        ("淮安市人民政府", True),
        ("江苏省人民政府", True),
        ("广西壮族自治区人民政府", True),
        ("北京市人民政府", True),
        ("教育部", True),
        ("国家税务总局", True),
        ("淮安市洪泽区人民政府", False),
        ("长春市南关区自强街道办事处", False),
        ("淮安市教育局", False),
        ("江苏省教育厅", False),
        ("某某县人民政府", False),
        ("某某镇人民政府", False),
    ],
)
def test_may_make_rules(agency: str, may: bool) -> None:
    assert may_make_rules(agency) is may


# -- not assessable ----------------------------------------------------------------------------


def test_unknown_cells_are_not_assessable_rather_than_errors() -> None:
    r = Report.from_flat({"meta.year": 2025, "t3.new.natural": 3, "t3.new.commercial": 1})
    findings = validate(r)
    row = next(f for f in findings if f.rule == "T3-ROW-TOTAL" and "t3.new.total" in f.cells)
    assert row.status is Status.NOT_ASSESSABLE and row.severity is Severity.INFO
    assert not [f for f in findings if f.rule.startswith("T3") and f.status is Status.FAILED]
    empty_row = next(f for f in findings if f.rule == "T3-ROW-TOTAL" and "t3.granted.total" in f.cells)
    assert "表三“予以公开”整行" in empty_row.message


def test_validate_can_run_a_subset_of_rules() -> None:
    r = ziqiang().with_values({"t4.review.upheld": 2, "s5": None})
    assert {f.rule for f in validate(r, rules=["T4-TOTAL"])} == {"T4-TOTAL"}


# -- blank totals in the source (issue 13) -------------------------------------------------------

CHECKS_FIXTURES = FIXTURES / "checks"


def blank_total_column() -> Report:
    """The 2019-edition fixture's tables as a portal prints them: the 总计 column blank on every
    result row, zeros blank, the grand total (（七）总计·总计 39) kept."""
    return Report.from_flat(json.loads((CHECKS_FIXTURES / "blank-total-column.cells.json").read_text("utf-8")))


def test_a_blank_total_column_is_one_finding_whose_fix_fills_it_from_the_parts() -> None:
    r = blank_total_column()
    assert r.get("t3.granted.total") == 0 and "t3.granted.total" in r.source.blank_cells  # type: ignore[union-attr]
    errors = [f for f in validate(r) if f.is_error]
    assert [(f.rule, f.severity) for f in errors] == [("T3-ROW-TOTAL", Severity.ERROR)]
    f = errors[0]
    assert f.message.startswith("表三有6处合计在原文中为空白（已按0读取），按各分项之和应为：“予以公开·总计”22、")
    assert f.fix is not None
    fills = {c.cell: c.value for c in f.fix.changes}
    assert fills["t3.granted.total"] == 22 and fills["t3.unavailable.not_held.total"] == 7
    assert "t3.processed_total.total" not in fills  # the grand total is never zeroed, nor touched
    fixed = r.with_values(fills)
    assert fixed.get("t3.processed_total.total") == 39
    assert not [g.message for g in validate(fixed) if g.is_error]
    # No finding offers to change the grand total.
    assert not [g for g in validate(r) if g.fix and "t3.processed_total.total" in {c.cell for c in g.fix.changes}]


def test_a_total_column_blank_throughout_is_filled_from_the_parts() -> None:
    flat = json.loads((CHECKS_FIXTURES / "blank-total-column.cells.json").read_text("utf-8"))
    flat |= {k: "" for k in flat if k.startswith("t3.") and k.endswith(".total")}
    r = Report.from_flat(flat)
    (f,) = [g for g in validate(r) if g.is_error]
    fills = {c.cell: c.value for c in f.fix.changes}  # type: ignore[union-attr]
    assert fills["t3.new.total"] == 40 and fills["t3.processed_total.total"] == 39
    assert fills["t3.carried_forward.total"] == 3
    assert not [g.message for g in validate(r.with_values(fills)) if g.is_error]


def test_a_blank_total_that_contradicts_the_table_is_still_an_error() -> None:
    # 予以公开 has 22 in its parts; the grand total kept in the source (39) then cannot hold.
    flat = json.loads((CHECKS_FIXTURES / "blank-total-column.cells.json").read_text("utf-8"))
    r = Report.from_flat({**flat, "t3.processed_total.total": 45})
    found = failed(validate(r), "T3-PROCESSED-SUM") + failed(validate(r), "T3-ROW-TOTAL")
    assert any("45" in f.message for f in found)


# -- what the known cells already tell (issue 14) ------------------------------------------------


def natural_partial(**extra: int) -> Report:
    """自然人: 新收 30, 上年结转 3, 结转下年度 3; results 20 + 4 + 5 + 2 = 31 entered, the rest blank."""
    flat = {k: v for k, v in flat_fixture("ziqiang-street-2024").items() if not k.startswith("t3.")}
    values = {
        "t3.new.natural": 30,
        "t3.carried_over.natural": 3,
        "t3.carried_forward.natural": 3,
        "t3.granted.natural": 20,
        "t3.partial.natural": 4,
        "t3.unavailable.not_held.natural": 5,
        "t3.refused.petition.natural": 2,
        **extra,
    }
    return Report.from_flat(flat).with_values(values)


def test_a_balance_that_can_no_longer_hold_is_an_error_now() -> None:
    r = natural_partial()
    f = assert_finding(r, "T3-BALANCE", "bound", cells=["t3.new.natural", "t3.processed_total.natural"])
    assert f.message == (
        "表三“自然人”列：本年新收(30)+上年结转(3)=33，但办理结果总计(未填，按已填数字至少为31)+结转下年度(3)"
        "合计至少为34，无论其余未填的单元格填什么都不可能相等。请核对已填的数字。"
    )
    assert f.severity is Severity.ERROR and f.fix is None
    # and no value is derived from numbers that cannot all be right: no "办理结果总计 填为30"
    assert not [x for x in validate(r) if x.fix and "t3.processed_total.natural" in {c.cell for c in x.fix.changes}]


def test_parts_already_larger_than_their_total_are_an_error() -> None:
    r = natural_partial(**{"t3.processed_total.natural": 30})
    f = assert_finding(r, "T3-PROCESSED-SUM", "bound", cells=["t3.processed_total.natural"])
    assert "已填的各项办理结果之和已达31（另有17项未填），但“（七）总计”为30" in f.message
    r = ziqiang().with_values({"t4.review.upheld": 3, "t4.review.corrected": None, "t4.review.total": 2})
    f = assert_finding(r, "T4-TOTAL", "bound")
    assert f.message.startswith("表四“行政复议”：已填的各项结果之和已达3（另有1项未填），但“总计”为2")


def test_a_value_is_derived_only_when_it_agrees_with_everything_known() -> None:
    r = natural_partial(**{"t3.granted.natural": 19})  # results now 30: the balance determines the total
    f = next(x for x in validate(r) if x.rule == "T3-BALANCE" and "t3.processed_total.natural" in x.cells)
    assert f.status is Status.NOT_ASSESSABLE and f.fix is not None
    assert [(c.cell, c.value) for c in f.fix.changes] == [("t3.processed_total.natural", 30)]
    assert not [x.message for x in validate(r) if x.is_error]


def test_several_relations_together_that_cannot_hold_are_an_error() -> None:
    # Three result rows each of 1 application, all from 自然人 or 商业企业 (the other columns 0),
    # but those two columns processed only 2 in all; the 其他 column's blanks could absorb the
    # grand total, so no single relation is impossible, only the table as a whole.
    values: dict[str, object] = {f"t3.{r}.{c}": 0 for r in reg.T3_RESULT_ROWS for c in reg.T3_APPLICANT_COLUMNS}
    for row in ("granted", "partial", "denied.state_secret"):
        values |= {f"t3.{row}.natural": None, f"t3.{row}.commercial": None, f"t3.{row}.total": 1}
    values |= {"t3.processed_total.natural": 1, "t3.processed_total.commercial": 1}
    values |= {f"t3.other.other.{c}": None for c in reg.T3_APPLICANT_COLUMNS}
    r = ziqiang().with_values({k: None for k in ziqiang().cells if k.startswith("t3.")}).with_values(values)
    (f,) = [x for x in validate(r) if x.is_error]
    assert f.rule == "T3-BALANCE" and f.message.startswith("表三已填的数字之间互相矛盾：")


# -- the 2019 edition ------------------------------------------------------------------------------


def edition_2019() -> Report:
    return Report.from_flat(json.loads((CHECKS_FIXTURES / "edition-2019-2020.cells.json").read_text("utf-8")))


def test_a_correct_2019_edition_report_gets_no_finding() -> None:
    r = edition_2019()
    assert r.get("t2.rules.issued") is None and r.get("t3.other.no_correction.natural") is None
    assert [f.message for f in validate(r) if f.status is Status.FAILED] == []
    assert [f.message for f in validate(r, publication=True) if f.is_error] == []  # 2019 tables have no 规章 row


def test_the_fee_statement_is_asked_for_from_2021_on() -> None:
    assert_clean(edition_2019(), "FEE-STATEMENT")  # "六、其他需要报告的事项：无。" in 2020 is right
    assert_finding(edition_2019().with_values({"meta.year": 2021}), "FEE-STATEMENT", "no_statement", fmt={})


def test_a_mixed_form_is_a_warning_and_an_unknown_year_claims_nothing() -> None:
    mixed = ziqiang().model_copy(update={"source": SourceNotes(template="mixed", template_notes=["（六）其他处理为单行"])})
    assert assert_finding(mixed, "TEMPLATE-VERSION", "mixed", fmt={"notes": "（六）其他处理为单行"}).severity is Severity.WARNING
    old = ziqiang().model_copy(update={"source": SourceNotes(template="2019")}).with_values({"meta.year": None})
    assert_clean(old, "TEMPLATE-VERSION")


# -- CELLS-FILLED ------------------------------------------------------------------------------------


def test_blank_cells_are_one_reminder_per_table_while_drafting() -> None:
    r = ziqiang().with_values({"t2.rules.issued": None, "t2.rules.in_force": None, "t4.suit_direct.pending": None})
    found = failed(validate(r), "CELLS-FILLED")
    assert [(f.severity, f.message) for f in found] == [
        (Severity.WARNING, message_for("CELLS-FILLED", "summary", table="表二", count=2, groups="“规章”")),
        (
            Severity.WARNING,
            message_for("CELLS-FILLED", "summary", table="表四", count=1, groups="“行政诉讼·未经复议直接起诉”"),
        ),
    ]
    assert not [f for f in validate(r) if f.is_error]


def test_blank_cells_are_errors_at_publication_named_cell_by_cell() -> None:
    r = ziqiang().with_values({"t2.rules.issued": None, "t2.rules.in_force": None, "t3.granted.legal": None})
    found = failed(validate(r, publication=True), "CELLS-FILLED")
    assert [f.message for f in found] == [
        "表二“规章”有2个单元格未填：“规章·本年制发件数”未填、“规章·现行有效件数”未填。空白不等于0，没有发生的请填0。",
        "表三“予以公开”行有1个单元格未填：“予以公开·法律服务机构”未填。空白不等于0，没有发生的请填0。",
    ]
    assert all(f.is_error for f in found)
    assert not failed(validate(ziqiang(), publication=True), "CELLS-FILLED")


def test_a_blank_total_of_table_four_is_filled_from_its_outcomes() -> None:
    r = Report.from_flat({**flat_fixture("ziqiang-street-2024"), "t4.review.upheld": 2, "t4.review.total": "/"})
    (f,) = failed(validate(r), "T4-TOTAL")
    assert f.message.startswith("表四有1处合计在原文中为空白（已按0读取），按各分项之和应为：“行政复议·总计”2")
    assert f.fix and [(c.cell, c.value) for c in f.fix.changes] == [("t4.review.total", 2)]


def test_a_balance_broken_by_known_cells_alone_names_only_what_is_known() -> None:
    r = natural_partial(**{"t3.processed_total.natural": 40, "t3.carried_forward.natural": None})
    f = assert_finding(r, "T3-BALANCE", "bound", cells=["t3.carried_forward.natural"])
    assert f.message.startswith(
        "表三“自然人”列：本年新收(30)+上年结转(3)=33，但办理结果总计(40)+结转下年度(未填)合计至少为40，"
    )
