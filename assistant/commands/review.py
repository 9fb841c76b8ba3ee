"""``review DIR_OR_ZIP [--previous DIR_OR_ZIP] [--json] [-o review.xlsx|review.html] [--scheduler …]``:
check a whole jurisdiction's reports at once.

Exit status: 0 no error finding; 1 error findings or files that cannot be read; 2 nothing readable.
A progress bar goes to stderr; the overview (or JSON) to stdout.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

from assistant.commands import print_json
from assistant.errors import InputError

ORDER = 25


def register(sub: Any) -> None:
    p = sub.add_parser(
        "review",
        help="批量审核一个辖区的年度报告（文件夹或 .zip，自动与上年报告配对）",
        description=(
            "批量审核：读取文件夹或 .zip 中的全部年度报告，按机关名称与上年报告配对，"
            "逐份校验并汇总全辖区表三、表四。"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_ZIP", help="本年度报告所在的文件夹、.zip 压缩包或文件")
    p.add_argument("--previous", action="append", default=[], metavar="DIR_OR_ZIP",
                   help="上年度报告所在的文件夹或 .zip（也可与本年度报告放在同一文件夹）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("-o", "--output", help="导出审核结果（.xlsx 或 .html）")
    p.add_argument("--scheduler",
                   help="Dask 调度器地址（如 tcp://10.0.0.5:8786）；也可设环境变量 NIANBAO_DASK_SCHEDULER")
    p.add_argument("--workers", type=int, help="本机并行读取的进程数（默认为 CPU 核数）")
    p.add_argument("--year", type=int, help="审核年度（默认按报告自动判断）")
    p.add_argument("--units", help="应报送单位名单（文本文件，每行一个机关名称），用于列出未报送的单位")
    p.add_argument("--quiet", action="store_true", help="不显示进度条")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assistant.review import review
    from assistant.review.export import export_file, format_of
    from assistant.review.progress import terminal_bar

    if args.output:
        format_of(args.output)  # a wrong extension is said before the work, not after
    roster = _roster(args.units) if args.units else []
    result = review(
        args.inputs,
        args.previous,
        scheduler=args.scheduler,
        workers=args.workers,
        year=args.year,
        roster=roster,
        progress=None if args.quiet else terminal_bar(sys.stderr),
    )
    if args.output:
        written = export_file(result, args.output)
        print(f"已导出：{written}", file=sys.stderr)
    if args.json:
        print_json(result.public())
    else:
        print(render_text(result))
    return result.exit_code


def _roster(path: str) -> list[str]:
    from assistant.reading.decode import decode_text

    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取单位名单“{p}”：{e.strerror or e}。") from None
    names = [line.strip().strip("，,、;；") for line in decode_text(data, p.name)[0].splitlines()]
    return [n for n in names if n]


def _plain(text: object) -> str:
    """Text from the documents, fit for a terminal: control characters (escape sequences) shown as "?"."""
    return "".join(ch if ch in "\n\t" or not unicodedata.category(ch).startswith("C") else "?" for ch in str(text))


def render_text(result: Any) -> str:
    from assistant.review.columns import shown
    from assistant.review.jurisdiction import RATES

    s = result.summary
    lines = [
        f"审核{s.year or '（年度未能确定）'}年度报告{s.reports}份：{s.with_errors}份有错误，{s.with_warnings}份有提醒，"
        f"{s.unreadable}份无法读取；{s.paired}份已与上年报告配对。（{s.runner}，用时{s.seconds:.1f}秒，"
        f"其中{s.cached}个文件此前已读过）",
        "",
        "【总览】（问题最多的在前）",
    ]
    for row in result.reports:
        if not row.readable:
            lines.append(f"  ✘ {row.file}：无法读取。{row.error}")
            continue
        mark = "✘" if row.errors else ("!" if row.warnings else "✔")
        prev = f"；上年报告：{row.paired_with}" if row.paired_with else ""
        lines.append(f"  {mark} {row.agency or '（机关名称未读出）'} {row.year or ''}（{row.file}）"
                     f"：错误{row.errors}，提醒{row.warnings}{prev}")
        for f in row.findings:
            lines.append(f"      [{f.rule}] {f.message}")
    lines += ["", "【全辖区】"]
    lines += [f"  {label}：{shown(s.rates.get(key), 'percent')}" for key, label in RATES.items()]
    if s.summed:
        new, done, forward = (s.totals.get(f"t3.{r}.total", 0) for r in ("new", "processed_total", "carried_forward"))
        lines.append(f"  表三合计（{s.summed}个单位）：本年新收{new}件，办理结果总计{done}件，结转下年度{forward}件")
    if s.missing:
        lines.append("  未报送：" + "、".join(f"{m.agency}（依据{m.source}）" for m in s.missing))
    if s.unreadable_files:
        lines.append("  无法读取：" + "、".join(u.file for u in s.unreadable_files))
    if s.ambiguous:
        lines.append("  上年报告无法确定：" + "、".join(s.ambiguous))
    return _plain("\n".join(lines))
