"""Pass ``mark_descriptions``: words that describe what an applicant asked for are not cells.

"有1件是要行政处罚的执法卷宗，没给" is one 行政执法案卷 result; 行政处罚 says what the file was about,
not a count of table 二. "1件要的是单位内部的人事管理材料" has no applicant 单位; "要的是行政复议决定书"
is no review. A word of another table, an applicant or a fee stands inside a description when

- it follows a request ("要的是", "问的是", "申请公开", "要求提供"…) in the same clause, before the
  clause's count; or
- it is followed by what was asked for (的)?(决定书, 案卷, 材料, 办理流程…, or a table-3 reason:
  "行政处罚的执法卷宗");

and only when the sentence speaks of applications (a table-3 row or result, or the request is an
application: 申请公开, 要求公开). Its meaning is then neutral: no later pass reads it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.chat import lexicon as lx
from assistant.chat.lexicon import Meaning, Token
from assistant.chat.record import Clause, Doc

# Words that can only be a description's inside an application's sentence.
_DESCRIBABLE = frozenset({lx.T2I, lx.T2C, lx.T4G, lx.LIT, lx.T4C, lx.FEE, lx.ORG, lx.APPL, lx.ELSEWHERE, lx.TOTAL})
# What the clerk says was asked for, right after the word it is about.
_OBJECT = re.compile(
    r"^\s*的?\s*(?:决定书|决定文书|案卷|卷宗|材料|资料|文件|档案|记录|流程|办理流程|依据|批复|通知书|"
    r"相关信息|有关信息|信息|数据|书|证明|报告|台账|名单|明细|标准|规定)"
)
_APPLICATION_ROWS = frozenset({lx.ROW, lx.GROUP3})
# Words whose object may follow them ("行政处罚的执法卷宗"); not the subjects of the text (事项清单).
_OBJECT_OF = frozenset({lx.T2I, lx.T4G, lx.LIT, lx.FEE})


def mark_descriptions(doc: Doc) -> None:
    sentences: dict[int, list[Clause]] = {}
    for clause in doc.clauses:
        sentences.setdefault(clause.sentence, []).append(clause)
    for clauses in sentences.values():
        tokens = [t for c in clauses for t in c.tokens]
        described = {id(t) for c in clauses for t in _after_request(c)} | {
            id(t) for i, t in enumerate(tokens) if t.cat in _OBJECT_OF and _before_object(doc, t, tokens[i + 1 :])
        } | _fee_of_unpaid(tokens)
        if not described:
            continue
        rest = [t for t in tokens if id(t) not in described]
        applications = any(t.cat in _APPLICATION_ROWS for t in rest) or any(
            t.cat == lx.REQUEST and t.id == "application" for t in rest)
        if not applications:
            continue
        for clause in clauses:
            clause.tokens = [replace(t, meaning=Meaning(lx.NEUTRAL, "described")) if id(t) in described else t
                             for t in clause.tokens]
    for clause in doc.clauses:  # "有1件申请人收到缴费通知后…": the person the count's case is about, not intake
        clause.tokens = [replace(t, meaning=Meaning(lx.NEUTRAL, "described")) if t.text == "申请人" and any(
            q.is_quantity and q.end <= t.start for q in clause.tokens) else t for t in clause.tokens]
    for clause in doc.clauses:  # "残疾人基金会", "老年协会": a person's word naming what an organisation serves
        clause.tokens = [replace(t, meaning=Meaning(lx.NEUTRAL, "described")) if _modifies(t, clause.tokens[i + 1 :])
                         else t for i, t in enumerate(clause.tokens)]
    for clause in doc.clauses:  # "申请公开…的2件": an application, as "申请" is
        clause.tokens = [replace(t, meaning=_APPLICATION) if t.cat == lx.REQUEST and t.id == "application" else t
                         for t in clause.tokens]


_APPLICATION = Meaning(lx.WEAK_NEW, "new")


def _modifies(token: Token, following: list[Token]) -> bool:
    nxt = following[0] if following else None
    return (token.cat == lx.APPL and token.id == "natural" and nxt is not None and nxt.start == token.end
            and nxt.cat in (lx.APPL, lx.ORG) and nxt.id != "natural")


def _fee_of_unpaid(tokens: list[Token]) -> set[int]:
    """ "1件发了缴费通知，过期没交": the fee notice of a case told as 逾期未缴费, not a count of notices
    (a notice with its own number, "收费通知1份", stays one)."""
    if not any(t.cat == lx.ROW and t.id == "other.unpaid_fee" for t in tokens):
        return set()
    out = set()
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.cat == lx.FEE and not (nxt is not None and nxt.is_quantity and nxt.start - t.end <= 1):
            out.add(id(t))
    return out


def _before_object(doc: Doc, word: Token, following: list[Token]) -> bool:
    """ "行政处罚决定书", "行政处罚的执法卷宗": the word says what the thing asked for is about."""
    if _OBJECT.match(doc.norm[word.end :]):
        return True
    nxt = following[0] if following else None
    gap = doc.norm[word.end : nxt.start].strip() if nxt is not None else "x"
    return nxt is not None and nxt.cat == lx.ROW and gap in ("", "的") and nxt.id not in ("new", "carried_over")


def _after_request(clause: Clause) -> list[Token]:
    """The words between a request and the clause's next count (or its end)."""
    out: list[Token] = []
    inside = False
    for t in clause.tokens:
        if t.cat == lx.REQUEST:
            inside = True
        elif t.is_quantity:
            inside = False
        elif inside and t.cat in _DESCRIBABLE:
            out.append(t)
    return out
