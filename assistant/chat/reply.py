"""The chat's short Chinese reply: what it proposes, what it keeps for the text, what it answers."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.changes import Change
from assistant.chat.labels import short_label, t3_row_words
from assistant.chat.material import where
from assistant.chat.record import Doc
from assistant.numbers import format_value

_MAX_ITEMS = 12


def compose(doc: Doc) -> str:
    if doc.help:
        return doc.help
    cells = [c for c in doc.changes if c.cell in CELLS]
    parts: list[str] = []
    if cells:
        parts.append(_cells_text(doc, cells))
    elif doc.pasted:
        parts.append("这几行像是从表格复制的，没能按列读出，未填写任何数字。")
    for section in dict.fromkeys(s.section for s in doc.material):
        said = "”“".join(s.text for s in doc.material if s.section == section)
        parts.append(f"“{said}”没有对应的表格单元格，已记为“{where(section)}”的素材，起草时使用。")
    if not parts and doc.questions:
        parts.append("还需要您补充说明，才能填写。")
    if not parts and doc.unchanged:
        parts.append("这些数字草稿中已经填好了，无需修改。")
    if not parts:
        where_said = "这段材料" if doc.kind == "notes" else "这句话"
        parts.append(f"没有从{where_said}里识别出可以填写的数字。可以这样说：“今年收到个人申请12件，予以公开8件”；"
                     "也可以问“表三怎么填”。")
    return "".join([*parts, *doc.notes])


def _cells_text(doc: Doc, changes: list[Change]) -> str:
    shown: list[str] = []
    zeros: dict[str, list[str]] = defaultdict(list)
    for c in changes:
        old = doc.report.get(c.cell)
        value = c.value if isinstance(c.value, int | Decimal) else None
        if value == 0 and old is None:
            what, column = _row_and_column(c.cell)
            zeros[what].append(column)
            continue
        text = f"{short_label(c.cell)} {format_value(value)}"
        if old is not None:
            text += f"（由{format_value(old)}改为{format_value(value)}）"
        shown.append(text)
    listed = "；".join(shown[:_MAX_ITEMS]) + ("等" if len(shown) > _MAX_ITEMS else "")
    zero_text = "；".join(f"{what}的{'、'.join(cols)}为0" if len(cols) < _columns_of(what) else f"{what}各项为0"
                          for what, cols in zeros.items())
    body = "；".join(filter(None, [listed, zero_text]))
    return f"建议填写{len(changes)}项：{body}。请核对后应用。"


def _row_and_column(cid: str) -> tuple[str, str]:
    c = CELLS[cid]
    if c.table == "t3":
        return t3_row_words(c.row), reg.T3_COLUMN[c.column].label
    if c.table == "t4":
        group = reg.T4_GROUP[c.row]
        prefix = group.label if group.group is None else f"行政诉讼·{group.label}"
        return prefix, reg.T4_COLUMN[c.column].label
    if c.table == "t2":
        return reg.T2_ITEM[c.row].label, reg.T2_COLUMN[c.column].label
    return "信息处理费", c.label.split("·", 1)[-1]


def _columns_of(what: str) -> int:
    if what == "信息处理费":
        return 3
    if any(what.endswith(g.label) for g in reg.T4_GROUPS):
        return len(reg.T4_OUTCOMES)
    if any(what == i.label for i in reg.T2_ITEMS):
        return next(len(reg.T2_LAYOUT[i.id]) for i in reg.T2_ITEMS if i.label == what)
    return len(reg.T3_APPLICANT_COLUMNS)
