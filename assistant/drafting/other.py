"""Section 六: the 信息处理费 statement from its cells, then the other matters the clerk named."""

from __future__ import annotations

from assistant.cells import label_of
from assistant.drafting.base import Drafted, DraftInput
from assistant.drafting.wording import as_sentence
from assistant.model import Report
from assistant.numbers import format_value

FEE_BASIS = "根据《政府信息公开信息处理费管理办法》，"
FEE_QUESTION = (
    "本年度发出信息处理费收费通知的件数和金额、实际收取的金额是多少？（在对话中说明或在表格中填写，未收取的说明为0）"
)
OTHER_QUESTION = (
    f"“{label_of('s6')}”中是否还要报告其他情况（如落实上级年度政务公开工作要点、人大代表建议和政协委员提案办理结果公开等）？"
    "可在对话中告诉我。"
)


def fee_statement(report: Report) -> tuple[str, list[str]]:
    """The fee statement of section 六 from the 信息处理费 cells ("" while none is known)."""
    notices = report.get("s6.fee.notices")
    amount = report.get("s6.fee.notice_amount")
    collected = report.get("s6.fee.collected")
    if notices is None and collected is None:
        return "", [FEE_QUESTION]
    questions = []
    if notices == 0 and not collected:
        return FEE_BASIS + "本年度未发出收费通知，未收取信息处理费。", []
    parts = []
    if notices:
        parts.append(f"共发出收费通知{format_value(notices)}件")
        if amount is not None:
            parts.append(f"通知金额{format_value(amount)}元")
        else:
            questions.append("收费通知的金额（元）尚未填写。")
    elif notices == 0:
        parts.append("未发出收费通知")
    else:
        questions.append("本年度发出的信息处理费收费通知件数尚未填写。")
    if collected:
        parts.append(f"实际收取信息处理费{format_value(collected)}元")
    elif collected == 0:
        parts.append("未实际收取信息处理费")
    else:
        questions.append("实际收取的信息处理费金额（元）尚未填写。")
    return FEE_BASIS + "本年度" + "，".join(parts) + "。", questions


def draft_s6(data: DraftInput) -> Drafted:
    text, questions = fee_statement(data.report)
    statements = [as_sentence(s.text) for s in data.material.s6]
    if not statements:
        questions.append(OTHER_QUESTION)
    return Drafted("\n".join(filter(None, [text, "".join(statements)])), questions)
