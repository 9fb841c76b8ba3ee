"""What a batch review produces: one row per report, and the jurisdiction's summary.

A row is small (counts, the findings' ids and messages, a few rates): a review of ten thousand
reports keeps ten thousand rows and one set of sums, never the reports themselves. Rows sort
worst first: unreadable files, then by errors, then by warnings.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.findings import Finding
from assistant.model import Report
from assistant.review.rules import REVIEW_RULES
from assistant.rules import RULES, Severity

# Which validator rules feed which overview column (kept here, as data, for the checks to evolve).
CROSS_YEAR_RULES = ("CARRY-OVER", "IN-FORCE-CONTINUITY")
TEXT_TABLE_RULES = ("TEXT-TABLE",)
COPIED_RULES = ("PROBLEMS-COPIED",)
FEE_RULES = ("FEE-STATEMENT",)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RowFinding(Model):
    rule: str
    severity: Severity
    cells: list[str] = Field(default_factory=list)
    message: str
    fix: str | None = None

    @classmethod
    def of(cls, f: Finding) -> RowFinding:
        return cls(rule=f.rule, severity=f.severity, cells=list(f.cells), message=f.message,
                   fix=f.fix.description if f.fix else None)

    @property
    def title(self) -> str:
        rule = RULES.get(self.rule) or REVIEW_RULES.get(self.rule)
        return rule.title if rule else self.rule


class Row(Model):
    """One file under review."""

    file: str
    agency: str | None = None
    year: int | None = None
    format: str | None = None
    edition: str | None = None
    cells_read: int = 0
    cells_expected: int = 0
    paired_with: str | None = None
    findings: list[RowFinding] = Field(default_factory=list)
    error: str | None = None
    errors: int = 0
    warnings: int = 0
    not_assessable: int = 0
    cross_year: int = 0
    text_table: int = 0
    copied_share: float | None = None  # share of section 五's text found in last year's 五
    copied: bool = False
    blank_cells: int = 0
    fee: str = ""
    rates: dict[str, float | None] = Field(default_factory=dict)
    summed: bool = False
    notes: list[str] = Field(default_factory=list)
    sha256: str | None = None
    reader: str | None = None
    previous_sha256: str | None = None
    cached: bool = False

    @property
    def readable(self) -> bool:
        return self.error is None

    def sort_key(self) -> tuple[Any, ...]:
        return (self.readable, -self.errors, -self.warnings, self.agency or "", self.file)

    def public(self) -> dict[str, Any]:
        """The row as ``review --json`` prints it."""
        data = self.model_dump(mode="json", exclude={"sha256", "reader", "previous_sha256"})
        data["findings"] = [f.model_dump(mode="json") for f in self.findings]
        return data


class Missing(Model):
    agency: str
    source: str  # "上年报告“file”" or "应报送单位名单"


class Unreadable(Model):
    file: str
    role: str
    error: str


class Summary(Model):
    year: int | None = None
    previous_year: int | None = None
    files: int = 0
    reports: int = 0  # rows (this year's files, readable or not)
    readable: int = 0
    unreadable: int = 0
    previous_reports: int = 0
    paired: int = 0
    with_errors: int = 0
    with_warnings: int = 0
    errors: int = 0
    warnings: int = 0
    cached: int = 0
    summed: int = 0
    incomplete: int = 0  # summed reports with cells of tables 三/四 not read
    years: dict[str, int] = Field(default_factory=dict)  # files per year read, as found
    missing: list[Missing] = Field(default_factory=list)
    unreadable_files: list[Unreadable] = Field(default_factory=list)
    ambiguous: list[str] = Field(default_factory=list)  # files whose last year's report is unclear
    duplicates: list[list[str]] = Field(default_factory=list)
    ignored_previous: list[str] = Field(default_factory=list)  # last year's files of another year
    totals: dict[str, int] = Field(default_factory=dict)  # tables 三 and 四 summed, by cell id
    rates: dict[str, float | None] = Field(default_factory=dict)
    runner: str = ""
    seconds: float = 0.0


class Review(Model):
    reports: list[Row]
    summary: Summary

    def public(self) -> dict[str, Any]:
        return {"reports": [r.public() for r in self.reports], "summary": self.summary.model_dump(mode="json")}

    @property
    def exit_code(self) -> int:
        """0: nothing wrong; 1: error findings or unreadable files; 2: nothing could be read."""
        if self.summary.readable == 0:
            return 2
        return 1 if any(r.errors or not r.readable for r in self.reports) else 0

    def totals_report(self) -> Report:
        """Tables 三 and 四 summed over the jurisdiction, as a report (to print in the official layout)."""
        return Report(cells=dict(self.summary.totals))

    def row(self, file: str) -> Row | None:
        return next((r for r in self.reports if r.file == file), None)
