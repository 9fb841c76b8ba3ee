"""How much of any upload is read: the one set of limits every reader checks, with Chinese refusals.

Bytes alone do not bound the work: a 250 KB .xlsx can hold a million rows, a 20 MB text file can
be one line. So each reader counts what it is about to work on (pages, sheet rows and cells, HTML
elements, characters per line and in all) and refuses past these limits before the work is done,
not after. ``bench/reading.py`` measures the time and memory of the largest input each reader
accepts; the limits are set so that none takes more than 10 s or 500 MB on a 2-core machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.errors import FileTooLarge
from assistant.reading.document import Block, Line

# (done, total, what): called as a reader gets through an upload (the OCR reader calls it per page).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Limits:
    bytes: int = 30 * 1024 * 1024  # any upload
    pages: int = 100  # PDF pages (a long report has 30)
    sheet_rows: int = 50_000  # rows of one worksheet (a ledger: one row per application)
    sheet_cells: int = 500_000  # positions of one worksheet (rows × columns: 50,000 rows of 10 columns)
    sheet_xml: int = 120 * 1024 * 1024  # a worksheet's XML once inflated
    html_elements: int = 150_000  # tags in a web page
    line_chars: int = 200_000  # one line of text (a portal page saved as one line is ~30,000)
    characters: int = 300_000  # the text of a document in all (a long report has 40,000)
    unzipped: int = 200 * 1024 * 1024  # all members of an archive (.docx, .xlsx, .ofd) together
    member: int = 20 * 1024 * 1024  # the one member a reader parses (document.xml; a long report has 3 MB)
    ratio: int = 100  # a member this much larger than its compressed size is not a document…
    ratio_floor: int = 2 * 1024 * 1024  # …unless it is small (repetitive XML compresses well)
    convert_seconds: int = 60  # LibreOffice converting one legacy file


LIMITS = Limits()


def mb(n: int) -> str:
    return f"{n // 1024 // 1024}MB"


def too_large(name: str, size: int) -> FileTooLarge:
    return FileTooLarge(
        f"文件“{name}”有{size / 1024 / 1024:.1f}MB，超过{mb(LIMITS.bytes)}的上限，无法读取。"
        "年度报告通常不到5MB；如含大量图片，请删去图片或另存为文字版后再上传。"
    )


def check_bytes(data: bytes, name: str) -> None:
    if len(data) > LIMITS.bytes:
        raise too_large(name, len(data))


def too_many_pages(name: str, pages: int) -> FileTooLarge:
    return FileTooLarge(
        f"文件“{name}”有{pages}页，超过{LIMITS.pages}页的上限，无法读取。年度报告通常不到20页，请只上传报告本身。"
    )


def too_many_rows(name: str, sheet: str) -> FileTooLarge:
    return FileTooLarge(
        f"表格“{name}”的工作表“{sheet}”超过{LIMITS.sheet_rows:,}行，超出读取上限，未读取。"
        f"台账超过{LIMITS.sheet_rows:,}行时，请按季度或月份拆分为几个文件分别上传；如表格下方有大量空行或格式，请删除后另存。"
    )


def too_many_cells(name: str, sheet: str) -> FileTooLarge:
    return FileTooLarge(
        f"表格“{name}”的工作表“{sheet}”超过{LIMITS.sheet_cells:,}个单元格（行数×列数），超出读取上限，未读取。"
        "请删除多余的行、列（包括远处只有格式的单元格）后另存，或拆分为几个文件分别上传。"
    )


def too_many_elements(name: str) -> FileTooLarge:
    return FileTooLarge(
        f"网页“{name}”有超过{LIMITS.html_elements:,}个网页元素，超出读取上限，未读取。"
        "年度报告的网页通常只有几千个元素；请在浏览器中打开后“另存为”仅正文，或复制正文为文本文件后上传。"
    )


def too_long_line(name: str, line: int | None = None) -> FileTooLarge:
    where = f"第{line}行" if line else "有一段文字"
    return FileTooLarge(
        f"文件“{name}”{where}超过{LIMITS.line_chars:,}个字符，超出读取上限，未读取。"
        "这不像是年度报告或笔记的文字；如确为正文，请分段后再上传。"
    )


def too_much_text(name: str) -> FileTooLarge:
    return FileTooLarge(
        f"文件“{name}”的文字超过{LIMITS.characters:,}个字符，超出读取上限，未读取。"
        "年度报告通常只有几万字；请只上传报告或笔记本身，或拆分后分别上传。"
    )


def check_text(text: str, name: str, *, total: bool = True) -> None:
    """Refuse text with more characters than any report or note has (unless ``total`` is False: a
    table bounded by its rows and cells instead), or a line without end."""
    if total and len(text) > LIMITS.characters:
        raise too_much_text(name)
    if len(text) <= LIMITS.line_chars:
        return
    start = 0
    number = 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > LIMITS.line_chars:
            raise too_long_line(name, number)
        start, number = end + 1, number + 1


def check_blocks(blocks: list[Block], name: str) -> None:
    """The text limits applied to what a reader found (each merged cell counted once)."""
    total = 0
    for b in blocks:
        if isinstance(b, Line):
            texts = [b.text]
        else:
            texts = [
                s.text for r, row in enumerate(b.slots) for c, s in enumerate(row) if s and (s.row, s.col) == (r, c)
            ]
        for t in texts:
            if len(t) > LIMITS.line_chars:
                raise too_long_line(name)
            total += len(t)
    if total > LIMITS.characters:
        raise too_much_text(name)
