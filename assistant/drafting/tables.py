"""Sentences that state what tables 二, 三 and 四 hold, and the drafts of sections 二, 三 and 四.

Each sentence states only known cells (and sums of a row group). A blank cell is left out of the
text and becomes a question; so is a cell that an arithmetic rule finds in contradiction (it is
known, but which of the numbers is wrong is the clerk's to say). Wording is chosen so that rule
TEXT-TABLE reads each number as the cell it is ("新收政府信息公开申请95件" is ``t3.new.total``).
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant import cells as reg
from assistant.drafting.base import Drafted, DraftInput
from assistant.drafting.wording import as_sentence, joined, we_of
from assistant.model import Report
from assistant.numbers import Value, format_value
from assistant.validator import may_make_rules

_TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}


def _n(value: Value) -> str:
    return format_value(value)


def _names(ids: list[str]) -> str:
    names = "、".join(f"“{reg.label_of(c)}”" for c in ids[:3])
    return names + (f"等{len(ids)}项" if len(ids) > 3 else "")


class _Reader:
    """A table's cells as a draft may state them: blank and doubtful cells read as unknown, and noted."""

    def __init__(self, report: Report, table: str, doubtful: frozenset[str]) -> None:
        self.report, self.table, self.doubtful = report, table, doubtful
        self.blank: list[str] = []
        self.unsure: list[str] = []

    def get(self, cid: str) -> Value | None:
        value = self.report.get(cid)
        if value is None:
            if cid not in self.blank:
                self.blank.append(cid)
            return None
        if cid in self.doubtful:
            if cid not in self.unsure:
                self.unsure.append(cid)
            return None
        return value

    def total(self, ids: Iterable[str]) -> Value | None:
        values = [self.get(c) for c in ids]
        return None if any(v is None for v in values) else sum(values, start=0)  # type: ignore[arg-type]

    def questions(self) -> list[str]:
        name = _TABLE_NAMES[self.table]
        out = []
        if self.blank:
            out.append(f"{name}中{_names(self.blank)}尚未填写，起草时没有写入正文：请在表格中补充（没有的填0）后重新起草。")
        if self.unsure:
            out.append(f"{name}中{_names(self.unsure)}与相关数字之间不一致（见“检查”中的错误），起草时没有写入正文：请核对后重新起草。")
        return out


# ------------------------------------------------------------------------------------------------
# Table 二


def table2_sentence(
    report: Report, lead: str = "本年", doubtful: frozenset[str] = frozenset()
) -> tuple[str, list[str]]:
    """"{lead}制发行政规范性文件3件，废止1件，现行有效25件；……" and the questions it leaves."""
    r = _Reader(report, "t2", doubtful)
    clauses: list[str] = []
    for item in ("rules", "normative"):
        issued, repealed, in_force = (r.get(f"t2.{item}.{c}") for c in ("issued", "repealed", "in_force"))
        label = reg.T2_ITEM[item].label
        if item == "rules" and not (issued or repealed or in_force):
            agency = report.meta.agency
            if not agency or may_make_rules(agency) is not True:
                continue  # most bodies may not make 规章: nothing to say about zeros
        if issued == 0 and repealed == 0 and in_force == 0:
            clauses.append(f"没有制发、废止和现行有效的{label}")
            continue
        parts = []
        if issued is not None:
            parts.append(f"制发{label}{_n(issued)}件" if issued else f"未制发{label}")
        if repealed:
            parts.append(f"废止{_n(repealed)}件")
        if in_force is not None:
            parts.append(f"现行有效{_n(in_force)}件" if parts else f"现行有效{label}{_n(in_force)}件")
        if parts:
            clauses.append(joined(parts))
    decisions, zero = [], []
    for item in ("license", "penalty", "coercion"):
        value = r.get(f"t2.{item}.decisions")
        if value:
            decisions.append(f"{reg.T2_ITEM[item].label}决定{_n(value)}件")
        elif value == 0:
            zero.append(item)
    if decisions:
        clauses.append("作出" + "、".join(decisions))
    elif len(zero) == 3:
        clauses.append("未作出行政许可、行政处罚和行政强制决定")
    fees = r.get("t2.fees.amount")
    if fees:
        clauses.append(f"行政事业性收费金额{_n(fees)}万元")
    return (lead + "；".join(clauses) + "。") if clauses else "", r.questions()


# ------------------------------------------------------------------------------------------------
# Table 三


_RESULTS = (
    ("予以公开", ("granted",)),
    ("部分公开", ("partial",)),
    *((reg.T3_GROUP[g].label, tuple(row.id for row in reg.T3_ROWS if row.group == g))
      for g in ("denied", "unavailable", "refused", "other")),
)


def table3_sentence(report: Report, doubtful: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """What table 三 says in a few sentences, and the questions it leaves."""
    r = _Reader(report, "t3", doubtful)
    new, carried = r.get("t3.new.total"), r.get("t3.carried_over.total")
    processed, forward = r.get("t3.processed_total.total"), r.get("t3.carried_forward.total")
    if new == 0 and carried == 0:
        return "本年度未收到政府信息公开申请，也没有上年结转的申请。", r.questions()
    head = []
    if new is not None:
        head.append(f"本年新收政府信息公开申请{_n(new)}件" if new else "本年度未收到新的政府信息公开申请")
    if carried:
        head.append(f"上年结转{_n(carried)}件")
    sentences = [joined(head) + "。"] if head else []
    if processed:
        results = []
        for word, rows in _RESULTS:
            value = r.total(f"t3.{row}.total" for row in rows)
            if value:
                results.append(f"{word}{_n(value)}件")
        tail = f"，其中{'、'.join(results)}" if results else ""
        sentences.append(f"全年办结申请{_n(processed)}件{tail}。")
    carried_forward = reg.T3_ROW["carried_forward"].label
    if forward:
        sentences.append(f"{carried_forward}{_n(forward)}件。")
    elif forward == 0 and processed:
        sentences.append(f"没有{carried_forward}的申请。")
    return "".join(sentences), r.questions()


# ------------------------------------------------------------------------------------------------
# Table 四


def _outcomes(r: _Reader, groups: tuple[str, ...]) -> str:
    parts = []
    for c in reg.T4_COLUMNS:
        if c.id == "total":
            continue
        value = r.total(f"t4.{g}.{c.id}" for g in groups)
        if value:
            parts.append(f"{c.label}{_n(value)}件")
    return f"，其中{'、'.join(parts)}" if parts else ""


def table4_sentence(report: Report, doubtful: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """Reviews and suits about disclosure, with their outcomes; and the questions it leaves."""
    r = _Reader(report, "t4", doubtful)
    suits = ("suit_direct", "suit_after_review")
    review = r.get("t4.review.total")
    suit = r.total(f"t4.{g}.total" for g in suits)
    if review == 0 and suit == 0:
        return "本年度未发生因政府信息公开引起的行政复议和行政诉讼。", r.questions()
    clauses = []
    if review is not None:
        clauses.append(f"因政府信息公开引起行政复议{_n(review)}件{_outcomes(r, ('review',))}" if review
                       else "未发生因政府信息公开引起的行政复议")
    if suit is not None:
        clauses.append(f"行政诉讼{_n(suit)}件{_outcomes(r, suits)}" if suit
                       else "未发生因政府信息公开引起的行政诉讼")
    return ("；".join(clauses) + "。") if clauses else "", r.questions()


# ------------------------------------------------------------------------------------------------
# Sections 二, 三, 四: a lead-in before the table, from the table and the clerk's statements


def _with_statements(sentence: str, statements: list[str]) -> str:
    return sentence + "".join(as_sentence(s) for s in statements)


def year_lead(data: DraftInput) -> str:
    year = data.report.meta.year
    return f"{year}年，{we_of(data.report.meta.agency)}" if year else "本年"


def draft_s2(data: DraftInput) -> Drafted:
    sentence, questions = table2_sentence(data.report, year_lead(data), data.doubtful)
    return Drafted(_with_statements(sentence, [s.text for s in data.material.s2]), questions)


def draft_s3(data: DraftInput) -> Drafted:
    sentence, questions = table3_sentence(data.report, data.doubtful)
    return Drafted(sentence, questions)


def draft_s4(data: DraftInput) -> Drafted:
    sentence, questions = table4_sentence(data.report, data.doubtful)
    return Drafted(_with_statements(sentence, [s.text for s in data.material.s4]), questions)
