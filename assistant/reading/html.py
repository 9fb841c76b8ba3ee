"""Web pages: the report as a government portal shows it, chrome and all.

The article is the smallest element holding the report's section headings; menus, breadcrumbs,
share buttons and the site footer around it are left out. Tables keep their ``rowspan`` and
``colspan``; Word-exported markup (``<o:p>``, ``MsoNormal`` spans, ``&nbsp;``) is read as its
text. Encodings are taken from the page's declaration (GBK/GB2312 pages are common), else
detected.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from assistant.errors import InputError
from assistant.labels import section_of_heading
from assistant.reading.decode import decode_text, html_charset
from assistant.reading.document import Block, Document, Grid, Line, SpanPlacer, grid_from_cells
from assistant.reading.limits import LIMITS, check_blocks, too_many_elements, too_much_text
from assistant.reading.text import run_on, split_run_on
from assistant.textnorm import to_simplified

_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "footer",
    "blockquote", "pre", "center", "dd", "dt", "dl", "form", "main", "aside", "address", "figure", "figcaption",
    "hr", "caption", "tr", "tbody", "thead", "tfoot", "body", "html",
}  # fmt: skip
_DROP = {"script", "style", "noscript", "iframe", "template", "svg", "select", "option", "button", "input",
         "textarea", "nav", "object", "embed", "head", "map", "video", "audio", "canvas"}  # fmt: skip
_CHROME = re.compile(
    r"发布(?:时间|日期)|来源[:：]|信息来源|字号|浏览次数|阅读次数|点击(?:数|量|次数)|打印本?页|关闭(?:本页|窗口)|分享到|扫一扫|"
    r"责任编辑|上一篇|下一篇|相关链接|相关阅读|索引号|主题分类|【\s*大\s*中\s*小\s*】|【\s*打印\s*】|收藏本页|返回顶部"
)
_CRUMB = re.compile(r"当前位置|您的位置|所在位置|首页\s*[>＞»›]")
_TAG = re.compile(rb"<[A-Za-z]")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_VISIBLE = re.compile(r"<[^>]*>|&[#\w]+;|\s+")


def read_html(data: bytes, name: str) -> Document:
    if len(_TAG.findall(data)) > LIMITS.html_elements:
        raise too_many_elements(name)
    text, encoding = decode_text(data, name, html_charset(data))
    if len(text) > LIMITS.characters and len(_VISIBLE.sub("", _SCRIPT.sub("", text))) > LIMITS.characters:
        raise too_much_text(name)  # before parsing: the parser would cut a text of megabytes silently
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise InputError(f"文件“{name}”无法作为网页读取（内容为空或已损坏）。") from None
    title_tag = root.find(".//title")
    page_title = (title_tag.text_content() if title_tag is not None else "").strip()
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(el)
    for el in [e for e in root.iter() if isinstance(e.tag, str) and _local(e.tag) in _DROP]:
        _remove(el)

    headings = _heading_elements(root)
    container = _common_ancestor(headings) if len(headings) >= 2 else root
    title_el = _title_element(root)
    walker = _Walker(headings)
    if title_el is not None and not _inside(title_el, container):
        walker.blocks.append(Line(_text(title_el), "标题"))
    walker.walk(container)
    walker.flush()
    blocks = _drop_chrome(walker.blocks)
    check_blocks(blocks, name)
    notes = [] if encoding in ("utf-8", "ascii") else [f"网页编码为{encoding.upper()}，已自动识别。"]
    return Document(blocks, "html", notes, title_hint=_clean_page_title(page_title))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _remove(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _text(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _short_elements(root: etree._Element, limit: int) -> list[etree._Element]:
    """Elements whose whole text is at most ``limit`` characters, in document order (one pass)."""
    size: dict[etree._Element, int] = {}
    for el in reversed(list(root.iter())):
        if not isinstance(el.tag, str):
            continue
        n = len(el.text or "")
        for child in el:
            n += size.get(child, 0) + len(child.tail or "")
        size[el] = n
    return [el for el in root.iter() if isinstance(el.tag, str) and 0 < size.get(el, 0) <= limit]


def _heading_elements(root: etree._Element) -> list[etree._Element]:
    """The innermost elements whose whole text is a section heading."""
    found = [
        el
        for el in _short_elements(root, 200)
        if _local(el.tag) not in ("table", "tbody", "tr", "html", "body") and section_of_heading(_text(el))
    ]
    outer = _ancestors(found)
    return [f for f in found if f not in outer]


def _ancestors(els: list[etree._Element]) -> set[etree._Element]:
    """Every element that holds one of ``els`` (one walk up from each, stopping where a walk has been)."""
    seen: set[etree._Element] = set()
    for el in els:
        for anc in el.iterancestors():
            if anc in seen:
                break
            seen.add(anc)
    return seen


def _inside(el: etree._Element, ancestor: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _common_ancestor(els: list[etree._Element]) -> etree._Element:
    common = list(els[0].iterancestors())
    for el in els[1:]:
        mine = set(el.iterancestors())
        while common and common[0] not in mine:
            common.pop(0)
    return common[0] if common else els[0].getroottree().getroot()


def _title_element(root: etree._Element) -> etree._Element | None:
    candidates: list[tuple[int, int, etree._Element]] = []
    for i, el in enumerate(_short_elements(root, 400)):
        tag = _local(el.tag)
        if tag in ("html", "body", "table", "tbody", "tr", "a", "title"):
            continue
        t = to_simplified(_text(el))
        if "年度报告" not in t or len(t) > 80 or _CRUMB.search(t):
            continue
        if any(isinstance(c.tag, str) and len(_text(c)) == len(t) for c in el):
            continue  # the same text one level down: take the inner element
        cls = f"{el.get('class', '')} {el.get('id', '')}".lower()
        rank = 0 if tag in ("h1", "h2", "h3") else 1 if re.search(r"title|tit|bt|headline", cls) else 2
        candidates.append((rank, i, el))
    return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def _clean_page_title(title: str) -> str | None:
    title = to_simplified(title)
    if "年度报告" not in title:
        return None
    parts = re.split(r"\s*[_|｜\-—–]+\s*", title)
    return next((p for p in parts if "年度报告" in p), title).strip() or None


class _Walker:
    """Document order to lines and grids; tables holding section headings are layout, not data."""

    def __init__(self, headings: list[etree._Element]) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.holds_heading = _ancestors(headings)
        self.tables = 0
        self.paras = 0

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        for part in text.split("\n"):
            part = re.sub(r"[ \t\r\f\v]+", " ", part).strip()
            if not part:
                continue
            self.paras += 1
            # A page whose whole report is one paragraph: cut at its headings and table rows.
            for piece in split_run_on(part) if run_on(part) else [part]:
                self.blocks.append(Line(piece, f"第{self.paras}段"))

    def walk(self, el: etree._Element) -> None:
        tag = _local(el.tag) if isinstance(el.tag, str) else ""
        if tag == "table" and el not in self.holds_heading:
            self.flush()
            self.tables += 1
            self.blocks.append(_table(el, f"表格{self.tables}"))
            return
        block = tag in _BLOCK or tag in ("td", "th", "table")
        if block:
            self.flush()
        if tag == "br":
            self.buffer.append("\n")
        if el.text and tag not in ("br",):
            self.buffer.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)
        if block:
            self.flush()


def _cell_text(cell: etree._Element) -> str:
    parts: list[str] = []

    def collect(el: etree._Element) -> None:
        tag = _local(el.tag) if isinstance(el.tag, str) else ""
        if tag == "br" or (tag in ("p", "div", "li") and parts):
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            collect(child)
            if child.tail:
                parts.append(child.tail)

    collect(cell)
    lines = [re.sub(r"\s+", " ", p).strip() for p in "".join(parts).split("\n")]
    return "\n".join(p for p in lines if p)


def _table(table: etree._Element, where: str) -> Grid:
    placer = SpanPlacer()
    for tr in table.iter():
        if not isinstance(tr.tag, str) or _local(tr.tag) != "tr":
            continue
        owner = next((a for a in tr.iterancestors() if isinstance(a.tag, str) and _local(a.tag) == "table"), None)
        if owner is not table:
            continue  # a row of a nested table
        placer.next_row()
        for cell in tr:
            if not isinstance(cell.tag, str) or _local(cell.tag) not in ("td", "th"):
                continue
            placer.add(_cell_text(cell), _span(cell.get("rowspan")), _span(cell.get("colspan")))
    grid = grid_from_cells(placer.cells, where)
    grid.row_where = [f"{where}第{r + 1}行" for r in range(len(grid.slots))]
    return grid


def table_grids(markup: str, where: str) -> list[Grid]:
    """The top-level tables of a piece of HTML (in Markdown, say) as grids."""
    try:
        root = lxml.html.document_fromstring(f"<html><body>{markup}</body></html>")
    except (etree.ParserError, ValueError):
        return []
    tables = [t for t in root.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    return [_table(t, where if len(tables) == 1 else f"{where}{k}") for k, t in enumerate(tables, start=1)]


def _span(value: str | None) -> int:
    try:
        return max(1, int(str(value).strip())) if value else 1
    except ValueError:
        return 1


def _drop_chrome(blocks: list[Block]) -> list[Block]:
    """Portal furniture inside the article: publication info, print/close links, share buttons."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Line) and len(b.text) <= 80 and (_CHROME.search(b.text) or _CRUMB.search(b.text)):
            continue
        out.append(b)
    return out
