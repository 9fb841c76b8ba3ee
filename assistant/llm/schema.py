"""The answers a model may give, as pydantic models that carry every check (instructor-style).

The JSON Schema sent to the model is generated from these models (``proposal_schema``), never
written by hand. Validation is strict and per item: one bad change is refused with its reason
while the others are kept. A change is kept only when

- its cell id is one the turn offered;
- its value fits the cell (a count is a whole number; 万元 and 元 amounts are converted; digit
  strings such as "12" or "12件" are read as numbers), within sane bounds;
- its evidence is the source's own words, and states the value (or a 没有/未 for a zero);
- its evidence names the cell's row or column words (the registry's labels, aliases and clerk
  phrases) and names no other row or column instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from assistant import cells as reg
from assistant.cells import CELLS, Kind
from assistant.changes import Change
from assistant.chat import lexicon as grammar
from assistant.errors import InvalidValue
from assistant.llm.parse import read_json
from assistant.model import coerce_cell_value
from assistant.numbers import Value, format_value, parse_number, to_kind

MAX_COUNT = 10**9  # no report counts a billion of anything; model.py bounds counts too
MAX_AMOUNT = Decimal(10) ** 12
MIN_EVIDENCE_CHARS = 3
MAX_EVIDENCE_CHARS = 80  # a quote of the whole message proves nothing about one cell
MAX_REPLY_CHARS = 300
MAX_QUESTIONS = 5
MAX_QUESTION_CHARS = 200
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_WS = re.compile(r"\s+")
NEG: str = grammar.NEG  # the lexicon's category of 没有/未 (zero)
_ZERO_WORDS = ("零", "0件", "0个")


def squash(text: str) -> str:
    """Text compared for quoting: normalised (full-width, traditional), without whitespace."""
    return _WS.sub("", grammar.normalise(text))


@dataclass(frozen=True)
class Turn:
    """What an answer is checked against: the source and the cells the turn offered."""

    source: str
    allowed: frozenset[str]

    @cached_property
    def squashed(self) -> str:
        return squash(self.source)


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("answer", message)


# ------------------------------------------------------------------------------------------------
# Values


def coerce_value(cell_id: str, raw: Any) -> Value:
    """A model's value for a cell: numbers, digit strings ("12", "12件", "1,234"), 万元/元 amounts."""
    c = CELLS[cell_id]
    value: Any = raw
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "")
        number, unit = parse_number(text)
        if number is None:
            raise _fail(f"数值“{raw[:20]}”不是数字")
        if unit in ("万元", "亿元", "元") and c.kind is Kind.COUNT:
            raise _fail(f"“{c.label}”是件数，不是金额")
        converted = to_kind(number, c.kind, unit)
        if converted is None:
            raise _fail(f"“{c.label}”应为整数，收到“{raw[:20]}”")
        value = converted
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    try:
        coerced = coerce_cell_value(cell_id, value)
    except InvalidValue as e:
        raise _fail(e.message) from None
    limit = MAX_COUNT if c.kind is Kind.COUNT else MAX_AMOUNT
    if coerced > limit:
        raise _fail(f"“{c.label}”的数值{format_value(coerced)}超出合理范围")
    return coerced


# ------------------------------------------------------------------------------------------------
# Evidence: the words of a cell


def _dimensions(cell_id: str) -> tuple[tuple[str, str], tuple[str, str] | None]:
    """The (dimension, id) pairs a cell is addressed by: its row-like and its column-like axis."""
    c = CELLS[cell_id]
    if c.table == "t3":
        return ("t3row", c.row), ("t3col", c.column)
    if c.table == "t4":
        return ("t4row", c.row), ("t4col", c.column)
    if c.table == "t2":
        return ("t2row", c.row), ("t2col", c.column)
    return ("fee", cell_id), None


_ORG_COLUMNS = tuple(col.id for col in reg.T3_COLUMNS if col.group == "org")
_SUITS = tuple(g.id for g in reg.T4_GROUPS if g.group == "litigation")


def named(evidence: str) -> dict[str, set[str]]:
    """Which rows and columns (per table) the evidence names, read with the offline lexicon."""
    out: dict[str, set[str]] = {}

    def add(dim: str, *ids: str) -> None:
        out.setdefault(dim, set()).update(ids)

    for t in grammar.tokenize(grammar.normalise(evidence)):
        m = t.meaning
        if m is None:
            continue
        if m.cat == grammar.ROW:
            add("t3row", m.id)
        elif m.cat == grammar.GROUP3:
            add("t3row", *(r.id for r in reg.T3_ROWS if r.group == m.id))
        elif m.cat == grammar.WEAK_NEW:
            add("t3weak", "new")
        elif m.cat == grammar.APPL:
            add("t3col", m.id)
        elif m.cat == grammar.ORG:
            add("t3col", *_ORG_COLUMNS)
        elif m.cat == grammar.T4G:
            add("t4row", m.id)
        elif m.cat == grammar.LIT:
            add("t4row", *_SUITS)
        elif m.cat == grammar.T4C:
            add("t4col", m.id)
        elif m.cat == grammar.T2I:
            add("t2row", m.id)
        elif m.cat == grammar.T2C:
            add("t2col", m.id)
        elif m.cat == grammar.FEE:
            add("fee", m.id)
        elif m.cat == grammar.TOTAL:
            add("total", "total")
    return out


def words_problem(cell_id: str, evidence: str) -> str | None:
    """Why the evidence does not speak of this cell, or None when it does."""
    found = named(evidence)
    (row_dim, row), col = _dimensions(cell_id)
    rows = set(found.get(row_dim, set()))
    if row_dim == "t3row" and not rows and "t3weak" in found:
        rows = {"new"}  # "个人申请12件": a new application, unless another row is named
    label = CELLS[cell_id].label
    if rows and row not in rows:
        return f"依据说的不是“{label}”这一行"
    hits = row in rows
    if col is not None:
        col_dim, column = col
        cols = set(found.get(col_dim, set()))
        if column == "total":
            if "total" in found:
                cols.add("total")
            elif cols:
                return f"依据说的是分项，不是“{label}”的总计"
        if cols and column not in cols:
            return f"依据说的不是“{label}”这一列"
        hits = hits or column in cols
    if not hits:
        return f"依据中没有“{label}”的行或列的字样"
    return None


def states_value(cell_id: str, value: Value, evidence: str) -> bool:
    """True when the evidence says this value (any written form, any unit that converts)."""
    kind = CELLS[cell_id].kind
    tokens = grammar.tokenize(grammar.normalise(evidence))
    for t in tokens:
        if t.is_number and t.value is not None:
            unit = t.unit if t.unit in grammar.MONEY_UNITS else ""
            if to_kind(t.value, kind, unit) == value:
                return True
    if value == 0:
        norm = grammar.normalise(evidence)
        return any(t.cat == NEG for t in tokens) or any(w in norm for w in _ZERO_WORDS)
    return False


# ------------------------------------------------------------------------------------------------
# The models


class ChangeOut(BaseModel):
    """One cell the model proposes to fill."""

    model_config = ConfigDict(extra="ignore", title="change")

    cell: str = Field(description="单元格编号，只能取所给图例中的编号")
    value: Annotated[Any, WithJsonSchema({"type": "number"})] = Field(
        description="数值：件数为整数；金额按单元格的单位（万元或元）"
    )
    evidence: str = Field(description="材料原文中说出该数值的原话，逐字摘录，须包含该数字和所指的事项")

    @field_validator("cell", mode="before")
    @classmethod
    def _cell(cls, raw: Any, info: ValidationInfo) -> str:
        turn: Turn | None = (info.context or {}).get("turn")
        if not isinstance(raw, str) or raw.strip() not in CELLS:
            raise _fail(f"单元格编号“{str(raw)[:40]}”不存在，只能使用图例中的编号")
        cell = raw.strip()
        if turn is not None and cell not in turn.allowed:
            raise _fail(f"单元格“{cell}”不在本次给出的图例中")
        return cell

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence(cls, raw: Any, info: ValidationInfo) -> str:
        turn: Turn | None = (info.context or {}).get("turn")
        if not isinstance(raw, str) or not raw.strip():
            raise _fail("缺少 evidence（材料原文中的原话）")
        text = raw.strip()
        if len(squash(text)) < MIN_EVIDENCE_CHARS:
            raise _fail(f"evidence“{text}”太短，请摘录说出数字和事项的完整原话")
        if len(squash(text)) > MAX_EVIDENCE_CHARS:
            raise _fail(f"evidence 太长（{len(squash(text))}字），请只摘录说出该数字和事项的那一句")
        if turn is not None and squash(text) not in turn.squashed:
            raise _fail(f"evidence“{text[:40]}”不是材料中的原话，请逐字摘录")
        return text

    @model_validator(mode="after")
    def _value_and_words(self) -> ChangeOut:
        self.value = coerce_value(self.cell, self.value)
        if not states_value(self.cell, self.value, self.evidence):
            raise _fail(f"evidence“{self.evidence[:40]}”中没有数值{format_value(self.value)}，请摘录包含该数字的原话")
        problem = words_problem(self.cell, self.evidence)
        if problem:
            raise _fail(f"{problem}（evidence“{self.evidence[:40]}”）")
        return self

    def change(self) -> Change:
        return Change(cell=self.cell, value=self.value, evidence=self.evidence)


def plain(text: str, limit: int) -> str:
    """A model's free text as one short plain line: no control or direction characters, bounded."""
    flat = " ".join(_INVISIBLE.sub("", text).split())
    return flat[:limit] + ("…" if len(flat) > limit else "")


def _strings(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw] if raw.strip() else []
    if isinstance(raw, list):
        return [q.strip() if isinstance(q, str) else json.dumps(q, ensure_ascii=False) for q in raw if q]
    return [str(raw)]


class ProposalOut(BaseModel):
    """The answer to one chat turn or notes chunk."""

    model_config = ConfigDict(extra="ignore", title="proposal")

    changes: list[ChangeOut] = Field(description="要填写或修改的单元格；没有就给空数组")
    reply: str = Field(default="", description="一两句中文回复，说明识别到了什么")
    questions: list[str] = Field(default_factory=list, description="需要向工作人员确认的问题（中文）")

    @field_validator("reply", mode="before")
    @classmethod
    def _reply(cls, raw: Any) -> str:
        return plain(raw, MAX_REPLY_CHARS) if isinstance(raw, str) else ""

    @field_validator("questions", mode="before")
    @classmethod
    def _questions(cls, raw: Any) -> list[str]:
        return [q for q in (plain(q, MAX_QUESTION_CHARS) for q in _strings(raw)) if q][:MAX_QUESTIONS]


class DraftOut(BaseModel):
    """A drafted section text (drafting may also answer plain prose)."""

    model_config = ConfigDict(extra="ignore", title="draft")

    text: str = Field(description="正文，分段用换行")


PROPOSAL_KEYS = frozenset({"changes", "reply", "questions"})
CHANGE_KEYS = frozenset({"cell", "value", "evidence"})


def _without_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_titles(v) for k, v in node.items() if k != "title" or not isinstance(v, str)}
    if isinstance(node, list):
        return [_without_titles(v) for v in node]
    return node


def proposal_schema(ids: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON Schema of ``ProposalOut`` (inlined, without titles), ``cell`` limited to ``ids``."""
    schema = ProposalOut.model_json_schema()
    defs = schema.pop("$defs", {})
    item = _without_titles(defs["ChangeOut"])
    item["additionalProperties"] = False
    if ids is not None:
        item["properties"]["cell"]["enum"] = list(ids)
    schema = _without_titles(schema)
    schema["properties"]["changes"]["items"] = item
    item.pop("description", None)
    schema.pop("description", None)
    schema["required"] = ["changes", "reply", "questions"]
    schema["additionalProperties"] = False
    schema.pop("default", None)
    for name in ("reply", "questions"):
        schema["properties"][name].pop("default", None)
    return schema


@dataclass
class Checked:
    """An answer after validation: the changes kept and, per refused item, why."""

    changes: list[Change] = field(default_factory=list)
    refused: list[tuple[Any, str]] = field(default_factory=list)  # (the raw item, why, in Chinese)
    reply: str = ""
    questions: list[str] = field(default_factory=list)


def error_text(e: ValidationError) -> str:
    """A pydantic error as one Chinese line (our own messages; pydantic's own names the field)."""
    parts = []
    for err in e.errors(include_url=False):
        where = ".".join(str(x) for x in err["loc"]) or "整体"
        if err["type"] == "answer":
            parts.append(err["msg"])
        elif err["type"] == "missing":
            parts.append(f"缺少 {where}" + ("（材料原文中的原话）" if where == "evidence" else ""))
        else:
            parts.append(f"字段 {where} 不符合要求（{err['type']}）")
    return "；".join(dict.fromkeys(parts))


def check_items(items: Sequence[Any], turn: Turn, taken: dict[str, Value] | None = None) -> Checked:
    """Each item validated alone; conflicting values for one cell keep the first."""
    out = Checked()
    taken = dict(taken or {})
    for item in items:
        if not isinstance(item, dict):
            out.refused.append((item, "不是包含 cell、value、evidence 的对象"))
            continue
        try:
            change = ChangeOut.model_validate(item, context={"turn": turn}).change()
        except ValidationError as e:
            out.refused.append((item, error_text(e)))
            continue
        if change.cell in taken:
            if taken[change.cell] != change.value:
                out.refused.append((item, f"单元格“{change.cell}”给出了两个不同的值"))
            continue
        taken[change.cell] = change.value  # type: ignore[assignment]
        out.changes.append(change)
    return out


def raw_changes(data: dict[str, Any]) -> list[Any]:
    """The ``changes`` of an answer as a list: none, one object, or an array written as a JSON string."""
    raw = data.get("changes")
    if raw is None:
        return []
    if isinstance(raw, str):  # the array written as a JSON string inside the JSON
        inner = read_json(raw)
        raw = inner.data if inner.ok else [raw]
    if isinstance(raw, dict):
        return [raw]
    return raw if isinstance(raw, list) else [raw]


def check_proposal(data: dict[str, Any], turn: Turn) -> Checked:
    """A whole answer: the envelope read leniently, every change strictly."""
    envelope = ProposalOut.model_validate({**data, "changes": []})
    checked = check_items(raw_changes(data), turn)
    checked.reply, checked.questions = envelope.reply, envelope.questions
    return checked


__all__ = [
    "CHANGE_KEYS",
    "PROPOSAL_KEYS",
    "ChangeOut",
    "Checked",
    "DraftOut",
    "ProposalOut",
    "Turn",
    "check_items",
    "check_proposal",
    "coerce_value",
    "named",
    "plain",
    "proposal_schema",
    "raw_changes",
    "squash",
    "states_value",
    "words_problem",
]
