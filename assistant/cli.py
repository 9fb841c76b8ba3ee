"""The command line: ``python -m assistant <command> …``, the same services as the app.

Exit status: 0 success (for ``validate``: no error finding), 1 error findings, 2 input that
cannot be read (a Chinese message on stderr), 3 an internal error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from assistant import commands
from assistant.errors import AssistantError


def _command_modules() -> list[ModuleType]:
    """Every module of ``assistant.commands``: each adds one sub-command with ``register(sub)``.

    Listed in ``ORDER`` (a module attribute, default 100) so that ``--help`` reads well.
    """
    modules = [importlib.import_module(f"assistant.commands.{m.name}") for m in pkgutil.iter_modules(commands.__path__)]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_parser() -> argparse.ArgumentParser:
    installed = os.path.basename(sys.argv[0]).startswith("nianbao")  # the ``nianbao`` command of an install
    parser = argparse.ArgumentParser(
        prog="nianbao" if installed else "python -m assistant", description="年报助手：政府信息公开工作年度报告起草工具"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for module in _command_modules():
        module.register(sub)
    return parser


def _raise_unexpected() -> bool:
    return bool(os.environ.get("ASSISTANT_RAISE") or os.environ.get("PYTEST_CURRENT_TEST"))


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except AssistantError as e:
        print(f"错误：{e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:
        if _raise_unexpected():
            raise
        print(f"内部错误：{type(e).__name__}。请将此信息和所用文件反馈给开发人员。", file=sys.stderr)
        return 3
