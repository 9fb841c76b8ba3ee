"""This year's draft from last year's report: what carries over, and nothing else.

Carried over: the agency and its contact details; table 3's 上年结转 (this year's
``t3.carried_over.<col>`` is last year's ``t3.carried_forward.<col>``). Last year's whole report
is remembered as ``previous``, so the cross-year rules run on the draft: its 现行有效件数 are the
baseline of IN-FORCE-CONTINUITY and its section 五 is the reference of PROBLEMS-COPIED and
PROBLEMS-FOLLOWUP (it is not copied into this year's 五). Every other cell stays unknown, every
section missing: the draft says nothing the clerk has not yet said.
"""

from __future__ import annotations

from assistant.cells import T3_COLUMNS, t3_row_label
from assistant.errors import InputError
from assistant.model import Meta, Report, Sections, SourceNotes


def prefill(last: Report, year: int | None = None) -> Report:
    """A new draft for ``year`` (default: the year after last year's report)."""
    last_year = last.meta.year
    if year is None:
        if last_year is None:
            raise InputError("未能从上年报告中读出报告年度，请指定本年度（如 --year 2025）。")
        year = last_year + 1
    if last_year is not None and year <= last_year:
        raise InputError(f"本年度（{year}年）应晚于上年报告的年度（{last_year}年）。")
    if not 1990 <= year <= 2100:
        raise InputError(f"报告年度应为1990—2100之间的年份，收到的是“{year}”。")
    cells = {
        f"t3.carried_over.{col.id}": value
        for col in T3_COLUMNS
        if (value := last.get(f"t3.carried_forward.{col.id}")) is not None
    }
    meta = Meta(agency=last.meta.agency, year=year, title=None, contact=last.meta.contact.model_copy())
    previous = last.model_copy(update={"previous": None})
    # A 结转 number read from a scan of last year's report that awaits confirmation still does.
    origin = f"上年报告（扫描件）的“{t3_row_label('carried_forward')}”"
    marks = {
        cid: mark.model_copy(update={"reason": f"{origin}：{mark.reason}"})
        for cid in cells
        if (mark := last.uncertain.get(cid.replace("carried_over", "carried_forward"))) is not None
    }
    source = SourceNotes(uncertain_cells=marks) if marks else None
    return Report(meta=meta, sections=Sections(), cells=cells, previous=previous, source=source)
