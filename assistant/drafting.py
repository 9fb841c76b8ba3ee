"""Drafts of section 五 (problems and improvements) and of the fee statement in section 六.

``draft_s5`` composes, offline and deterministically, a draft for the clerk to edit: first how
each problem of last year's section 五 was dealt with, then this year's problems and measures,
drawn from this year's numbers, their change against last year and the validator's findings.
Wording varies with a seed derived from the agency and year, so that two offices (or two years)
do not get the same text. Every number it states is read from the tables, so rule TEXT-TABLE
holds, and it never reuses last year's sentences (rule PROBLEMS-COPIED).

``draft_problems`` does the same through an LLM (prompt file ``draft_s5``) when one is
configured, checks the result with the same rules, and falls back to the offline draft.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assistant import cells as reg
from assistant.engines.settings import EngineSettings
from assistant.errors import EngineError
from assistant.findings import Finding, Status
from assistant.model import Report
from assistant.numbers import Value, format_value
from assistant.rules import RULES
from assistant.textsim import reuse_ratio

log = logging.getLogger("assistant.drafting")

# Rules about section 五 itself: not "problems of the year" to write about.
_SELF_RULES = frozenset({"PROBLEMS-COPIED", "PROBLEMS-FOLLOWUP", "SECTIONS-COMPLETE", "TEXT-TABLE"})
_MAX_QUOTE = 22
_MAX_PROBLEMS = 4


@dataclass
class DraftResult:
    """A drafted section text, what wrote it, and notices for the clerk."""

    text: str
    engine: str = "offline"
    prompt: str | None = None
    notices: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------
# Last year's problems


_PROBLEM_LIST = re.compile(
    r"(?:如|主要是|主要表现在|主要有|具体表现为|表现在)[：:，,]?(?P<list>[^。]{6,400}?)等(?:问题|方面)?[。；]"
)
_NUMBERED = re.compile(
    r"(?:^|\n|。)\s*(?:[（(][一二三四五六七八九十][）)]|\d+[、.．])\s*(?P<item>[^。\n]{4,120})"
)
_ORDINAL = re.compile(r"(?:一|二|三|四|五|六)是(?P<item>[^；;。]{4,120})")
_PROBLEM_WORDS = (
    "不足", "有待", "不够", "欠缺", "薄弱", "滞后", "差距", "不到位", "需进一步", "需加强", "还需", "尚需", "不高",
)


def previous_problems(s5: str | None) -> list[str]:
    """The problems last year's section 五 listed, each as a short quote of its own words."""
    if not s5 or not s5.strip():
        return []
    text = re.sub(r"[ \t\u3000]+", "", s5)
    items: list[str] = []
    m = _PROBLEM_LIST.search(text)
    if m:
        items = re.split(r"[、，,；;]", m.group("list"))
    if len(items) < 2:
        items = [i.group("item") for i in _NUMBERED.finditer(text)]
    if len(items) < 2:
        items = [s for s in re.split(r"[。；;\n]", text) if any(w in s for w in _PROBLEM_WORDS)]
    if len(items) < 2:
        items = [i.group("item") for i in _ORDINAL.finditer(text)] or items
    quotes = [_quote(i) for i in items]
    return list(dict.fromkeys(q for q in quotes if len(q) >= 4))[:_MAX_PROBLEMS]


def _quote(item: str) -> str:
    item = re.sub(r"^(?:[（(][一二三四五六七八九十][）)]|\d+[、.．]|一是|二是|三是|四是)", "", item.strip())
    item = re.split(r"[。；;，,：:]", item)[0]
    item = item.strip("“”\"' ")
    item = re.sub(r"等$", "", item)
    return item[:_MAX_QUOTE]


_TOPICS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("依申请", "申请件", "答复", "研判", "文书", "办理"), "followup_request"),
    (("培训", "队伍", "人员", "业务水平", "能力"), "followup_training"),
    (("平台", "网站", "新媒体", "渠道", "栏目", "运维"), "followup_platform"),
    (("解读", "政策"), "followup_reading"),
    (("深度", "广度", "内容", "质量", "数量", "多元"), "followup_content"),
    (("规范", "标准", "机制", "制度", "协调"), "followup_mechanism"),
)


# ------------------------------------------------------------------------------------------------
# Wording (several ways to say each thing; the seed picks)

_WORDS: dict[str, tuple[str, ...]] = {
    "opening": (
        "{year}年，{we}政府信息公开工作有序推进，但对照上级要求和群众期盼，仍存在一些不足。",
        "{year}年，{we}认真贯彻《中华人民共和国政府信息公开条例》，各项工作平稳开展，同时也清醒看到工作中还有短板。",
        "回顾{year}年，{we}政府信息公开工作总体平稳，但与新形势新要求相比仍有差距。",
    ),
    "head_followup": ("（一）上年度问题整改情况", "（一）上年报告所列问题的改进情况"),
    "head_problems": ("本年度存在的主要问题", "当前存在的不足"),
    "head_measures": ("下一步改进措施", "改进措施"),
    "followup": (
        "针对上年报告指出的“{q}”问题，{measure}，{status}。",
        "关于上年度存在的“{q}”问题，本年{measure}，{status}。",
        "对上年提出的“{q}”，{we}{measure}，{status}。",
    ),
    "status": ("已基本整改到位", "取得了明显成效", "整改措施已经落实", "情况已有改善，仍需持续巩固"),
    "followup_request": (
        "梳理优化依申请公开办理流程，统一答复文书格式{done}",
        "修订依申请公开工作规程，对疑难申请实行集体研判{done}",
    ),
    "followup_training": ("组织政府信息公开业务培训，提升工作人员的政策把握和答复能力", "开展专题业务培训和跟班学习"),
    "followup_platform": ("优化政府网站信息公开专栏，加强政务新媒体运维管理", "对公开平台栏目进行梳理整合"),
    "followup_reading": ("丰富政策解读形式，重要文件同步推出图解、问答", "推行政策文件与解读材料同步起草、同步发布"),
    "followup_content": ("围绕重点领域拓展主动公开的内容{issued}", "聚焦群众关注的热点，扩大主动公开范围{issued}"),
    "followup_mechanism": ("健全政府信息公开工作机制，完善发布审核制度", "建立健全协调会商和发布审核机制"),
    "followup_other": ("采取针对性措施加以改进", "明确责任分工，逐项推进整改"),
    "problems_intro": ("主要是：", "主要表现在："),
    "measures_intro": (
        "{next}年，{we}将重点做好以下工作：",
        "下一步，{we}将从以下方面加以改进：",
        "针对上述问题，{next}年{we}将着力抓好以下工作：",
    ),
}
_ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是")

_GENERIC: tuple[tuple[str, str], ...] = (
    ("政策解读形式还不够丰富，图解、视频等解读产品偏少", "丰富政策解读形式，重要政策文件同步推出图解或问答"),
    ("政务新媒体内容更新不够及时，与公众的互动回应有待加强", "加强政务新媒体日常运维，及时回应公众关切"),
    ("基层政务公开标准化规范化水平仍需提高", "对照标准目录梳理公开事项，动态更新公开内容"),
    ("主动公开内容的深度和广度还不够，重点领域信息不够细", "聚焦群众关切的重点领域，细化主动公开内容"),
    ("政府信息公开工作人员变动较多，业务能力参差不齐", "常态化开展业务培训，做好岗位交接和经验传承"),
)


def _seed(report: Report, seed: int | str | None) -> int:
    key = str(seed) if seed is not None else f"{report.meta.agency or ''}|{report.meta.year or ''}"
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:12], 16)


class _Writer:
    def __init__(self, report: Report, rng: random.Random) -> None:
        self.rng = rng
        self.year = report.meta.year
        self.we = we_of(report.meta.agency)

    def pick(self, key: str, **values: Any) -> str:
        text = self.rng.choice(_WORDS[key])
        return text.format(we=self.we, year=self.year or "本", next=(self.year + 1) if self.year else "下一", **values)


def we_of(agency: str | None) -> str:
    """How an agency speaks of itself: 我街道, 我区, 我市, 我局… ("本机关" when unknown)."""
    if not agency:
        return "本机关"
    name = re.sub(r"\s+", "", agency)
    for ending, we in (
        ("街道办事处", "我街道"),
        ("乡人民政府", "我乡"),
        ("镇人民政府", "我镇"),
        ("区人民政府", "我区"),
        ("县人民政府", "我县"),
        ("市人民政府", "我市"),
        ("省人民政府", "我省"),
        ("办公室", "我办"),
        ("局", "我局"),
        ("委员会", "我委"),
        ("厅", "我厅"),
        ("中心", "我中心"),
    ):
        if name.endswith(ending):
            return we
    return "本机关"


# ------------------------------------------------------------------------------------------------
# This year's problems, from the numbers


def _get(report: Report, cid: str) -> Value | None:
    return report.get(cid)


def _pct(part: Value, whole: Value) -> str:
    return format_value((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1")))


def this_years_problems(
    report: Report, previous: Report | None, findings: Sequence[Finding] | None
) -> list[tuple[str, str]]:
    """(problem, measure) pairs the data supports, most telling first."""
    out: list[tuple[str, str]] = []
    new = _get(report, "t3.new.total")
    last_new = previous.get("t3.new.total") if previous else None
    processed = _get(report, "t3.processed_total.total")
    rise = new - last_new if new is not None and last_new is not None else None
    if rise is not None and last_new is not None and rise >= 3 and rise * 5 >= last_new:
        out.append(
            (
                f"依申请公开工作量明显增加，本年新收政府信息公开申请{format_value(new)}件，"
                f"比上年增加{format_value(rise)}件，办理力量相对不足",
                "充实依申请公开办理力量，严格登记、承办、审核、答复各环节的时限管理，确保按期答复",
            )
        )
    not_held = _get(report, "t3.unavailable.not_held.total")
    if processed and not_held and processed >= 5 and not_held * 5 >= processed:
        out.append(
            (
                f"部分申请人对政府信息的制作和保存主体不够了解，答复为本机关不掌握的申请有{format_value(not_held)}件，"
                f"占办结申请的{_pct(not_held, processed)}%",
                "完善政府信息公开指南，加强申请环节的咨询引导，对不属于本机关掌握的信息告知申请人获取途径",
            )
        )
    denied = [_get(report, f"t3.{r.id}.total") for r in reg.T3_ROWS if r.group == "denied"]
    denied_total = sum(v for v in denied if v)
    if processed and denied_total and denied_total * 100 >= processed * 15:
        out.append(
            (
                f"不予公开的答复占比偏高（{format_value(denied_total)}件，"
                f"占办结申请的{_pct(denied_total, processed)}%），答复说理还不够充分",
                "加强答复说理，逐项写明不予公开的事实和法律依据，能够区分处理的尽量部分公开",
            )
        )
    corrected = sum(v for g in reg.T4_GROUPS if (v := _get(report, f"t4.{g.id}.corrected")))
    if corrected:
        out.append(
            (
                f"有{format_value(corrected)}件依申请公开答复在行政复议或行政诉讼中被纠正，答复的规范性和说理性有待加强",
                "加强对答复文书的法制审核，定期梳理复议诉讼典型案例，举一反三改进答复工作",
            )
        )
    forward = _get(report, "t3.carried_forward.total")
    if forward:
        out.append(
            (
                f"年末仍有{format_value(forward)}件申请结转下年度办理，办理进度需要加快",
                "加强办理进度跟踪，确保结转申请在法定期限内办结",
            )
        )
    if new == 0 and not _get(report, "t3.carried_over.total"):
        out.append(
            (
                "依申请公开渠道的社会知晓度不高，本年未收到政府信息公开申请",
                "在政府网站和办事大厅加强政府信息公开指南的宣传，畅通申请渠道",
            )
        )
    open_rules = _open_rules(findings)
    if open_rules:
        titles = "、".join(RULES[r].title for r in open_rules[:3])
        out.append(
            (
                f"年报数据的审核把关还不够严格，校验中仍有{len(open_rules)}类问题需要核对（{titles}）",
                "建立统计数据交叉复核机制，报送前逐项核对表格勾稽关系和上下年度衔接",
            )
        )
    return out


def _open_rules(findings: Sequence[Finding] | None) -> list[str]:
    rules: list[str] = []
    for f in findings or ():
        if f.status is Status.FAILED and f.rule not in _SELF_RULES and f.rule not in rules:
            rules.append(f.rule)
    return rules


# ------------------------------------------------------------------------------------------------
# The drafts


def draft_s5(
    report: Report,
    previous: Report | None = None,
    findings: Sequence[Finding] | None = None,
    *,
    seed: int | str | None = None,
) -> str:
    """Section 五 drafted from the data: last year's problems and their follow-up, then this year's.

    Deterministic for the same input; the wording varies with ``seed`` (default: agency + year).
    """
    previous = previous if previous is not None else report.previous
    w = _Writer(report, random.Random(_seed(report, seed)))
    last_s5 = previous.section_text("s5") if previous else None
    paragraphs = [w.pick("opening")]
    number = 0

    def heading(key: str) -> str:
        nonlocal number
        number += 1
        return f"（{'一二三四'[number - 1]}）{w.pick(key).split('）', 1)[-1]}"

    if previous is not None:
        problems = previous_problems(last_s5)
        head = heading("head_followup")
        if problems:
            lines = [_followup(w, q, report) for q in problems]
            paragraphs.append(f"{head}。" + "".join(lines))
        else:
            paragraphs.append(f"{head}。所附上年报告中没有读到第五部分所列的问题，请补充上年问题的整改情况。")
    issues = this_years_problems(report, previous, findings)
    pool = list(_GENERIC)
    w.rng.shuffle(pool)
    for generic in pool:
        if len(issues) >= 3:
            break
        if last_s5 and reuse_ratio(generic[0], last_s5) > 0.2:
            continue
        issues.append(generic)
    issues = issues[:_MAX_PROBLEMS]
    problems_text = "；".join(f"{_ORDINALS[i]}{p}" for i, (p, _) in enumerate(issues))
    paragraphs.append(f"{heading('head_problems')}。{w.pick('problems_intro')}{problems_text}。")
    measures = "；".join(f"{_ORDINALS[i]}{m}" for i, (_, m) in enumerate(issues))
    paragraphs.append(f"{heading('head_measures')}。{w.pick('measures_intro')}{measures}。")
    return "\n".join(paragraphs)


def _followup(w: _Writer, quote: str, report: Report) -> str:
    key = next((k for words, k in _TOPICS if any(x in quote for x in words)), "followup_other")
    processed = report.get("t3.processed_total.total")
    issued = report.get("t2.normative.issued")
    measure = w.pick(
        key,
        done=f"，全年办结申请{format_value(processed)}件" if processed else "",
        issued=f"，本年制发的{format_value(issued)}件行政规范性文件均已公开" if issued else "",
    )
    return w.pick("followup", q=quote, measure=measure, status=w.pick("status"))


def draft_s6(report: Report) -> str:
    """The fee statement of section 六, from the 信息处理费 cells."""
    notices = report.get("s6.fee.notices")
    amount = report.get("s6.fee.notice_amount")
    collected = report.get("s6.fee.collected")
    basis = "根据《政府信息公开信息处理费管理办法》，"
    if notices is None and collected is None:
        return basis + "本年度发出收费通知的件数、金额和实际收取信息处理费的金额尚未填写，请补充。"
    if notices == 0 and not collected:
        return basis + "本年度未发出收费通知，未收取信息处理费。"
    parts = []
    if notices:
        parts.append(f"共发出收费通知{format_value(notices)}件")
        if amount is not None:
            parts.append(f"通知金额{format_value(amount)}元")
    elif notices == 0:
        parts.append("未发出收费通知")
    if collected:
        parts.append(f"实际收取信息处理费{format_value(collected)}元")
    elif collected == 0:
        parts.append("未实际收取信息处理费")
    return basis + "本年度" + "，".join(parts) + "。"


# ------------------------------------------------------------------------------------------------
# Checks, and the LLM draft


def check_s5(text: str, report: Report, previous: Report | None = None) -> list[str]:
    """Why a section 五 text may not be offered: copied, no follow-up, numbers against the tables."""
    from assistant.validator import validate

    if len(text.strip()) < 60:
        return ["正文过短（应不少于60字）。"]
    candidate = report.with_values({"s5": text})
    previous = previous if previous is not None else report.previous
    found = validate(candidate, previous, rules=["PROBLEMS-COPIED", "PROBLEMS-FOLLOWUP", "TEXT-TABLE"])
    return [
        f.message
        for f in found
        if f.status is Status.FAILED and (f.rule != "TEXT-TABLE" or "s5" in f.cells)
    ]


def facts_text(report: Report, previous: Report | None) -> str:
    """This year's numbers, and last year's where they compare, as lines for the LLM prompt."""
    lines = []

    def line(label: str, cid: str) -> None:
        value = report.get(cid)
        if value is None:
            return
        text = f"{label}：{format_value(value)}"
        last = previous.get(cid) if previous else None
        if last is not None:
            text += f"（上年{format_value(last)}）"
        lines.append(text)

    line("本年新收申请（件）", "t3.new.total")
    line("上年结转申请（件）", "t3.carried_over.total")
    line("办结申请（件）", "t3.processed_total.total")
    for row in reg.T3_ROWS:
        if row.group and row.id != "processed_total":
            value = report.get(f"t3.{row.id}.total")
            if value:
                line(f"其中{reg.t3_row_label(row.id)}（件）", f"t3.{row.id}.total")
    line(f"{reg.T3_ROW['carried_forward'].label}（件）", "t3.carried_forward.total")
    for group in reg.T4_GROUPS:
        label = group.label if group.group is None else f"行政诉讼·{group.label}"
        line(f"{label}（件）", f"t4.{group.id}.total")
        line(f"{label}·结果纠正（件）", f"t4.{group.id}.corrected")
    line("本年制发行政规范性文件（件）", "t2.normative.issued")
    line("现行有效行政规范性文件（件）", "t2.normative.in_force")
    return "\n".join(lines) or "（尚未填写）"


DRAFT_SCHEMA: dict[str, Any] = {
    "title": "draft",
    "description": "第五部分的草稿",
    "type": "object",
    "properties": {"text": {"type": "string", "description": "第五部分正文，分段用换行"}},
    "required": ["text"],
    "additionalProperties": False,
}


def draft_problems(
    report: Report,
    previous: Report | None = None,
    findings: Sequence[Finding] | None = None,
    *,
    settings: EngineSettings | None = None,
    seed: int | str | None = None,
) -> DraftResult:
    """Section 五 for the clerk: through the LLM when configured, else (or on failure) offline."""
    previous = previous if previous is not None else report.previous
    if findings is None:
        from assistant.validator import validate

        findings = validate(report, previous)
    offline = draft_s5(report, previous, findings, seed=seed)
    if settings is None or settings.kind != "openai":
        return DraftResult(offline)
    try:
        return _draft_with_llm(report, previous, findings, settings, offline)
    except EngineError as e:
        log.warning("LLM drafting fell back to the offline draft: %s", type(e).__name__)
        return DraftResult(offline, notices=[f"{e.message}以下为离线生成的草稿。"])


def _draft_with_llm(
    report: Report, previous: Report | None, findings: Sequence[Finding], settings: EngineSettings, offline: str
) -> DraftResult:
    from assistant.llm.text import draft_text, output_format
    from assistant.prompts import load_prompt

    prompt = load_prompt("draft_s5")
    failed = [f.message for f in findings if f.status is Status.FAILED and f.rule not in _SELF_RULES]
    system, user = prompt.render(
        schema=output_format(),
        agency=report.meta.agency or "本机关",
        year=str(report.meta.year or "本"),
        facts=facts_text(report, previous),
        findings="\n".join(f"- {m}" for m in failed[:10]) or "（无）",
        previous_s5=(previous.section_text("s5") if previous else None) or "（无）",
        reference=offline,
    )
    answer = draft_text(settings, system, user, prompt=prompt, check=lambda text: check_s5(text, report, previous))
    return DraftResult(answer.text, engine=answer.engine, prompt=answer.prompt, notices=answer.notices)


__all__ = [
    "DraftResult",
    "check_s5",
    "draft_problems",
    "draft_s5",
    "draft_s6",
    "facts_text",
    "previous_problems",
    "this_years_problems",
    "we_of",
]
