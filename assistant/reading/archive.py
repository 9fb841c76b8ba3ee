"""Opening containers safely: zip archives (.docx, .xlsx, .ofd) and OLE compound files (.doc, .xls, .wps, .et).

A zip archive is checked before anything is inflated: a few kilobytes must not turn into gigabytes
(zip bomb), and a member encrypted with a zip password is refused. An OLE compound file is either
a password-protected Office document (the password wraps an OOXML package in one) or a legacy
binary document, which ``assistant.reading.legacy`` converts when LibreOffice is installed.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Literal

from assistant.errors import EncryptedFile, InputError
from assistant.reading.limits import LIMITS, mb

# What zipfile and zlib raise for a damaged archive (RuntimeError: an encrypted member).
BROKEN = (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zlib.error)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OleKind = Literal["encrypted", "word", "sheet", "slides", "unknown"]


def bomb_error(name: str) -> InputError:
    return InputError(
        f"文件“{name}”解压后异常庞大（压缩炸弹或已损坏的文件），为安全起见未读取。"
        "请在 Word、WPS 或 Excel 中打开后重新另存，再上传。"
    )


def open_zip(data: bytes, name: str, broken: str, streamed: tuple[str, ...] = ()) -> zipfile.ZipFile:
    """The archive, checked: ``broken`` is the message for an archive that cannot be opened.

    Members under ``streamed`` are read as a stream by their reader, which bounds the work itself
    (a worksheet's rows are counted as it inflates): they are exempt from the compression-ratio test
    (a sheet of a million empty rows compresses a thousandfold) but not from the total size.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except BROKEN:
        raise InputError(broken) from None
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            zf.close()
            raise EncryptedFile(f"文件“{name}”设置了密码（压缩包已加密），无法读取。请取消密码后另存，再上传。")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        bomb = info.file_size > LIMITS.ratio_floor and ratio > LIMITS.ratio and not info.filename.startswith(streamed)
        if bomb or total > LIMITS.unzipped:
            zf.close()
            raise bomb_error(name)
    return zf


def names(data: bytes) -> set[str] | None:
    """The member names of a zip archive, or None when it is not one that can be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return set(zf.namelist())
    except BROKEN:
        return None


def read_member(zf: zipfile.ZipFile, member: str, name: str, broken: str, limit: int | None = None) -> bytes:
    """One member's bytes, at most ``limit`` (refused beyond it). KeyError when it is absent."""
    limit = LIMITS.member if limit is None else limit
    try:
        with zf.open(member) as f:
            body = f.read(limit + 1)
    except KeyError:
        raise
    except BROKEN:
        raise InputError(broken) from None
    if len(body) > limit:
        raise InputError(f"文件“{name}”的正文超过{mb(limit)}，无法读取。")
    return body


def ole_kind(data: bytes) -> OleKind:
    """What an OLE compound file holds, by the names of its streams."""
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return "encrypted"
    if has("WordDocument"):
        return "word"
    if has("Workbook") or has("Book"):
        return "sheet"
    if has("PowerPoint Document"):
        return "slides"
    return "unknown"
