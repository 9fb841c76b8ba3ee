"""``make bundle`` and the containers: the offline installer installs into a fresh environment with no network
and no package index, and the installed ``nianbao`` reads a report, finds its prompts and serves the view."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.appserver import ROOT, free_port, wait_healthy
from tests.test_access_serve import listening

BUNDLE = ROOT / "dist" / "offline"
FIXTURE = ROOT / "fixtures" / "real" / "ziqiang-street-2024.txt"


def no_network_prefix() -> list[str]:
    """Run in a new network namespace (no interface but a downed loopback) where the machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [unshare, "-n"]
    return []  # still no index: every pip setting is cleared below


def target_python() -> str:
    """The target's Python: the system's own 3.11 where there is one (often an older 3.11.x than ours)."""
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    return str(system) if system.exists() else str(getattr(sys, "_base_executable", sys.executable))


def clean_env(home: Path) -> dict[str, str]:
    """A machine on an intranet: no pip configuration, no index, no proxy, nothing of this checkout."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "PIP_CONFIG_FILE": os.devnull, "PYTHON": target_python()}


def test_offline_bundle_installs_without_network(tmp_path: Path) -> None:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    built = subprocess.run([sys.executable, str(ROOT / "deploy" / "bundle.py"), "--dest", str(BUNDLE)],
                           capture_output=True, text=True, timeout=1800, check=False)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    timings["bundle"] = time.perf_counter() - start

    files = sorted(p.name for p in BUNDLE.iterdir())
    wheels = [f for f in files if f.endswith(".whl")]
    assert set(files) - set(wheels) == {"install.sh", "SHA256SUMS", "BUNDLE.txt"}  # no sdist to build
    assert sum(w.startswith("nianbao_assistant-") for w in wheels) == 1
    sums = dict(reversed(line.split("  ")) for line in (BUNDLE / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == wheels
    assert all(hashlib.sha256((BUNDLE / w).read_bytes()).hexdigest() == sums[w] for w in wheels[:5])
    assert "CPython 3.11.x" in (BUNDLE / "BUNDLE.txt").read_text(encoding="utf-8")

    # copied elsewhere, as it would be onto a USB stick, and installed with no network
    stick = tmp_path / "U盘" / "offline"
    shutil.copytree(BUNDLE, stick)
    env, target = clean_env(tmp_path), tmp_path / "nianbao-env"
    start = time.perf_counter()
    installed = subprocess.run([*no_network_prefix(), "sh", str(stick / "install.sh"), str(target)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=900, check=False)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    timings["install"] = time.perf_counter() - start
    # the same by hand, as the README says: pip finds everything in the folder
    by_hand = subprocess.run([*no_network_prefix(), str(target / "bin" / "python"), "-m", "pip", "install",
                              "--no-index", "--find-links", str(stick), "--dry-run", "--ignore-installed", "--quiet",
                              "nianbao-assistant"], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert by_hand.returncode == 0, by_hand.stderr[-2000:]

    nianbao = str(target / "bin" / "nianbao")
    start = time.perf_counter()
    cells = subprocess.run([*no_network_prefix(), nianbao, "cells", str(FIXTURE)], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    timings["cells"] = time.perf_counter() - start
    assert cells.returncode == 0, cells.stderr
    flat = json.loads(cells.stdout)
    assert flat["meta.agency"] == "长春市南关区自强街道办事处" and flat["meta.year"] == 2024

    # prompts and the view come from the installed package, not from this checkout
    probe = ("import json, ui; from assistant.prompts import PROMPTS_DIR, all_prompts; "
             "print(json.dumps([str(PROMPTS_DIR), ui.__file__, sorted(p.id for p in all_prompts())]))")
    shown = subprocess.run([str(target / "bin" / "python"), "-c", probe], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    assert shown.returncode == 0, shown.stderr
    prompts_dir, ui_file, ids = json.loads(shown.stdout)
    assert prompts_dir.startswith(str(target)) and ui_file.startswith(str(target))
    assert ids == sorted(p.stem for p in (ROOT / "prompts").glob("*.md") if p.name != "README.md")

    help_text = subprocess.run([nianbao, "--help"], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "usage: nianbao" in help_text and "serve" in help_text and "users" in help_text

    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen([nianbao, "serve", "--port", str(port)], cwd=tmp_path,
                              env={**env, "NIANBAO_DATA_DIR": str(tmp_path / "data")},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc=server)
        timings["serve"] = time.perf_counter() - start
        assert listening(port) == {"127.0.0.1"}
    finally:
        server.terminate()
        server.wait(timeout=15)
    print("bundle test timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


def test_compose_runs_the_app_in_office_server_mode_with_postgres() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    app, db = compose["services"]["app"], compose["services"]["db"]
    assert app["build"] == "." and db["image"].startswith("postgres:")
    env = app["environment"]
    assert env["NIANBAO_USERS"] == "/var/lib/nianbao/users/users.json"
    assert env["NIANBAO_DB_URL"].startswith("postgresql+psycopg://") and "@db:" in env["NIANBAO_DB_URL"]
    assert ":" not in env["NIANBAO_DB_URL"].split("//")[1].split("@")[0]  # no password in the URL
    assert "NIANBAO_DB_PASSWORD:?" in env["PGPASSWORD"] and "NIANBAO_DB_PASSWORD:?" in db["environment"]["POSTGRES_PASSWORD"]
    assert app["command"][:4] == ["nianbao", "serve", "--host", "0.0.0.0"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert "db-data:/var/lib/postgresql/data" in db["volumes"]
    assert "users:/var/lib/nianbao/users" in app["volumes"]
    assert set(compose["volumes"]) == {"db-data", "users"}

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = [line.split(None, 1) for line in dockerfile.splitlines() if line and not line.startswith(("#", " "))]
    keywords = [i[0] for i in instructions]
    assert keywords.count("FROM") == 1 and "USER" in keywords
    assert "COPY dist/offline/ /opt/nianbao/bundle/" in dockerfile
    assert "--no-index --find-links /opt/nianbao/bundle" in dockerfile  # the image installs from the bundle only
    assert dict(i for i in instructions if len(i) == 2)["USER"] == "nianbao"
    assert "NIANBAO_USERS=/var/lib/nianbao/users/users.json" in dockerfile
    assert '"nianbao", "serve", "--host", "0.0.0.0"' in dockerfile
    assert (ROOT / ".dockerignore").read_text().split() == ["*", "!dist/offline/"]  # the context is the bundle
