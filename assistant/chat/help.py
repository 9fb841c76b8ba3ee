"""Pass ``answer``: questions about the form get a short answer, not "没有识别出数字".

"表三怎么填？", "不予处理包括哪些？", "结转下年度是什么意思？", "撤回的申请算哪一类？": a message
that asks (怎么填, 是什么意思, 包括哪些, 算哪一类…) and gives no count is a help question. Its
subject is found with the same words the chat reads numbers with (registry labels, phrases and the
clerks' plain words); the answer quotes the registry's labels and the template's definitions
(``definitions``).
"""

from __future__ import annotations

import re

from assistant import cells as reg
from assistant.chat import definitions as d
from assistant.chat import lexicon as lx
from assistant.chat.record import Doc

_CUE = re.compile(
    r"怎么填|如何填|怎样填|咋填|怎么算|如何算|怎么统计|如何统计|怎么计|是什么意思|什么意思|啥意思|指什么|指的是什么|是指|"
    r"是什么|是啥|包括哪些|包含哪些|有哪些|有哪几种|哪几种|哪几类|哪些情况|哪些情形|什么情况下|什么区别|有何区别|区别|"
    r"怎么区分|算哪|算什么|属于哪|归哪|填在哪|写在哪|填哪|写哪|放哪|放在哪|怎么写|怎么用|能做什么|怎么弄|填什么|写什么|"
    r"怎么理解|含义|定义|帮助|不会填|不知道怎么|怎么办|从哪里来|从哪来|哪里来|怎么来|指哪些|指的是哪些|包括什么|"
    r"包含什么|是哪些|有什么用|怎么确定|填多少|该填|应该填|要不要算|算不算|算进|算在|要不要计|计不计|要不要填|"
    r"该不该算|能不能算|需不需要算|要不要统计|统计不统计|应不应该算|是否算|是否计入|是否统计|计入哪|列入哪|要不要报|"
    r"填不填|写不写|要不要写|什么关系|有何关系|啥关系|对应关系|关系是什么|怎么对应|怎么衔接|怎么认定|如何认定|"
    r"认定标准|怎么判断|如何判断|怎么界定|如何界定|要不要包括|包不包括|是否包括|包括不包括|含不含|是否包含|要不要含|"
    r"(?:还|也|需|需要|用|要)(?:统计|算|填|计|报|写|算进|计入)吗|算吗|要不要再?(?:算|计|统计|填|报|写|包括)|"
    r"什么情况|哪些情况|什么样的|啥情况|哪种情况|什么时候算"
)
_TABLE = re.compile(r"表\s*([二三四234])|第([二三四])张表|([二三四])号表")
_TABLE_IDS = {"二": "t2", "2": "t2", "三": "t3", "3": "t3", "四": "t4", "4": "t4"}
_BALANCE = re.compile(r"勾稽|平衡关系|对不上|怎么平")
_SECTIONS = {"s1": re.compile(r"第一部分|总体情况"), "s5": re.compile(r"第五部分|存在的主要问题|改进情况"),
             "s6": re.compile(r"第六部分|其他需要报告")}
_MAX_TOPICS = 3


def is_help(doc: Doc) -> bool:
    if not _CUE.search(doc.norm):
        return False
    return not any(t.is_quantity for t in doc.tokens)


def answer(doc: Doc) -> None:
    """Fill ``doc.help`` when the message asks about the form."""
    if not is_help(doc):
        return
    topics = _topics(doc)
    parts = [text for text in (_explain(doc, kind, key, word) for kind, key, word in topics[:_MAX_TOPICS]) if text]
    doc.help = "\n\n".join(parts) if parts else d.ASSISTANT


def _topics(doc: Doc) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []

    def add(kind: str, key: str, word: str = "") -> None:
        if all((k, i) != (kind, key) for k, i, _ in found):
            found.append((kind, key, word))

    for m in _TABLE.finditer(doc.norm):
        add("table", _TABLE_IDS[next(g for g in m.groups() if g)])
    if _BALANCE.search(doc.norm):
        add("balance", "")
    for section, pattern in _SECTIONS.items():
        if pattern.search(doc.norm):
            add("section", section)
    cats = {t.cat for t in doc.tokens}
    for t in doc.tokens:
        group = reg.T3_ROW[t.id].group if t.cat == lx.ROW else None
        if group is not None and group in reg.T3_GROUP and t.text == reg.T3_GROUP[group].label:
            add("group", group, t.text)  # "其他处理包括哪些": the group, not its last row
        elif t.cat == lx.ROW:
            add("row", t.id, t.text)
        elif t.cat == lx.GROUP3:
            add("group", t.id, t.text)
        elif t.cat == lx.ORG or (t.cat == lx.APPL and t.id == "other" and lx.ORG in cats):
            add("column", "org", t.text)
        elif t.cat == lx.APPL:
            add("column", t.id, t.text)
        elif t.cat == lx.T4G:
            add("t4group", t.id, t.text)
        elif t.cat == lx.LIT:
            add("t4group", "litigation", t.text)
        elif t.cat == lx.T4C:
            add("t4column", t.id, t.text)
        elif t.cat == lx.T2I:
            add("t2item", t.id, t.text)
        elif t.cat == lx.T2C:
            add("t2column", t.id, t.text)
        elif t.cat == lx.FEE:
            add("fee", "")
    return found


def _explain(doc: Doc, kind: str, key: str, word: str) -> str:
    if kind == "table":
        return d.TABLES[key]
    if kind == "balance":
        return d.BALANCE
    if kind == "section":
        return d.SECTIONS[key]
    if kind == "fee":
        return d.FEES
    if kind == "row":
        return _row(key, word)
    if kind == "group":
        group = reg.T3_GROUP[key]
        rows = [r for r in reg.T3_ROWS if r.group == key]
        listed = "；".join(f"{r.number}{reg.t3_row_label(r.id, with_group=False)}" for r in rows)
        return f"表三“{group.number}{group.label}”：{d.T3_GROUPS[key]}包括{len(rows)}种情形：{listed}。"
    if kind == "column":
        if key == "org":
            return f"表三“{reg.T3_ORG_GROUP.label}”{d.T3_COLUMNS['org']}"
        return f"表三申请人“{reg.T3_COLUMN[key].label}”：{d.T3_COLUMNS[key]}"
    if kind == "t4group":
        label = reg.T4_LITIGATION.label if key == "litigation" else reg.T4_GROUP[key].label
        return f"表四“{label}”：{d.T4_GROUPS[key]}"
    if kind == "t4column":
        return f"表四“{reg.T4_COLUMN[key].label}”：{d.T4_COLUMNS[key]}"
    if kind == "t2item":
        return f"表二{d.T2_ITEMS[key]}"
    if kind == "t2column":
        return f"表二“{reg.T2_COLUMN[key].label}”：{d.T2_COLUMNS[key]}"
    return ""


def _row(row_id: str, word: str) -> str:
    row = reg.T3_ROW[row_id]
    label = reg.t3_row_label(row_id, with_group=False)
    printed = f"{row.number}{label}"
    if row.group and row.group != "results":
        group = reg.T3_GROUP[row.group]
        place = f"表三“{group.number}{group.label}”下的“{printed}”"
    elif row.group == "results":
        place = f"表三办理结果“{printed}”"
    else:
        place = f"表三“{printed}”"
    said = "" if word in label or word in row.label else f"“{word}”这种情况填在"
    return f"{said}{place}：{d.T3_ROWS[row_id]}"
