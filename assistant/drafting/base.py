"""What every section drafter receives and returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.cells import CELLS
from assistant.drafting.facts import Facts
from assistant.drafting.material import Material
from assistant.findings import Finding, Status
from assistant.model import Report

# The sections drafting writes, in the report's order (三 is table 三 with an optional lead-in).
DRAFTABLE: tuple[str, ...] = ("preface", "s1", "s2", "s3", "s4", "s5", "s6")
# Rules whose failure means the numbers they read cannot all be right: a draft states none of them.
ARITHMETIC_RULES = frozenset({"T3-ROW-TOTAL", "T3-PROCESSED-SUM", "T3-BALANCE", "T4-TOTAL", "CARRY-OVER", "CELL-VALUE"})


def doubtful_cells(findings: Sequence[Finding]) -> frozenset[str]:
    """Cells an arithmetic rule finds in contradiction: known, but not to be stated until fixed."""
    return frozenset(c for f in findings if f.status is Status.FAILED and f.rule in ARITHMETIC_RULES
                     for c in f.cells if c in CELLS)


@dataclass
class DraftResult:
    """A drafted section text for the clerk to edit, and what the clerk should be asked.

    ``questions`` are the gaps in the data: they are shown beside the draft and never written
    into it. ``notices`` say what happened on the way (an LLM draft refused, a fallback).
    """

    text: str
    section: str = "s5"
    engine: str = "offline"
    prompt: str | None = None
    notices: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DraftInput:
    """The data a section is drafted from."""

    report: Report
    previous: Report | None
    findings: Sequence[Finding]
    material: Material
    facts: Facts
    seed: int | str | None = None
    doubtful: frozenset[str] = frozenset()

    @property
    def trusted(self) -> Report:
        """The report without its doubtful cells: what the drafts may state."""
        if not self.doubtful:
            return self.report
        return self.report.with_values(dict.fromkeys(self.doubtful))


@dataclass
class Drafted:
    """An offline drafter's output: the text and the questions the data leaves open."""

    text: str
    questions: list[str] = field(default_factory=list)
