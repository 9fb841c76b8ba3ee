"""Bytes to text, once for every reader: a BOM, a declared charset, UTF-8, GB18030, else detection.

Chinese offices write GBK/GB2312 (read as GB18030, its superset) as often as UTF-8; Excel saves
CSV in the system code page; Notepad may save UTF-16. A web page's own ``<meta charset>`` is
trusted first, then the bytes decide.
"""

from __future__ import annotations

import re

from assistant.errors import InputError

_GB = ("gb2312", "gbk", "gb18030", "x-gbk", "cp936", "936", "euc-cn")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _canonical(encoding: str) -> str:
    enc = encoding.lower().replace("_", "-")
    return "gb18030" if enc in _GB else enc


def decode_text(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """The text and the encoding it was read with. Raises InputError when no encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if declared:
        enc = _canonical(declared)
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError(f"无法识别文件“{name}”的文字编码。请另存为 UTF-8 编码的文本后再上传。")
    enc = _canonical(best.encoding)
    return data.decode(enc, errors="replace"), enc


def html_charset(data: bytes) -> str | None:
    """The charset a web page declares in its first 8 KB."""
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii") if m else None
