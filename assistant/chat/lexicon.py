"""Tokens: the words the chat knows and the numbers in a message.

Every word about a cell comes from the registry (``assistant.cells``: labels, aliases, phrases) or
from the clerks' plain words beside it (``assistant.vocabulary``); only grammar words (其中, 都是,
没有, 分别, 改为…) live here. Matching is leftmost-longest, so "部分公开" wins over "公开" and
"没有补正" (a table-3 row) over the negation "没有".

Text is normalised character by character (full-width to half-width, traditional to simplified)
without changing its length, so every token's span is also a span of the clerk's own words: the
evidence of a change is always an exact substring of the source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from assistant import cells as reg
from assistant import vocabulary as plain
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
AGAIN = "again"  # 又, 再, 少算了: adds to what the draft has
FEWER = "fewer"  # 多算了: takes from what the draft has
NOW = "now"  # 现在是: the value after an addition, to check
FIX = "fix"  # 说错了, 不对: the next bare number replaces the last one said
REMAINDER = "remainder"  # 其余, 剩下的: the part of a total not yet given
RESOLVED = "resolved"  # 已经判了: a pending case now has its outcome
LAST_YEAR = "last_year"  # 去年, 上年度: a figure of last year's report, not of this one
COMPARE = "compare"  # 比去年, 同比, 减少了: a difference, not a count
AVERAGE = "average"  # 平均, 办理时限: an average, not a count
PERIOD = "period"  # 上半年, 一季度: a part of the year (parts of one cell add up)
ELSEWHERE = "elsewhere"  # 主动公开, 政务新媒体, 事项清单: a subject with no cell; its numbers belong in the text
NEUTRAL = "neutral"  # words that contain cell words but are not about a cell (信息公开, 政务公开)
REQUEST = "request"  # 要的是, 问的是, 申请公开: what follows describes what was asked for (``described``)
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
        ("没有", "没", "未", "无", "不存在", "并无", "零", "均无", "一件也没有", "一个也没有", "一件都没有", "没人",
         "没有人", "一起也没有", "一件没有"),
        Meaning(NEG),
    ),
    **dict.fromkeys(
        ("不是", "并非", "而不是", "填成", "写成", "录成", "记成", "打成", "弄成", "误填为", "误写为", "错填为",
         "错写成",
         "错填成", "填的是", "写的是", "原来填的", "原来写的", "之前填的", "之前写的", "说成", "讲成", "报成", "算成"),
        Meaning(NOT),
    ),
    **dict.fromkeys(
        (
            "改为", "改成", "改一下", "应该是", "应该为", "应为", "应是", "应当是", "应当为", "更正为", "实际是",
            "其实是", "实际上是", "修改为", "调整为", "应该算", "应算", "其实属于", "实际属于", "应该属于", "实际应为",
            "后来发现是", "发现是", "核实是", "核实后是", "经核实是", "核对后是", "查了是",
        ),
        Meaning(CORR),
    ),
    **dict.fromkeys(
        ("不对", "错了", "说错了", "搞错了", "写错了", "记错了", "打错了", "更正一下", "更正", "纠正一下", "修正",
         "填错了", "弄错了", "少打了一个0", "多打了一个0", "少打一个0", "多打一个0", "少写了一个0", "多写了一个0",
         "少了一个0", "多了一个0", "少打了个0", "多打了个0"),
        Meaning(FIX),
    ),
    **dict.fromkeys(
        ("又", "再", "另外又", "又新", "追加", "再加", "又加", "加上", "少算了", "漏算了", "少统计了", "漏统计了",
         "少报了", "漏报了", "少填了", "漏填了", "漏了", "少算", "漏算", "又多了", "新增了", "少写了", "漏写了",
         "少记了", "漏记了", "写少了", "记少了", "算少了", "少录了", "漏录了", "漏掉了", "漏掉", "落下了", "落了",
         "补上", "补录", "还要加上", "还得加上"),
        Meaning(AGAIN),
    ),
    **dict.fromkeys(
        ("多算了", "多统计了", "多报了", "多填了", "重复统计了", "多算", "多统计", "算多了", "要减去", "减去", "去掉",
         "多写了", "多写", "写多了", "多记了", "记多了", "多录了", "录多了", "填多了", "报多了", "重复算了",
         "重复计算了",
         "重复算", "算重了", "统计重了", "减掉", "扣掉", "扣除", "删掉", "拿掉"),
        Meaning(FEWER),
    ),
    **dict.fromkeys(("现在是", "现在一共是", "现在一共", "现在共", "目前是", "目前一共", "现在总共"), Meaning(NOW)),
    **dict.fromkeys(
        ("其余", "其余的", "剩下的", "剩下", "剩余的", "剩余", "其他都", "其他的都", "其他均", "余下的", "余下",
         "另外的都"),
        Meaning(REMAINDER),
    ),
    **dict.fromkeys(
        ("已经判了", "判了", "已审结", "审结了", "出结果了", "有结果了", "已经出结果", "结案了", "已结案", "判下来了"),
        Meaning(RESOLVED),
    ),
    **dict.fromkeys(
        ("去年", "上年", "上年度", "上一年", "上一年度", "前年", "往年", "去年同期", "上年同期", "去年结转下年度",
         "上年结转下年度", "去年的结转下年度"),
        Meaning(LAST_YEAR),
    ),
    **dict.fromkeys(
        ("比去年", "比上年", "较去年", "较上年", "同比", "环比", "增长", "增加了", "减少了", "减少", "下降", "上升",
         "多了", "少了", "增幅", "降幅"),
        Meaning(COMPARE),
    ),
    **dict.fromkeys(
        ("平均", "平均办理天数", "平均用时", "办理时限", "时限", "天数", "工作日", "平均每件"), Meaning(AVERAGE)
    ),
    **dict.fromkeys(
        ("上半年", "下半年", "一季度", "二季度", "三季度", "四季度", "第一季度", "第二季度", "第三季度", "第四季度",
         "上旬", "中旬", "下旬", "年初", "年中", "年底"),
        Meaning(PERIOD),
    ),
    **dict.fromkeys(
        (
            "主动公开", "公开指南", "公开目录", "公开平台", "公开专栏", "行政许可事项", "许可事项", "事项清单",
            "权责清单",
            "政务新媒体", "新媒体", "门户网站", "政府网站", "公众号", "政务微博", "微信", "培训", "政策解读",
            "新闻发布会", "网站上", "在网站", "网上公开", "官网", "公开栏", "公示栏", "政务公开栏", "信息公开栏",
            "人大代表建议", "人大建议", "政协提案", "政协委员提案", "建议提案", "访问量", "浏览量", "政府公报",
        ),
        Meaning(ELSEWHERE),
    ),
    **dict.fromkeys(
        ("申请公开", "要求公开", "要公开", "想公开", "申请获取", "要求获取", "申请提供", "要求提供", "申请查阅",
         "要求查阅", "申请索取"),
        Meaning(REQUEST, "application"),
    ),
    **dict.fromkeys(
        ("涉及", "要的是", "要的", "是要", "要我们", "要求我们提供", "要求我们公开", "索取", "索要", "问的是", "问的",
         "问我们要", "查阅", "想要", "要求查看", "想看", "要看", "咨询的是", "申请的是", "申请要", "要求给", "要了"),
        Meaning(REQUEST),
    ),
    # Applicants that offices count differently: asked about, never guessed (not even from 一名).
    **dict.fromkeys(("个体工商户", "个体户", "个体经营户", "个体商户"), Meaning(NEUTRAL, "unsure")),
    # Weaker: "政府信息" is what is disclosed, and also what an application asks for ("不掌握相关政府信息28件").
    **dict.fromkeys(("政府信息", "各类政府信息", "各类信息"), Meaning(ELSEWHERE, "weak")),
    **dict.fromkeys(
        (
            "组织开展", "组织召开", "组织学习", "组织培训", "组织领导", "组织实施", "组织架构", "组织人员",
            "政府信息公开", "信息公开", "政务公开", "公开工作", "答复", "无误", "未变", "没变",
            "全年", "全区", "全市",
            "全县", "全镇", "全街道", "全乡", "全局", "全委", "全体", "全面", "全力", "无论", "都市", "一个人",
            "同一个人", "同一个", "同一件", "同一份", "本单位", "我单位", "各单位", "无误",
            "没错", "有没有", "没问题", "无需", "未来", "没想到", "各类", "各项", "各级", "各部门", "各村", "各社区",
            "主要", "重要", "需要", "必要", "只要", "后来", "原来", "本来", "将来", "以来", "近来", "从来", "向来",
            "出来", "起来", "申请内容", "申请事项", "申请材料", "申请书", "申请表", "上访户", "老上访户", "信访户",
            "访民", "我们单位", "我们局", "我局", "本局", "单位内部",
            "我们部门",
            "本部门", "我们机关", "本机关的", "单位的内部",
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
    """Every word the chat knows: the registry's first, then clerks' plain words, then grammar."""
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
    # Clerks' plain words, after the registry's (a registry phrase keeps its meaning).
    for row_id, phrases in plain.T3_ROWS.items():
        for w in phrases:
            add(w, Meaning(ROW, row_id))
    for group_id, phrases in plain.T3_GROUPS.items():
        for w in phrases:
            add(w, Meaning(GROUP3, group_id))
    for col_id, phrases in plain.APPLICANTS.items():
        for w in phrases:
            add(w, Meaning(APPL, col_id))
    for group_id, phrases in plain.T4_GROUPS.items():
        for w in phrases:
            add(w, Meaning(T4G, group_id))
    for w in plain.LITIGATION:
        add(w, Meaning(LIT))
    for col_id, phrases in plain.T4_OUTCOMES.items():
        for w in phrases:
            add(w, Meaning(T4C, col_id))
    for col in (*reg.T3_COLUMNS, *reg.T4_COLUMNS):
        if col.id == "total":
            for w in (*col.phrases, *col.aliases):
                add(w, Meaning(TOTAL))
    for w in TOTAL_WORDS:
        add(w, Meaning(TOTAL))
    for w, meaning in GRAMMAR.items():
        add(w, meaning)
    # "结转" alone: carried over (上年没有结转) or forward (全部办结，没有结转): the reading decides.
    add("结转", Meaning(NEUTRAL, "carried"))
    # "其他" alone is a column, a row or a table-4 outcome: the reading decides by context.
    add("其他", Meaning(OTHER))
    # "申请" alone: most often a new application ("个人申请12件").
    for w in ("申请", "公开申请", "信息公开申请", "政府信息公开申请", "件申请", "申请人", "依申请公开", "来了"):
        add(w, Meaning(WEAK_NEW, "new"))
    return words


# Numbers ----------------------------------------------------------------------------------------
_CN = "零〇一二两三四五六七八九十百千万"
_UNITS = ("万元", "块钱", "元", "块", "件", "个", "起", "宗", "份", "项", "条", "次", "笔", "例", "单",
          "家", "名", "位", "户", "人")
_UNIT_RE = "|".join(_UNITS)
_NUMBER = (
    rf"(?<![\d.'第\-])(?P<ar>\d++(?:'\d{{3}})*+(?:\.\d++)?+)(?![年月日号时点%％岁\-/:：.'])"
    rf"(?![ \t]+[年月日号时点%％岁])"
    rf"(?:[ \t]*(?P<mag>[千万])(?=\s*元))?"
    rf"|(?<![{_CN}第几数])(?P<cn>[{_CN}]++)(?=\s*(?:{_UNIT_RE}))"
)
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")  # "2,345": one number, not two clauses
MONEY_UNITS = frozenset({"元", "万元", "块", "块钱"})
COUNTER_UNITS = frozenset({"家", "名", "位", "户", "人"})  # people and bodies, never a cell's unit
COUNT_UNITS = frozenset(_UNITS) - MONEY_UNITS - COUNTER_UNITS


class NumberRole(StrEnum):
    """What a number in a message is (``numbers.mark_numbers`` decides)."""

    QUANTITY = "quantity"  # a count or an amount that may be a cell
    SCOPE = "scope"  # a quantity that opens a scope ("群众那12件里", "这15件中")
    LIST = "list"  # list numbering ("1、", "（2）")
    DOCUMENT = "document"  # inside a document number (国办公开办函〔2021〕30号)
    CODE = "code"  # a phone number, a file number, an id
    COUNTER = "counter"  # how many people or bodies ("三个村民", "两家企业", "1人")
    APPROX = "approx"  # an approximate number ("20多件", "约30件")
    LAST_YEAR = "last_year"  # a figure of last year ("去年是25件")
    DELTA = "delta"  # a difference ("比去年减少了3件")
    AVERAGE = "average"  # an average or a time limit ("平均办理天数6天")
    CLAUSE = "clause"  # an article of the regulation or a part of the form (第二十条第（一）项, 表3)
    TIMES = "times"  # how often something was done ("补正了两次"), not a count of applications
    MEASURE = "measure"  # pages, sessions, articles… ("共3页", "培训3场"): never a table-3 count


@dataclass
class Token:
    start: int
    end: int
    meaning: Meaning | None = None  # None for a number
    value: Decimal | None = None
    unit: str = ""
    text: str = ""
    role: NumberRole = field(default=NumberRole.QUANTITY)

    @property
    def is_number(self) -> bool:
        return self.meaning is None

    @property
    def is_quantity(self) -> bool:
        return self.meaning is None and self.role in (NumberRole.QUANTITY, NumberRole.SCOPE)

    @property
    def cat(self) -> str:
        return "num" if self.meaning is None else self.meaning.cat

    @property
    def id(self) -> str:
        return "" if self.meaning is None else self.meaning.id


_DIMENSIONS = {"row": ROW, "t4g": T4G, "t4c": T4C, "appl": APPL}
PATTERN_MEANINGS: tuple[Meaning, ...] = tuple(Meaning(_DIMENSIONS[dim], rid) for dim, rid, _ in plain.PATTERNS)


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    words = sorted(lexicon(), key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in words)
    patterns = "".join(f"(?P<p{i}>{regex})|" for i, (_dim, _id, regex) in enumerate(plain.PATTERNS))
    # Constructions, then words: "一件也没有" and "三安全一稳定" are words, not the numbers they start with.
    return re.compile(rf"{patterns}(?P<word>{alternation})|(?P<num>{_NUMBER})(?:[ \t]*(?P<unit>{_UNIT_RE}))?")


def normalise(text: str) -> str:
    """The text with full-width forms and traditional characters mapped, same length as before."""
    chars = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        chars.append(n if len(n) == 1 else ch)
    flat = _THOUSANDS.sub("'", "".join(chars))
    simple = to_simplified(flat)
    return simple if len(simple) == len(flat) else flat


THAT_ONE = re.compile(r"[那这该]一?件(?!事)")
ORDINAL = re.compile(r"第[一二三四五六七八九十两\d]{1,3}次")  # "第二次按重复申请答复": one occurrence


def tokenize(norm: str) -> list[Token]:
    """Numbers and known words of a normalised text, leftmost-longest, in order.

    "那件" / "这件" is a count of one that is already known ("律所的那件，部分公开").
    """
    tokens: list[Token] = []
    table = lexicon()
    ones = {m.start(): m for m in THAT_ONE.finditer(norm)}
    for m in _scanner().finditer(norm):
        one = next((o for start, o in ones.items() if start <= m.start() < o.end()), None)
        if one is not None:
            if not tokens or tokens[-1].start != one.start():
                tokens.append(Token(one.start(), one.end(), None, Decimal(1), "件", one.group(0),
                                    role=NumberRole.SCOPE))
            continue
        if m.group("word"):
            tokens.append(Token(m.start(), m.end(), table[m.group("word")], text=m.group("word")))
            continue
        if m.lastgroup and m.lastgroup.startswith("p"):
            tokens.append(Token(m.start(), m.end(), PATTERN_MEANINGS[int(m.lastgroup[1:])], text=m.group(0)))
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
    for o in ORDINAL.finditer(norm):  # the tokenizer leaves numbers after 第; an occurrence is marked later
        if not any(t.start <= o.start() < t.end for t in tokens):
            tokens.append(Token(o.start(), o.end(), None, Decimal(1), "件", o.group(0), role=NumberRole.CLAUSE))
    for one in ones.values():  # "那件" where no word or number was found
        if not any(t.start <= one.start() < t.end for t in tokens):
            tokens.append(Token(one.start(), one.end(), None, Decimal(1), "件", one.group(0), role=NumberRole.SCOPE))
    return sorted(tokens, key=lambda t: t.start)


__all__ = [
    "APPL",
    "COUNT_UNITS",
    "MONEY_UNITS",
    "Meaning",
    "NumberRole",
    "Token",
    "lexicon",
    "normalise",
    "tokenize",
]
