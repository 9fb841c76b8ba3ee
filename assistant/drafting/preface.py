"""The opening paragraph: legal basis, what the report contains, statistics period, contact."""

from __future__ import annotations

from assistant.cells import SECTIONS
from assistant.drafting.base import Drafted, DraftInput

_CONTENTS = "全文包括" + "、".join(s.label for s in SECTIONS if s.number) + "。"
_WHERE_TO_FILL = "（在“正文”的“机关信息与联系方式”中填写）"


def draft_preface(data: DraftInput) -> Drafted:
    meta = data.report.meta
    contact = meta.contact
    questions: list[str] = []
    who = contact.office or meta.agency
    basis = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和政府信息公开工作年度报告格式的要求编制"
    parts = [f"本报告由{meta.agency}{basis}。" if meta.agency else f"本报告{basis}。", _CONTENTS]
    if not meta.agency:
        questions.append(f"机关名称尚未填写{_WHERE_TO_FILL}。")
    if meta.year:
        parts.append(f"本报告中所列数据的统计期限自{meta.year}年1月1日起至{meta.year}年12月31日止。")
    else:
        questions.append(f"报告年度尚未填写{_WHERE_TO_FILL}，统计期限要按年度写明。")
    details = [f"{label}：{value}" for label, value in (
        ("地址", contact.address), ("邮编", contact.postcode), ("电话", contact.phone), ("电子邮箱", contact.email))
        if value]
    if who:
        tail = f"（{'，'.join(details)}）" if details else ""
        parts.append(f"如对本报告有疑问，请与{who}联系{tail}。")
    missing = [label for label, value in (("联系部门", contact.office), ("地址", contact.address),
                                          ("邮政编码", contact.postcode), ("联系电话", contact.phone)) if not value]
    if missing:
        questions.append(f"{'、'.join(missing)}尚未填写{_WHERE_TO_FILL}，前言中的联系方式需要这些信息。")
    return Drafted("".join(parts), questions)
