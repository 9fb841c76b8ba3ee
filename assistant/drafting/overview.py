"""Section 一、总体情况: an opening, then the five topics every report covers.

主动公开 from table 二 and the clerk's statements; 依申请公开 from tables 三 and 四; 政府信息管理,
平台建设 and 监督保障 from the clerk's statements (the chat's material, the notes). Last year's
section 一 lends its structure: a topic keeps last year's heading when last year had one for it
(its figures are never used). A topic the data says nothing specific about gets one sober
sentence of what the regulation asks, and a question to the clerk for the specifics.
"""

from __future__ import annotations

import re

from assistant.cells import S1_TOPICS, Topic
from assistant.drafting.base import Drafted, DraftInput
from assistant.drafting.material import topic_of
from assistant.drafting.tables import table2_sentence, table3_sentence, table4_sentence, year_lead
from assistant.drafting.wording import HEADING_NUMBERS, Writer, as_sentence
from assistant.model import Report

HEADINGS = {
    "proactive": "主动公开情况",
    "on_request": "依申请公开情况",
    "management": "政府信息管理情况",
    "platform": "政府信息公开平台建设情况",
    "oversight": "政府信息公开监督保障情况",
}

_WORDS: dict[str, tuple[str, ...]] = {
    "opening": (
        "{year}年，{we}认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），坚持以公开为常态、"
        "不公开为例外，依法依规做好政府信息公开工作。",
        "{year}年，{we}按照《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定和上级部署，"
        "有序推进政府信息公开各项工作。",
        "{year}年，{we}严格执行《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        "扎实做好主动公开、依申请公开等各项工作，保障人民群众的知情权、参与权和监督权。",
    ),
    "proactive": (
        "{we}按照《条例》规定，依法依规主动公开政府信息。",
        "{we}依法做好政府信息主动公开工作。",
    ),
    "on_request": (
        "{we}按照《条例》规定受理、办理政府信息公开申请。",
        "{we}依法办理政府信息公开申请，规范受理、办理和答复工作。",
    ),
    "management": (
        "{we}按照《条例》要求加强政府信息管理，对拟公开的政府信息依法进行审查。",
        "{we}落实政府信息公开审查要求，做好政府信息管理工作。",
    ),
    "platform": (
        "{we}依托政府网站等公开平台发布政府信息。",
        "{we}通过政府网站等平台做好政府信息公开工作。",
    ),
    "oversight": (
        "{we}落实政府信息公开工作责任，自觉接受社会公众和上级部门的监督。",
        "{we}认真落实政府信息公开工作要求，自觉接受社会监督。",
    ),
}

QUESTIONS = {
    "proactive": "主动公开：本年通过哪些渠道主动公开了多少条政府信息？有哪些重点领域的公开或政策解读？",
    "management": "政府信息管理：本年在信息发布审核、保密审查、公开目录更新、文件清理等方面做了哪些工作？",
    "platform": "平台建设：本年政府网站、政务新媒体、政务公开专区等平台有哪些建设情况（如栏目调整、发布信息条数）？",
    "oversight": "监督保障：本年在工作考核、社会评议、业务培训、责任追究等方面做了哪些工作？",
}

_SUB_HEADING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．])\s*(?P<title>[^。：:\n]{2,30})"
)


def last_years_headings(previous: Report | None) -> dict[str, str]:
    """Topic → last year's heading for it, when last year's 一 had one that names the topic."""
    if previous is None:
        return {}
    value = previous.sections.s1
    titles: list[str] = []
    if isinstance(value, list):
        titles = [p.title for p in value if p.title]
    elif value:
        titles = [m.group("title") for line in value.splitlines() if (m := _SUB_HEADING.match(line))]
    out: dict[str, str] = {}
    topics = {t.id: t for t in S1_TOPICS}
    for raw in titles:
        title = re.sub(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．])\s*", "", raw)
        title = title.strip().rstrip("。.；;")
        topic = topic_of(title)
        if (topic and topic not in out and not re.search(r"\d", title) and len(title) <= 30
                and _names(topics[topic], title)):
            out[topic] = title
    return out


def _names(topic: Topic, text: str) -> bool:
    return any(k in text for k in topic.keywords)


def draft_s1(data: DraftInput) -> Drafted:
    report = data.report
    w = Writer(report, data.seed, _WORDS)
    questions: list[str] = []
    headings = last_years_headings(data.previous)
    opening = w.pick("opening") + "".join(as_sentence(s.text) for s in data.material.s1_general)
    paragraphs = [opening]
    for number, topic in zip(HEADING_NUMBERS, S1_TOPICS, strict=False):
        heading = headings.get(topic.id, HEADINGS[topic.id])
        statements = [as_sentence(s.text) for s in data.material.s1.get(topic.id, [])]
        body = [w.pick(topic.id)]
        if topic.id == "proactive":
            body += statements
            sentence, asked = table2_sentence(report, year_lead(data), data.doubtful)
            body.append(sentence)
            questions += asked
        elif topic.id == "on_request":
            for make in (table3_sentence, table4_sentence):
                sentence, asked = make(report, data.doubtful)
                body.append(sentence)
                questions += asked
            body += statements
        else:
            body += statements
        if not statements and topic.id in QUESTIONS:
            questions.append(QUESTIONS[topic.id])
        text = "".join(b for b in body if b)
        if not _names(topic, heading + text):
            heading = HEADINGS[topic.id]
        paragraphs.append(f"{number}{heading}。{text}")
    return Drafted("\n".join(paragraphs), list(dict.fromkeys(questions)))
