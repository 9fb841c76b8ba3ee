"""Every finding each real report gets, decided one by one (issue 13: a batch review multiplies every
false finding by the number of units).

The reports are read from their documents through the importer, as a supervisor's batch would
read them. Each expected finding is true of the document; the comments say why.
"""

from __future__ import annotations

from functools import cache

import pytest

from assistant.findings import Finding, Status
from assistant.importing import read_document
from assistant.model import Report
from assistant.validator import validate
from tests.helpers import FIXTURES

REAL = FIXTURES / "real"
CHECKS = FIXTURES / "checks"


@cache
def read(name: str) -> Report:
    return read_document(REAL / name).report


def summary(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity.value, f.message) for f in findings if f.status is Status.FAILED]


MIXED = (
    "所读报告混用了2019年版和2021年版表格：表三“（六）其他处理”为2019年版的单行，"
    "未按2021年版分为3项。已按2021年版读取，请核对。"
)

EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    # 淮安市 2024: consistent tables, narrative agrees (受理3119件, 行政复议351件, 其中…).
    "huaian-city-2024.pdf": [],
    # 自强街道 2024: all zeros, "未收到政府信息公开申请", fee statement present.
    "ziqiang-street-2024.txt": [],
    # 洪泽区 2023: the printed 总计 of 行政复议 (0) and of 复议后起诉 (0) do not add up (10+1, 5);
    # the single （六） row is the 2019 form in 2021 tables: read, and worth a look, not an error.
    "hongze-district-2023.pdf": [
        ("T4-TOTAL", "error", "表四“行政复议”：结果维持、结果纠正、其他结果、尚未审结之和为11，但“总计”填的是0，相差11。"),
        (
            "T4-TOTAL",
            "error",
            "表四“行政诉讼·复议后起诉”：结果维持、结果纠正、其他结果、尚未审结之和为5，但“总计”填的是0，相差5。",
        ),
        ("TEMPLATE-VERSION", "warning", MIXED),
    ],
    # 洪泽区 2024: the narrative's 17 (received by the 区政府办 on the government's behalf) is not
    # the table's 95 — true, and for a person to look at; the same single （六） row.
    "hongze-district-2024.pdf": [
        (
            "TEXT-TABLE",
            "warning",
            "一、总体情况写“受理政府信息公开申请17件”，但表三“本年新收政府信息公开申请数量”总计为95，二者不一致。",
        ),
        ("TEMPLATE-VERSION", "warning", MIXED),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_report_gets_exactly_its_true_findings(name: str) -> None:
    report = read(name)
    assert summary(validate(report)) == EXPECTED[name]


def test_no_correct_real_report_is_refused_for_a_blank_cell() -> None:
    for name in EXPECTED:
        assert not [f for f in validate(read(name), publication=True) if f.rule == "CELLS-FILLED"], name


def test_the_hongze_pair_across_years() -> None:
    findings = summary(validate(read("hongze-district-2024.pdf"), read("hongze-district-2023.pdf")))
    rules = [(rule, severity) for rule, severity, _ in findings]
    # 五 repeats 2023's measures word for word and does not say how 2023's problems were dealt with;
    # carry-over (0 → 0) and 现行有效 continuity (5 + 3 − 0 = 8) hold.
    assert rules == [
        ("TEXT-TABLE", "warning"),
        ("PROBLEMS-COPIED", "warning"),
        ("TEMPLATE-VERSION", "warning"),
        ("PROBLEMS-FOLLOWUP", "warning"),
    ]


def test_a_correct_2019_edition_report_read_from_its_text() -> None:
    """The 2019 tables (table 二's 2019 columns, the single （六） row) raise nothing: the cells the
    2019 form lacks are not blanks, and 2020 has no fee statement to make."""
    report = read_document(CHECKS / "edition-2019-2020.txt").report
    assert report.source is not None and report.source.template == "2019"
    found = summary(validate(report, publication=True))
    # The importer does not yet recognise the 2019 heading "五、政府信息公开工作存在的主要问题及改进情况"
    # (the reading layer's work); every rule of the checks is clean.
    assert [f for f in found if f[0] != "SECTIONS-COMPLETE"] == []
    assert all("五、" in message for _, _, message in found)
