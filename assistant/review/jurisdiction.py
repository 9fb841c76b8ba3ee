"""The jurisdiction's tables 三 and 四, summed over its units, and the rates supervisors compare.

Rates, as 政务公开办 compute them:
- 纠错率: cases corrected (结果纠正) over all 行政复议 and 行政诉讼 cases (总计), the three groups together;
- 不予公开占比: the eight 不予公开 rows over all applications dealt with (办理结果总计);
- 本机关不掌握占比: the row of information the agency does not hold (无法提供, 1.) over all applications dealt with.
A rate whose denominator is 0 is None ("—"), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant import cells as reg
from assistant.model import Report
from assistant.numbers import Value

TABLE_CELLS: tuple[str, ...] = tuple(c for c in reg.CELLS if c.startswith(("t2.", "t3.", "t4.")))
SUMMED_CELLS: tuple[str, ...] = tuple(c for c in reg.CELLS if c.startswith(("t3.", "t4.")))
_DENIED = tuple(f"t3.{r.id}.total" for r in reg.T3_ROWS if r.group == "denied")
_NOT_HELD = "t3.unavailable.not_held.total"
_PROCESSED = "t3.processed_total.total"
_CORRECTED = tuple(f"t4.{g.id}.corrected" for g in reg.T4_GROUPS)
_CASES = tuple(f"t4.{g.id}.total" for g in reg.T4_GROUPS)

RATES: dict[str, str] = {
    "correction_rate": "纠错率（复议诉讼结果纠正 ÷ 复议诉讼总计）",
    "denied_share": "不予公开占比（不予公开 ÷ 办理结果总计）",
    "not_held_share": f"本机关不掌握占比（{reg.T3_ROW['unavailable.not_held'].label} ÷ 办理结果总计）",
}


def _ratio(values: Mapping[str, Value], top: tuple[str, ...], bottom: tuple[str, ...]) -> float | None:
    if any(values.get(c) is None for c in (*top, *bottom)):
        return None
    denominator = sum(values[c] for c in bottom)
    return round(float(sum(values[c] for c in top) / denominator), 4) if denominator else None


def rates(values: Mapping[str, Value]) -> dict[str, float | None]:
    return {
        "correction_rate": _ratio(values, _CORRECTED, _CASES),
        "denied_share": _ratio(values, _DENIED, (_PROCESSED,)),
        "not_held_share": _ratio(values, (_NOT_HELD,), (_PROCESSED,)),
    }


def cells_read(report: Report) -> int:
    invalid = report.source.invalid_cells if report.source else {}
    return sum(1 for c in TABLE_CELLS if c in report.cells or c in invalid)


@dataclass
class Totals:
    """Tables 三 and 四 summed over the reports added; a cell a report lacks adds nothing (and is counted)."""

    sums: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMED_CELLS, 0))
    reports: int = 0
    incomplete: int = 0

    def add(self, report: Report) -> None:
        self.reports += 1
        lacking = False
        for cid in SUMMED_CELLS:
            value = report.cells.get(cid)
            if value is None:
                lacking = True
                continue
            self.sums[cid] += int(value)
        self.incomplete += lacking

    def rates(self) -> dict[str, float | None]:
        return rates(self.sums) if self.reports else dict.fromkeys(RATES)

    def as_report(self) -> Report:
        """The sums as a report, to print them in the official tables."""
        return Report(cells=dict(self.sums)) if self.reports else Report()
