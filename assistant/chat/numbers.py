"""Pass ``mark_numbers``: which numbers in a message are quantities, and which are not cells.

A number becomes a cell only when it is a count or an amount said of this year. Everything else
keeps its place in the text but is marked, so no later pass takes it: dates (already left out by
the tokenizer), document numbers (国办公开办函〔2021〕30号), phone and file numbers, list numbering
("1、", "（2）"), approximate numbers ("20多件"), counters of people ("三个村民", "1人"), last
year's figures ("去年是25件"), differences ("比去年减少了3件"), averages and time limits
("平均办理天数6天"). A count followed by 中/里 ("这15件中") opens a scope.
"""

from __future__ import annotations

import re

from assistant.chat import lexicon as lx
from assistant.chat.lexicon import NumberRole, Token
from assistant.chat.record import Clause, Doc

_DOCUMENT = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\s*\d+\s*号|《[^》]*》")
_LIST_AFTER = "、.．)）"
_LIST_BEFORE = "\n；;。：:(（ \t"
_APPROX_AFTER = re.compile(r"^(?:件|个|起|次)?\s*(?:多|余|来(?![自源的了过])|几|左右|上下)")
_APPROX_BEFORE = re.compile(r"(?:约|大约|大概|近|将近|接近|超过|逾|差不多|估计)\s*$")
_COUNTER_AFTER = re.compile(r"^\s*(?:家|名|位|户|人(?!次))")
_MEASURE_AFTER = re.compile(
    r"^\s*(?:页|张|册|本|卷|盒|箱|米|公里|平方|亩|吨|岁|号|楼|层|室|栋|幢|届|期|篇|场|批|轮|版|行|列|字|寸|度|%|％"
    r"|人次|万人|户次|GB|MB|KB|G\b|M\b)"
)
_THINGS_AFTER = re.compile(
    r"^\s*(?:部分|方面|环节|栏目|专栏|科室|村|社区|单位|部门|平台|网站|账号|步骤|问题|类|项目|渠道|窗口|点位|站点|乡镇|街道|"
    r"重点|领域|板块|模块|层级|批次|小组|工作组|专题|版块|目录|系统|群)"
)
_DURATION_AFTER = re.compile(r"^\s*(?:个)?\s*(?:天|日|小时|分钟|周|星期|个月|工作日|月)")
_SCOPE_AFTER = re.compile(r"^(?:件|个|起)?(?:申请|的|个|件)*(?:之中|当中|里面|中间|中|里)")
_CODE_BEFORE = re.compile(
    r"(?:电话|热线|号码|编号|文号|邮编|邮政编码|手机|传真|座机|工号|QQ|微信号|分机|分机号|房间|室)[:：\s]*(?:是|为)?$"
)
_TIMES_BEFORE = re.compile(r"(?:补正|补充|修改|沟通|联系|催|催促|打电话|来电|来访|上门|跑)了?$")
_VALUE_BEFORE = re.compile(r"(?:到|至|为|达到|达)\s*$")
_ONE_PERSON_BEFORE = re.compile(r"(?:同一个人|同一申请人|同一人|一个人|该申请人|这个人|此人|他|她)[^，,。；;]{0,12}$")
_CLOSED = re.compile(r"[)）】\]]")
_NOUN_AFTER = re.compile(r"^[\u4e00-\u9fff]")
_THIS_YEAR = re.compile(r"今年|本年|本年度|今年度")
_SUBJECTS = frozenset({lx.APPL, lx.ORG, lx.T4G})


def mark_numbers(doc: Doc) -> None:
    """Set ``Token.role`` of every number of the message."""
    documents = [m.span() for m in _DOCUMENT.finditer(doc.norm)]
    duplicate = {c.sentence for c in doc.clauses if any(t.cat == lx.ROW and t.id == "refused.duplicate"
                                                          for t in c.tokens)}
    for clause in doc.clauses:
        for i, token in enumerate(clause.tokens):
            if lx.ORDINAL.fullmatch(token.text):
                # "第二次按重复申请答复": the repeat is one duplicate; any other 第N次 is no count
                token.role = NumberRole.QUANTITY if clause.sentence in duplicate else NumberRole.CLAUSE
            elif token.is_number and not lx.THAT_ONE.fullmatch(token.text):  # "那件" stays a known count
                token.role = _role(doc.norm, clause, i, documents)


def _role(norm: str, clause: Clause, i: int, documents: list[tuple[int, int]]) -> NumberRole:
    t = clause.tokens[i]
    before, after = norm[: t.start], norm[t.end :]
    digits = t.text.strip()
    if any(a <= t.start < b for a, b in documents):
        return NumberRole.DOCUMENT
    if re.search(r"[A-Za-z_\-/#№]$", before) or re.match(r"^[A-Za-z_\-#]", after) or _CODE_BEFORE.search(before):
        return NumberRole.CODE
    if digits.isdigit() and not t.unit and (len(digits) >= 7 or (digits.startswith("0") and len(digits) >= 3)):
        return NumberRole.CODE
    lead = before.rstrip(" \t")
    at_start = not lead or lead[-1] in _LIST_BEFORE
    if not t.unit and after[:1] in _LIST_AFTER and at_start and (after[:1] not in ")）" or lead.endswith(("(", "（"))):
        return NumberRole.LIST
    if re.match(r"^\s*条第|^\s*[)）]\s*项", after) or re.search(r"表\s*$", before):
        return NumberRole.CLAUSE
    if t.unit in ("次", "") and (_TIMES_BEFORE.search(before) or _ONE_PERSON_BEFORE.search(before)):
        return NumberRole.TIMES  # "补正了两次", "同一个人…申请了2次": how often, not how many applications
    if _APPROX_AFTER.match(after) or _APPROX_BEFORE.search(before[-4:]):
        return NumberRole.APPROX
    if t.unit in lx.COUNTER_UNITS or (t.unit in ("", "个") and _COUNTER_AFTER.match(after)):
        return NumberRole.COUNTER
    nxt = clause.tokens[i + 1] if i + 1 < len(clause.tokens) else None
    if t.unit == "个" and nxt is not None and nxt.cat in _SUBJECTS and nxt.start == t.end:
        return NumberRole.COUNTER
    if ((not t.unit and _MEASURE_AFTER.match(after)) or (t.unit == "个" and _THINGS_AFTER.match(after))
            or (t.unit in ("份", "本", "张") and _NOUN_AFTER.match(after))):  # "出具一份统计说明": an item
        return NumberRole.MEASURE  # "共3页", "共六个部分", "3个栏目"
    if _DURATION_AFTER.match(after if not t.unit else t.unit + after):
        return NumberRole.AVERAGE
    earlier = clause.tokens[:i]
    if any(w.cat == lx.AVERAGE for w in earlier) or (nxt is not None and nxt.cat == lx.AVERAGE and not t.unit):
        return NumberRole.AVERAGE
    if any(w.cat == lx.COMPARE for w in earlier) and not _VALUE_BEFORE.search(before):
        return NumberRole.DELTA  # ("增长到3.2万" says the value, not the change)
    last_year = [w for w in earlier if w.cat == lx.LAST_YEAR]
    if last_year and not _THIS_YEAR.search(norm[last_year[-1].end : t.start]) and not _CLOSED.search(
            norm[last_year[-1].end : t.start]):  # "（统计口径同上年）个人申请12件": the bracket closed it
        return NumberRole.LAST_YEAR
    if _SCOPE_AFTER.match(after):
        return NumberRole.SCOPE
    return NumberRole.QUANTITY


def quantities(tokens: list[Token]) -> list[Token]:
    """The tokens a reading works with: words, and the numbers that may be cells."""
    return [t for t in tokens if not t.is_number or t.is_quantity]
