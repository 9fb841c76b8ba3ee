"""OFD (GB/T 33190, the national fixed-layout format some portals publish).

No well-kept library on the package registry reads OFD text offline and safely (see the reading
layer's notes in the README): the clerk is asked for the PDF or Word version that portals publish
beside it.
"""

from __future__ import annotations

from assistant.errors import UnsupportedFormat
from assistant.reading.document import Document


def read_ofd(data: bytes, name: str) -> Document:
    raise UnsupportedFormat(
        f"文件“{name}”是 OFD 版式文档，本工具暂不能读取。"
        "门户网站通常同时提供 PDF 或 Word 版本，请下载后上传；或在 OFD 阅读器中“另存为” PDF 后上传。"
    )
