"""Which numbers read from a scan the clerk should compare with the picture before trusting them.

A number read by OCR is marked when
- the recogniser was unsure of one of its digits (confidence below ``CONFIDENT``), or did not read
  a number at all; or
- the table's own arithmetic contradicts it: where a row total and a column total both fail, the
  cell they share is the likely misreading; where one relation fails alone, its least certain
  number is marked (the report itself may be wrong: the clerk's look settles it).
Each mark carries the reading and the cell as scanned (a small PNG, base64), so one look confirms
it. Numbers from documents with a text layer have no confidence and are never marked.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant import cells as reg
from assistant.importing.tables import CellRead, TableRead
from assistant.numbers import Value

CONFIDENT = 0.8  # the weakest digit's probability below which a reading is doubtful
MAX_MARKS = 80  # a scan too poor for more is better retyped: the note says so


@dataclass(frozen=True)
class _Relation:
    cells: tuple[str, ...]
    message: str


def review(reads: Mapping[str, TableRead | None]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Marks for the numbers read by OCR (cell id → mark), and notes for the clerk."""
    scanned: dict[str, CellRead] = {
        cid: c
        for read in reads.values()
        if read is not None
        for cid, c in read.cells.items()
        if c.slot is not None and c.slot.confidence is not None
    }
    if not scanned:
        return {}, []
    reasons: dict[str, str] = {}
    for cid, c in scanned.items():
        confidence = c.slot.confidence if c.slot else None
        if c.value is None:
            reasons[cid] = "识别结果不是有效数字"
        elif confidence is not None and confidence < CONFIDENT:
            reasons[cid] = f"识别把握不足（{confidence:.0%}）"
    values: dict[str, Value] = {
        cid: c.value for read in reads.values() if read for cid, c in read.cells.items() if c.value is not None
    }
    failing = [r for r in _relations() if _fails(r, values)]
    involved = Counter(cid for r in failing for cid in r.cells if cid in scanned)
    for r in failing:
        shared = [cid for cid in r.cells if involved[cid] >= 2]
        if not shared:
            # Alone, a failing relation does not say which number is wrong: its least certain one
            # (the total when all are certain) is shown.
            candidates = [cid for cid in r.cells if cid in scanned]
            if not candidates:
                continue
            weakest = min(candidates, key=lambda cid: (_confidence(scanned[cid]), cid != r.cells[0]))
            shared = [weakest]
        for cid in shared:
            reasons.setdefault(cid, r.message)
    ranked = sorted(reasons, key=lambda cid: _confidence(scanned[cid]))
    notes: list[str] = []
    if len(ranked) > MAX_MARKS:
        notes.append(
            f"扫描件中有{len(ranked)}个数字识别把握不足或与表内合计不符，只标出了最没有把握的{MAX_MARKS}个；"
            "扫描件较模糊，建议对照原件逐项核对。"
        )
        ranked = ranked[:MAX_MARKS]
    marks = {cid: _mark(scanned[cid], reasons[cid]) for cid in ranked}
    if marks:
        notes.append(f"扫描件中有{len(marks)}个数字需要对照原图确认（识别把握不足或与表内合计不符），已在“检查”中列出。")
    return marks, notes


def _confidence(c: CellRead) -> float:
    return c.slot.confidence if c.slot is not None and c.slot.confidence is not None else 1.0


def _mark(c: CellRead, reason: str) -> dict[str, Any]:
    crop = c.slot.crop_png if c.slot is not None else None
    return {
        "reason": reason,
        "text": c.raw,
        "crop": base64.b64encode(crop).decode("ascii") if crop else None,
        "confidence": round(_confidence(c), 3),
        "where": c.where,
    }


@lru_cache(maxsize=1)
def _relations() -> tuple[_Relation, ...]:
    """Table 3's and 4's arithmetic, each relation with the cells it reads (the total first)."""
    out: list[_Relation] = []
    for total in reg.totals():
        if total.table == "t4":
            where = f"表四“{reg.label_of(total.id).rsplit('·', 1)[0]}”各项之和不等于总计"
        elif total.column == "total":
            where = f"表三“{reg.t3_row_label(total.row, with_group=False)}”行各栏之和不等于总计"
        else:
            where = f"表三“{reg.T3_COLUMN[total.column].label}”列办理结果各项之和不等于（七）总计"
        out.append(_Relation((total.id, *total.parts), f"与表内合计不符：{where}"))
    results = tuple(f"t3.{r}.total" for r in reg.T3_RESULT_ROWS)
    message = "与表内合计不符：表三“总计”列办理结果各项之和不等于（七）总计"
    out.append(_Relation(("t3.processed_total.total", *results), message))
    for col in reg.T3_COLUMNS:
        four = tuple(f"t3.{r}.{col.id}" for r in ("new", "carried_over", "processed_total", "carried_forward"))
        message = f"与表内勾稽关系不符：表三“{col.label}”列 本年新收＋上年结转 不等于 办理结果总计＋结转下年度"
        out.append(_Relation(four, message))
    return tuple(out)


def _fails(relation: _Relation, values: Mapping[str, Value]) -> bool:
    got = [values.get(cid) for cid in relation.cells]
    if any(v is None for v in got):
        return False
    if len(relation.cells) == 4 and relation.cells[0].startswith("t3.new."):
        a, b, c, d = got
        return a + b != c + d  # type: ignore[operator]
    return got[0] != sum(got[1:])  # type: ignore[arg-type]

