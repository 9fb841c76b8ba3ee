"""``draft-problems FILE [--previous FILE]``: section 五 (the alias of ``draft s5``), and ``--fees`` 六.

From this year's numbers, their change against last year, the clerk's material and notes, and
last year's section 五 (from ``--previous`` or the last-year report the draft remembers).
``--fees`` also prints the draft of section 六 (the fee statement first).
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cells import label_of
from assistant.commands.draft import drafted, say

ORDER = 60


def register(sub: Any) -> None:
    p = sub.add_parser(
        "draft-problems",
        help=f"起草第五部分“{label_of('s5').removeprefix('五、')}”（即 draft s5）",
        description="根据本年数据、与上年的变化、素材和笔记、上年第五部分，起草本年第五部分，供工作人员修改。",
    )
    p.add_argument("file", help="本年报告（报告 JSON 或单元格表等）")
    p.add_argument("--previous", metavar="FILE", help="上年度报告（用于说明上年问题的整改情况）")
    p.add_argument("--notes", metavar="FILE", nargs="+", default=[], help="工作笔记（其中写到的问题会用于第五部分）")
    p.add_argument("--seed", help="措辞变化的种子（默认按机关名称和年度）")
    p.add_argument("--fees", action="store_true", help="同时起草第六部分（信息处理费说明）")
    p.add_argument("--llm", action="store_true", help="使用环境变量 NIANBAO_LLM_* 配置的大模型（默认离线起草）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    sections = ("s5", "s6") if args.fees else ("s5",)
    for i, section in enumerate(sections):
        result = drafted(args, section)
        say(result)
        if i:
            print()
        print(result.text)
    return 0
