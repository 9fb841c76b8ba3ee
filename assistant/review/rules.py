"""What a batch review says about a report beyond the validator's rules: duplicates, pairing, year, name.

Rules as data, like ``assistant.rules``: an id, a severity, Chinese message templates. The ids
start with ``REVIEW-`` so that they never meet the spec's rule ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.rules import Severity


@dataclass(frozen=True)
class ReviewRule:
    id: str
    severity: Severity
    title: str
    messages: dict[str, str]


REVIEW_RULES: dict[str, ReviewRule] = {
    r.id: r
    for r in (
        ReviewRule(
            "REVIEW-DUPLICATE",
            Severity.WARNING,
            "重复报送",
            {
                "same": "与“{others}”内容完全相同，是重复报送的同一份报告；汇总时只计一次。",
                "differs": (
                    "与“{others}”是同一机关同一年度的报告，但内容不同。请确认以哪一份为准；"
                    "汇总时只计“{kept}”。"
                ),
            },
        ),
        ReviewRule(
            "REVIEW-PAIRING",
            Severity.WARNING,
            "上年报告无法确定",
            {
                "ambiguous": (
                    "无法确定哪一份是本机关的上年报告：{candidates}的机关名称都可能是“{agency}”。"
                    "为免张冠李戴，未做跨年度核对，请人工确认后单独核对。"
                ),
                "several": "上年有多份“{agency}”的报告（{candidates}），内容不同，未做跨年度核对，请确认以哪一份为准。",
            },
        ),
        ReviewRule(
            "REVIEW-YEAR",
            Severity.WARNING,
            "年度不符",
            {
                "other": "这是{year}年度的报告，不是本次审核的{target}年度，未与上年报告配对，也未计入汇总。",
                "unknown": "未能从文件中读出报告年度（标题或统计期限），未与上年报告配对，也未计入汇总。",
            },
        ),
        ReviewRule(
            "REVIEW-AGENCY",
            Severity.WARNING,
            "机关名称不明",
            {"unknown": "未能从文件中读出机关名称（标题），无法与上年报告配对。"},
        ),
    )
}


def review_message(rule_id: str, key: str, **values: Any) -> str:
    return REVIEW_RULES[rule_id].messages[key].format(**values)
