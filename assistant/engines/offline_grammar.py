"""The offline engine's lexicon and tokenizer: clerks' words and numbers found in a message.

Every word about a cell comes from the registry (`assistant.cells`: labels, aliases, phrases);
only grammar words (其中, 都是, 没有, 分别, 改为…) live here. Matching is leftmost-longest, so
"部分公开" wins over "公开" and "没有补正" (a table-3 row) over the negation "没有".

Text is normalised character by character (full-width to half-width, traditional to simplified)
without changing its length, so every token's span is also a span of the clerk's own words: the
evidence of a change is always an exact substring of the source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from assistant import cells as reg
from assistant.numbers import chinese_to_number
from assistant.textnorm import to_simplified


@dataclass(frozen=True)
class Meaning:
    """What a word says. ``cat`` is a cell dimension or a grammar role; ``id`` the registry id."""

    cat: str
    id: str = ""


# Cell dimensions ------------------------------------------------------------------------------
APPL = "appl"  # a table-3 applicant column (自然人, 商业企业…)
ORG = "org"  # 法人或其他组织 without saying which kind: ask
ROW = "row"  # a table-3 row
GROUP3 = "group3"  # a table-3 result group (不予公开…) without its sub-row: ask
WEAK_NEW = "weak_new"  # "申请": a new application, unless the clause names another row
T4G = "t4g"  # a table-4 group
LIT = "lit"  # 行政诉讼 without saying direct or after review
T4C = "t4c"  # a table-4 outcome column
T2I = "t2i"  # a table-2 item
T2C = "t2c"  # a table-2 column
FEE = "fee"  # a 信息处理费 cell
TOTAL = "total"  # 总计, 一共…
OTHER = "other"  # 其他: which "其他" depends on what the clause lists
TARGETS = frozenset({APPL, ORG, ROW, GROUP3, WEAK_NEW, T4G, LIT, T4C, T2I, T2C, FEE})

# Grammar ----------------------------------------------------------------------------------------
SUB = "sub"  # 其中: a breakdown of what was just said
DIST = "dist"  # 都, 全部, 均: everything just said is of this kind
EACH = "each"  # 各: the same number for each named
RESP = "resp"  # 分别: numbers in the order of the names
NEG = "neg"  # 没有, 未: zero
NOT = "not"  # 不是: the number that follows is wrong
CORR = "corr"  # 改为, 应该是: only numbers after it count
AGAIN = "again"  # 又, 再: adds to what the draft has
FIX = "fix"  # 说错了, 不对: the next bare number replaces the last one said
NEUTRAL = "neutral"  # words that contain cell words but are not about a cell (信息公开, 政务公开)

GRAMMAR: dict[str, Meaning] = {
    **dict.fromkeys(("其中", "这其中", "当中"), Meaning(SUB)),
    **dict.fromkeys(
        ("都是", "全是", "全都是", "均是", "均为", "全部是", "全部为", "都为", "都", "均", "全部", "全都", "全",
         "一律"),
        Meaning(DIST),
    ),
    **dict.fromkeys(("各", "各自", "每类", "各有"), Meaning(EACH)),
    **dict.fromkeys(("分别", "分别是", "分别为", "依次", "依次是", "依次为"), Meaning(RESP)),
    **dict.fromkeys(
        ("没有", "没", "未", "无", "不存在", "并无", "零", "均无", "一件也没有", "一个也没有", "一件都没有"),
        Meaning(NEG),
    ),
    **dict.fromkeys(("不是", "并非", "而不是"), Meaning(NOT)),
    **dict.fromkeys(
        (
            "改为", "改成", "改一下", "应该是", "应该为", "应为", "应是", "应当是", "应当为", "更正为", "实际是",
            "其实是", "实际上是", "修改为", "调整为",
        ),
        Meaning(CORR),
    ),
    **dict.fromkeys(
        ("不对", "错了", "说错了", "搞错了", "写错了", "记错了", "打错了", "更正一下", "更正", "纠正一下", "修正"),
        Meaning(FIX),
    ),
    **dict.fromkeys(("又", "再", "另外又", "又新", "追加"), Meaning(AGAIN)),
    **dict.fromkeys(
        (
            "政府信息公开", "信息公开", "政务公开", "主动公开", "公开工作", "公开指南", "公开目录", "依申请公开",
            "公开平台", "公开专栏", "答复", "无误", "未变", "没变", "全年", "全区", "全市",
            "全县", "全镇", "全街道", "全乡", "全局", "全委", "全体", "全面", "全力", "无论", "都市", "一个人",
            "同一个人", "同一个", "同一件", "同一份", "一名", "一位", "本单位", "我单位", "各单位", "无误",
        ),
        Meaning(NEUTRAL),
    ),
}
# Words counted as a total marker in both table 3 and table 4 ("一共收到15件").
TOTAL_WORDS = ("总计", "合计", "一共", "共计", "总共", "共", "总数", "累计")

# Labels that say nothing alone: "其他" is a column, a row and a table-4 column; "总计" is a total.
_GENERIC = frozenset({"其他", "总计", "合计"})


def _norm_word(word: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", word)).replace(" ", "")


def _words_of(axis: reg.Axis) -> tuple[str, ...]:
    return tuple(w for w in (axis.label, *axis.aliases, *axis.phrases) if w and w not in _GENERIC)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Meaning]:
    """Every word the engine knows, from the registry first, then grammar words."""
    words: dict[str, Meaning] = {}

    def add(word: str, meaning: Meaning) -> None:
        key = _norm_word(word)
        if key and key not in words:
            words[key] = meaning

    for row in reg.T3_ROWS:
        for w in _words_of(row):
            add(w, Meaning(ROW, row.id))
    for cid, label, _kind, phrases in reg.FEE_CELLS:
        for w in (label, *phrases):
            add(re.sub(r"（.*?）", "", w), Meaning(FEE, cid))
    for group in reg.T4_GROUPS:
        for w in _words_of(group):
            add(w, Meaning(T4G, group.id))
    for w in _words_of(reg.T4_LITIGATION):
        add(w, Meaning(LIT))
    for col in reg.T4_COLUMNS:
        if col.id != "total":
            for w in _words_of(col):
                add(w, Meaning(T4C, col.id))
    for item in reg.T2_ITEMS:
        for w in _words_of(item):
            add(w, Meaning(T2I, item.id))
    for col in reg.T2_COLUMNS:
        for w in _words_of(col):
            add(re.sub(r"（.*?）", "", w), Meaning(T2C, col.id))
    for col in reg.T3_COLUMNS:
        if col.id != "total":
            for w in _words_of(col):
                add(w, Meaning(APPL, col.id))
    for w in _words_of(reg.T3_ORG_GROUP):
        add(w, Meaning(ORG))
    for group in reg.T3_GROUPS:
        if group.group == "results":
            for w in _words_of(group):
                add(w, Meaning(GROUP3, group.id))
    for col in (*reg.T3_COLUMNS, *reg.T4_COLUMNS):
        if col.id == "total":
            for w in (*col.phrases, *col.aliases):
                add(w, Meaning(TOTAL))
    for w in TOTAL_WORDS:
        add(w, Meaning(TOTAL))
    for w, meaning in GRAMMAR.items():
        add(w, meaning)
    # "其他" alone is a column, a row or a table-4 outcome: the engine decides by context.
    add("其他", Meaning(OTHER))
    # "申请" alone: most often a new application ("个人申请12件").
    for w in ("申请", "公开申请", "信息公开申请", "政府信息公开申请", "件申请", "申请人"):
        add(w, Meaning(WEAK_NEW, "new"))
    return words


# Numbers ----------------------------------------------------------------------------------------
_CN = "零〇一二两三四五六七八九十百千万"
_UNITS = ("万元", "块钱", "元", "块", "件", "个", "起", "宗", "份", "项", "条", "次", "笔", "例", "单")
_UNIT_RE = "|".join(_UNITS)
_NUMBER = (
    rf"(?<![\d.'第\-])(?P<ar>\d++(?:'\d{{3}})*+(?:\.\d++)?+)(?![年月日号时点%％岁\-/:：.'])\s*(?P<mag>[千万](?=\s*元))?"
    rf"|(?<![{_CN}第])(?P<cn>[{_CN}]++)(?=\s*(?:{_UNIT_RE}))"
)
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")  # "2,345": one number, not two clauses
MONEY_UNITS = frozenset({"元", "万元", "块", "块钱"})
COUNT_UNITS = frozenset(_UNITS) - MONEY_UNITS


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    meaning: Meaning | None = None  # None for a number
    value: Decimal | None = None
    unit: str = ""
    text: str = ""

    @property
    def is_number(self) -> bool:
        return self.meaning is None

    @property
    def cat(self) -> str:
        return "num" if self.meaning is None else self.meaning.cat


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    words = sorted(lexicon(), key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    # Words first: "一件也没有" and "三安全一稳定" are words, not the numbers they start with.
    return re.compile(rf"(?P<word>{alternation})|(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT_RE})?")


def normalise(text: str) -> str:
    """The text with full-width forms and traditional characters mapped, same length as before."""
    chars = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        chars.append(n if len(n) == 1 else ch)
    flat = _THOUSANDS.sub("'", "".join(chars))
    simple = to_simplified(flat)
    return simple if len(simple) == len(flat) else flat


def tokenize(norm: str) -> list[Token]:
    """Numbers and known words of a normalised text, leftmost-longest, in order."""
    tokens: list[Token] = []
    table = lexicon()
    for m in _scanner().finditer(norm):
        if m.group("word"):
            tokens.append(Token(m.start(), m.end(), table[m.group("word")], text=m.group("word")))
            continue
        unit = m.group("unit") or ""
        if m.group("ar"):
            value = Decimal(m.group("ar").replace("'", ""))
            mag = m.group("mag")
            if mag == "千":
                value *= 1000
            elif mag == "万":
                unit = "万元"
        else:
            parsed = chinese_to_number(m.group("cn"))
            if parsed is None:
                continue
            value = parsed
        if unit in ("块", "块钱"):
            unit = "元"
        tokens.append(Token(m.start(), m.end(), None, value, unit, m.group(0)))
    return tokens


__all__ = [
    "APPL",
    "COUNT_UNITS",
    "MONEY_UNITS",
    "Meaning",
    "Token",
    "lexicon",
    "normalise",
    "tokenize",
]
