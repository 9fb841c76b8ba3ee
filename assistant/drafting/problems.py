"""Section 五 (the main problems and how they are addressed), drafted offline for the clerk to edit.

First how each problem of last year's section 五 was dealt with (only when last year's report
has a section 五 to follow up), then this year's problems and the measures planned. This year's
problems are, in this order: those the clerk named (the chat's material, the notes), in the
clerk's words; those the numbers show (a rise in applications, a high share of 本机关不掌握, a
correction in review or court); and, only to reach a useful minimum, common ones from a list,
avoiding last year's wording (rule PROBLEMS-COPIED). Every number is read from the tables.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant import cells as reg
from assistant.drafting.base import Drafted, DraftInput
from assistant.drafting.wording import ORDINALS, Writer
from assistant.model import Report
from assistant.numbers import Value, format_value
from assistant.textsim import reuse_ratio

_MAX_QUOTE = 22
_MAX_PROBLEMS = 4
_MAX_CLERK_PROBLEM = 60

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


# Topics a problem may be about, with the follow-up (what was done) and the measure (what will be).
_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("request", ("依申请", "申请件", "答复", "研判", "文书", "办理")),
    ("training", ("培训", "队伍", "人员", "业务", "能力", "不熟", "水平")),
    ("platform", ("平台", "网站", "新媒体", "渠道", "栏目", "运维", "公众号")),
    ("reading", ("解读", "政策")),
    ("grassroots", ("基层", "社区", "村", "街道", "乡镇")),
    ("content", ("深度", "广度", "内容", "质量", "数量", "多元", "更新", "及时")),
    ("mechanism", ("规范", "标准", "机制", "制度", "协调")),
)


def topic_of_problem(text: str) -> str:
    return next((key for key, words in _TOPICS if any(w in text for w in words)), "other")


# ------------------------------------------------------------------------------------------------
# Wording (several ways to say each thing; the seed picks, no variant twice)

_WORDS: dict[str, tuple[str, ...]] = {
    "opening": (
        "{year}年，{we}政府信息公开工作有序推进，但对照上级要求和群众期盼，仍存在一些不足。",
        "{year}年，{we}认真贯彻《中华人民共和国政府信息公开条例》，各项工作平稳开展，同时也清醒看到工作中还有短板。",
        "回顾{year}年，{we}政府信息公开工作总体平稳，但与新形势新要求相比仍有差距。",
    ),
    "head_followup": ("上年度问题整改情况", "上年报告所列问题的改进情况"),
    "head_problems": ("本年度存在的主要问题", "当前存在的不足"),
    "head_measures": ("下一步改进措施", "改进措施"),
    "followup": (
        "针对上年报告指出的“{q}”问题，{measure}，{status}。",
        "关于上年度存在的“{q}”问题，本年{measure}，{status}。",
        "对上年提出的“{q}”问题，{we}{measure}，{status}。",
        "上年报告所列“{q}”的问题，本年{measure}，{status}。",
    ),
    "status": ("已基本整改到位", "取得了一定成效", "整改措施已经落实", "情况已有改善，仍需持续巩固"),
    "followup_request": (
        "梳理优化依申请公开办理流程，统一答复文书格式{done}",
        "修订依申请公开工作规程，对疑难申请实行集体研判{done}",
    ),
    "followup_training": ("组织政府信息公开业务培训，提升工作人员的政策把握和答复能力", "开展专题业务培训和跟班学习"),
    "followup_platform": ("优化政府网站信息公开专栏，加强政务新媒体运维管理", "对公开平台栏目进行梳理整合"),
    "followup_reading": ("丰富政策解读形式，重要文件同步推出图解、问答", "推行政策文件与解读材料同步起草、同步发布"),
    "followup_grassroots": ("加强对基层政务公开工作的指导", "推动基层政务公开事项标准化规范化"),
    "followup_content": ("围绕重点领域拓展主动公开的内容{issued}", "聚焦群众关注的热点，扩大主动公开范围{issued}"),
    "followup_mechanism": ("健全政府信息公开工作机制，完善发布审核制度", "建立健全协调会商和发布审核机制"),
    "followup_other": ("采取针对性措施加以改进", "明确责任分工，逐项推进整改"),
    "measure_request": ("规范依申请公开办理流程，加强答复文书的审核把关",),
    "measure_training": ("常态化开展业务培训，通过集中培训、以会代训等方式提升工作人员业务能力",),
    "measure_platform": ("加强公开平台日常运维和内容保障，及时更新栏目信息",),
    "measure_reading": ("丰富政策解读形式，提高解读的针对性和可读性",),
    "measure_grassroots": ("加强对基层政务公开工作的业务指导，推动公开事项标准化规范化",),
    "measure_content": ("聚焦群众关切，及时、准确、全面公开政府信息",),
    "measure_mechanism": ("健全政府信息公开工作制度机制，推进公开工作规范化",),
    "measure_other": ("针对这一问题，明确责任分工，研究制定具体改进措施", "逐项分析原因，明确整改责任和时限"),
    "problems_intro": ("主要是：", "主要表现在："),
    "measures_intro": (
        "{next}年，{we}将重点做好以下工作：",
        "下一步，{we}将从以下方面加以改进：",
        "针对上述问题，{next}年{we}将着力抓好以下工作：",
    ),
}

_GENERIC: tuple[tuple[str, str], ...] = (
    ("政策解读形式还不够丰富，图解、视频等解读产品偏少", "丰富政策解读形式，重要政策文件同步推出图解或问答"),
    ("政务新媒体内容更新不够及时，与公众的互动回应有待加强", "加强政务新媒体日常运维，及时回应公众关切"),
    ("基层政务公开标准化规范化水平仍需提高", "对照标准目录梳理公开事项，动态更新公开内容"),
    ("主动公开内容的深度和广度还不够，重点领域信息不够细", "聚焦群众关切的重点领域，细化主动公开内容"),
    ("政府信息公开工作人员变动较多，业务能力参差不齐", "常态化开展业务培训，做好岗位交接和经验传承"),
)

QUESTION_FOLLOWUP_DRAFTED = "上年问题的整改情况是按常见做法起草的，请按实际整改情况核改。"
QUESTION_GENERIC = "部分问题和措施是按常见情况起草的，请按本机关实际核改；也可以在对话中告诉我今年工作中存在的问题。"


# ------------------------------------------------------------------------------------------------
# This year's problems, from the numbers


def _pct(part: Value, whole: Value) -> str:
    return format_value((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1")))


def this_years_problems(report: Report, previous: Report | None) -> list[tuple[str, str]]:
    """(problem, measure) pairs the tables support, most telling first."""
    out: list[tuple[str, str]] = []
    get = report.get
    new = get("t3.new.total")
    last_new = previous.get("t3.new.total") if previous else None
    processed = get("t3.processed_total.total")
    rise = new - last_new if new is not None and last_new is not None else None
    if rise is not None and last_new is not None and rise >= 3 and rise * 5 >= last_new:
        out.append(
            (
                f"依申请公开工作量明显增加，本年新收政府信息公开申请{format_value(new)}件，"
                f"比上年增加{format_value(rise)}件，办理力量相对不足",
                "充实依申请公开办理力量，严格登记、承办、审核、答复各环节的时限管理，确保按期答复",
            )
        )
    not_held = get("t3.unavailable.not_held.total")
    if processed and not_held and processed >= 5 and not_held * 5 >= processed:
        out.append(
            (
                f"部分申请人对政府信息的制作和保存主体不够了解，答复为本机关不掌握的申请有{format_value(not_held)}件，"
                f"占办结申请的{_pct(not_held, processed)}%",
                "完善政府信息公开指南，加强申请环节的咨询引导，对不属于本机关掌握的信息告知申请人获取途径",
            )
        )
    denied = [get(f"t3.{r.id}.total") for r in reg.T3_ROWS if r.group == "denied"]
    denied_total = sum(v for v in denied if v)
    if processed and denied_total and all(v is not None for v in denied) and denied_total * 100 >= processed * 15:
        out.append(
            (
                f"不予公开的答复占比偏高（{format_value(denied_total)}件，"
                f"占办结申请的{_pct(denied_total, processed)}%），答复说理还不够充分",
                "加强答复说理，逐项写明不予公开的事实和法律依据，能够区分处理的尽量部分公开",
            )
        )
    corrections = [get(f"t4.{g.id}.corrected") for g in reg.T4_GROUPS]
    corrected = sum(v for v in corrections if v)
    if corrected and all(v is not None for v in corrections):
        out.append(
            (
                f"有{format_value(corrected)}件依申请公开答复在行政复议或行政诉讼中被纠正，答复的规范性和说理性有待加强",
                "加强对答复文书的法制审核，定期梳理复议诉讼典型案例，举一反三改进答复工作",
            )
        )
    forward = get("t3.carried_forward.total")
    if forward:
        out.append(
            (
                f"年末仍有{format_value(forward)}件申请结转下年度办理，办理进度需要加快",
                "加强办理进度跟踪，确保结转申请在法定期限内办结",
            )
        )
    if new == 0 and get("t3.carried_over.total") == 0:
        out.append(
            (
                "依申请公开渠道的社会知晓度不高，本年未收到政府信息公开申请",
                "在政府网站和办事大厅加强政府信息公开指南的宣传，畅通申请渠道",
            )
        )
    return out


def _clerk_problem(text: str) -> str:
    text = re.sub(r"^(?:存在的?问题|问题|不足)[：:是]\s*", "", text.strip())
    text = text.rstrip("。；;，, ")
    return text[:_MAX_CLERK_PROBLEM]


# ------------------------------------------------------------------------------------------------
# The draft


def draft_section(data: DraftInput) -> Drafted:
    """Section 五 from the data: last year's problems and their follow-up, then this year's."""
    report, previous = data.report, data.previous
    w = Writer(report, data.seed, _WORDS)
    questions: list[str] = []
    last_s5 = (previous.section_text("s5") or "").strip() if previous else ""
    paragraphs = [w.pick("opening")]
    number = 0

    def heading(key: str) -> str:
        nonlocal number
        number += 1
        return f"（{'一二三四'[number - 1]}）{w.pick(key)}"

    details = {
        "done": f"，全年办结申请{format_value(p)}件" if (p := report.get("t3.processed_total.total")) else "",
        "issued": f"，本年制发的{format_value(i)}件行政规范性文件均已公开" if (i := report.get("t2.normative.issued"))
        else "",
    }
    if last_s5:
        problems = previous_problems(last_s5)
        if problems:
            used: set[str] = set()
            lines = []
            for q in problems:
                topic = topic_of_problem(q)
                key = f"followup_{topic}"
                if key in used and key != "followup_other":
                    key = "followup_other"
                used.add(key)
                measure = w.pick(key, **details)
                for name, detail in details.items():
                    if detail and detail in measure:
                        details[name] = ""  # a number is stated once
                lines.append(w.pick("followup", q=q, measure=measure, status=w.pick("status")))
            paragraphs.append(f"{heading('head_followup')}。" + "".join(lines))
            questions.append(QUESTION_FOLLOWUP_DRAFTED)
        else:
            questions.append("没有从上年报告的第五部分读出具体问题：请补充上年问题的整改情况。")
    elif previous is not None:
        questions.append("所附上年报告中没有第五部分：如上年报告列有问题，请补充其整改情况。")

    issues: list[tuple[str, str]] = []
    measures_used: set[str] = set()
    for statement in data.material.s5:
        problem = _clerk_problem(statement.text)
        if not problem or any(reuse_ratio(problem, p) > 0.6 for p, _ in issues):
            continue
        topic = topic_of_problem(problem)
        key = f"measure_{topic}" if f"measure_{topic}" not in measures_used else "measure_other"
        measures_used.add(key)
        issues.append((problem, w.pick(key)))
    clerk_named = len(issues)
    for problem, measure in this_years_problems(data.trusted, previous):
        if len(issues) < _MAX_PROBLEMS:
            issues.append((problem, measure))
    minimum = 2 if clerk_named else 3
    if len(issues) < minimum:
        for generic in w.shuffled(_GENERIC):
            if len(issues) >= minimum:
                break
            if last_s5 and reuse_ratio(generic[0], last_s5) > 0.2:
                continue
            if any(reuse_ratio(generic[0], p) > 0.3 for p, _ in issues):
                continue
            issues.append(generic)
        questions.append(QUESTION_GENERIC)
    issues = issues[:_MAX_PROBLEMS]
    problems_text = "；".join(f"{ORDINALS[i]}{p}" for i, (p, _) in enumerate(issues))
    paragraphs.append(f"{heading('head_problems')}。{w.pick('problems_intro')}{problems_text}。")
    measures = "；".join(f"{ORDINALS[i]}{m}" for i, (_, m) in enumerate(issues))
    paragraphs.append(f"{heading('head_measures')}。{w.pick('measures_intro')}{measures}。")
    return Drafted("\n".join(paragraphs), questions)
