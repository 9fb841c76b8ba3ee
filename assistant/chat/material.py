"""Pass ``collect``: what the clerk said that has no cell, kept for the section it belongs to.

"主动公开政府信息320条", "政务新媒体发布信息1,200条" belong in 一、总体情况; "行政许可事项清单公开
了86项" in 二's narrative; "基层公开人员业务不熟" in 五; "人大代表建议办理12件" in 六. A clause
is material when it made no fact and either holds a number that no cell took or states a problem;
the words around it choose the section (``assistant.vocabulary.MATERIAL``), and "这个写到问题里"
routes it. The statement is kept in the clerk's own words, one per line, after what the draft's
material already holds: the drafting of 一 and 五 and the narrative checks read it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant import vocabulary as plain
from assistant.cells import SECTIONS, label_of
from assistant.changes import Change
from assistant.chat import lexicon as lx
from assistant.chat.clauses import paragraph_spans
from assistant.chat.lexicon import NumberRole
from assistant.chat.record import Doc, Origin, Statement, Status

_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
_CLAUSES = re.compile(r"[^，,。；;！!？?\n]+")
_ROUTE = re.compile(
    r"(?:这个|这些|这条|以上|上面|这句)?(?:要|请|帮我)?(?:写|放|记|归|列|算|填)(?:到|进|在|入)"
    r"|^(?:这|这个|这些|以上|上面|这也)(?:就)?(?:是|属于|算)(?:一个|个)?(?:存在的)?(?:主要)?(?:问题|不足)"
)
_MARKER = re.compile(
    r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、.．)）]\s*"
    r"|^\s*[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]\s*|^[;；\s]+"
)
_HEADING_ALONE = re.compile(r"^(?:存在的?)?(?:主要)?(?:问题|不足)(?:及(?:改进|整改)(?:情况|措施)?)?$")
_FILLER = re.compile(r"[\s，,。；;：:、！!？?]|针对|以下|如下|主要|方面|工作|我们|将|的")
# The report's own section titles (read from the registry): a statement naming them is the outline.
_TITLE = re.compile("|".join(re.escape(f.label) for f in SECTIONS if len(f.label) >= 6))
_OUTLINE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)"
)
_HEADING = re.compile(r"^(?:存在的?)?(?:主要)?(?:问题|不足)(?:是|有)?[:：]")
_MEASURES = frozenset("场篇期次条项个余多万人家")  # "培训2场", "2300余条": a number with a measure
_SKIP_NUMBERS = frozenset({NumberRole.DOCUMENT, NumberRole.CODE, NumberRole.LIST, NumberRole.LAST_YEAR,
                           NumberRole.DELTA})


def collect(doc: Doc) -> None:
    if doc.help:
        return
    taken = [f.span for f in doc.facts if f.origin is not Origin.PREVIOUS and f.table is not None]
    pieces: list[tuple[int, int, str]] = []  # (start, end, section)
    carried = ""  # a heading alone on its line ("存在的问题：") routes the lines after it
    for p_start, p_end in paragraph_spans(doc):
        if _OUTLINE.match(doc.norm[p_start:p_end].strip()):
            carried = ""
        found, route, heading_route, alone = _read_paragraph(doc, p_start, p_end, taken, carried)
        pieces += [(a, b, route or section_after or carried or section)
                   for a, b, section, section_after in ((a, b, sec, heading_route if a >= at else "")
                                                        for a, b, sec, at in found)]
        carried = heading_route if alone else carried
    if not pieces:
        return
    # Consecutive clauses of one section make one statement.
    merged: list[tuple[int, int, str]] = []
    for a, b, section in pieces:
        if merged and merged[-1][2] == section and _adjacent(doc, merged[-1][1], a):
            merged[-1] = (merged[-1][0], b, section)
        else:
            merged.append((a, b, section))
    for a, b, section in merged:
        words = doc.pieces(a, b)
        said = "".join(words)
        residue = _FILLER.sub("", said)
        for cue in plain.MATERIAL.get(section, ()):
            residue = residue.replace(cue, "")
        if len(residue) < 4 or _TITLE.search(said):
            continue  # "针对存在问题，下一步": cues without a statement; "本报告包括…": the outline
        if words:
            doc.material.append(Statement(section, " ".join(words), max(words, key=len)))
    # The facts these statements replace were only questions about numbers no cell takes.
    for f in doc.facts:
        if f.table is None and f.status is Status.OPEN and any(f.span[0] < b and a < f.span[1] for a, b, _ in merged):
            f.status = Status.REPLACED
    _changes(doc)


def _read_paragraph(doc: Doc, p_start: int, p_end: int, taken: list[tuple[int, int]], carried: str
                    ) -> tuple[list[tuple[int, int, str, int]], str, str, bool]:
    """A paragraph's statements (start, end, section, where a heading's route starts applying), the
    section "写到问题里" routes all of them to, the section a heading routes what follows it to, and
    whether the heading stands alone."""
    route = heading_route = ""
    heading_at = p_end
    alone = False
    found: list[tuple[int, int, str, int]] = []
    said = [m.group(0).strip(" \t，,。；;：:！!？?、") for m in _CLAUSES.finditer(doc.norm, p_start, p_end)]
    routed = any(_ROUTE.search(text) for text in said if len(text) <= 16)
    start = p_start
    for m in [*_CLAUSE_END.finditer(doc.norm, p_start, p_end), None]:
        end = m.start() if m else p_end
        a, b = _strip(doc, start, end)
        start = m.end() if m else p_end
        if a >= b:
            continue
        if _OUTLINE.match(doc.norm[a:b]):
            heading_route, heading_at, carried = "", p_end, ""  # "六、其他": the problems heading is over
        marker = _MARKER.match(doc.norm[a:b])
        if marker and marker.end() < b - a:
            a += marker.end()  # "1、公开栏更新慢": the statement, not its number in the list
        text = doc.norm[a:b]
        if _ROUTE.search(text) and len(text) <= 16:
            route = _section_of(text, plain.MATERIAL_ROUTES) or route
            continue
        heading = _HEADING.match(text) or _HEADING_ALONE.match(text)
        if heading:
            heading_route, heading_at = "s5", a
            a += heading.end()
            text = doc.norm[a:b]
            alone = not doc.norm[a:p_end].strip(" \t，,。；;：:")
        if any(fa < b and a < fb for fa, fb in taken):
            continue
        numbers = [t for t in doc.tokens if a <= t.start < b and t.is_number and t.role not in _SKIP_NUMBERS
                   and (t.unit or doc.norm[t.end : t.end + 1] in _MEASURES)]
        inside = [t for t in doc.tokens if a <= t.start < b]
        if any(t.cat in lx.TARGETS - {lx.T2C} for t in inside) and not any(t.cat == lx.ELSEWHERE for t in inside):
            numbers = []  # a number beside the words of a cell is that cell's, or a question
        section = _section_of(text, plain.MATERIAL)
        if numbers and section:
            found.append((a, b, section, heading_at))
        elif section == "s5" or (heading and text.strip()):
            found.append((a, b, "s5", heading_at))
        elif numbers and found and found[-1][1] >= a - 2:
            found.append((a, b, found[-1][2], heading_at))  # "参训80人次" after "举办培训2次": the same statement
        elif ((heading_route and a >= heading_at) or carried) and text.strip():
            found.append((a, b, "s5", heading_at))  # under "存在的问题：", what follows is a problem
        elif routed and text.strip():
            found.append((a, b, "s5", heading_at))  # "…，这是存在的问题": routed below, whatever it says
    return found, route, heading_route, alone


def _strip(doc: Doc, a: int, b: int) -> tuple[int, int]:
    while a < b and (doc.norm[a].isspace() or doc.norm[a] in "，,。；;：:！!？?、"):
        a += 1
    while b > a and (doc.norm[b - 1].isspace() or doc.norm[b - 1] in "，,。；;：:！!？?、"):
        b -= 1
    return a, b


def _adjacent(doc: Doc, end: int, start: int) -> bool:
    return not doc.norm[end:start].strip(" ，,、\t")


def _section_of(text: str, table: Mapping[str, tuple[str, ...]]) -> str:
    for section, words in table.items():
        if any(w in text for w in words):
            return section
    return ""


def _changes(doc: Doc) -> None:
    by_section: dict[str, list[Statement]] = {}
    for s in doc.material:
        by_section.setdefault(s.section, []).append(s)
    for section, statements in by_section.items():
        key = f"material.{section}"
        old = doc.report.value(key) or ""
        new = [s for s in {s.text: s for s in statements}.values() if s.text not in old]
        if not new:
            continue
        value = "\n".join(filter(None, [old.rstrip("\n"), *(s.text for s in new)]))
        doc.changes.append(Change(cell=key, value=value, evidence=new[0].evidence or new[0].text))


def where(section: str) -> str:
    """The section a statement goes to, as the reply names it."""
    return label_of(section)
