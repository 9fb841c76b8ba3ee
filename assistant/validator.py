"""The deterministic validator: ``validate(report, previous)`` returns every finding, lazily.

Each check is a pure function registered under its rule id from ``assistant.rules``. A check
that needs a cell that is still unknown reports "无法校验" (severity info) instead of a false
error; where the table's own arithmetic determines the missing or wrong value, the finding
carries a fix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from assistant import arithmetic
from assistant import cells as reg
from assistant.arithmetic import Contradiction, Getter, Relation
from assistant.cells import CELLS, SECTION, T3_COLUMNS, T3_ROWS
from assistant.changes import Change
from assistant.claims import find_claims
from assistant.findings import Finding, Fix, Status, sort_findings
from assistant.model import Report
from assistant.numbers import Value, format_value
from assistant.rules import NOT_ASSESSABLE, NOT_ASSESSABLE_DERIVABLE, RULES, Severity, message_for
from assistant.textsim import reuse_ratio
from assistant.totals import NOT_IN_2019_FORM, TABLE_NAMES, blank_groups, uses_2019_form

Check = Callable[["Context"], Iterable[Finding]]
CHECKS: dict[str, Check] = {}

COPY_THRESHOLD = 0.3  # share of s5 word 8-grams found verbatim in last year's s5


def check(rule_id: str) -> Callable[[Check], Check]:
    """Register ``fn`` as the check of ``rule_id`` (which must be in the rule table)."""

    def register(fn: Check) -> Check:
        if rule_id not in RULES:
            raise KeyError(f"no rule {rule_id} in the rule table")
        CHECKS[rule_id] = fn
        return fn

    return register


class Context:
    """What the checks read: the report, last year's, and what the tables' arithmetic lets us know.

    ``get`` sees the cells as the checks should: a total the source left blank (read as 0) while
    its parts are not all 0 is taken at the sum of its parts, and reported once as blank
    (``blank_totals``), instead of as one false sum per row and a fix that zeroes the grand total;
    and a report in the 2019 tables has no “逾期不补正”“逾期未缴费” rows, so they count 0.
    """

    def __init__(self, report: Report, previous: Report | None, publication: bool = False) -> None:
        self.report = report
        self.previous = previous
        self.publication = publication
        self.blank_totals = _blank_totals(report)
        absent: dict[str, Value] = {}
        if uses_2019_form(report):
            absent = {c: 0 for c in NOT_IN_2019_FORM if c.startswith("t3.") and c not in report.cells}
        if self.blank_totals or absent:
            values = {**report.cells, **absent, **self.blank_totals}
            self.get: Getter = values.get
        else:
            self.get = report.cells.get
        self._conflicts: dict[int, Contradiction | None] = {}

    def text(self, section: str) -> str:
        return self.report.section_text(section) or ""

    def conflict(self, system: tuple[Relation, ...]) -> Contradiction | None:
        """Why ``system`` cannot hold whatever its blanks are (None if it can, or if it already
        fails on one relation alone: that finding says it better)."""
        key = id(system)
        if key not in self._conflicts:
            found = None
            get = self.get
            cells = arithmetic.T3_CELLS if system is arithmetic.T3_RELATIONS else system[0].cells
            if any(get(c) is None for c in cells) and not any(
                arithmetic.local_contradiction(r, get) for r in system
            ):
                found = arithmetic.contradiction(system, get)
            self._conflicts[key] = found
        return self._conflicts[key]

    def impossible(self, table: str) -> bool:
        """The table's known cells already break its arithmetic (so no value is derived from it)."""
        for system in arithmetic.systems():
            if system[0].table != table:
                continue
            if any(arithmetic.local_contradiction(r, self.get) for r in system) or self.conflict(system):
                return True
        return False


def _blank_totals(report: Report) -> dict[str, Value]:
    """Totals blank in the source whose parts are not all 0: the sum of their parts (parts-first)."""
    src = report.source
    if src is None or not src.blank_cells:
        return {}
    blank = set(src.blank_cells)
    derived: dict[str, Value] = {}
    for total in reg.totals():
        if total.id not in blank or total.table not in ("t3", "t4"):
            continue
        parts = [derived.get(p, report.cells.get(p)) for p in total.parts]
        if any(v is None for v in parts):
            continue
        value = sum(parts, start=0)  # type: ignore[arg-type]
        if value != report.cells.get(total.id):
            derived[total.id] = value
    return derived


def validate(
    report: Report,
    previous: Report | None = None,
    *,
    rules: Sequence[str] | None = None,
    publication: bool = False,
) -> list[Finding]:
    """Every finding of every rule (or of ``rules``), errors first.

    ``previous`` is last year's report; without it, the draft's remembered ``report.previous``
    is used, and without either the cross-year rules do not run. ``publication``: the report is
    about to be published, so every blank cell is an error (rule CELLS-FILLED), not a reminder.
    """
    ctx = Context(report, previous if previous is not None else report.previous, publication)
    findings: list[Finding] = []
    for rule_id in rules or RULES:
        if RULES[rule_id].needs_previous and ctx.previous is None:
            continue
        findings.extend(CHECKS[rule_id](ctx))
    return sort_findings(findings)


# ---------------------------------------------------------------------------------------------
# Building findings


def _finding(
    rule_id: str,
    key: str,
    cells: Sequence[str],
    seen_values: dict[str, Any],
    expected_value: Any = None,
    fix: Fix | None = None,
    severity: Severity | None = None,
    /,
    **fmt: Any,
) -> Finding:
    """A failed finding; ``fmt`` fills the rule's message template ``key``."""
    # model_construct: every field here is built by this module; validating them again per
    # finding would be most of the validator's time on a report with many findings.
    return Finding.model_construct(
        rule=rule_id,
        severity=severity or RULES[rule_id].severity,
        status=Status.FAILED,
        cells=list(cells),
        seen=seen_values,
        expected=expected_value,
        message=message_for(rule_id, key, **fmt),
        fix=fix,
    )


_T3_ROW_CELLS = [(row.id, [f"t3.{row.id}.{c.id}" for c in T3_COLUMNS]) for row in T3_ROWS]


def _labels(ids: Sequence[str], limit: int = 3) -> str:
    """Cells named as a clerk reads them: whole table-3 rows by their row, others one by one."""
    parts: list[str] = []
    rest = set(ids)
    for row, whole in _T3_ROW_CELLS:
        if whole[0] in rest and rest.issuperset(whole):
            parts.append(f"表三“{reg.t3_row_label(row)}”整行")
            rest.difference_update(whole)
    parts.extend(f"“{CELLS[c].label}”" for c in ids if c in rest)
    shown = "、".join(parts[:limit])
    return shown + (f"等{len(ids)}个单元格" if len(parts) > limit else "")


def _not_assessable(
    rule_id: str,
    cells: Sequence[str],
    seen: dict[str, Any],
    unknown: Sequence[str],
    derived: Value | None = None,
    fix_text: str | None = None,
) -> Finding:
    fix = None
    if derived is not None and derived >= 0 and fix_text:
        fix = _fix(unknown[0], derived, fix_text)
        message = NOT_ASSESSABLE_DERIVABLE.format(cells=_labels(unknown), expected=format_value(derived))
    else:
        message = NOT_ASSESSABLE.format(cells=_labels(unknown))
    return Finding.model_construct(
        rule=rule_id,
        severity=Severity.INFO,
        status=Status.NOT_ASSESSABLE,
        cells=list(cells),
        seen=seen,
        expected=derived,
        message=message,
        fix=fix,
    )


def _fix(cell: str, value: Value, description: str) -> Fix:
    """A one-change fix (built unvalidated: the validator made every part of it)."""
    return _fix_of({cell: value}, description)


def _fix_of(changes: dict[str, Value], description: str) -> Fix:
    built = [Change.model_construct(cell=c, value=v, evidence=description) for c, v in changes.items()]
    return Fix.model_construct(changes=built, description=description)


def _sum(values: Iterable[Value | None]) -> Value:
    return sum((v for v in values if v is not None), start=0)


def _fmt(v: Any) -> str:
    return format_value(v)


# ---------------------------------------------------------------------------------------------
# Fixes are tried before they are offered


def _fix_is_safe(ctx: Context, changes: dict[str, Value], target: Relation | None = None, forced: bool = False) -> bool:
    """Applied to a copy of the values, the fix makes ``target`` hold and breaks nothing that held.

    Only the relations that read a changed cell can change; a partly filled table is checked as a
    whole again (a value can fit its own relation and still make the table impossible); and a
    change of 上年结转 must not break the carry-over from last year's report. ``forced``: the value
    is the only one its relation allows in a table that can still be completed, so every completion
    has it and the table's own arithmetic cannot break (only last year's report remains to ask).
    """
    after = arithmetic.Overlay(ctx.get, changes)
    if not forced and not _arithmetic_safe(ctx, changes, after, target):
        return False
    prev = ctx.previous
    if prev is not None:
        for cid, value in changes.items():
            if cid.startswith("t3.carried_over."):
                last = prev.get("t3.carried_forward." + cid.rsplit(".", 1)[1])
                if last is not None and ctx.get(cid) == last and value != last:
                    return False
                if last is not None and ctx.get(cid) is None and value != last:
                    return False  # filling it so would contradict last year's report
    return True


def _arithmetic_safe(ctx: Context, changes: dict[str, Value], after: Getter, target: Relation | None) -> bool:
    if target is not None and target.status(after) is not True:
        return False
    touched = {r for c in changes for r in arithmetic.RELATIONS_OF.get(c, ())}
    for r in touched:
        if arithmetic.local_contradiction(r, after) and not arithmetic.local_contradiction(r, ctx.get):
            return False
    for system in arithmetic.systems():
        if not touched.intersection(system):
            continue
        if ctx.conflict(system) is not None:
            return False  # while the known numbers cannot all be right, no number is derived from them
        partial = any(after(c) is None for r in system for c in r.cells)
        if (
            partial
            and not any(arithmetic.local_contradiction(r, after) for r in system)
            and arithmetic.contradiction(system, after) is not None
        ):
            return False
    return True


def _sum_fix(ctx: Context, rule_id: str, r: Relation) -> Fix | None:
    """The fix of a failed total, tried in order: every total of the relation recomputed from the
    leaves under it (a wrong subtotal is fixed where it is wrong), then the total from its parts
    as they stand. None when neither is safe: then which number is wrong is for the clerk."""
    get = ctx.get
    names = r.fmt
    from_leaves: dict[str, Value] = {}
    for c in (r.total, *r.parts):
        if CELLS[c].is_total:
            v = arithmetic.leaf_sum(c, get)
            if v is not None and v != get(c):
                from_leaves[c] = v
    direct = {r.total: _sum(get(p) for p in r.parts)}
    for changes in (from_leaves, direct):
        if not changes or not _fix_is_safe(ctx, changes, r):
            continue
        if list(changes) == [r.total]:
            text = message_for(rule_id, "fix", expected=_fmt(changes[r.total]), **names)
        else:
            text = message_for(
                rule_id,
                "fix_parts",
                changes="、".join(f"“{CELLS[c].label}”改为{_fmt(v)}" for c, v in changes.items()),
            )
        return _fix_of(changes, text)
    return None


# ---------------------------------------------------------------------------------------------
# Table arithmetic: every relation of tables 三 and 四 (assistant.arithmetic), one rule per kind


_SHORT = {
    "new": "本年新收",
    "carried_over": "上年结转",
    "processed_total": "办理结果总计",
    "carried_forward": "结转下年度",
}
_PARTS_NAME = {"T3-ROW-TOTAL": "各类申请人", "T3-PROCESSED-SUM": "各项办理结果", "T4-TOTAL": "各项结果"}


def _where(r: Relation) -> str:
    names = r.fmt
    if r.rule == "T3-ROW-TOTAL":
        return f"表三“{names['row']}”行"
    if r.rule == "T4-TOTAL":
        return f"表四“{names['group']}”"
    return f"表三“{names['column']}”列"


def _bound_detail(r: Relation, bounds: dict[str, arithmetic.Bound], get: Getter) -> str:
    """Both sides of an impossible relation in words: what is filled, and what the blanks are bound
    to. The side that is too large is told by its lowest possible sum, the other by its highest."""
    left_big = arithmetic.side_bounds(r.lhs, bounds)[0] > arithmetic.side_bounds(r.rhs, bounds)[1]

    def bound_text(lo: float, hi: float, big: bool) -> str:
        return f"至少为{_fmt(int(lo))}" if big else f"至多为{_fmt(int(hi))}"

    if r.is_sum:
        parts_big = not left_big
        values = [get(p) for p in r.parts]
        filled = [v for v in values if v is not None]
        name = _PARTS_NAME[r.rule]
        lo, hi = arithmetic.side_bounds(r.parts, bounds)
        if len(filled) == len(values):
            parts_text = f"{name}之和为{_fmt(_sum(filled))}"
        elif parts_big and lo == _sum(filled):
            parts_text = f"已填的{name}之和已达{_fmt(_sum(filled))}（另有{len(values) - len(filled)}项未填）"
        else:
            parts_text = f"{name}之和按已填数字{bound_text(lo, hi, parts_big)}"
        total_name = "（七）总计" if r.rule == "T3-PROCESSED-SUM" else "总计"
        value = get(r.total)
        if value is not None:
            total_text = f"“{total_name}”为{_fmt(value)}"
        else:
            total_text = f"“{total_name}”未填，按表内其他数字{bound_text(*bounds[r.total], not parts_big)}"
        return f"{parts_text}，但{total_text}"

    def side(cells: tuple[str, ...], big: bool) -> str:
        terms = []
        for c in cells:
            v = get(c)
            name = _SHORT[CELLS[c].row]
            lo, hi = bounds[c]
            if v is not None:
                terms.append(f"{name}({_fmt(v)})")
            elif (big and lo > 0) or (not big and hi < math.inf):
                terms.append(f"{name}(未填，按已填数字{bound_text(lo, hi, big)})")
            else:
                terms.append(f"{name}(未填)")
        if all(get(c) is not None for c in cells):
            return "+".join(terms) + f"={_fmt(_sum(get(c) for c in cells))}"
        return "+".join(terms) + "合计" + bound_text(*arithmetic.side_bounds(cells, bounds), big)

    return f"{side(r.lhs, left_big)}，但{side(r.rhs, not left_big)}"


def _relation_findings(ctx: Context, rule_id: str) -> Iterator[Finding]:
    """The findings of one arithmetic rule over every relation it has."""
    get = ctx.get
    yield from _blank_total_finding(ctx, rule_id)
    for r in arithmetic.RELATIONS:
        if r.rule != rule_id:
            continue
        status = r.status(get)
        if status is True:
            continue
        cells = list(r.cells)
        seen = {c: get(c) for c in cells}
        if status is False:
            yield _failed_relation(ctx, r, seen)
            continue
        system = arithmetic.T3_RELATIONS if r.table == "t3" else (r,)
        conflict = ctx.conflict(system) if r.table == "t3" else None
        if arithmetic.local_contradiction(r, get):
            bounds, _ = arithmetic.propagate((r,), get)
            detail = _bound_detail(r, bounds, get)
            yield _finding(rule_id, "bound", cells, seen, None, None, where=_where(r), detail=detail)
        elif conflict is not None and conflict.relation is r:
            detail = _bound_detail(r, conflict.bounds, get)
            yield _finding(rule_id, "bound", cells, seen, None, None, where=_where(r), detail=detail)
        else:
            yield _not_assessed(ctx, r, seen)
    if rule_id == "T3-BALANCE":
        conflict = ctx.conflict(arithmetic.T3_RELATIONS)
        if conflict is not None and conflict.relation is None:
            named = "、".join(f"“{CELLS[c].label}”({_fmt(get(c))})" for c in conflict.cells[:6])
            more = f"等{len(conflict.cells)}个数字" if len(conflict.cells) > 6 else ""
            seen = {c: get(c) for c in conflict.cells}
            yield _finding(rule_id, "tangle", list(conflict.cells), seen, None, None, cells=named + more)


def _failed_relation(ctx: Context, r: Relation, seen: dict[str, Any]) -> Finding:
    get = ctx.get
    if r.is_sum:
        total = get(r.total)
        expected = _sum(get(p) for p in r.parts)
        return _finding(
            r.rule,
            "fail",
            list(r.cells),
            seen,
            expected,
            _sum_fix(ctx, r.rule, r),
            expected=_fmt(expected),
            seen=_fmt(total),
            diff=_fmt(abs(expected - total)),  # type: ignore[operator]
            **r.fmt,
        )
    v = {CELLS[c].row: get(c) for c in r.cells}
    lhs = v["new"] + v["carried_over"]  # type: ignore[operator]
    rhs = v["processed_total"] + v["carried_forward"]  # type: ignore[operator]
    return _finding(
        r.rule,
        "fail",
        list(r.cells),
        seen,
        None,
        None,
        lhs=lhs,
        rhs=rhs,
        diff=abs(lhs - rhs),
        **{k: _fmt(x) for k, x in v.items()},
        **r.fmt,
    )


def _not_assessed(ctx: Context, r: Relation, seen: dict[str, Any]) -> Finding:
    """无法校验, with the value of a single blank cell when the relation alone determines it, it
    agrees with everything else that is known, and filling it breaks nothing."""
    unknown = [c for c in r.cells if seen[c] is None]
    if len(unknown) != 1 or ctx.impossible(r.table):
        return _not_assessable(r.rule, list(r.cells), seen, unknown)
    cell = unknown[0]
    known_left = _sum(ctx.get(c) for c in r.lhs)
    known_right = _sum(ctx.get(c) for c in r.rhs)
    derived = known_right - known_left if cell in r.lhs else known_left - known_right
    if derived < 0 or not _fix_is_safe(ctx, {cell: derived}, r, forced=True):
        return _not_assessable(r.rule, list(r.cells), seen, unknown)
    if r.rule == "T3-BALANCE":
        fix_text = message_for(
            "T3-BALANCE",
            "fix",
            column=r.fmt["column"],
            cell=reg.t3_row_label(CELLS[cell].row, with_group=False),
            expected=_fmt(derived),
        )
    else:
        fix_text = f"按表内关系，将“{CELLS[cell].label}”填为{_fmt(derived)}"
    return _not_assessable(r.rule, list(r.cells), seen, unknown, derived, fix_text)


def _blank_total_finding(ctx: Context, rule_id: str) -> Iterator[Finding]:
    """Totals the source left blank, filled from their parts in one fix (a blank 总计 column is one
    omission, not one error per row)."""
    mine = {
        c: v
        for c, v in ctx.blank_totals.items()
        if (rule_id == "T4-TOTAL" and c.startswith("t4."))
        or (rule_id == "T3-ROW-TOTAL" and c.startswith("t3.") and c.endswith(".total"))
        or (rule_id == "T3-PROCESSED-SUM" and c.startswith("t3.processed_total.") and not c.endswith(".total"))
    }
    if not mine:
        return
    table = "表四" if rule_id == "T4-TOTAL" else "表三"
    shown = "、".join(f"“{CELLS[c].label}”{_fmt(v)}" for c, v in list(mine.items())[:6])
    if len(mine) > 6:
        shown += f"等{len(mine)}处"
    fix = None
    if _fix_is_safe(ctx, mine):
        fix = _fix_of(mine, message_for(rule_id, "fix_blank_totals", table=table, count=len(mine)))
    seen = {c: ctx.report.cells.get(c) for c in mine}
    yield _finding(
        rule_id, "blank_totals", list(mine), seen, dict(mine), fix, table=table, count=len(mine), totals=shown
    )


@check("T3-ROW-TOTAL")
def _t3_row_total(ctx: Context) -> Iterator[Finding]:
    return _relation_findings(ctx, "T3-ROW-TOTAL")


@check("T3-PROCESSED-SUM")
def _t3_processed_sum(ctx: Context) -> Iterator[Finding]:
    return _relation_findings(ctx, "T3-PROCESSED-SUM")


@check("T3-BALANCE")
def _t3_balance(ctx: Context) -> Iterator[Finding]:
    return _relation_findings(ctx, "T3-BALANCE")


@check("T4-TOTAL")
def _t4_total(ctx: Context) -> Iterator[Finding]:
    return _relation_findings(ctx, "T4-TOTAL")


@check("CELL-VALUE")
def _cell_value(ctx: Context) -> Iterator[Finding]:
    if not ctx.report.source:
        return
    for cid, raw in ctx.report.source.invalid_cells.items():
        c = CELLS[cid]
        rule = "不小于0的整数" if c.kind is reg.Kind.COUNT else f"不小于0的数（单位：{c.kind.unit}，可有小数）"
        yield _finding("CELL-VALUE", "fail", [cid], {cid: raw}, None, label=c.label, rule=rule, raw=raw)


# ---------------------------------------------------------------------------------------------
# Across years


@check("CARRY-OVER")
def _carry_over(ctx: Context) -> Iterator[Finding]:
    prev = ctx.previous
    assert prev is not None
    year, prev_year = ctx.report.meta.year, prev.meta.year
    if year and prev_year and prev_year != year - 1:
        yield _finding(
            "CARRY-OVER",
            "year_gap",
            [],
            {"meta.year": year, "previous.meta.year": prev_year},
            year - 1,
            None,
            Severity.WARNING,
            year=year,
            prev_year=prev_year,
        )
    shown_year = prev_year or "上"
    for col in T3_COLUMNS:
        this_id, prev_id = f"t3.carried_over.{col.id}", f"t3.carried_forward.{col.id}"
        seen, expected = ctx.get(this_id), prev.get(prev_id)
        if expected is None or seen == expected:
            continue
        fix_text = message_for("CARRY-OVER", "fix", column=col.label, expected=_fmt(expected), prev_year=shown_year)
        fix = _fix(this_id, expected, fix_text)
        if seen is None:
            yield _not_assessable("CARRY-OVER", [this_id], {this_id: None}, [this_id], expected, fix_text)
            continue
        yield _finding(
            "CARRY-OVER",
            "fail",
            [this_id],
            {this_id: seen, f"previous.{prev_id}": expected},
            expected,
            fix,
            column=col.label,
            seen=_fmt(seen),
            expected=_fmt(expected),
            prev_year=shown_year,
        )


@check("IN-FORCE-CONTINUITY")
def _in_force(ctx: Context) -> Iterator[Finding]:
    prev = ctx.previous
    assert prev is not None
    for item in ("rules", "normative"):
        ids = {c: f"t2.{item}.{c}" for c in ("issued", "repealed", "in_force")}
        last = prev.get(ids["in_force"])
        if last is None:
            continue
        seen = {cid: ctx.get(cid) for cid in ids.values()}
        name = reg.T2_ITEM[item].label
        issued, repealed, in_force = (seen[ids[c]] for c in ("issued", "repealed", "in_force"))
        if issued is None or repealed is None:
            unknown = [cid for cid in (ids["issued"], ids["repealed"]) if seen[cid] is None]
            yield _not_assessable("IN-FORCE-CONTINUITY", list(ids.values()), seen, unknown)
            continue
        expected = last + issued - repealed
        if in_force == expected or expected < 0:
            continue
        fix_text = message_for("IN-FORCE-CONTINUITY", "fix", item=name, expected=_fmt(expected))
        fix = _fix(ids["in_force"], expected, fix_text)
        if in_force is None:
            yield _not_assessable(
                "IN-FORCE-CONTINUITY", list(ids.values()), seen, [ids["in_force"]], expected, fix_text
            )
            continue
        seen[f"previous.{ids['in_force']}"] = last
        yield _finding(
            "IN-FORCE-CONTINUITY",
            "fail",
            list(ids.values()),
            seen,
            expected,
            fix,
            item=name,
            prev=_fmt(last),
            issued=_fmt(issued),
            repealed=_fmt(repealed),
            expected=_fmt(expected),
            seen=_fmt(in_force),
        )


@check("PROBLEMS-COPIED")
def _problems_copied(ctx: Context) -> Iterator[Finding]:
    assert ctx.previous is not None
    this, last = ctx.text("s5"), ctx.previous.section_text("s5") or ""
    if not this.strip() or not last.strip():
        return
    ratio = reuse_ratio(this, last)
    if ratio >= COPY_THRESHOLD:
        yield _finding(
            "PROBLEMS-COPIED",
            "fail",
            ["s5"],
            {"ratio": round(ratio, 2)},
            None,
            prev_year=ctx.previous.meta.year or "上",
            ratio=round(ratio * 100),
        )


_FOLLOWUP_REF = r"(?:上年|上一年|去年|上年度|前一年|以往|往年|{prev}年)"
_FOLLOWUP_DONE = r"(?:整改|改进|解决|落实|完成|改善|提升|完善|已)"


@check("PROBLEMS-FOLLOWUP")
def _problems_followup(ctx: Context) -> Iterator[Finding]:
    assert ctx.previous is not None
    this, last = ctx.text("s5"), ctx.previous.section_text("s5") or ""
    if not this.strip() or not last.strip():
        return
    prev_year = ctx.previous.meta.year or (ctx.report.meta.year - 1 if ctx.report.meta.year else None)
    ref = _FOLLOWUP_REF.format(prev=prev_year or r"\d{4}")
    for sentence in re.split(r"[。；\n]", this):
        if re.search(ref, sentence) and re.search(_FOLLOWUP_DONE, sentence):
            return
    yield _finding("PROBLEMS-FOLLOWUP", "fail", ["s5"], {}, None, prev_year=prev_year or "上")


# ---------------------------------------------------------------------------------------------
# Sections and narrative


_TABLE_OF_SECTION = {"s2": "t2.", "s3": "t3.", "s4": "t4."}


@check("SECTIONS-COMPLETE")
def _sections_complete(ctx: Context) -> Iterator[Finding]:
    for sid in ("s1", "s2", "s3", "s4", "s5", "s6"):
        name = f"{SECTION[sid].number}{SECTION[sid].label}"
        text = ctx.report.section_text(sid)
        if sid in _TABLE_OF_SECTION:
            prefix = _TABLE_OF_SECTION[sid]
            if text is None and not any(c.startswith(prefix) for c in ctx.report.cells):
                yield _finding("SECTIONS-COMPLETE", "missing", [sid], {sid: None}, section=name)
            continue
        if text is None:
            yield _finding("SECTIONS-COMPLETE", "missing", [sid], {sid: None}, section=name)
        elif not text.strip():
            yield _finding("SECTIONS-COMPLETE", "empty", [sid], {sid: text}, section=name)


_FEE_WORDS = re.compile(r"信息处理费|处理费")
FEES_FROM = 2021  # 《政府信息公开信息处理费管理办法》 applies from 1 January 2021


@check("FEE-STATEMENT")
def _fee_statement(ctx: Context) -> Iterator[Finding]:
    s6 = ctx.text("s6")
    year = ctx.report.meta.year
    if s6.strip() and not _FEE_WORDS.search(s6) and (year is None or year >= FEES_FROM):
        yield _finding("FEE-STATEMENT", "no_statement", ["s6"], {"s6": s6[:60]})
    unpaid = ctx.get("t3.other.unpaid_fee.total")
    if ctx.get("s6.fee.notices") == 0 and unpaid:
        cells = ["s6.fee.notices", "t3.other.unpaid_fee.total"]
        yield _finding(
            "FEE-STATEMENT", "unpaid_without_notice", cells, {c: ctx.get(c) for c in cells}, 0, seen=_fmt(unpaid)
        )


_NARRATIVE = ("s1", "s2", "s3", "s4", "s5", "s6")


def _target_label(cells: Sequence[str]) -> str:
    if len(cells) == 1:
        c = CELLS[cells[0]]
        return f"表三“{reg.t3_row_label(c.row)}”总计" if c.table == "t3" and c.column == "total" else f"“{c.label}”"
    if all(c.startswith("t4.suit_") for c in cells):
        col = reg.T4_COLUMN[CELLS[cells[0]].column].label
        return f"表四行政诉讼（直接起诉与复议后起诉）的“{col}”之和"
    if all(c.startswith("t4.") and c.endswith(".total") for c in cells):
        return "表四行政复议与行政诉讼的“总计”之和"
    rows = {CELLS[c].row for c in cells}
    if all(CELLS[c].table == "t3" for c in cells) and len(rows) == 1:
        row = reg.t3_row_label(rows.pop())
        if {CELLS[c].column for c in cells} == set(reg.T3_APPLICANT_COLUMNS) - {"natural"}:
            return f"表三“{row}”的法人或其他组织各列之和"
    return "、".join(f"“{CELLS[c].label}”" for c in cells)


_YEAR_IN_TEXT = re.compile(r"(\d{4})\s*年")
_EARLIER = re.compile(r"去年|上一?年度?(?!结转)|同比|较上年|比上年")


def _of_another_year(clause: str, year: int | None) -> bool:
    """The clause speaks of another year ("较2023年的21件", "去年收到申请17件")."""
    if _EARLIER.search(clause):
        return True
    return year is not None and any(int(y) != year for y in _YEAR_IN_TEXT.findall(clause))


@check("TEXT-TABLE")
def _text_table(ctx: Context) -> Iterator[Finding]:
    """Numbers the narrative states agree with the tables. A claim read several ways (受理 of 新收
    alone, or of 新收 + 上年结转) agrees if any reading does; one about another year is not compared."""
    year = ctx.report.meta.year
    for sid in _NARRATIVE:
        text = ctx.text(sid)
        if not text:
            continue
        for claim in find_claims(text):
            if _of_another_year(claim.clause, year):
                continue
            sums = []
            for reading in claim.readings:
                values = [ctx.get(c) for c in reading]
                if any(v is None for v in values):
                    break
                sums.append(_sum(values))  # a stated 0 over several cells holds only if each is 0
            else:
                if claim.value in sums:
                    continue
                yield _claim_finding(ctx, sid, claim, sums[0])


def _claim_finding(ctx: Context, sid: str, claim: Any, actual: Value) -> Finding:
    seen: dict[str, Any] = {c: ctx.get(c) for reading in claim.readings for c in reading}
    seen["text"] = claim.quote
    section = f"{SECTION[sid].number}{SECTION[sid].label}"
    if claim.key == "not_all_upheld":
        cases = "、".join(f"“{CELLS[c].label}”为{_fmt(ctx.get(c))}" for c in claim.cells if ctx.get(c))
        cells = [*claim.cells, sid]
        return _finding("TEXT-TABLE", "not_all_upheld", cells, seen, 0, section=section, quote=claim.quote, cases=cases)
    return _finding(
        "TEXT-TABLE",
        "fail",
        [*claim.cells, sid],
        seen,
        actual,
        section=section,
        quote=claim.quote,
        target=_target_label(claim.cells),
        expected=_fmt(actual),
    )


_TITLE_YEAR = re.compile(r"(\d{4})\s*年")
_PERIOD = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日[^。]{0,8}?(\d{4})\s*年\s*12\s*月\s*31\s*日")


@check("YEAR")
def _year(ctx: Context) -> Iterator[Finding]:
    meta = ctx.report.meta
    title_m = _TITLE_YEAR.search(meta.title or "")
    expected = meta.year or (int(title_m.group(1)) if title_m else None)
    if expected is None:
        return
    places: list[tuple[str, str, int]] = []
    if title_m:
        places.append(("meta.title", "标题", int(title_m.group(1))))
    period = _PERIOD.search(ctx.text("preface"))
    if period:
        for y in {int(period.group(1)), int(period.group(2))}:
            places.append(("preface", "统计期限", y))
    for key, where, year in places:
        if year != expected:
            yield _finding(
                "YEAR",
                "fail",
                [key, "meta.year"],
                {key: year, "meta.year": meta.year},
                expected,
                where=where,
                seen=year,
                expected=expected,
            )


@check("TEMPLATE-VERSION")
def _template_version(ctx: Context) -> Iterator[Finding]:
    """The 2019 tables are right for 2019 and 2020 reports and wrong from 2021 on. A report that
    mixes the forms (typically the single （六）其他处理 row in 2021 tables) is read and its numbers
    can be right: a warning to look, not an error. Without a known year nothing is claimed."""
    src, year = ctx.report.source, ctx.report.meta.year
    if not src or src.template == "2021":
        return
    notes = "；".join(src.template_notes) or "表格栏目与2021年版不同"
    if src.template == "mixed":
        yield _finding(
            "TEMPLATE-VERSION", "mixed", [], {"template": "mixed"}, "2021", None, Severity.WARNING, notes=notes
        )
    elif year is not None and year >= 2021:
        yield _finding("TEMPLATE-VERSION", "old", [], {"template": "2019"}, "2021", year=year, notes=notes)


@check("CELLS-FILLED")
def _cells_filled(ctx: Context) -> Iterator[Finding]:
    """Blank is not 0: before publication every unfilled cell is an error, named row by row; while
    drafting, one reminder per table (a draft in progress is mostly blank)."""
    groups = blank_groups(ctx.report)
    if ctx.publication:
        for g in groups:
            named = "、".join(f"“{CELLS[c].label}”未填" for c in g.cells)
            seen: dict[str, Any] = dict.fromkeys(g.cells)
            yield _finding("CELLS-FILLED", "group", g.cells, seen, None, group=g.label, count=len(g.cells), cells=named)
        return
    for table in ("t2", "t3", "t4"):
        mine = [g for g in groups if g.table == table]
        if not mine:
            continue
        cells = [c for g in mine for c in g.cells]
        names = "、".join(g.label.removeprefix(TABLE_NAMES[table]) for g in mine[:4])
        if len(mine) > 4:
            names += f"等{len(mine)}{'行' if table == 't3' else '项'}"
        # No cells named: a reminder, not a mark on every blank cell of a draft in progress.
        yield _finding(
            "CELLS-FILLED",
            "summary",
            [],
            dict.fromkeys(cells),
            None,
            None,
            Severity.WARNING,
            table=TABLE_NAMES[table],
            count=len(cells),
            groups=names,
        )


@check("BLANK-NOT-ZERO")
def _blank_not_zero(ctx: Context) -> Iterator[Finding]:
    src = ctx.report.source
    if not src or not src.blank_cells:
        return
    ids = [c for c in src.blank_cells if ctx.get(c) == 0]
    if ids:
        yield _finding(
            "BLANK-NOT-ZERO", "fail", ids, {c: 0 for c in ids}, None, count=len(ids), labels=_labels(ids, limit=5)
        )


@check("S1-TOPICS")
def _s1_topics(ctx: Context) -> Iterator[Finding]:
    s1 = ctx.text("s1")
    if not s1.strip():
        return
    missing = [t.label for t in reg.S1_TOPICS if not any(k in s1 for k in t.keywords)]
    if missing:
        yield _finding("S1-TOPICS", "fail", ["s1"], {"missing": missing}, None, topics="、".join(missing))


_PLACE = re.compile(r"(省|自治区|市|自治州|地区|盟|区|县|旗|乡|镇|街道|苏木)")
_NATIONAL = re.compile(r"^(国务院|国家|中华人民共和国|中国|海关总署|审计署)|(部|总署|总局|委员会|银行)$")


def may_make_rules(agency: str) -> bool | None:
    """Whether an agency may make 规章: State Council bodies, provincial and city governments.

    None when the name says too little to tell. County-level cities cannot be told from cities
    with districts by name alone; both count as cities here.
    """
    name = re.sub(r"\s+", "", agency)
    places = _PLACE.findall(name)
    if not places:
        return True if _NATIONAL.search(name) else None
    if not name.endswith("人民政府"):
        return False  # a department, office or sub-district of a local government
    return places[-1] in ("省", "自治区", "市")


@check("RULES-AUTHORITY")
def _rules_authority(ctx: Context) -> Iterator[Finding]:
    ids = [f"t2.rules.{c}" for c in ("issued", "repealed", "in_force")]
    nonzero = {c: ctx.get(c) for c in ids if ctx.get(c)}
    agency = ctx.report.meta.agency
    if nonzero and agency and may_make_rules(agency) is False:
        yield _finding("RULES-AUTHORITY", "fail", list(nonzero), dict(nonzero), 0, agency=agency)


def _check_registry_complete() -> None:
    missing = set(RULES) - set(CHECKS)
    if missing:
        raise RuntimeError(f"rules without a check: {sorted(missing)}")


_check_registry_complete()

__all__ = ["CHECKS", "Context", "may_make_rules", "validate"]
