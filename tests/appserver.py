"""The real app in a real browser: start ``streamlit run app.py`` on a free port, drive it with Chromium.

Used by the browser test and by ``bench/app.py``. Chromium is Debian's (``/usr/bin/chromium``,
installed by ``make sysdeps``); Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("未找到 Chromium：浏览器测试需要它（make sysdeps 会用 apt-get install chromium 安装）。")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> float:
    """Seconds until ``/_stcore/health`` answers ok."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"the app did not answer on {url} within {timeout:.0f} s")


@contextmanager
def running_app(data_dir: Path, port: int | None = None, command: list[str] | None = None,
                env: dict[str, str] | None = None) -> Iterator[str]:
    """The app serving on 127.0.0.1 with its drafts in ``data_dir``; yields its URL."""
    port = port or free_port()
    cmd = command or [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                      "--server.address", "127.0.0.1", "--server.port", str(port),
                      "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    full_env = {**os.environ, "NIANBAO_DATA_DIR": str(data_dir), **(env or {})}
    full_env.pop("NIANBAO_DB_URL", None)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc=proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
