"""``validate FILE [--previous FILE] [--json]``: the validator's findings."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.commands import print_json
from assistant.findings import Finding, Status, has_errors
from assistant.importing import read_document
from assistant.rules import Severity
from assistant.validator import validate

ORDER = 20


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help="校验报告（表内勾稽、跨年度衔接、正文与表格一致等）")
    p.add_argument("file", help="报告文件")
    p.add_argument("--previous", help="上年度报告文件（用于跨年度核对）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--all", action="store_true", help="同时列出“无法校验”的各项")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    read = read_document(args.file)
    previous = read_document(args.previous).report if args.previous else None
    findings = validate(read.report, previous)
    if args.json:
        print_json({"findings": [finding_json(f) for f in findings], "import_notes": read.notes})
    else:
        print(render_text(findings, show_info=args.all))
        if read.notes:
            print("\n【读取说明】\n" + "\n".join(f"  {n}" for n in read.notes))
    return 1 if has_errors(findings) else 0


def finding_json(f: Finding) -> dict[str, Any]:
    data = f.model_dump(mode="json")
    return {k: data[k] for k in ("rule", "severity", "status", "cells", "seen", "expected", "message", "fix")}


def render_text(findings: list[Finding], *, show_info: bool = False) -> str:
    errors = [f for f in findings if f.is_error]
    warnings = [f for f in findings if f.severity is Severity.WARNING and f.status is Status.FAILED]
    info = [f for f in findings if f.status is Status.NOT_ASSESSABLE]
    lines = [f"校验结果：{len(errors)} 个错误，{len(warnings)} 个提醒，{len(info)} 项无法校验（相关单元格尚未填写）。"]
    groups = [("错误", errors), ("提醒", warnings)] + ([("无法校验", info)] if show_info else [])
    for title, items in groups:
        if not items:
            continue
        lines.append(f"\n【{title}】")
        for f in items:
            lines.append(f"  [{f.rule}] {f.message}")
            if f.fix:
                lines.append(f"      可一键修正：{f.fix.description}")
    if info and not show_info:
        lines.append("\n（加 --all 可列出无法校验的各项）")
    if not errors and not warnings:
        lines.append("未发现错误或提醒。")
    return "\n".join(lines)
