"""``users add|list|disable|enable|passwd``: the office server's accounts (the file named by ``NIANBAO_USERS``).

A password is read from a prompt (typed twice, not shown) or, when standard input is not a
terminal, from its first line: ``printf '%s\\n' "$PW" | nianbao users add …``. It is kept only as
an Argon2id hash; no command prints a password or a hash. Every change is also written to the
audit log of the drafts database, naming the account changed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from assistant.auth import ROLES, users_path
from assistant.commands import print_json
from assistant.users import UsersFile, UsersFileError, describe

ORDER = 60


def register(sub: Any) -> None:
    p = sub.add_parser("users", help="管理办公室服务器模式的账户（添加、列出、停用、改密码）",
                       description="账户保存在 NIANBAO_USERS 指定的用户文件中（只存密码的 Argon2 哈希）。")
    p.add_argument("--file", help="用户文件（默认取环境变量 NIANBAO_USERS）")
    actions = p.add_subparsers(dest="action", required=True, metavar="操作")
    add = actions.add_parser("add", help="添加账户（密码从提示或标准输入读取）")
    add.add_argument("name", help="用户名")
    add.add_argument("--agency", required=True, help="所属机关名称（填报人员只能看到本机关的草稿）")
    add.add_argument("--role", required=True, choices=list(ROLES),
                     help="clerk 填报人员、reviewer 审核人员（政务公开办，只读查看各单位草稿）、admin 账户管理员")
    add.set_defaults(run=_add)
    ls = actions.add_parser("list", help="列出账户")
    ls.add_argument("--json", action="store_true", help="以 JSON 输出")
    ls.set_defaults(run=_list)
    for name, help_text, disabled in (("disable", "停用账户（立即生效，已登录的会话在下一次操作时失效）", True),
                                      ("enable", "重新启用账户", False)):
        q = actions.add_parser(name, help=help_text)
        q.add_argument("name", help="用户名")
        q.set_defaults(run=_set_disabled, disabled=disabled)
    pw = actions.add_parser("passwd", help="重设账户密码")
    pw.add_argument("name", help="用户名")
    pw.set_defaults(run=_passwd)


def _file(args: argparse.Namespace) -> UsersFile:
    path = Path(args.file).expanduser() if args.file else users_path()
    if path is None:
        raise UsersFileError("请用环境变量 NIANBAO_USERS 指定用户文件（或加 --file 用户文件）。")
    return UsersFile(path)


def read_password(prompt: str = "密码：") -> str:
    """From a prompt (twice) on a terminal, else the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("再次输入密码：") != first:
            raise UsersFileError("两次输入的密码不一致。")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise UsersFileError("没有读到密码：请在提示时输入，或从标准输入传入一行密码。")
    return line.rstrip("\r\n")


def _audit(kind: str, name: str, detail: str = "") -> None:
    """Account changes go to the audit log too, when the drafts database can be reached."""
    from assistant.store import DraftStore, StoreError

    try:
        DraftStore().record_event(kind, by=None, client="命令行", detail=f"账户 {name}{detail}")
    except StoreError:
        print("提示：草稿数据库无法打开，本次账户变更没有写入审计记录。", file=sys.stderr)


def _add(args: argparse.Namespace) -> int:
    users = _file(args)
    if users.exists():
        users.accounts()  # a damaged file is reported before the password is asked
    account = users.add(args.name, args.agency, args.role, read_password())
    _audit("user-add", account.name, f"（{account.agency} · {ROLES[account.role]}）")
    print(f"已添加账户“{account.name}”（{account.agency} · {ROLES[account.role]}）。")
    return 0


def _list(args: argparse.Namespace) -> int:
    accounts = [describe(a) for a in _file(args).accounts()]
    if args.json:
        print_json(accounts)
        return 0
    if not accounts:
        print("（没有账户）")
    for a in accounts:
        state = "已停用" if a["disabled"] else "正常"
        print(f"{a['name']}\t{a['agency']}\t{a['role']}（{a['role_name']}）\t{state}")
    return 0


def _set_disabled(args: argparse.Namespace) -> int:
    account = _file(args).set_disabled(args.name, args.disabled)
    _audit("user-disable" if args.disabled else "user-enable", account.name)
    print(f"已{'停用' if args.disabled else '启用'}账户“{account.name}”。")
    return 0


def _passwd(args: argparse.Namespace) -> int:
    users = _file(args)
    account = users.find(args.name)
    if account is None:
        raise UsersFileError(f"没有用户“{args.name[:64]}”。")
    account = users.set_password(account.name, read_password("新密码："))
    _audit("user-passwd", account.name)
    print(f"已重设账户“{account.name}”的密码。")
    return 0
