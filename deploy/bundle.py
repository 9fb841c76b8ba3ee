"""``make bundle``: an offline installer in ``dist/offline/`` for a machine with no network.

The folder holds the project's wheel, a wheel of every dependency for this platform and Python
version (sources are built into wheels here, so the target needs no compiler), ``install.sh``,
``SHA256SUMS`` and ``BUNDLE.txt`` (what it covers). On the target::

    sh install.sh [TARGET_DIR]            # or, by hand:
    pip install --no-index --find-links <folder> nianbao-assistant

A second run reuses the wheels already in the folder and asks the package index only for what is
missing; wheels no longer needed are removed, so the folder is exactly one installable set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
MAX_GLIBC_MINOR = 28  # manylinux_2_28: the oldest glibc a Linux target may have is 2.28
PROJECT = "nianbao-assistant"
INSTALL_SH = Path(__file__).resolve().parent / "install.sh"


def offline_env() -> dict[str, str]:
    """The environment of a machine with no index: no pip configuration file or variable adds a source."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def pip(*args: str, quiet: bool = True, offline: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"]
    if quiet:
        command.append("--quiet")
    return subprocess.run(command, text=True, capture_output=quiet, check=False,
                          env=offline_env() if offline else None)


def target_options(python: str, arch: str | None) -> list[str]:
    """pip options that choose wheels for the target, not for this machine.

    Python ``X.Y`` means every X.Y.z (a package needing 3.11.5 is left for an older release of it).
    On Linux the wheels are manylinux ones needing at most glibc 2.28 (Debian 10+, Ubuntu 20.04+,
    RHEL/Rocky 8+, 麒麟 V10, 统信 UOS 20), for this machine's architecture or ``arch``.
    """
    options = ["--only-binary=:all:", "--python-version", python, "--implementation", "cp"]
    if sys.platform.startswith("linux") or arch:
        machine = arch or platform.machine()
        tags = [f"manylinux_2_{minor}_{machine}" for minor in range(MAX_GLIBC_MINOR, 4, -1)]
        tags += [f"manylinux{legacy}_{machine}" for legacy in ("2014", "2010", "1")]
        for tag in tags:
            options += ["--platform", tag]
    return options


def build_project(dest: Path) -> Path:
    """The project's own wheel, built from a clean tree (a stale build/ could carry deleted modules)."""
    for old in dest.glob("nianbao_assistant-*.whl"):
        old.unlink()
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    result = pip("wheel", "--no-deps", "--wheel-dir", str(dest), str(ROOT))
    if result.returncode != 0:
        raise SystemExit(f"构建本项目的 wheel 失败：\n{result.stderr[-3000:]}")
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = dest.glob("nianbao_assistant-*.whl")
    return wheel


def resolve_offline(dest: Path, target: list[str]) -> list[Path] | None:
    """The wheels an offline install would take from ``dest``; None if something is missing there."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        result = pip("install", "--dry-run", "--ignore-installed", "--no-index", "--find-links", str(dest),
                     "--target", str(Path(tmp) / "target"), *target, "--report", str(report), PROJECT, offline=True)
        if result.returncode != 0:
            return None
        items = json.loads(report.read_text(encoding="utf-8"))["install"]
    paths = []
    for item in items:
        url = urlparse(item["download_info"]["url"])
        path = Path(unquote(url.path))
        if url.scheme != "file" or path.suffix != ".whl" or path.parent.resolve() != dest.resolve():
            return None  # an sdist would need building on the target
        paths.append(path)
    return paths


def fetch_dependencies(dest: Path, wheel: Path, target: list[str]) -> None:
    """Every dependency as a wheel for the target, from the package index."""
    result = pip("download", "--dest", str(dest), "--find-links", str(dest), *target, str(wheel), quiet=False)
    if result.returncode != 0:
        raise SystemExit("下载依赖失败：请检查本机能否访问软件包索引（pip 的 index-url 设置），"
                         "以及每个依赖是否都有适用于目标平台的 wheel。")


def write_scripts(dest: Path, needed: list[Path], version: str, machine: str) -> None:
    script = INSTALL_SH.read_text(encoding="utf-8").replace("@PYTHON_VERSION@", version)
    (dest / "install.sh").write_text(script, encoding="utf-8")
    (dest / "install.sh").chmod(0o755)
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sorted(needed))
    (dest / "SHA256SUMS").write_text(sums, encoding="utf-8")
    size = sum(p.stat().st_size for p in needed) / 2**20
    (dest / "BUNDLE.txt").write_text(
        "年报助手离线安装包\n"
        f"适用平台：{where(machine)}，CPython {version}.x\n"
        f"wheel 数：{len(needed)}，共 {size:.0f} MB\n"
        "安装：sh install.sh [安装目录]，或 pip install --no-index --find-links <本文件夹> nianbao-assistant\n"
        "校验：sha256sum -c SHA256SUMS\n",
        encoding="utf-8")


def where(machine: str) -> str:
    if sys.platform.startswith("linux") or machine != platform.machine():
        return f"Linux {machine}（glibc 2.{MAX_GLIBC_MINOR} 及以上）"
    return f"{platform.system()} {machine}（{sysconfig.get_platform()}）"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成离线安装包（本平台的全部 wheel 与安装脚本）")
    parser.add_argument("--dest", default=str(ROOT / "dist" / "offline"), help="输出文件夹（默认 dist/offline）")
    parser.add_argument("--python", default=f"{sys.version_info.major}.{sys.version_info.minor}",
                        help="目标机器的 Python 版本（默认与本机相同，如 3.11）")
    parser.add_argument("--arch", help="目标 Linux 机器的架构（默认与本机相同；如 aarch64 用于鲲鹏、飞腾服务器）")
    args = parser.parse_args(argv)
    dest = Path(args.dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    target = target_options(args.python, args.arch)
    machine = args.arch or platform.machine()
    wheel = build_project(dest)
    needed = resolve_offline(dest, target)
    if needed is None:
        fetch_dependencies(dest, wheel, target)
        needed = resolve_offline(dest, target)
        if needed is None:
            raise SystemExit("离线安装包不完整：下载后仍无法在不联网的情况下解析全部依赖。")
    keep = {p.resolve() for p in needed}
    for stale in dest.glob("*.whl"):
        if stale.resolve() not in keep:
            stale.unlink()
    write_scripts(dest, needed, args.python, machine)
    size = sum(p.stat().st_size for p in needed) / 2**20
    print(f"离线安装包：{dest}（{len(needed)} 个 wheel，{size:.0f} MB；{where(machine)}，CPython {args.python}.x）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
