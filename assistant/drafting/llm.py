"""A section drafted through the configured LLM, and reviewed before it is offered.

One call (``llm_draft``) through the LLM transport (``assistant.llm.text.draft_text``), with the prompt file
``draft_<section>``: the model is given the facts (as lines), the clerk's statements, last
year's text of the section (as data, for structure) and the offline draft (as a reference).
Every answer is reviewed like an offline draft (``review.review``): a number that is not in the
facts, a document the material does not name, a contradiction with the tables, a repeated
sentence or a placeholder make it re-asked, then refused (``EngineError``, the caller falls back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.drafting.base import DraftInput
from assistant.drafting.review import review
from assistant.engines.settings import EngineSettings
from assistant.errors import EngineError
from assistant.findings import Status
from assistant.numbers import format_value

if TYPE_CHECKING:
    from assistant.llm.text import TextAnswer
    from assistant.prompts import Prompt

_FACT_TABLES = {
    "preface": (),
    "s1": ("t2.", "t3.", "t4."),
    "s2": ("t2.",),
    "s3": ("t3.",),
    "s4": ("t4.",),
    "s5": ("t2.", "t3.", "t4."),
    "s6": ("s6.",),
}
_SELF_RULES = frozenset({"PROBLEMS-COPIED", "PROBLEMS-FOLLOWUP", "SECTIONS-COMPLETE", "TEXT-TABLE"})


def _facts(section: str, data: DraftInput) -> str:
    meta = data.report.meta
    lines = [f"报告年度：{meta.year}年" if meta.year else "报告年度：（未填）"]
    if section == "preface":
        contact = meta.contact.model_dump()
        labels = {"office": "联系部门", "address": "地址", "postcode": "邮政编码", "phone": "联系电话",
                  "email": "电子邮箱"}
        lines += [f"{labels[k]}：{v}" for k, v in contact.items() if v]
        return "\n".join(lines)
    prefixes = _FACT_TABLES[section]
    chosen = [f for f in data.facts.items if f.source == "table" and f.key.startswith(prefixes)
              and (f.value or _headline(f.key))]
    for f in chosen:
        last = data.facts.by_key(f"last:{f.key}")
        extra = f"（上年{format_value(last.value)}{last.unit}）" if last is not None else ""
        lines.append(f"{f.label}：{format_value(f.value)}{f.unit}{extra}")
    lines += [f"{f.label}：{format_value(f.value)}{f.unit}" for f in data.facts.items
              if f.source == "derived" and f.key.startswith(tuple(f"sum:{p}" for p in prefixes))]
    return "\n".join(lines)


def _headline(cid: str) -> bool:
    """Cells worth stating even when 0 (no applications is news; 0 in a detail row is not)."""
    return (cid.endswith(".total") and (cid.startswith("t4.") or cid.split(".")[1] in (
        "new", "carried_over", "processed_total", "carried_forward"))) or cid.startswith(("t2.", "s6."))


def prompt_values(section: str, data: DraftInput, reference: str) -> dict[str, str]:
    """Every input a ``draft_*`` prompt may declare, as text."""
    previous = data.previous
    statements = data.material.of(section)
    failed = [f.message for f in data.findings if f.status is Status.FAILED and f.rule not in _SELF_RULES]
    return {
        "agency": data.report.meta.agency or "本机关",
        "year": str(data.report.meta.year or "本"),
        "facts": _facts(section, data),
        "material": "\n".join(f"- {s.text}" for s in statements) or "（无）",
        "previous": (previous.section_text(section) if previous else None) or "（无）",
        "previous_s5": (previous.section_text("s5") if previous else None) or "（无）",
        "findings": "\n".join(f"- {m}" for m in failed[:10]) or "（无）",
        "reference": reference,
    }


def rendered_prompt(section: str, data: DraftInput, reference: str) -> tuple[Prompt, str, str]:
    """The prompt file of ``section`` and its system and user messages, as sent to the model."""
    from assistant.llm.text import output_format
    from assistant.prompts import load_prompt

    prompt = load_prompt(f"draft_{section}")
    values = prompt_values(section, data, reference)
    system, user = prompt.render(schema=output_format(), **{k: values[k] for k in prompt.inputs if k != "schema"})
    return prompt, system, user


def llm_draft(section: str, data: DraftInput, reference: str, settings: EngineSettings) -> TextAnswer:
    """A reviewed LLM draft (its text, prompt id@version and notices), or EngineError with a Chinese message."""
    from assistant.llm.text import draft_text

    prompt, system, user = rendered_prompt(section, data, reference)
    answer = draft_text(settings, system, user, prompt=prompt, check=lambda text: review(section, text, data))
    problems = review(section, answer.text, data)  # checked again here: the draft offered is the draft reviewed
    if problems:
        raise EngineError(f"大模型起草的文字未通过核对（{'；'.join(problems[:2])}）。")
    return answer
