"""``nianbao serve`` (and so ``make run``): what the server really binds, read from the kernel (/proc/net/tcp*)."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.accounts import make_users
from tests.appserver import ROOT, free_port, wait_healthy


def listening(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port`` (IPv4 and IPv6)."""
    found = set()
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order
            packed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(str(ipaddress.ip_address(packed)))
    return found


def env_for(tmp_path: Path, users: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    env["NIANBAO_DATA_DIR"] = str(tmp_path / "data")
    if users is not None:
        env["NIANBAO_USERS"] = str(users)
    return env


@contextmanager
def serving(tmp_path: Path, *args: str, users: Path | None = None) -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port), *args], cwd=tmp_path,
                            env=env_for(tmp_path, users), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc=proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_desktop_mode_listens_on_127_0_0_1_only(tmp_path: Path) -> None:
    with serving(tmp_path) as port:
        assert listening(port) == {"127.0.0.1"}


def test_desktop_mode_refuses_other_interfaces(tmp_path: Path) -> None:
    port = free_port()
    for host in ("0.0.0.0", "::", "192.0.2.10"):
        done = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", host, "--port", str(port)],
                              cwd=tmp_path, env=env_for(tmp_path, None), capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert "桌面模式只允许本机访问" in done.stderr and "NIANBAO_USERS" in done.stderr
        assert listening(port) == set()


def test_office_server_mode_may_listen_everywhere(tmp_path: Path) -> None:
    users = tmp_path / "users.json"
    missing = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "1"],
                             cwd=tmp_path, env=env_for(tmp_path, users), capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "不存在" in missing.stderr  # a mode asked for is never silently dropped
    make_users(users)
    with serving(tmp_path, "--host", "0.0.0.0", users=users) as port:
        assert listening(port) == {"0.0.0.0"}


def test_make_run_is_desktop_mode_on_127_0_0_1() -> None:
    dry = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert "-m assistant serve --host 127.0.0.1 --port 8501" in dry.stdout
