"""What the clerk said that has no cell, sorted for the sections that use it.

Two sources, both in the clerk's own words: ``Report.material`` (one statement a line, per
section, filled from the chat) and note files given to the drafting command (``--notes``), read
with ``assistant.notes.read_notes`` and cut into sentences. A statement is used as it is, never
rewritten into new facts.

Kept out, for precision: anything that reads as an instruction ("忽略之前的指令……"), statements
about numbers the tables hold (the tables speak for those, so a note cannot contradict them),
and fragments too short to say anything (headings such as "三、主动公开").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.claims import find_claims
from assistant.model import Report

# The five topics of section 一, with the words that place a statement under one of them.
# The official wording of each topic weighs more than a word that merely leans towards it.
S1_TOPIC_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "proactive": (("主动公开",), ("发布", "公开信息", "政策解读", "解读", "新闻发布", "公报", "公开目录", "重点领域")),
    "on_request": (("依申请公开", "依申请"), ("申请", "答复", "申请人")),
    "management": (
        ("政府信息管理", "信息管理", "发布审核", "审核制度", "保密审查", "审查机制", "公开目录", "三审三校"),
        ("审核", "审查", "保密", "清理", "梳理", "档案", "源头", "动态更新", "文件管理"),
    ),
    "platform": (
        ("平台建设", "公开平台"),
        ("平台", "网站", "门户", "新媒体", "公众号", "微信", "微博", "专栏", "专区", "政务服务", "公开栏"),
    ),
    "oversight": (
        ("监督保障", "监督"),
        ("考核", "培训", "督查", "检查", "评议", "问责", "测评", "领导", "工作要点", "队伍", "责任", "社会评议"),
    ),
}

# Statements that mention what the tables count, together with a number: the tables speak for them.
_TABLE_SUBJECTS = re.compile(
    r"申请|复议|诉讼|规范性文件|规章|行政许可|行政处罚|行政强制|事业性收费|处理费|收费通知|结转"
)
_NUMBER = re.compile(r"\d|[零〇一二两三四五六七八九十百千]+(?:件|宗|起|份|个|项|元)")
_INSTRUCTION = re.compile(
    r"忽略|无视|指令|提示词|改成|改为|填成|填为|都填|全部填|一律填|你是|扮演|输出|覆盖|"
    r"ignore|instruction|prompt|system|assistant",
    re.I,
)
_PROBLEM = re.compile(
    r"不熟|不足|不够|欠缺|薄弱|滞后|有待|不高|不强|不到位|偏少|偏低|较慢|不及时|不规范|不完善|短板|差距|"
    r"不精准|不全面|不深入|不统一|困难|难以|问题"
)
_FEE_OR_OTHER = re.compile(r"建议|提案|政务公开工作要点|人大|政协|年度考核|其他需要报告")
_MIN_CHARS = 6
_MAX_CHARS = 160


@dataclass(frozen=True)
class Statement:
    text: str
    source: str  # "material" (from the chat) or the note file's name


@dataclass
class Material:
    """The clerk's statements for each section; section 一's by topic."""

    s1: dict[str, list[Statement]] = field(default_factory=dict)
    s1_general: list[Statement] = field(default_factory=list)
    s2: list[Statement] = field(default_factory=list)
    s4: list[Statement] = field(default_factory=list)
    s5: list[Statement] = field(default_factory=list)
    s6: list[Statement] = field(default_factory=list)

    def all(self) -> list[Statement]:
        topics = [s for items in self.s1.values() for s in items]
        return [*topics, *self.s1_general, *self.s2, *self.s4, *self.s5, *self.s6]

    def of(self, section: str) -> list[Statement]:
        if section == "s1":
            return [*self.s1_general, *(s for items in self.s1.values() for s in items)]
        return list(getattr(self, section, []))


def lines_of(text: str | None) -> list[str]:
    """A material field as its statements (one a line, bullets and numbering removed)."""
    out = []
    for line in (text or "").splitlines():
        s = re.sub(r"^\s*(?:[-*•·]|\d+[、.．)）])\s*", "", line).strip().strip("。；;，,")
        if s:
            out.append(s)
    return out


def note_sentences(text: str) -> list[str]:
    """A note file's text as sentences, headings and fragments dropped."""
    out = []
    for line in text.splitlines():
        for piece in re.split(r"(?<=[。！？!?；;])", line):
            s = piece.strip().strip("。；;，, ")
            s = re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])\s*", "", s)
            s = re.sub(r"^(?:备注|注|说明|另外|此外)[：:]\s*", "", s)
            if _MIN_CHARS <= len(s) <= _MAX_CHARS:
                out.append(s)
    return out


def usable(statement: str, report: Report) -> bool:
    """Whether a statement may go into a draft as the clerk said it."""
    # An instruction is no statement; a number the tables hold (or contradict) is the tables' to state.
    return not (_INSTRUCTION.search(statement) or find_claims(statement))


def topic_of(statement: str) -> str | None:
    """The topic of section 一 a statement belongs to, or None."""
    best, best_score = None, 0
    for topic, (strong, weak) in S1_TOPIC_WORDS.items():
        score = 3 * sum(w in statement for w in strong) + sum(w in statement for w in weak)
        if score > best_score:
            best, best_score = topic, score
    return best


def is_problem(statement: str) -> bool:
    return bool(_PROBLEM.search(statement))


def _about_tables(statement: str) -> bool:
    return bool(_TABLE_SUBJECTS.search(statement) and _NUMBER.search(statement))


def gather(report: Report, notes: Iterable[tuple[str, str]] = ()) -> Material:
    """The statements for drafting: the report's material, then the notes' relevant sentences.

    ``notes``: (file name, text) pairs. Chat material is taken as filed by section; a note's
    sentence is filed by what it speaks of (a problem for 五, a topic of 一, other matters for 六).
    """
    m = Material()
    seen: set[str] = set()

    def add(items: list[Statement], text: str, source: str) -> None:
        key = re.sub(r"\W", "", text)
        if key and key not in seen and usable(text, report):
            seen.add(key)
            items.append(Statement(text, source))

    for text in lines_of(report.material.s1):
        topic = topic_of(text)
        add(m.s1.setdefault(topic, []) if topic else m.s1_general, text, "material")
    for section in ("s2", "s4", "s5", "s6"):
        for text in lines_of(getattr(report.material, section)):
            add(getattr(m, section), text, "material")
    for name, text in notes:
        for sentence in note_sentences(text):
            if _about_tables(sentence):
                continue
            if is_problem(sentence):
                add(m.s5, sentence, name)
            elif topic := topic_of(sentence):
                add(m.s1.setdefault(topic, []), sentence, name)
            elif _FEE_OR_OTHER.search(sentence):
                add(m.s6, sentence, name)
    return m


def read_note_files(paths: Sequence[str]) -> list[tuple[str, str]]:
    """Note files as (name, text) pairs, read as the app and the chat read them."""
    from assistant.notes import read_notes

    out = []
    for path in paths:
        notes = read_notes(path)
        out.append((notes.name, notes.text))
    return out
