"""The app's speed as a clerk feels it: `make run` to an interactive page, and each interaction.

Measured in headless Chromium against the real server (offline engine): the time from pressing a
button or Enter to the answer being on the screen, server and browser included.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import Result
from tests.appserver import ROOT, browser, free_port, wait_healthy

RUNS = 3


def _make_run(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NIANBAO_DATA_DIR": str(data_dir)}
    env.pop("NIANBAO_DB_URL", None)
    return subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _timed(action: Callable[[], Any]) -> float:
    t = time.perf_counter()
    action()
    return (time.perf_counter() - t) * 1000


def run() -> list[Result]:
    startup, healthy = [], []
    interactions: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, browser() as b:
        context = b.new_context(viewport={"width": 1500, "height": 1000})  # one browser profile, as a clerk's
        for i in range(RUNS):
            data_dir = Path(tmp) / f"data{i}"
            port = free_port()
            started = time.perf_counter()
            proc = _make_run(data_dir, port)
            try:
                url = f"http://127.0.0.1:{port}"
                wait_healthy(url, timeout=60)
                healthy.append(time.perf_counter() - started)
                page = context.new_page()
                page.set_default_timeout(30_000)
                page.goto(url)
                page.get_by_role("button", name="新建草稿").wait_for()
                startup.append(time.perf_counter() - started)
                _interactions(page, interactions, i)
                page.close()
            finally:
                _stop(proc)
    cold, warm = startup[0], statistics.median(startup[1:])
    results = [
        Result("app", "`make run` → server healthy (median of 3)", f"{statistics.median(healthy):.2f} s", "—", True),
        Result("app", "`make run` → page interactive, first visit (empty browser cache)", f"{cold:.2f} s", "< 3 s",
               cold < 3.0),
        Result("app", "`make run` → page interactive, browser visited before (median)", f"{warm:.2f} s", "< 3 s",
               warm < 3.0),
    ]
    for name, samples in interactions.items():
        p50 = statistics.median(samples)
        results.append(Result("app", f"{name} (p50, browser, offline engine)", f"{p50:.0f} ms", "< 300 ms", p50 < 300))
    for name, p50 in _server_side().items():
        results.append(Result("app", f"{name} (p50, server side: one script run in AppTest)", f"{p50:.0f} ms",
                              "< 300 ms", p50 < 300))
    return results


def _server_side() -> dict[str, float]:
    """The same interactions measured without a browser: the app's own share of the latency."""
    import json
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's "missing ScriptRunContext" noise

    samples: dict[str, list[float]] = {}
    flat = json.loads((ROOT / "fixtures" / "expected" / "huaian-city-2024.cells.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NIANBAO_DATA_DIR"] = tmp
        try:
            for i in range(5):
                _one_session(flat, i, samples)
        finally:
            os.environ.pop("NIANBAO_DATA_DIR", None)
    return {name: statistics.median(v) for name, v in samples.items()}


def _one_session(flat: dict[str, Any], i: int, samples: dict[str, list[float]]) -> None:
    from streamlit.testing.v1 import AppTest

    from assistant.model import Report
    from assistant.store import DraftStore, default_url
    from assistant.workspace import Workspace

    ws = Workspace.create(DraftStore(default_url()), Report.from_flat(flat))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["draft"] = ws.draft.id
    at.run()

    def timed(name: str, action: Callable[[], Any]) -> None:
        samples.setdefault(name, []).append(_timed(action))

    timed("redraw the draft page (淮安 2024)", at.run)
    timed("chat message → proposal shown", at.chat_input(key="chat").set_value(f"今年收到群众申请{20 + i}件").run)
    apply = next(b for b in at.button if b.key and b.key.startswith("apply-all-"))
    timed("apply a proposal", apply.click().run)
    timed("undo", at.button(key="undo").click().run)


def _interactions(page: Any, out: dict[str, list[float]], i: int) -> None:
    def record(name: str, action: Callable[[], Any]) -> None:
        out.setdefault(name, []).append(_timed(action))

    page.get_by_label("机关名称").fill("某某街道办事处")
    record("create a draft", lambda: (page.get_by_role("button", name="新建草稿").click(),
                                      page.get_by_text("已新建草稿").first.wait_for()))
    for k in range(3):
        page.wait_for_timeout(300)
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill(f"今年收到群众申请{12 + i * 3 + k}件，予以公开8件")

        def send(box: Any = box) -> None:
            box.press("Enter")
            page.get_by_text("建议填写 2 项").last.wait_for()

        record("chat message → proposal shown", send)
        page.wait_for_timeout(300)
        record("apply a proposal", lambda: (page.get_by_role("button", name="全部应用").click(),
                                            page.get_by_text("已应用2项").wait_for()))
        page.wait_for_timeout(300)
        record("undo", lambda: (page.get_by_role("button", name="↶ 撤销").click(),
                                page.get_by_role("button", name="↷ 重做").and_(page.locator(":enabled")).wait_for()))
