"""A real Dask cluster on this machine for the review's test and benchmark: a ``dask scheduler`` and
single-threaded ``dask worker`` processes on free ports, stopped whatever happens."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.appserver import ROOT, free_port

DASK = str(Path(sys.executable).with_name("dask"))


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@contextmanager
def dask_cluster(logs: Path, workers: int = 2) -> Iterator[str]:
    """A scheduler and ``workers`` single-threaded workers on 127.0.0.1; yields the scheduler's address."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_RAISE", "PYTEST_CURRENT_TEST")}
    procs: list[subprocess.Popen[bytes]] = []
    logs.mkdir(parents=True, exist_ok=True)
    try:
        procs.append(subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("wb")))
        for i in range(workers):
            procs.append(subprocess.Popen(
                [DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                 "--local-directory", str(logs / f"worker{i}"), "--name", f"w{i}"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(logs / f"worker{i}.log").open("wb")))
        _wait_for_workers(address, workers, procs, logs)
        yield address
    finally:
        _stop(procs)
        assert all(p.poll() is not None for p in procs)


def _wait_for_workers(address: str, n: int, procs: list[subprocess.Popen[bytes]], logs: Path) -> None:
    from distributed import Client

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        dead = [p for p in procs if p.poll() is not None]
        if dead:
            raise RuntimeError("a dask process exited: " + "".join(f.read_text(errors="replace")[-2000:]
                                                                    for f in logs.glob("*.log")))
        try:
            with Client(address, timeout="5s", set_as_default=False) as client:
                if n:
                    client.wait_for_workers(n, timeout=max(1.0, deadline - time.monotonic()))
                return
        except (OSError, TimeoutError):
            time.sleep(0.5)
    raise TimeoutError(f"{n} dask workers did not join {address}")
