"""``cells FILE``: the flat cell map of a report as JSON."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.commands import print_json
from assistant.importing import read_document

ORDER = 10


def register(sub: Any) -> None:
    p = sub.add_parser("cells", help="输出报告的单元格表（JSON）")
    p.add_argument("file", help="报告文件")
    p.add_argument("--all", action="store_true", help="包括尚未填写的单元格（值为 null）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = read_document(args.file).report
    print_json(report.to_flat(include_unknown=args.all))
    return 0
