"""Whether a drafted section text may be offered to the clerk, and if not, why (in Chinese).

The same review runs on the offline drafts (in the tests) and on every LLM draft (at run time,
before it is offered): the figures are the facts' (``figures``), the project's narrative checks
(rule TEXT-TABLE and the section's own rules) find nothing, no sentence is said twice, no
placeholder is left for the clerk to fill, no document is named that the material does not name.
"""

from __future__ import annotations

import re

from assistant.drafting.base import DraftInput
from assistant.drafting.figures import unsupported_figures
from assistant.drafting.wording import repeated_sentences
from assistant.findings import Status
from assistant.validator import validate

MIN_CHARS = {"s1": 60, "s5": 60}
_PLACEHOLDER = re.compile(
    r"请补充|请填写|尚未填写|待填|待补充|待定|[XＸ]{2,}|[xｘ]{2,}|××|某某|＿{2,}|_{2,}|【|】|\[|\]|TODO|此处填写|（填写"
)
_TITLE = re.compile(r"《([^《》]{2,60})》")
_KNOWN_TITLES = frozenset({"中华人民共和国政府信息公开条例", "条例", "政府信息公开信息处理费管理办法", "办法"})
_FOLLOWUP = re.compile(
    r"(?:上年|上一年|去年|上年度|以往)[^。；\n]{0,16}(?:问题|不足|短板)[^。；\n]{0,24}(?:整改|改进|解决|落实|改善)"
)
_FEE_CELLS = ("s6.fee.notices", "s6.fee.notice_amount", "s6.fee.collected")
_SECTION_RULES = {
    "preface": ("YEAR",),
    "s1": ("S1-TOPICS",),
    "s5": ("PROBLEMS-COPIED", "PROBLEMS-FOLLOWUP"),
    "s6": ("FEE-STATEMENT",),
}


def review(section: str, text: str, data: DraftInput) -> list[str]:
    """Why ``text`` may not be offered as section ``section``: an empty list when it may."""
    body = text.strip()
    if not body:
        return ["正文为空。"]
    problems: list[str] = []
    if len(body) < MIN_CHARS.get(section, 0):
        problems.append(f"正文过短（应不少于{MIN_CHARS[section]}字）。")
    if m := _PLACEHOLDER.search(body):
        problems.append(f"含有待填写的占位文字（“{m.group(0)}”）：缺少的数据应向工作人员提问，不能写进正文。")
    problems += unsupported_figures(body, data.facts)
    sources = [*data.facts.names, *data.facts.literals]
    for title in dict.fromkeys(_TITLE.findall(body)):
        if title not in _KNOWN_TITLES and not any(f"《{title}》" in s for s in sources):
            problems.append(f"文中的《{title}》在所给材料中没有出现，不能凭空写出文件名称。")
    problems += [f"“{s}”重复出现。" for s in repeated_sentences(body)]
    previous = data.previous
    last_s5 = (previous.section_text("s5") or "").strip() if previous else ""
    if section == "s5" and not last_s5 and _FOLLOWUP.search(body):
        problems.append("没有上年报告的第五部分，不应写上年问题的整改情况。")
    rules = ["TEXT-TABLE", *_SECTION_RULES.get(section, ())]
    if section == "s6" and all(data.report.get(c) is None for c in _FEE_CELLS):
        rules.remove("FEE-STATEMENT")  # nothing known to state yet: a question to the clerk, not the draft's fault
    candidate = data.report.with_values({section: body})
    for f in validate(candidate, previous, rules=rules):
        if f.status is not Status.FAILED:
            continue
        if f.rule == "TEXT-TABLE" and section not in f.cells:
            continue  # another section's numbers: not this draft's doing
        problems.append(f.message)
    return problems
