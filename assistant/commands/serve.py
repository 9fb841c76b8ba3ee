"""``serve [--host 127.0.0.1] [--port 8501]``: run the app (the Streamlit view installed with the package).

Desktop mode (no ``NIANBAO_USERS``) listens on this machine only: any other address is refused.
Office-server mode (``NIANBAO_USERS`` names a users file with at least one active account) may
listen on every interface, e.g. ``--host 0.0.0.0``; everyone then signs in. ``--cert``/``--key``
serve HTTPS directly (otherwise put the server behind the office's HTTPS proxy).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from assistant.auth import idle_timeout, is_loopback, users_path
from assistant.errors import AssistantError
from assistant.users import UsersFile

ORDER = 5


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="启动年报助手网页（桌面模式仅本机可访问；设 NIANBAO_USERS 为办公室服务器模式）")
    p.add_argument("--host", default="127.0.0.1",
                   help="监听地址（默认 127.0.0.1，仅本机；办公室服务器模式可用 0.0.0.0）")
    p.add_argument("--port", type=int, default=8501, help="端口（默认 8501）")
    p.add_argument("--cert", help="HTTPS 证书文件（PEM），与 --key 一起使用")
    p.add_argument("--key", help="HTTPS 私钥文件（PEM）")
    p.set_defaults(run=run)


def streamlit_command(host: str, port: int, *, server: bool, cert: str | None = None,
                      key: str | None = None) -> list[str]:
    """The ``streamlit run`` command line for the packaged view."""
    import ui

    script = Path(ui.__file__).resolve().parent / "streamlit_app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.address", host, "--server.port", str(port), "--server.headless", "true",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false",
               "--browser.gatherUsageStats", "false",  # no network calls home from a closed network
               "--client.toolbarMode", "minimal"]
    if server:  # a stack trace shows paths and code to whoever is signed in; the log keeps it
        command += ["--client.showErrorDetails", "none"]
    if host in ("0.0.0.0", "::"):  # named, so that Streamlit does not ask the internet for this machine's address
        command += ["--browser.serverAddress", socket.gethostname()]
    if cert and key:
        command += ["--server.sslCertFile", cert, "--server.sslKeyFile", key]
    return command


def check_mode(host: str) -> bool:
    """Whether this is office-server mode; refuses what the mode does not allow (Chinese error)."""
    path = users_path()
    idle_timeout()  # a wrong NIANBAO_IDLE_MINUTES is said now, not at the first sign-in
    if path is None:
        if not is_loopback(host):
            raise AssistantError(
                f"桌面模式只允许本机访问，不能监听“{host}”。要让办公室其他电脑访问，请先用 nianbao users add "
                "添加账户，并用环境变量 NIANBAO_USERS 指定用户文件（办公室服务器模式，所有人须登录）。")
        return False
    users = UsersFile(path)
    if not any(not a.disabled for a in users.accounts()):
        raise AssistantError(f"用户文件“{path}”中没有可用的账户。请先用 nianbao users add 添加账户。")
    if problem := users.permissions_problem():
        print(f"警告：{problem}", file=sys.stderr)
    return True


def run(args: argparse.Namespace) -> int:
    if bool(args.cert) != bool(args.key):
        raise AssistantError("--cert 与 --key 须同时给出。")
    server = check_mode(args.host)
    command = streamlit_command(args.host, args.port, server=server, cert=args.cert, key=args.key)
    scheme = "https" if args.cert else "http"
    shown = "本机地址" if args.host in ("0.0.0.0", "::") else args.host
    mode = "办公室服务器模式，须登录" if server else "桌面模式，仅本机可访问"
    print(f"年报助手：{scheme}://{shown}:{args.port}（{mode}）", file=sys.stderr, flush=True)
    if os.name == "posix":
        os.execv(sys.executable, command)  # the server becomes this process: signals reach it directly
    return subprocess.call(command)
