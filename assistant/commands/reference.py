"""``reference [--write README.md]``: the cell and rule reference, from the registries."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from assistant import reference

ORDER = 90


def register(sub: Any) -> None:
    p = sub.add_parser("reference", help="输出单元格编号与校验规则一览（Markdown）")
    p.add_argument("--write", metavar="README", help="写入 README 的生成区块")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.write:
        changed = reference.write(Path(args.write))
        print("已更新" if changed else "无变化", args.write)
    else:
        print(reference.render())
    return 0
