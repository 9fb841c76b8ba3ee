"""The report's text: title, preface, the six sections, and the metadata the preface states.

Sections are found by the words of their headings (``labels.section_of_heading``), in order;
a heading numbered like a section ("一、", "3、", "第三部分") beats one numbered like a sub-part
("（三）") when both occur. Texts are cleaned (no glyph spacing, page numbers, bookmark
artefacts; printed lines joined into paragraphs, real paragraph breaks kept as "\\n").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.cells import SECTION
from assistant.importing.tables import tokenize
from assistant.labels import section_of_heading
from assistant.reading.document import Block, Document, Grid, Line, join_wrapped, tidy

SECTION_ORDER: tuple[str, ...] = ("s1", "s2", "s3", "s4", "s5", "s6")
TABLE_SECTIONS: tuple[str, ...] = ("s2", "s3", "s4")

_STRONG_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．，,]|\d{1,2}\s*[、.．，,]|第[一二三四五六七八九十\d]+部分)"
)
_PLACEHOLDER = re.compile(r"^[（(]\s*文字描述.*[)）]$")
_TITLE_SUFFIX = re.compile(r"(?:政府信息公开|信息公开|政务公开)?(?:工作)?年度报告")
_YEAR = re.compile(r"((?:199|20\d)\d)\s*年")
_PERIOD = re.compile(r"((?:199|20\d)\d)年1月1日")
_AGENCY_END = re.compile(
    r"(?:人民政府|办事处|委员会|管委会|办公室|办公厅|人民政府办公室|局|厅|部|署|院|委|中心|政府|公署|法院|检察院)$"
)
_PLACE_PREFIX = re.compile(r"(?:[\u4e00-\u9fa5]{1,5}?(?:省|自治区|市|自治州|州|盟|地区|区|县|旗))+$")
_NOT_PLACE_START = set("由与是的在和及请为对向于据按将经本我该即告度年报")
_SIGNATURE = re.compile(r"^(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|[\u4e00-\u9fa5（）()]{2,30})$")


@dataclass
class Layout:
    """A document cut at its headings."""

    title: str | None = None
    title_where: str = ""
    preface: list[Block] = field(default_factory=list)
    regions: dict[str, list[Block]] = field(default_factory=dict)
    headings: dict[str, Line] = field(default_factory=dict)
    leading: list[Block] = field(default_factory=list)  # everything before the first heading


def split(doc: Document) -> Layout:
    blocks = doc.blocks
    candidates: list[tuple[int, str, bool]] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Line) and not b.in_table:
            sid = section_of_heading(b.text)
            if sid:
                candidates.append((i, sid, bool(_STRONG_NUMBER.match(b.text))))
    candidates = _without_contents(candidates)
    strong = {sid for _i, sid, s in candidates if s}
    chosen: list[tuple[int, str]] = []
    last = -1
    for i, sid, is_strong in candidates:
        rank = SECTION_ORDER.index(sid)
        if rank <= last or (sid in strong and not is_strong):
            continue
        chosen.append((i, sid))
        last = rank
    layout = Layout()
    first = chosen[0][0] if chosen else len(blocks)
    layout.leading = blocks[:first]
    for k, (i, sid) in enumerate(chosen):
        end = chosen[k + 1][0] if k + 1 < len(chosen) else len(blocks)
        layout.regions[sid] = blocks[i + 1 : end]
        heading = blocks[i]
        assert isinstance(heading, Line)
        layout.headings[sid] = heading
    _title(layout, doc)
    return layout


def _without_contents(candidates: list[tuple[int, str, bool]]) -> list[tuple[int, str, bool]]:
    """Leave out a table of contents: three or more headings on consecutive lines, nothing between."""
    out: list[tuple[int, str, bool]] = []
    run: list[tuple[int, str, bool]] = []
    for cand in [*candidates, (-10, "", False)]:
        if run and cand[0] == run[-1][0] + 1:
            run.append(cand)
            continue
        if len(run) < 3:
            out.extend(run)
        run = [cand]
    return [c for c in out if c[0] >= 0]


def _title(layout: Layout, doc: Document) -> None:
    lead = [b for b in layout.leading[:8] if isinstance(b, Line) and not b.in_table]
    for e, line in enumerate(lead):
        text = tidy(line.text.replace("\n", ""))
        if "年度报告" not in text or len(text) > 80 or re.search(r"[。>＞»|]|当前位置|您的位置|首页", text):
            continue
        used = [line]
        rest = _TITLE_SUFFIX.sub("", _YEAR.sub("", text)).strip("《》 ")
        if not rest and e > 0:
            before = tidy(lead[e - 1].text)
            if before and len(before) <= 30 and not re.search(r"[。，,：:>＞|/；;]", before):
                used.insert(0, lead[e - 1])
        layout.title = tidy("".join(u.text.replace("\n", "") for u in used))
        layout.title_where = used[0].where
        after = layout.leading.index(line) + 1
        layout.preface = layout.leading[after:]
        return
    if doc.title_hint:
        layout.title = tidy(doc.title_hint)
        layout.title_where = "网页标题"
    layout.preface = list(layout.leading)


# --------------------------------------------------------------------------------------------
# Paragraphs


def paragraphs(blocks: list[Block], *, prose_only: bool = False) -> list[str]:
    """The running text of some blocks as cleaned paragraphs (tables and table lines left out)."""
    paras: list[list[str]] = []
    broken = True
    for b in blocks:
        if isinstance(b, Grid) or b.in_table:
            broken = True
            continue
        for k, piece in enumerate(b.text.split("\n")):
            if k > 0 or b.new_paragraph or broken or not paras:
                paras.append([piece])
            else:
                paras[-1].append(piece)
            broken = False
    texts = [tidy(join_wrapped(p)) for p in paras]
    texts = [t for t in texts if t]
    if prose_only:
        texts = [t for t in texts if _is_prose(t)]
    return texts


def _is_prose(text: str) -> bool:
    """Running text rather than a table's words: sentences, not labels and numbers."""
    if text.startswith(("（本列数据", "(本列数据")) or len(tokenize(Line(text, "")).values) >= 3:
        return False
    return len(text) >= 6 and bool(re.search(r"[。！？]|：$", text))


def section_texts(layout: Layout) -> tuple[dict[str, str | None], list[str]]:
    """Each section's text ("" when only its table is there, None when the heading is missing)."""
    texts: dict[str, str | None] = {}
    notes: list[str] = []
    preface = paragraphs(layout.preface, prose_only=True)
    texts["preface"] = "\n".join(preface) if preface else None
    for sid in SECTION_ORDER:
        if sid not in layout.regions:
            texts[sid] = None
            continue
        paras = paragraphs(layout.regions[sid], prose_only=sid in TABLE_SECTIONS)
        if sid == "s6":
            while paras and _SIGNATURE.match(paras[-1]) and len(paras[-1]) <= 30 and len(paras) > 1:
                paras.pop()
        if len(paras) == 1 and _PLACEHOLDER.match(paras[0]):
            notes.append(f"“{_heading(sid)}”仍是模板中的“{paras[0]}”占位文字，按空白读取。")
            paras = []
        texts[sid] = "\n".join(paras)
    return texts, notes


def _heading(sid: str) -> str:
    f = SECTION[sid]
    return f"{f.number}{f.label}"


# --------------------------------------------------------------------------------------------
# Metadata


@dataclass
class MetaRead:
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    contact: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)


def read_meta(layout: Layout, texts: dict[str, str | None]) -> MetaRead:
    meta = MetaRead(title=layout.title)
    preface = texts.get("preface") or ""
    everything = "\n".join(t for t in texts.values() if t)
    if layout.title:
        meta.where["meta.title"] = f"标题（{layout.title_where}）"
        m = _YEAR.search(layout.title)
        if m:
            meta.year = int(m.group(1))
            meta.where["meta.year"] = f"标题（{layout.title_where}）"
    if meta.year is None:
        m = _PERIOD.search(preface) or _PERIOD.search(everything)
        if m:
            meta.year = int(m.group(1))
            meta.where["meta.year"] = "统计期限"
    meta.agency = agency_name(layout.title, preface, everything)
    if meta.agency:
        meta.where["meta.agency"] = f"标题（{layout.title_where}）" if layout.title else "正文"
    for source, where in ((preface, "前言"), (everything, "正文")):
        for key, value in contact_details(source).items():
            if key not in meta.contact:
                meta.contact[key] = value
                meta.where[f"meta.contact.{key}"] = where
    return meta


def agency_name(title: str | None, preface: str, everything: str) -> str | None:
    """The agency as the title names it, completed from the text when the title gives a place only.

    "南关区自强街道" in the title and "长春市南关区自强街道办事处" in the preface give the latter: the
    fullest name the document gives for the body itself. A title that already names a body
    ("洪泽区人民政府") is kept as written, even if the preface names its office with a longer prefix.
    """
    if not title:
        return None
    m = _TITLE_SUFFIX.search(title)
    head = title[: m.start()] if m else title
    name = _YEAR.sub("", head).strip("《》（）() ，,")
    name = re.sub(r"[（(][^）)]*[）)]$", "", name).strip()
    if not name or len(name) > 40:
        return None
    if _AGENCY_END.search(name):
        return name
    best = name
    for text in (preface, everything):
        for occurrence in re.finditer(re.escape(name) + r"(?:街道)?(?:人民政府|办事处|管委会|委员会)?", text):
            full = occurrence.group(0)
            if full == name:
                continue
            before = text[max(0, occurrence.start() - 10) : occurrence.start()]
            prefix = _place_prefix(before)
            candidate = prefix + full
            if len(candidate) > len(best):
                best = candidate
        if best != name:
            break
    return best


def _place_prefix(before: str) -> str:
    """The place names just before a name ("…是由长春市" → "长春市"), never a preceding word."""
    best = ""
    for start in range(len(before)):
        tail = before[start:]
        if set(tail) & _NOT_PLACE_START or not _PLACE_PREFIX.fullmatch(tail):
            continue
        if len(tail) > len(best):
            best = tail
    return best


_CONTACT = {
    "office": re.compile(
        r"(?:请与|请联系|联系单位[:：]|联系部门[:：])([\u4e00-\u9fa5（）()]{2,40}?)(?:联系|[，,。；;（(]|$)"
    ),
    "address": re.compile(r"(?:通讯地址|联系地址|办公地址|地址)[:：]\s*([^，,；;。）)\n]+)"),
    "postcode": re.compile(r"(?:邮政编码|邮编)[:：]?\s*(\d{6})"),
    "phone": re.compile(r"(?:联系电话|咨询电话|电话)[:：]?\s*([0-9（）()\-－—]{7,20}\d)"),
    "email": re.compile(
        r"(?:电子邮箱|电子信箱|邮箱|E-?mail)[:：]?\s*([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)", re.I
    ),
}


def contact_details(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, pattern in _CONTACT.items():
        m = pattern.search(text)
        if m:
            out[key] = m.group(1).strip().replace("－", "-").replace("—", "-")
    return out
