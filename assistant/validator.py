"""The deterministic validator: ``validate(report, previous)`` returns every finding, lazily.

Each check is a pure function registered under its rule id from ``assistant.rules``. A check
that needs a cell that is still unknown reports "无法校验" (severity info) instead of a false
error; where the table's own arithmetic determines the missing or wrong value, the finding
carries a fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import cells as reg
from assistant.cells import CELLS, SECTION, T3_COLUMNS, T3_RESULT_ROWS, T3_ROWS, T4_GROUPS
from assistant.changes import Change
from assistant.claims import find_claims
from assistant.findings import Finding, Fix, Status, sort_findings
from assistant.model import Report
from assistant.numbers import Value, format_value
from assistant.rules import NOT_ASSESSABLE, NOT_ASSESSABLE_DERIVABLE, RULES, Severity, message_for
from assistant.textsim import reuse_ratio

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


@dataclass(frozen=True)
class Context:
    report: Report
    previous: Report | None

    def get(self, cell_id: str) -> Value | None:
        return self.report.cells.get(cell_id)

    def text(self, section: str) -> str:
        return self.report.section_text(section) or ""


def validate(report: Report, previous: Report | None = None, *, rules: Sequence[str] | None = None) -> list[Finding]:
    """Every finding of every rule (or of ``rules``), errors first.

    ``previous`` is last year's report; without it, the draft's remembered ``report.previous``
    is used, and without either the cross-year rules do not run.
    """
    ctx = Context(report, previous if previous is not None else report.previous)
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


def _labels(ids: Sequence[str], limit: int = 3) -> str:
    """Cells named as a clerk reads them: whole table-3 rows by their row, others one by one."""
    parts: list[str] = []
    rest = list(ids)
    for row in T3_ROWS:
        whole = [f"t3.{row.id}.{c.id}" for c in T3_COLUMNS]
        if all(c in rest for c in whole):
            parts.append(f"表三“{reg.t3_row_label(row.id)}”整行")
            rest = [c for c in rest if c not in whole]
    parts.extend(f"“{CELLS[c].label}”" for c in rest)
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
    change = Change.model_construct(cell=cell, value=value, evidence=description)
    return Fix.model_construct(changes=[change], description=description)


def _sum(values: Iterable[Value | None]) -> Value:
    return sum((v for v in values if v is not None), start=0)


def _fmt(v: Any) -> str:
    return format_value(v)


def _sum_rule(ctx: Context, rule_id: str, total: str, parts: Sequence[str], **names: str) -> Finding | None:
    """total = sum(parts): a failure with a fix on the total, or 无法校验 with a derivable value."""
    get = ctx.report.cells.get
    total_value = get(total)
    values = [get(p) for p in parts]
    if total_value is not None and None not in values:  # the common case, kept fast
        expected = sum(values)  # type: ignore[arg-type]
        if total_value == expected:
            return None
        cells = [*parts, total]
        seen = dict(zip(cells, [*values, total_value], strict=True))
        description = message_for(rule_id, "fix", expected=_fmt(expected), **names)
        fix = _fix(total, expected, description)
        return _finding(
            rule_id,
            "fail",
            cells,
            seen,
            expected,
            fix,
            expected=_fmt(expected),
            seen=_fmt(total_value),
            diff=_fmt(abs(expected - total_value)),
            **names,
        )
    cells = [*parts, total]
    seen = dict(zip(cells, [*values, total_value], strict=True))
    unknown = [c for c in cells if seen[c] is None]
    derived: Value | None = None
    fix_text: str | None = None
    if len(unknown) == 1:
        known_parts = _sum(values)
        derived = known_parts if unknown[0] == total else total_value - known_parts  # type: ignore[operator]
        fix_text = f"按表内关系，将“{CELLS[unknown[0]].label}”填为{_fmt(derived)}"
    return _not_assessable(rule_id, cells, seen, unknown, derived, fix_text)


# ---------------------------------------------------------------------------------------------
# Table arithmetic


_ROW_TOTALS = [
    (f"t3.{row.id}.total", [f"t3.{row.id}.{c}" for c in reg.T3_APPLICANT_COLUMNS], reg.t3_row_label(row.id))
    for row in T3_ROWS
]
_PROCESSED_SUMS = [
    (f"t3.processed_total.{col.id}", [f"t3.{r}.{col.id}" for r in T3_RESULT_ROWS], col.label) for col in T3_COLUMNS
]
_BALANCES = [
    (col.label, {r: f"t3.{r}.{col.id}" for r in ("new", "carried_over", "processed_total", "carried_forward")})
    for col in T3_COLUMNS
]
_T4_TOTALS = [
    (
        f"t4.{g.id}.total",
        [f"t4.{g.id}.{c}" for c in reg.T4_OUTCOMES],
        g.label if g.group is None else f"行政诉讼·{g.label}",
    )
    for g in T4_GROUPS
]


def _sum_rules(ctx: Context, rule_id: str, instances: list[tuple[str, list[str], str]], name: str) -> Iterator[Finding]:
    """Every instance of a total = sum(parts) rule; ``name`` is the template placeholder of its label."""
    for total, parts, label in instances:
        f = _sum_rule(ctx, rule_id, total, parts, **{name: label})
        if f:
            yield f


@check("T3-ROW-TOTAL")
def _t3_row_total(ctx: Context) -> Iterator[Finding]:
    return _sum_rules(ctx, "T3-ROW-TOTAL", _ROW_TOTALS, "row")


@check("T3-PROCESSED-SUM")
def _t3_processed_sum(ctx: Context) -> Iterator[Finding]:
    return _sum_rules(ctx, "T3-PROCESSED-SUM", _PROCESSED_SUMS, "column")


@check("T3-BALANCE")
def _t3_balance(ctx: Context) -> Iterator[Finding]:
    get = ctx.report.cells.get
    for column, ids in _BALANCES:
        v = {r: get(c) for r, c in ids.items()}
        if None not in v.values():
            lhs = v["new"] + v["carried_over"]  # type: ignore[operator]
            rhs = v["processed_total"] + v["carried_forward"]  # type: ignore[operator]
            if lhs != rhs:
                seen = {ids[r]: x for r, x in v.items()}
                yield _finding(
                    "T3-BALANCE",
                    "fail",
                    list(ids.values()),
                    seen,
                    None,
                    None,
                    column=column,
                    lhs=lhs,
                    rhs=rhs,
                    diff=abs(lhs - rhs),
                    **{r: _fmt(x) for r, x in v.items()},
                )
            continue
        cells = list(ids.values())
        seen = {ids[r]: x for r, x in v.items()}
        unknown = [c for c in cells if seen[c] is None]
        derived: Value | None = None
        fix_text: str | None = None
        if len(unknown) == 1:
            row = next(r for r, c in ids.items() if c == unknown[0])
            n = {r: x or 0 for r, x in v.items()}
            inflow, outflow = n["new"] + n["carried_over"], n["processed_total"] + n["carried_forward"]
            derived = outflow - inflow if row in ("new", "carried_over") else inflow - outflow
            fix_text = message_for(
                "T3-BALANCE", "fix", column=column, cell=reg.t3_row_label(row, with_group=False), expected=_fmt(derived)
            )
        yield _not_assessable("T3-BALANCE", cells, seen, unknown, derived, fix_text)


@check("T4-TOTAL")
def _t4_total(ctx: Context) -> Iterator[Finding]:
    return _sum_rules(ctx, "T4-TOTAL", _T4_TOTALS, "group")


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


@check("FEE-STATEMENT")
def _fee_statement(ctx: Context) -> Iterator[Finding]:
    s6 = ctx.text("s6")
    if s6.strip() and not _FEE_WORDS.search(s6):
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
    return "、".join(f"“{CELLS[c].label}”" for c in cells)


@check("TEXT-TABLE")
def _text_table(ctx: Context) -> Iterator[Finding]:
    for sid in _NARRATIVE:
        text = ctx.text(sid)
        if not text:
            continue
        for claim in find_claims(text):
            values = [ctx.get(c) for c in claim.cells]
            if any(v is None for v in values):
                continue
            actual = _sum(values)  # a stated 0 over several cells holds only if each is 0
            if actual == claim.value:
                continue
            seen: dict[str, Any] = dict(zip(claim.cells, values, strict=True))
            seen["text"] = claim.quote
            yield _finding(
                "TEXT-TABLE",
                "fail",
                [*claim.cells, sid],
                seen,
                actual,
                section=f"{SECTION[sid].number}{SECTION[sid].label}",
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
    src, year = ctx.report.source, ctx.report.meta.year
    if not src or src.template == "2021":
        return
    notes = "；".join(src.template_notes) or "表格栏目与2021年版不同"
    if src.template == "mixed":
        yield _finding("TEMPLATE-VERSION", "mixed", [], {"template": "mixed"}, "2021", notes=notes)
    elif year is None or year >= 2021:
        yield _finding("TEMPLATE-VERSION", "old", [], {"template": "2019"}, "2021", year=year or "本", notes=notes)


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
