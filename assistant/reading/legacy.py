"""Legacy and other office formats (.doc, .wps, .xls, .et, .rtf, .odt, .ods) through LibreOffice.

Many offices still save in Word 97 or WPS formats. When LibreOffice is installed, such a file is
converted to .docx or .xlsx by ``soffice --headless --convert-to`` (its own throwaway profile, so
that conversions may run side by side and leave nothing behind; a time limit, after which the
conversion is stopped) and then read by the ordinary reader with its limits. Without LibreOffice
the clerk is told how to save the file in a readable format.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from assistant.errors import InputError, UnsupportedFormat
from assistant.reading.limits import LIMITS

# What each legacy format is converted to, and the name the clerk knows it by.
TARGET = {"doc": "docx", "rtf": "docx", "odt": "docx", "xls": "xlsx", "ods": "xlsx"}
_NAMES = {
    "doc": "旧版 Word 格式（.doc）或 WPS 文字格式（.wps）",
    "rtf": "RTF 格式",
    "odt": "OpenDocument 文档格式（.odt）",
    "xls": "旧版 Excel 格式（.xls）或 WPS 表格格式（.et）",
    "ods": "OpenDocument 表格格式（.ods）",
}
_SAVE_AS = {"docx": "Word 或 WPS 中打开后“另存为” .docx", "xlsx": "Excel 或 WPS 中打开后“另存为” .xlsx"}


def soffice() -> str | None:
    """The LibreOffice command, when installed."""
    for command in ("soffice", "libreoffice"):
        found = shutil.which(command)
        if found:
            return found
    return None


def convert(data: bytes, name: str, fmt: str) -> tuple[bytes, str]:
    """The file converted to .docx or .xlsx: (bytes, "docx" | "xlsx")."""
    target = TARGET[fmt]
    advice = f"请在 {_SAVE_AS[target]} 格式再上传。"
    command = soffice()
    if command is None:
        raise UnsupportedFormat(f"文件“{name}”是{_NAMES[fmt]}，本机未安装 LibreOffice，无法直接读取。{advice}")
    with tempfile.TemporaryDirectory(prefix="nianbao-convert-") as tmp:
        work = Path(tmp)
        source = work / f"source.{fmt}"
        source.write_bytes(data)
        out = work / "out"
        args = [
            command,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its helper processes go with it when it is stopped
            env={**os.environ, "HOME": str(work)},
        )
        try:
            process.wait(timeout=LIMITS.convert_seconds)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise InputError(
                f"文件“{name}”是{_NAMES[fmt]}，转换超过{LIMITS.convert_seconds}秒仍未完成，已停止。{advice}"
            ) from None
        result = out / f"source.{target}"
        if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            raise UnsupportedFormat(f"文件“{name}”是{_NAMES[fmt]}，但无法转换（文件可能已损坏）。{advice}")
        if result.stat().st_size > LIMITS.bytes:
            raise InputError(f"文件“{name}”转换后过大，无法读取。{advice}")
        return result.read_bytes(), target


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.wait()
