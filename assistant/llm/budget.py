"""What a chat turn sends: only the cells a message can concern, as a compact legend.

A cell id is ``table.row.column``; instead of one line per cell (169 lines for the whole report),
the legend names each row and each column once, with a few of the registry's clerk phrases
(个人/群众 → 自然人), so the model can put the ids together. Current values are listed only
for the cells offered that are filled. A message with no number and no 没有/未 can fill nothing
(evidence must state the value): the model is not called at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.chat import lexicon as grammar
from assistant.llm.schema import NEG
from assistant.model import Report
from assistant.numbers import format_value

PHRASES_PER_AXIS = 3
PHRASES_FULL_LEGEND = 0  # a message that named nothing the registry knows gains little from its phrases
MAX_LABEL = 14
MAX_VALUES = 40


@dataclass
class Scope:
    """The rows and columns a message can concern, per table."""

    t3_rows: set[str] = field(default_factory=set)
    t3_cols: set[str] = field(default_factory=set)
    t4_groups: set[str] = field(default_factory=set)
    t4_cols: set[str] = field(default_factory=set)
    t2_items: set[str] = field(default_factory=set)
    fees: set[str] = field(default_factory=set)
    full: bool = False  # nothing named: every row and column (phrases shortened)

    def cells(self) -> list[str]:
        chosen: set[str] = set()
        chosen |= {f"t3.{r}.{c}" for r in self.t3_rows for c in self.t3_cols}
        chosen |= {f"t4.{g}.{c}" for g in self.t4_groups for c in self.t4_cols}
        chosen |= {f"t2.{i}.{c}" for i in self.t2_items for c in reg.T2_LAYOUT[i]}
        chosen |= self.fees
        return [cid for cid in CELLS if cid in chosen]

    def add_cell(self, cid: str) -> None:
        c = CELLS[cid]
        if c.table == "t3":
            self.t3_rows.add(c.row)
            self.t3_cols.update(col.id for col in reg.T3_COLUMNS)
        elif c.table == "t4":
            self.t4_groups.add(c.row)
            self.t4_cols.update(col.id for col in reg.T4_COLUMNS)
        elif c.table == "t2":
            self.t2_items.add(c.row)
        else:
            self.fees.add(cid)


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def approx_tokens(text: str) -> int:
    """A generous token estimate (1 per CJK character, 1 per 3 others): never under the real count
    for Qwen, DeepSeek or GLM, whose tokenizers merge common Chinese words."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 2) // 3


def fillable(source: str) -> bool:
    """True when the message states a number or a zero (没有, 未…): something evidence can quote."""
    return any(t.is_number or t.cat == NEG for t in grammar.tokenize(grammar.normalise(source)))


def scope_of(source: str, extra_cells: Iterable[str] = ()) -> Scope:
    """The cells a source can concern, with their neighbours; every cell when it names none.

    Neighbours: a table-3 row with all its columns, a table-4 group with all its outcomes, a
    table-2 item with its columns. ``extra_cells`` (what the offline engine read) are included.
    """
    tokens = grammar.tokenize(grammar.normalise(source))
    cats: dict[str, set[str]] = {}
    for t in tokens:
        if t.meaning is not None:
            cats.setdefault(t.meaning.cat, set()).add(t.meaning.id)
    s = Scope()
    s.t3_rows = set(cats.get(grammar.ROW, set()))
    for group in cats.get(grammar.GROUP3, set()):
        s.t3_rows |= {r.id for r in reg.T3_ROWS if r.group == group}
    if grammar.WEAK_NEW in cats:
        s.t3_rows.add("new")
    if (grammar.APPL in cats or grammar.ORG in cats) and not s.t3_rows:
        s.t3_rows = {r.id for r in reg.T3_ROWS}
    if s.t3_rows:
        s.t3_cols = {c.id for c in reg.T3_COLUMNS}
    s.t4_groups = set(cats.get(grammar.T4G, set()))
    if grammar.LIT in cats:
        s.t4_groups |= {"suit_direct", "suit_after_review"}
    if grammar.T4C in cats and not s.t4_groups:
        s.t4_groups = {g.id for g in reg.T4_GROUPS}
    if s.t4_groups:
        s.t4_cols = {c.id for c in reg.T4_COLUMNS}
    s.t2_items = set(cats.get(grammar.T2I, set()))
    if grammar.T2C in cats and not s.t2_items:
        s.t2_items = set(reg.T2_LAYOUT)
    if grammar.FEE in cats:
        s.fees = {cid for cid, *_ in reg.FEE_CELLS}
    for cid in extra_cells:
        if cid in CELLS:
            s.add_cell(cid)
    if not s.cells():
        s = Scope(
            t3_rows={r.id for r in reg.T3_ROWS},
            t3_cols={c.id for c in reg.T3_COLUMNS},
            t4_groups={g.id for g in reg.T4_GROUPS},
            t4_cols={c.id for c in reg.T4_COLUMNS},
            t2_items=set(reg.T2_LAYOUT),
            fees={cid for cid, *_ in reg.FEE_CELLS},
            full=True,
        )
    return s


def _words(axis: reg.Axis, label: str, limit: int) -> str:
    extra = list(dict.fromkeys(w for w in (*axis.aliases, *axis.phrases) if w and w not in label))[:limit]
    return f"{label}（{'、'.join(extra)}）" if extra else label


def _t3_label(row: reg.Axis) -> str:
    """A table-3 row's label, shortened where the official one is a sentence."""
    label = reg.t3_row_label(row.id, with_group=False)
    if row.id in ("new", "carried_over"):
        label = label.replace("政府信息公开", "")
    elif len(label) > MAX_LABEL and row.phrases:
        label = row.phrases[0]
    if row.group and row.group != "results":
        label = f"{reg.T3_GROUP[row.group].label}·{label}"
    return label


def _ordered(axes: Sequence[reg.Axis], chosen: set[str]) -> list[reg.Axis]:
    return [a for a in axes if a.id in chosen]


def legend(scope: Scope) -> str:
    """The compact legend of the scope: ``id 标签（说法）`` per row and per column, each once."""
    n = PHRASES_FULL_LEGEND if scope.full else PHRASES_PER_AXIS
    parts: list[str] = []
    if scope.t3_rows:
        rows = "；".join(
            f"{r.id} {_words(r, _t3_label(r), n)}" for r in _ordered(reg.T3_ROWS, scope.t3_rows)
        )
        cols = "；".join(f"{c.id} {_words(c, c.label, n)}" for c in _ordered(reg.T3_COLUMNS, scope.t3_cols))
        parts.append(f"表三（依申请公开）编号 t3.行.列，件数\n行：{rows}\n列：{cols}")
    if scope.t4_groups:
        groups = []
        for g in _ordered(reg.T4_GROUPS, scope.t4_groups):
            label = g.label if g.group is None else f"行政诉讼·{g.label}"
            groups.append(f"{g.id} {_words(g, label, n)}")
        cols = "；".join(f"{c.id} {_words(c, c.label, n)}" for c in _ordered(reg.T4_COLUMNS, scope.t4_cols))
        parts.append(f"表四（复议诉讼）编号 t4.组.列，件数\n组：{'；'.join(groups)}\n列：{cols}")
    if scope.t2_items:
        items = []
        for i in _ordered(reg.T2_ITEMS, scope.t2_items):
            items.append(f"{i.id} {_words(i, i.label, n)}[{','.join(reg.T2_LAYOUT[i.id])}]")
        used = {c for i in scope.t2_items for c in reg.T2_LAYOUT[i]}
        cols = "；".join(
            f"{c.id} {_words(c, c.label.replace('（单位：万元）', ''), n)}" for c in reg.T2_COLUMNS if c.id in used
        )
        parts.append(f"表二（主动公开）编号 t2.项.列，件数（amount 为万元）\n项：{'；'.join(items)}\n列：{cols}")
    if scope.fees:
        fees = "；".join(f"{cid} {label}" for cid, label, *_ in reg.FEE_CELLS if cid in scope.fees)
        parts.append(f"信息处理费（第六部分）：{fees}")
    return "\n".join(parts)


def values_text(ids: Sequence[str], report: Report) -> str:
    """The filled cells among ``ids``, ``id=value`` (at most MAX_VALUES; the rest are 未填)."""
    filled = [(cid, v) for cid in ids if (v := report.get(cid)) is not None]
    shown = "，".join(f"{cid}={format_value(v)}" for cid, v in filled[:MAX_VALUES])
    if not shown:
        return "（以上单元格均未填）"
    more = f"（另有{len(filled) - MAX_VALUES}项已填，未列出）" if len(filled) > MAX_VALUES else ""
    return shown + more


__all__ = ["Scope", "fillable", "legend", "scope_of", "values_text"]
