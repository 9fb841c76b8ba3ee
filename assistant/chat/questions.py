"""What the chat asks back, as data: one Chinese template per key (like the rule messages).

A question is asked instead of a guess: whenever a number's words do not name its cell, whenever a
total and its parts disagree, whenever a correction does not fit the draft. The passes call
``Doc.ask(key, **fields)``; tests format the expected text from this same table.
"""

from __future__ import annotations

APPLICANT_NAMES = "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他"
OUTCOME_NAMES = "结果维持、结果纠正、其他结果、尚未审结"

QUESTIONS: dict[str, str] = {
    # a count without one of its dimensions
    "appl": "{what}{n}件分别是哪类申请人提出的？（" + APPLICANT_NAMES + "）",
    "org": "“{n}件”的申请人是法人或其他组织，具体是商业企业、科研机构、社会公益组织、法律服务机构还是其他组织？",
    "row": "{what}的{n}件属于哪种情形？（如：{examples}等）",
    "table": "“{number}”指的是哪一项？请说明是哪类申请、哪种办理结果或哪张表的数字。",
    "new_or_result": "“{n}件”是新收的申请，还是某种办理结果？请说明。",
    "t4group": "行政诉讼{n}件，是未经复议直接起诉的，还是复议后起诉的？请分别说明。",
    "t4col": "{what}{n}件的结果分别是什么？（" + OUTCOME_NAMES + "各几件）",
    "review_or_suit": "“{n}件”是行政复议还是行政诉讼的结果？请说明。",
    "t2item": "“{n}{unit}”是表二哪一项（规章、行政规范性文件、行政许可…）的数字？",
    "t2col": "{item}“{n}件”是本年制发、本年废止，还是现行有效的件数？",
    # several names for one number
    "rows_several": "“{n}件”同时提到了{labels}，请分别说明各是多少件。",
    "applicants_several": "“{n}件”涉及{names}，请分别说明各是多少件。",
    "groups_several": "“{n}件”同时提到了{labels}，请分别说明。",
    "outcomes_several": "“{n}件”涉及多种结果，请分别说明" + OUTCOME_NAMES + "各几件。",
    # totals and parts
    "appl_rest": "{what}共{n}件，已说明{said}件，其余{rest}件是哪类申请人提出的？",
    "t4col_rest": "{what}共{n}件，已说明{said}件，其余{rest}件是什么结果？",
    "row_rest": "{what}共{n}件，已说明{said}件，其余{rest}件属于哪种情形？",
    "parts_exceed": "{what}共{n}件，但分项相加是{said}件，请核对哪个数字有误。",
    "total_parts": "“{label}”总计说是{n}件，但各项相加是{said}件，请核对。",
    # values
    "integer": "“{label}”应为整数件数，“{n}”不是整数，请核对。",
    "conflict": "“{label}”先说是{old}，又说是{new}，以哪个为准？",
    "money_in_t3": "“{n}{unit}”是金额，表三只填件数，请说明这个金额指什么。",
    "money_in_t4": "“{n}{unit}”是金额，表四只填件数，请说明这个金额指什么。",
    "fees_amount": "行政事业性收费应填金额（万元），“{n}{unit}”是金额吗？",
    "t2_money": "{item}应填件数，“{n}{unit}”是金额，请核对。",
    "approx": "“{number}”是约数，表里要填准确的数字，具体是多少？",
    # corrections against the draft
    "now_mismatch": "草稿中“{label}”是{old}，加上{add}应为{sum}，但您说现在是{now}，请确认哪个数字对。",
    "now_unknown": "草稿中还没有“{label}”的数字，无法核对“现在是{now}”，请确认{now}是否就是总数。",
    "subtract_unknown": "草稿中还没有“{label}”的数字，无法减去{n}，请直接说明应为多少。",
    "subtract_short": "草稿中“{label}”是{old}，减去{n}后为负数，请核对。",
    "move_unknown": "草稿中还没有“{label}”的数字，无法从中调出{n}，请直接说明各是多少件。",
    "move_short": "草稿中“{label}”只有{old}件，无法从中调出{n}件，请核对。",
    "move_which": "“{words}”要改成哪一项？请说明改为哪种情形或哪类申请人。",
    "correct_which": "“{number}”是要更正哪一项？请连同名称一起说，例如“予以公开应该是9件”。",
    # form
    "pasted": "这几行像是从表格复制的，但没能按列读出来。请连同表头一起复制，或逐项说明各是多少。",
}


def question_text(key: str, **fields: object) -> str:
    """The question of ``key`` with its fields filled in; KeyError names an unknown key."""
    return QUESTIONS[key].format(**fields)
