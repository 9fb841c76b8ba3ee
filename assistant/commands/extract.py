"""``extract "TEXT" | --file NOTE [--draft FILE] [--json]``: what a chat message or a note file would change.

Nothing is applied: the proposal (changes with evidence, a reply, questions) is printed. A note
file (any format the reading layer reads: .txt, .md, .docx, .xlsx, .csv, .pdf…) gives the same
proposal the app shows for it (``assistant.notes.propose_from_notes``): a ledger as table 3,
tables by their labels, the text through the engine. With ``--llm`` the LLM engine configured by
``NIANBAO_LLM_*`` is used (falling back to the offline engine with a notice on stderr); the default
is the offline engine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from assistant.commands import print_json
from assistant.engines.base import Proposal
from assistant.errors import InputError
from assistant.jsonsafe import loads
from assistant.model import Report
from assistant.numbers import format_value

ORDER = 40


def register(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="从一句话中识别要填写的数字（只提出修改建议，不修改草稿）",
        description="识别一句话中可以填入年报表格的数字，输出修改建议（单元格、数值、依据原话）、回复和需要确认的问题。",
    )
    p.add_argument(
        "text", nargs="?", help="工作人员说的话，如“今年收到个人申请12件，予以公开8件”；“-”表示从标准输入读取"
    )
    p.add_argument("--file", metavar="NOTE", help="笔记或台账文件（.txt、.md、.docx、.xlsx、.csv 等），代替一句话")
    p.add_argument("--draft", metavar="FILE", help="当前草稿（报告 JSON 或单元格表），用于判断改动和推断申请人")
    p.add_argument("--json", action="store_true", help="以 JSON 输出 {changes, reply, questions}")
    p.add_argument("--llm", action="store_true", help="使用环境变量 NIANBAO_LLM_* 配置的大模型（默认离线引擎）")
    p.set_defaults(run=run)


def read_draft(path: str) -> Report:
    """A report from a report file, a flat cell map, or a saved draft (``{"report": …, "steps": …}``)."""
    p = Path(path)
    if p.suffix.lower() == ".json" and p.is_file():
        try:
            data = loads(p.read_bytes())
        except InputError:
            data = None  # read_document below says what is wrong with the file
        if isinstance(data, dict) and "report" in data and "steps" in data:
            from assistant.editing import Draft
            from assistant.model import explain

            try:
                return Draft.model_validate(data).report
            except Exception as e:  # a pydantic ValidationError: say which field
                messages = explain(e) if hasattr(e, "errors") else [type(e).__name__]  # type: ignore[arg-type]
                raise InputError(f"草稿文件“{p.name}”内容不正确：" + "；".join(messages)) from None
    from assistant.importing import read_document

    return read_document(path).report


def run(args: argparse.Namespace) -> int:
    if args.file and args.text:
        raise InputError("请只提供一句话或一个笔记文件（--file），不要同时提供。")
    text = "" if args.file else sys.stdin.read() if args.text == "-" else (args.text or "")
    if not args.file and not text.strip():
        raise InputError("请提供要识别的一句话，或用 --file 指定笔记文件。")
    report = read_draft(args.draft) if args.draft else Report()
    if args.llm:
        from assistant.engines import get_engine, settings_from_env

        engine = get_engine(settings_from_env())
    else:
        from assistant.engines.offline import OfflineEngine

        engine = OfflineEngine()
    if args.file:
        from assistant.notes import propose_from_notes

        proposal = propose_from_notes(engine, Path(args.file), draft=report)
    else:
        proposal = engine.propose(text, report)
    for notice in proposal.notices:
        print(f"提示：{notice}", file=sys.stderr)
    if args.json:
        print_json(proposal.public())
    else:
        print(render_text(proposal, report))
    return 0


def render_text(proposal: Proposal, report: Report) -> str:
    from assistant.engines.offline import short_label

    lines = [proposal.reply]
    if proposal.changes:
        lines.append("")
        lines.append("修改建议（尚未应用）：")
        for c in proposal.changes:
            old = report.value(c.cell)
            was = f"（原为{format_value(old)}）" if old is not None and old != c.value else ""
            label = short_label(c.cell) if c.cell.startswith(("t", "s6.")) else c.cell
            lines.append(f"  {c.cell:<36} {label}：{format_value(c.value)}{was}  依据：“{c.evidence}”")  # type: ignore[arg-type]
    if proposal.questions:
        lines.append("")
        lines.append("需要确认：")
        lines.extend(f"  - {q}" for q in proposal.questions)
    return "\n".join(lines)
