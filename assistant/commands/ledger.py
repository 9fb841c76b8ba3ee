"""``ledger FILE [--year N] [--json]``: table 3 from an application ledger (台账, .xlsx or .csv)."""

from __future__ import annotations

import argparse
from typing import Any

from assistant import cells as reg
from assistant.commands import print_json
from assistant.ledger import LedgerResult, ledger_changes

ORDER = 50


def register(sub: Any) -> None:
    p = sub.add_parser(
        "ledger",
        help="按申请台账（.xlsx/.csv，每行一件申请）统计表三",
        description="读取政府信息公开申请台账，按收到日期区分新收与上年结转，按办理结果归类，统计表三各单元格。",
    )
    p.add_argument("file", help="台账文件（.xlsx 或 .csv）")
    p.add_argument("--year", type=int, help="报告年度（默认：台账中多数收到日期所在的年份）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 {year, changes, unclassified, notes}")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = ledger_changes(args.file, args.year)
    if args.json:
        print_json(result.to_json())
    else:
        print(render_text(result))
    return 0


def render_text(result: LedgerResult) -> str:
    from assistant.engines.offline import short_label

    counts = result.counts()
    lines = [f"{result.year}年度表三（按台账统计，共计入{result.counted}件申请）："]
    columns = [c.id for c in reg.T3_COLUMNS if c.id != "total"]
    for row in reg.T3_ROWS:
        cells = {col: counts.get(f"t3.{row.id}.{col}", 0) for col in columns}
        if any(cells.values()):
            parts = "，".join(f"{reg.T3_COLUMN[c].label}{n}" for c, n in cells.items() if n)
            lines.append(f"  {short_label(f't3.{row.id}.total').rsplit('·', 1)[0]}：{parts}")
    lines.append("  其余单元格为0；各总计由分项合计。")
    for note in result.notes:
        lines.append(f"说明：{note}")
    if result.unclassified:
        lines.append(f"\n以下{len(result.unclassified)}行无法归类，未计入，请核对：")
        lines.extend(f"  {issue.text()}" for issue in result.unclassified)
    columns_found = "，".join(f"{role}={text}" for role, text in result.columns.items())
    lines.append(f"\n（识别到的列：{columns_found}）")
    return "\n".join(lines)
