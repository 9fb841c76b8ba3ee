"""The rule table: every check the validator runs, as data.

Each rule has a public id (from the spec), a severity, the cells it reads, and its Chinese
message templates. The arithmetic lives in ``assistant.validator``, registered by rule id; tests
format the expected message from this same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assistant.cells import CELLS, T2_LAYOUT, T3_COLUMNS, T3_RESULT_ROWS


class Severity(StrEnum):
    ERROR = "error"  # the report cannot be right
    WARNING = "warning"  # probably wrong; a person must look
    INFO = "info"  # could not be checked yet ("无法校验")

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "提醒", "info": "无法校验"}[self.value]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    what: str
    reads: tuple[str, ...]
    messages: dict[str, str] = field(default_factory=dict)
    needs_previous: bool = False


def _ids(prefix: str) -> tuple[str, ...]:
    return tuple(cid for cid in CELLS if cid.startswith(prefix))


_T3 = _ids("t3.")
_T4 = _ids("t4.")
_T2_DOCS = tuple(f"t2.{item}.{col}" for item in ("rules", "normative") for col in T2_LAYOUT[item])

NOT_ASSESSABLE = "无法校验：{cells}尚未填写。"
NOT_ASSESSABLE_DERIVABLE = "无法校验：{cells}尚未填写；按表内关系可推算为{expected}。"
# Shared by the arithmetic rules: a partly filled relation that no longer can hold, and fixes that
# set several totals at once (a total and the totals among its parts, or blank totals of the source).
BOUND = "{where}：{detail}，无论其余未填的单元格填什么都不可能相等。请核对已填的数字。"
FIX_PARTS = "按各分项重新合计：{changes}"
BLANK_TOTALS = "{table}有{count}处合计在原文中为空白（已按0读取），按各分项之和应为：{totals}。空白不等于0，请填上合计。"
FIX_BLANK_TOTALS = "按各分项之和填写{table}原文空白的{count}处合计"

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "T3-ROW-TOTAL",
            Severity.ERROR,
            "表三行合计",
            "表三每一行：总计 = 六类申请人之和",
            _T3,
            {
                "fail": "表三“{row}”行：六类申请人之和为{expected}，但“总计”填的是{seen}，相差{diff}。",
                "fix": "将表三“{row}”行的“总计”改为{expected}",
                "bound": BOUND,
                "fix_parts": FIX_PARTS,
                "blank_totals": BLANK_TOTALS,
                "fix_blank_totals": FIX_BLANK_TOTALS,
            },
        ),
        Rule(
            "T3-PROCESSED-SUM",
            Severity.ERROR,
            "表三办理结果总计",
            "表三每一列：（七）总计 = 21项办理结果之和",
            tuple(f"t3.{r}.{c.id}" for r in (*T3_RESULT_ROWS, "processed_total") for c in T3_COLUMNS),
            {
                "fail": "表三“{column}”列：21项办理结果之和为{expected}，但“（七）总计”填的是{seen}，相差{diff}。",
                "fix": "将表三“{column}”列的“（七）总计”改为{expected}",
                "bound": BOUND,
                "fix_parts": FIX_PARTS,
                "blank_totals": BLANK_TOTALS,
                "fix_blank_totals": FIX_BLANK_TOTALS,
            },
        ),
        Rule(
            "T3-BALANCE",
            Severity.ERROR,
            "表三勾稽关系",
            "表三每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
            tuple(
                f"t3.{r}.{c.id}"
                for r in ("new", "carried_over", "processed_total", "carried_forward")
                for c in T3_COLUMNS
            ),
            {
                "fail": (
                    "表三“{column}”列：本年新收({new})+上年结转({carried_over})={lhs}，"
                    "但办理结果总计({processed_total})+结转下年度({carried_forward})={rhs}，相差{diff}。"
                    "请核对这四项中哪一项有误。"
                ),
                "fix": "将表三“{column}”列的“{cell}”填为{expected}",
                "bound": BOUND,
                "tangle": (
                    "表三已填的数字之间互相矛盾：{cells}不可能同时成立——无论其余未填的单元格填什么，"
                    "各行合计、各列合计与勾稽关系都不能全部相符。请核对这些数字。"
                ),
            },
        ),
        Rule(
            "T4-TOTAL",
            Severity.ERROR,
            "表四合计",
            "表四每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
            _T4,
            {
                "fail": "表四“{group}”：结果维持、结果纠正、其他结果、尚未审结之和为{expected}，但“总计”填的是{seen}，相差{diff}。",
                "fix": "将表四“{group}”的“总计”改为{expected}",
                "bound": BOUND,
                "fix_parts": FIX_PARTS,
                "blank_totals": BLANK_TOTALS,
                "fix_blank_totals": FIX_BLANK_TOTALS,
            },
        ),
        Rule(
            "CELL-VALUE",
            Severity.ERROR,
            "数值格式",
            "件数为不小于0的整数；收费金额为不小于0的数",
            tuple(CELLS),
            {"fail": "“{label}”应为{rule}，收到的是“{raw}”。"},
        ),
        Rule(
            "CARRY-OVER",
            Severity.ERROR,
            "上年结转衔接",
            "本年“上年结转” = 上年报告“结转下年度”",
            tuple(f"t3.carried_over.{c.id}" for c in T3_COLUMNS),
            {
                "fail": "表三“{column}”列：本年“上年结转”填的是{seen}，但{prev_year}年报告的“结转下年度”为{expected}。",
                "fix": "将表三“{column}”列的“上年结转”改为{expected}（与{prev_year}年报告一致）",
                "year_gap": "所附上年报告是{prev_year}年度的，不是{year}年度的上一年，跨年度核对结果仅供参考。",
            },
            needs_previous=True,
        ),
        Rule(
            "IN-FORCE-CONTINUITY",
            Severity.WARNING,
            "现行有效件数衔接",
            "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止",
            _T2_DOCS,
            {
                "fail": (
                    "表二“{item}”：上年现行有效{prev}件+本年制发{issued}件−本年废止{repealed}件={expected}件，"
                    "但本年“现行有效件数”填的是{seen}件。如有到期失效等情况，请在正文中说明。"
                ),
                "fix": "将表二“{item}”的“现行有效件数”改为{expected}",
            },
            needs_previous=True,
        ),
        Rule(
            "SECTIONS-COMPLETE",
            Severity.ERROR,
            "六部分齐全",
            "六个部分齐全；第一、五、六部分不为空",
            (),
            {
                "missing": "缺少“{section}”部分。",
                "empty": "“{section}”部分内容为空，请填写。",
            },
        ),
        Rule(
            "FEE-STATEMENT",
            Severity.WARNING,
            "信息处理费说明",
            "第六部分说明信息处理费；未发收费通知时“逾期未缴费”应为0",
            ("s6.fee.notices", "s6.fee.notice_amount", "s6.fee.collected", "t3.other.unpaid_fee.total"),
            {
                "no_statement": (
                    "第六部分未说明信息处理费的收取情况。按《政府信息公开信息处理费管理办法》，"
                    "应写明发出收费通知的件数和金额以及实际收取的金额（未收取的写明为0）。"
                ),
                "unpaid_without_notice": (
                    "本年未发出收费通知，但表三“逾期未按收费通知要求缴纳费用”填了{seen}件，二者矛盾。"
                ),
            },
        ),
        Rule(
            "TEXT-TABLE",
            Severity.WARNING,
            "正文与表格一致",
            "正文所述数字与表格一致",
            _T3 + _T4 + ("s6.fee.notices", "s6.fee.notice_amount", "s6.fee.collected"),
            {
                "fail": "{section}写“{quote}”，但{target}为{expected}，二者不一致。",
                "not_all_upheld": "{section}写“{quote}”，但表四{cases}，二者不一致。",
            },
        ),
        Rule(
            "PROBLEMS-COPIED",
            Severity.WARNING,
            "问题部分照抄上年",
            "第五部分不是上年第五部分的翻版",
            (),
            {
                "fail": (
                    "第五部分约有{ratio}%的文字与{prev_year}年报告的第五部分逐字相同。"
                    "请结合本年实际重新撰写存在的问题和改进措施，并说明上年问题的整改情况。"
                )
            },
            needs_previous=True,
        ),
        Rule(
            "YEAR",
            Severity.ERROR,
            "年度一致",
            "标题中的年份、统计期限和报告年度一致",
            (),
            {"fail": "{where}中的年份是{seen}年，与报告年度{expected}年不一致。"},
        ),
        Rule(
            "TEMPLATE-VERSION",
            Severity.ERROR,
            "表格版本",
            "2021年度及以后的报告使用2021年版表格（混用两版的报告照读并提醒）",
            (),
            {
                "old": "{year}年度报告应使用2021年版表格（国办公开办函〔2021〕30号），所读报告使用的是2019年版：{notes}",
                "mixed": "所读报告混用了2019年版和2021年版表格：{notes}。已按2021年版读取，请核对。",
            },
        ),
        Rule(
            "CELLS-FILLED",
            Severity.ERROR,
            "单元格填写完整",
            "发布前表二、表三、表四没有空白单元格（空白不等于0，没有发生的填0）；起草中只按表提醒",
            tuple(c for c in CELLS if c.startswith(("t2.", "t3.", "t4."))),
            {
                "group": "{group}有{count}个单元格未填：{cells}。空白不等于0，没有发生的请填0。",
                "summary": "{table}尚有{count}个单元格未填（{groups}）。空白不等于0，导出前须逐项填写，没有发生的填0。",
            },
        ),
        Rule(
            "BLANK-NOT-ZERO",
            Severity.WARNING,
            "空白按0计",
            "表格中的空白、“/”、“—”按0计并提示",
            tuple(CELLS),
            {"fail": "以下{count}个单元格在原文中为空白或“/”“—”，已按0计，请确认：{labels}。"},
        ),
        Rule(
            "S1-TOPICS",
            Severity.WARNING,
            "总体情况要点",
            "总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障",
            (),
            {
                "fail": "第一部分“总体情况”未写到：{topics}。总体情况一般应涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面。"
            },
        ),
        Rule(
            "PROBLEMS-FOLLOWUP",
            Severity.WARNING,
            "上年问题整改情况",
            "第五部分说明上年报告所列问题的改进情况",
            (),
            {
                "fail": "第五部分没有说明{prev_year}年报告所列问题的改进情况，请先逐项说明上年问题整改得怎么样，再写本年问题和措施。"
            },
            needs_previous=True,
        ),
        Rule(
            "RULES-AUTHORITY",
            Severity.WARNING,
            "规章制定权限",
            "只有国务院部门、省级政府、设区的市政府可以制定规章",
            tuple(f"t2.rules.{c}" for c in T2_LAYOUT["rules"]),
            {
                "fail": (
                    "“{agency}”不属于可以制定规章的机关（国务院部门、省级人民政府、设区的市人民政府），"
                    "但表二“规章”一行填了非0数字。本机关的内部制度、行政规范性文件不应计入“规章”。"
                )
            },
        ),
    )
}


def message_for(rule_id: str, key: str, **values: Any) -> str:
    """A rule's Chinese message with its placeholders filled."""
    return RULES[rule_id].messages[key].format(**values)
