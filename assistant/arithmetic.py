"""The arithmetic of tables 三 and 四 as data, and what it lets us know about cells not yet filled.

Every relation of the two tables is one equation ``sum(lhs) == sum(rhs)`` over counts (whole
numbers ≥ 0): a total equals the sum of its parts (T3-ROW-TOTAL, T3-PROCESSED-SUM, T4-TOTAL), and
本年新收 + 上年结转 = 办理结果总计 + 结转下年度 (T3-BALANCE). Given the cells known so far, this
module answers three questions without guessing:

- which relations are already impossible, whatever the blank cells turn out to be
  (``contradiction``: bounds propagated between relations, then an exact check);
- which values the known cells bound a blank cell to (``propagate``);
- whether a set of changes makes a relation hold without breaking another (``Overlay``).

Table 三 is a flow network (every cell is the flow on one edge, every relation is conservation at
one node), so "can the blanks be filled at all?" is a feasibility problem that a maximum flow
answers exactly; interval propagation finds the common cases first and explains them better.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant import cells as reg
from assistant.numbers import Value

INF = math.inf
Getter = Callable[[str], Value | None]
Bound = tuple[float, float]  # (lowest, highest) a cell can be; known cells have lowest == highest


@dataclass(frozen=True)
class Relation:
    """``sum(lhs) == sum(rhs)``; for a total, ``lhs`` is the total alone and ``rhs`` its parts."""

    rule: str
    table: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    names: tuple[tuple[str, str], ...] = ()  # message placeholders, e.g. (("row", "予以公开"),)
    cells: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", (*self.rhs, *self.lhs) if self.is_sum else (*self.lhs, *self.rhs))

    @property
    def is_sum(self) -> bool:
        return len(self.lhs) == 1

    @property
    def total(self) -> str:
        return self.lhs[0]

    @property
    def parts(self) -> tuple[str, ...]:
        return self.rhs

    @property
    def fmt(self) -> dict[str, str]:
        return dict(self.names)

    def status(self, get: Getter) -> bool | None:
        """True when it holds, False when it fails, None while a cell is unknown."""
        left: Value = 0
        right: Value = 0
        for c in self.lhs:
            v = get(c)
            if v is None:
                return None
            left += v
        for c in self.rhs:
            v = get(c)
            if v is None:
                return None
            right += v
        return left == right


def _t3_relations() -> tuple[Relation, ...]:
    out: list[Relation] = []
    for row in reg.T3_ROWS:
        parts = tuple(f"t3.{row.id}.{c}" for c in reg.T3_APPLICANT_COLUMNS)
        out.append(Relation("T3-ROW-TOTAL", "t3", (f"t3.{row.id}.total",), parts, (("row", reg.t3_row_label(row.id)),)))
    for col in reg.T3_COLUMNS:
        parts = tuple(f"t3.{r}.{col.id}" for r in reg.T3_RESULT_ROWS)
        out.append(
            Relation("T3-PROCESSED-SUM", "t3", (f"t3.processed_total.{col.id}",), parts, (("column", col.label),))
        )
    for col in reg.T3_COLUMNS:
        out.append(
            Relation(
                "T3-BALANCE",
                "t3",
                (f"t3.new.{col.id}", f"t3.carried_over.{col.id}"),
                (f"t3.processed_total.{col.id}", f"t3.carried_forward.{col.id}"),
                (("column", col.label),),
            )
        )
    return tuple(out)


def _t4_relations() -> tuple[Relation, ...]:
    return tuple(
        Relation(
            "T4-TOTAL",
            "t4",
            (f"t4.{g.id}.total",),
            tuple(f"t4.{g.id}.{c}" for c in reg.T4_OUTCOMES),
            (("group", g.label if g.group is None else f"行政诉讼·{g.label}"),),
        )
        for g in reg.T4_GROUPS
    )


T3_RELATIONS = _t3_relations()
T4_RELATIONS = _t4_relations()
RELATIONS = T3_RELATIONS + T4_RELATIONS
T3_CELLS = tuple(c for c in reg.CELLS if c.startswith("t3."))
T4_CELLS = tuple(c for c in reg.CELLS if c.startswith("t4."))
RELATIONS_OF: dict[str, tuple[Relation, ...]] = {
    c: tuple(r for r in RELATIONS if c in r.cells) for c in (*T3_CELLS, *T4_CELLS)
}


def systems() -> Iterable[tuple[Relation, ...]]:
    """Groups of relations that share cells: table 三 as a whole, each group of table 四 alone."""
    yield T3_RELATIONS
    for r in T4_RELATIONS:
        yield (r,)


# ---------------------------------------------------------------------------------------------
# Values derived from parts


def leaf_sum(cell_id: str, get: Getter) -> Value | None:
    """A total computed from the leaves under it (None when a leaf is unknown); a leaf's own value."""
    c = reg.CELLS[cell_id]
    if not c.is_total:
        return get(cell_id)
    total: Value = 0
    for p in c.parts:
        v = leaf_sum(p, get)
        if v is None:
            return None
        total += v
    return total


class Overlay:
    """Values with some cells changed, without copying the report (for trying a fix)."""

    def __init__(self, get: Getter, changes: Mapping[str, Value | None]) -> None:
        self._get = get
        self._changes = changes

    def __call__(self, cell_id: str) -> Value | None:
        if cell_id in self._changes:
            return self._changes[cell_id]
        return self._get(cell_id)


# ---------------------------------------------------------------------------------------------
# Bounds


@dataclass(frozen=True)
class Contradiction:
    """A relation that cannot hold whatever the unknown cells are, with the bounds that show it."""

    relation: Relation | None  # None: only the exact check (several relations together) found it
    bounds: dict[str, Bound]
    cells: tuple[str, ...] = ()  # for the exact check: the known cells that cannot all be right


def _side(cells: Sequence[str], lo: dict[str, float], hi: dict[str, float]) -> tuple[float, float, int]:
    """(sum of lowest, sum of finite highest, how many highest are infinite)."""
    s_lo = 0.0
    s_hi = 0.0
    n_inf = 0
    for c in cells:
        s_lo += lo[c]
        h = hi[c]
        if h == INF:
            n_inf += 1
        else:
            s_hi += h
    return s_lo, s_hi, n_inf


def _others_hi(s_hi: float, n_inf: int, h: float) -> float:
    """The highest sum of a side without one of its cells (whose highest is ``h``)."""
    if n_inf - (1 if h == INF else 0) > 0:
        return INF
    return s_hi - (0 if h == INF else h)


def side_bounds(cells: Sequence[str], bounds: Mapping[str, Bound]) -> Bound:
    lo = sum(bounds[c][0] for c in cells)
    hi = sum(bounds[c][1] for c in cells)
    return lo, hi


MAX_STEPS = 4000  # relation visits; propagation stays sound when cut short (the exact check follows)


def propagate(relations: Sequence[Relation], get: Getter) -> tuple[dict[str, Bound], Relation | None]:
    """Bounds of every cell of ``relations`` given the known cells, and the first relation found
    impossible (None if none is). Known cells are fixed; unknown ones start at [0, ∞)."""
    lo: dict[str, float] = {}
    hi: dict[str, float] = {}
    for r in relations:
        for c in r.cells:
            if c not in lo:
                v = get(c)
                lo[c], hi[c] = (0.0, INF) if v is None else (float(v), float(v))
    members = set(relations)
    queue = deque(relations)
    queued = set(relations)
    steps = 0
    while queue and steps < MAX_STEPS:
        steps += 1
        r = queue.popleft()
        queued.discard(r)
        l_lo, l_hi, l_inf = _side(r.lhs, lo, hi)
        r_lo, r_hi, r_inf = _side(r.rhs, lo, hi)
        left_hi = INF if l_inf else l_hi
        right_hi = INF if r_inf else r_hi
        if l_lo > right_hi or r_lo > left_hi:
            return _bounds(lo, hi), r
        changed: list[str] = []
        for side, (s_lo, s_hi, s_inf), (o_lo, o_hi) in (
            (r.lhs, (l_lo, l_hi, l_inf), (r_lo, right_hi)),
            (r.rhs, (r_lo, r_hi, r_inf), (l_lo, left_hi)),
        ):
            for c in side:
                if lo[c] == hi[c]:
                    continue
                new_lo = max(lo[c], o_lo - _others_hi(s_hi, s_inf, hi[c]))
                new_hi = min(hi[c], o_hi - (s_lo - lo[c]))
                if new_lo > new_hi:
                    return _bounds(lo, hi), r
                if new_lo != lo[c] or new_hi != hi[c]:
                    lo[c], hi[c] = new_lo, new_hi
                    changed.append(c)
        for c in changed:
            for other in RELATIONS_OF.get(c, ()):
                if other is not r and other in members and other not in queued:
                    queue.append(other)
                    queued.add(other)
    return _bounds(lo, hi), None


def _bounds(lo: dict[str, float], hi: dict[str, float]) -> dict[str, Bound]:
    return {c: (lo[c], hi[c]) for c in lo}


def local_contradiction(r: Relation, get: Getter) -> bool:
    """The relation fails on its own cells alone: complete and unequal, or its known cells
    already exceed the other side whatever its unknown cells are."""
    left_lo, left_unknown = _known_sum(r.lhs, get)
    right_lo, right_unknown = _known_sum(r.rhs, get)
    if not left_unknown and not right_unknown:
        return left_lo != right_lo
    return (not right_unknown and left_lo > right_lo) or (not left_unknown and right_lo > left_lo)


def _known_sum(cells: Sequence[str], get: Getter) -> tuple[Value, bool]:
    """The sum of the known cells, and whether any cell is still unknown."""
    total: Value = 0
    unknown = False
    for c in cells:
        v = get(c)
        if v is None:
            unknown = True
        else:
            total += v
    return total, unknown


# ---------------------------------------------------------------------------------------------
# The exact check of table 三 (a flow network)

_SOURCE, _SINK = "供", "需"


def _edge(cell_id: str) -> tuple[str, str]:
    """Table 三's cells as edges of a circulation: conservation at each node is one relation."""
    c = reg.CELLS[cell_id]
    row, col = c.row, c.column
    if row in ("new", "carried_over"):
        return ("hub", row) if col == "total" else (row, f"col:{col}")
    if row == "carried_forward":
        return (row, "hub") if col == "total" else (f"col:{col}", row)
    if row == "processed_total":
        return ("results", "hub") if col == "total" else (f"col:{col}", f"done:{col}")
    return (f"row:{row}", "results") if col == "total" else (f"done:{col}", f"row:{row}")


def t3_infeasible(get: Getter) -> tuple[str, ...] | None:
    """None when table 三's unknown cells can be filled so that every relation holds; otherwise the
    known cells around the part of the table that cannot balance.

    Each known cell moves a fixed amount between two nodes; the unknown cells (any count ≥ 0) must
    carry every node's surplus to the nodes in deficit, which a maximum flow decides exactly.
    """
    import networkx as nx  # imported on use: only partly filled tables get here
    from networkx.algorithms.flow import boykov_kolmogorov

    excess: dict[str, float] = {}
    graph = nx.DiGraph()
    known_edges: dict[str, tuple[str, str]] = {}
    for cid in T3_CELLS:
        u, v = _edge(cid)
        value = get(cid)
        if value is None:
            graph.add_edge(u, v)  # no capacity: unbounded
        else:
            excess[v] = excess.get(v, 0) + float(value)
            excess[u] = excess.get(u, 0) - float(value)
            known_edges[cid] = (u, v)
    supply = 0.0
    for node, b in excess.items():
        if b > 0:
            graph.add_edge(_SOURCE, node, capacity=b)
            supply += b
        elif b < 0:
            graph.add_edge(node, _SINK, capacity=-b)
    if supply == 0:  # every node balances on known cells alone (the unknown ones can be 0)
        return None
    # Excesses sum to 0, so a sink exists. Boykov–Kolmogorov is the quickest of networkx's maximum
    # flows on these small, shallow graphs.
    flow, (reach, _rest) = nx.minimum_cut(graph, _SOURCE, _SINK, flow_func=boykov_kolmogorov)
    if flow >= supply:
        return None
    cut = set(reach) - {_SOURCE}
    return tuple(cid for cid, (u, v) in known_edges.items() if (u in cut) != (v in cut))


def contradiction(relations: Sequence[Relation], get: Getter, *, exact: bool = True) -> Contradiction | None:
    """The first sign that ``relations`` cannot all hold, or None. Local failures are the
    validator's own findings; this is for what only shows when relations are taken together."""
    bounds, failed = propagate(relations, get)
    if failed is not None:
        return Contradiction(failed, bounds)
    if exact and relations is T3_RELATIONS and any(get(c) is None for c in T3_CELLS):
        cells = t3_infeasible(get)
        if cells is not None:
            return Contradiction(None, bounds, cells)
    return None
