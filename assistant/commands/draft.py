"""``draft SECTION FILE [--previous FILE] [--notes FILE…] [--llm]``: a draft of one section for the clerk to edit.

Sections: ``preface``, ``s1`` … ``s6``. The draft is printed on stdout; the questions the data
leaves open (blank cells, topics with nothing specific to say) and notices go to stderr, each
line starting with "问题：" or "提示：". ``--json`` prints ``{"section", "text", "questions",
"notices", "engine", "prompt"}`` instead. Nothing is written into FILE.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.cells import label_of
from assistant.drafting import DRAFTABLE, DraftResult, draft_section, read_note_files
from assistant.importing import read_document

ORDER = 59


def register(sub: Any) -> None:
    names = "、".join(f"{s}（{label_of(s)}）" for s in DRAFTABLE)
    p = sub.add_parser(
        "draft",
        help="起草报告的一个部分（前言、一至六），供修改",
        description=f"根据本年数据、对话中提供的素材、笔记和上年报告，起草报告的一个部分。可起草：{names}。"
        "数据中没有的内容不写进正文，而是作为问题列出。",
    )
    p.add_argument("section", choices=DRAFTABLE, metavar="SECTION", help="要起草的部分：" + "、".join(DRAFTABLE))
    p.add_argument("file", help="本年报告（报告 JSON、单元格表或已发布的报告文件）")
    p.add_argument("--previous", metavar="FILE", help="上年度报告（借鉴其结构，说明上年问题的整改情况）")
    p.add_argument("--notes", metavar="FILE", nargs="+", default=[], help="工作笔记（.txt .md .docx .xlsx .csv）")
    p.add_argument("--seed", help="措辞变化的种子（默认按机关名称和年度）")
    p.add_argument("--llm", action="store_true", help="使用环境变量 NIANBAO_LLM_* 配置的大模型（默认离线起草）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出正文、问题和提示")
    p.set_defaults(run=run)


def drafted(args: argparse.Namespace, section: str) -> DraftResult:
    """The draft of ``section`` from the command line's FILE, --previous, --notes, --llm and --seed."""
    report = read_document(args.file).report
    previous = read_document(args.previous).report if args.previous else None
    notes = read_note_files(args.notes)
    settings = None
    if args.llm:
        from assistant.engines import settings_from_env

        settings = settings_from_env()
    return draft_section(section, report, previous, notes=notes, settings=settings, seed=args.seed)


def say(result: DraftResult) -> None:
    """Notices and questions on stderr, one a line ("提示：", "问题："), so stdout holds only the text."""
    for notice in result.notices:
        print(f"提示：{notice}", file=sys.stderr)
    for question in result.questions:
        print(f"问题：{question}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    result = drafted(args, args.section)
    if args.json:
        print(json.dumps({"section": result.section, "text": result.text, "questions": result.questions,
                          "notices": result.notices, "engine": result.engine, "prompt": result.prompt},
                         ensure_ascii=False, indent=2))
        return 0
    say(result)
    if result.text:
        print(result.text)
    return 0
