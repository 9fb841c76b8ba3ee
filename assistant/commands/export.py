"""``export FILE -o OUT.{docx,html,md,json} [--force]``: the report as a document to publish.

Exit status 0 when written, 1 when refused because the report has error findings, blank table
cells included, each named (``--force`` writes it anyway, marked on its first page), 2 when FILE
cannot be read or OUT cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from assistant.exporting import ExportBlocked, error_findings, errors_summary, export_file
from assistant.importing import read_document

ORDER = 30


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="导出报告：Word 正式版式（.docx）、网页（.html）、Markdown（.md）或项目文件（.json）",
        description=(
            "按输出文件的扩展名导出报告。报告尚有错误或未填的单元格（空白不等于0）时不导出，"
            "除非加 --force（首页将注明尚有错误）。"
        ),
    )
    p.add_argument("file", help="报告文件")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件：.docx、.html、.md 或 .json")
    p.add_argument("--force", action="store_true", help="尚有错误时仍导出，供内部核对（首页注明错误数）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = read_document(args.file).report
    try:
        path = export_file(report, args.output, force=args.force)
    except ExportBlocked as e:
        print(f"错误：{e.message}", file=sys.stderr)
        print(
            "请先修正以上错误、填写未填的单元格（没有发生的填0；可用 validate 命令查看全部），"
            "或加 --force 导出供内部核对的稿件。",
            file=sys.stderr,
        )
        return e.exit_code
    errors = error_findings(report) if args.force and path.suffix.lower() != ".json" else []
    if errors:
        print(f"注意：本稿尚有{errors_summary(errors)}，已导出到“{path}”，首页已注明，请勿直接公开。", file=sys.stderr)
    return 0
