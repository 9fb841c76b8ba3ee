"""``prefill LAST_YEAR_FILE [--year N] -o DRAFT.json``: this year's draft from last year's report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from assistant.cells import SECTION, T2_COLUMN, T2_ITEM, T3_COLUMNS, T3_ROW
from assistant.errors import InputError
from assistant.importing import read_document
from assistant.model import Report
from assistant.numbers import format_value
from assistant.prefill import prefill

ORDER = 30


def register(sub: Any) -> None:
    p = sub.add_parser("prefill", help="由上年度报告生成本年度草稿（沿用机关信息、上年结转等）")
    p.add_argument("file", help="上年度报告文件（.docx、.pdf、.html、.txt、.md 或 .json）")
    p.add_argument("--year", type=int, help="本年度（默认为上年报告年度加1）")
    p.add_argument("-o", "--output", required=True, help="草稿输出文件（.json）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    last = read_document(args.file).report
    draft = prefill(last, args.year)
    out = Path(args.output)
    try:
        out.write_text(draft.model_dump_json(indent=2), encoding="utf-8")
    except OSError as e:
        raise InputError(f"无法写入“{out}”：{e.strerror or '路径不存在或没有权限'}。") from None
    print(summary(last, draft, out))
    return 0


def summary(last: Report, draft: Report, out: Path) -> str:
    """What the draft took from last year's report, in the clerk's words."""
    taken = []
    if last.meta.agency:
        taken.append(f"机关名称（{last.meta.agency}）")
    contact = [v for v in last.meta.contact.model_dump().values() if v]
    if contact:
        taken.append(f"联系方式{len(contact)}项")
    head = f"已从{last.meta.year or '上'}年报告读取：" + ("、".join(taken) if taken else "（未读到机关名称和联系方式）")
    carried = [c.id for c in T3_COLUMNS if draft.get(f"t3.carried_over.{c.id}") is not None]
    if carried:
        total = draft.get("t3.carried_over.total")
        shown = format_value(total) if total is not None else "、".join(
            f"{c.label}{format_value(draft.get(f't3.carried_over.{c.id}'))}" for c in T3_COLUMNS if c.id in carried
        )
        head += f"；本年上年结转={shown}件（来自上年结转下年度）"
    else:
        head += f"；上年报告未读到“{T3_ROW['carried_forward'].label}”，本年“上年结转”保持未填"
    lines = [head + "。"]
    baseline = [
        f"{label}{format_value(v)}件"
        for item, label in ((i, T2_ITEM[i].label) for i in ("rules", "normative"))
        if (v := last.get(f"t2.{item}.in_force")) is not None
    ]
    if baseline:
        lines.append(f"上年“{T2_COLUMN['in_force'].label}”（" + "、".join(baseline) + "）作为本年核对基准。")
    if last.section_text("s5"):
        lines.append(f"上年第五部分“{SECTION['s5'].label}”留作参考，未复制到本年。")
    lines.append(f"已生成{draft.meta.year}年度草稿：{out}（其余单元格均未填写）。")
    return "\n".join(lines)
