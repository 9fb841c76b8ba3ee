"""A throwaway PostgreSQL server for the store tests: initdb in a temporary folder, a unix socket, no TCP."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or ([shutil.which(name)] if shutil.which(name) else [])
    if not found or not found[-1]:
        raise RuntimeError(f"PostgreSQL 的 {name} 未安装：请运行 make sysdeps（apt-get install postgresql）")
    return str(found[-1])


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """Start a private cluster; yield its SQLAlchemy URL; stop and remove it afterwards."""
    base = Path(tempfile.mkdtemp(prefix="nianbao-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    try:
        subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                     "--no-sync", "-E", "UTF8"]), check=True, capture_output=True, timeout=120)
        log = base / "server.log"
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                                     f"-k {sock} -c listen_addresses='' -c fsync=off", "start"]),
                       check=True, capture_output=True, timeout=90)
        subprocess.run(_as_postgres([_bin("createdb"), "-h", str(sock), "-U", "postgres", "nianbao"]),
                       check=True, capture_output=True, timeout=60)
        yield f"postgresql+psycopg://postgres@/nianbao?host={sock}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                           capture_output=True, timeout=60, check=False)
        shutil.rmtree(base, ignore_errors=True)
