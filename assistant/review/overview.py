"""One report's row of the overview: the validator's findings with last year's report, and what the
batch adds (duplicates, an unclear pairing, a year or name that could not be read)."""

from __future__ import annotations

from assistant.findings import Finding, Status
from assistant.importing import FORMAT_NAMES
from assistant.model import Report
from assistant.numbers import format_value
from assistant.review import results as res
from assistant.review.jurisdiction import TABLE_CELLS, cells_read, rates
from assistant.review.pairing import Entry, Plan
from assistant.review.results import Row, RowFinding
from assistant.review.rules import REVIEW_RULES, review_message
from assistant.rules import Severity
from assistant.textsim import reuse_ratio
from assistant.validator import validate

EDITION_NAMES = {"2021": "2021年版", "2019": "2019年版", "mixed": "混用两版"}


def format_name(code: str | None) -> str:
    return FORMAT_NAMES.get(code or "", code or "—")


def edition_name(code: str | None) -> str:
    return EDITION_NAMES.get(code or "", code or "—")


def unreadable_row(entry: Entry) -> Row:
    return Row(file=entry.file, error=entry.error, sha256=entry.sha256, cells_expected=len(TABLE_CELLS),
               cached=entry.cached)


def report_row(entry: Entry, report: Report, notes: list[str], plan: Plan, previous: Report | None) -> Row:
    """The row of a readable report; ``previous`` is last year's report it is paired with, if any."""
    findings = validate(report, previous)
    failed = [RowFinding.of(f) for f in findings if f.status is Status.FAILED]
    failed += _batch_findings(entry, report, plan)
    pair = plan.pairs.get(entry.index)
    src = report.source
    row = Row(
        file=entry.file,
        agency=report.meta.agency,
        year=report.meta.year,
        format=src.format if src else "json",
        edition=src.template if src else None,
        cells_read=cells_read(report),
        cells_expected=len(TABLE_CELLS),
        paired_with=pair.file if pair else None,
        findings=sorted(failed, key=lambda f: 0 if f.severity is Severity.ERROR else 1),
        not_assessable=sum(1 for f in findings if f.status is Status.NOT_ASSESSABLE),
        copied_share=_copied_share(report, previous),
        fee=fee_summary(report, findings),
        rates=rates(report.cells),
        summed=entry.index in plan.summed,
        notes=notes,
        sha256=entry.sha256,
        reader=entry.reader,
        previous_sha256=pair.sha256 if pair else None,
        cached=entry.cached,
        # What the source left blank, said once whichever rule speaks of it (a blank total that
        # disagrees with its parts is a T3-ROW-TOTAL finding, the rest BLANK-NOT-ZERO).
        blank_cells=len(src.blank_cells) if src else 0,
    )
    return _counted(row)


def _counted(row: Row) -> Row:
    fs = row.findings
    row.errors = sum(1 for f in fs if f.severity is Severity.ERROR)
    row.warnings = sum(1 for f in fs if f.severity is Severity.WARNING)
    row.cross_year = sum(1 for f in fs if f.rule in res.CROSS_YEAR_RULES)
    row.text_table = sum(1 for f in fs if f.rule in res.TEXT_TABLE_RULES)
    row.copied = any(f.rule in res.COPIED_RULES for f in fs)
    return row


def _batch_findings(entry: Entry, report: Report, plan: Plan) -> list[RowFinding]:
    out: list[RowFinding] = []

    def add(rule: str, key: str, **values: object) -> None:
        out.append(RowFinding(rule=rule, severity=REVIEW_RULES[rule].severity,
                              message=review_message(rule, key, **values)))

    year = report.meta.year
    if year is None:
        add("REVIEW-YEAR", "unknown")
    elif plan.year is not None and year != plan.year:
        add("REVIEW-YEAR", "other", year=year, target=plan.year)
    if not report.meta.agency:
        add("REVIEW-AGENCY", "unknown")
    others = plan.duplicates.get(entry.index)
    if others:
        same = all(o.sha256 == entry.sha256 for o in others)
        kept = next((o.file for o in sorted([entry, *others], key=lambda e: e.file)), entry.file)
        add("REVIEW-DUPLICATE", "same" if same else "differs", others="”“".join(o.file for o in others), kept=kept)
    unclear = plan.ambiguous.get(entry.index)
    if unclear:
        key, candidates = unclear
        listed = "、".join(f"“{c.file}”（{c.agency}）" for c in candidates)
        add("REVIEW-PAIRING", key, candidates=listed, agency=report.meta.agency)
    return out


def _copied_share(report: Report, previous: Report | None) -> float | None:
    if previous is None:
        return None
    this, last = report.section_text("s5") or "", previous.section_text("s5") or ""
    if not this.strip() or not last.strip():
        return None
    return round(reuse_ratio(this, last), 2)


def fee_summary(report: Report, findings: list[Finding]) -> str:
    """What section 六 says of the 信息处理费, in a word for the overview."""
    s6 = report.section_text("s6")
    if s6 is None or not s6.strip():
        return "缺第六部分"
    fee = [f for f in findings if f.rule in res.FEE_RULES and f.status is Status.FAILED]
    if any("t3.other.unpaid_fee.total" in f.cells for f in fee):
        return "与表三矛盾"
    if fee:
        return "未说明"
    collected = report.get("s6.fee.collected")
    return f"已说明（实收{format_value(collected)}元）" if collected is not None else "已说明"
