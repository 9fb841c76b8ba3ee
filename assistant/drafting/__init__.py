"""Drafting the report's texts for the clerk to edit: every section, offline by default, or through an LLM.

``draft_section(section, report, previous, notes=…)`` returns a ``DraftResult``: the text (never
applied to the report: the clerk adopts it), the questions the data leaves open (shown beside the
draft, never written into it) and notices. One module per section (``preface``, ``overview`` for
一, ``tables`` for 二–四, ``problems`` for 五, ``other`` for 六); ``material`` sorts the clerk's
statements, ``facts`` lists what a draft may state, ``figures`` and ``review`` check a draft
against them, ``llm`` makes the one LLM call.

Offline drafts are deterministic for one input; their wording varies with a seed (default: the
agency and year) so that two offices do not get the same text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from assistant.drafting import other, overview, preface, problems, tables
from assistant.drafting.base import DRAFTABLE, Drafted, DraftInput, DraftResult, doubtful_cells
from assistant.drafting.facts import gather_facts
from assistant.drafting.material import gather, read_note_files
from assistant.drafting.problems import previous_problems, this_years_problems
from assistant.drafting.review import review
from assistant.drafting.wording import we_of
from assistant.engines.settings import EngineSettings
from assistant.errors import EngineError, InputError
from assistant.findings import Finding
from assistant.model import Report

log = logging.getLogger("assistant.drafting")

DRAFTERS: dict[str, Callable[[DraftInput], Drafted]] = {
    "preface": preface.draft_preface,
    "s1": overview.draft_s1,
    "s2": tables.draft_s2,
    "s3": tables.draft_s3,
    "s4": tables.draft_s4,
    "s5": problems.draft_section,
    "s6": other.draft_s6,
}
assert tuple(DRAFTERS) == DRAFTABLE


def draft_input(
    report: Report,
    previous: Report | None = None,
    *,
    notes: Sequence[tuple[str, str]] = (),
    findings: Sequence[Finding] | None = None,
    seed: int | str | None = None,
) -> DraftInput:
    """What a section is drafted from; ``notes`` are (file name, text) pairs."""
    previous = previous if previous is not None else report.previous
    material = gather(report, notes)
    if findings is None:
        from assistant.validator import validate

        findings = validate(report, previous)
    facts = gather_facts(report, previous, material)
    return DraftInput(report, previous, findings, material, facts, seed, doubtful_cells(findings))


def draft_section(
    section: str,
    report: Report,
    previous: Report | None = None,
    *,
    notes: Sequence[tuple[str, str]] = (),
    findings: Sequence[Finding] | None = None,
    settings: EngineSettings | None = None,
    seed: int | str | None = None,
) -> DraftResult:
    """A draft of ``section`` for the clerk: through the LLM when configured, else (or on refusal) offline."""
    if section not in DRAFTERS:
        raise InputError(f"无法起草“{section}”：可起草的部分为 {'、'.join(DRAFTABLE)}。")
    data = draft_input(report, previous, notes=notes, findings=findings, seed=seed)
    offline = DRAFTERS[section](data)
    result = DraftResult(offline.text, section, questions=offline.questions)
    if settings is None or settings.kind != "openai" or not offline.text.strip():
        return result  # nothing known to write about: the LLM would only invent
    from assistant.drafting.llm import llm_draft

    try:
        answer = llm_draft(section, data, offline.text, settings)
    except EngineError as e:
        log.warning("LLM drafting of %s fell back to the offline draft: %s", section, type(e).__name__)
        result.notices.append(f"{e.message}以下为离线生成的草稿。")
        return result
    return DraftResult(answer.text, section, engine=answer.engine, prompt=answer.prompt, questions=offline.questions,
                       notices=list(answer.notices))


def draft_problems(
    report: Report,
    previous: Report | None = None,
    findings: Sequence[Finding] | None = None,
    *,
    settings: EngineSettings | None = None,
    seed: int | str | None = None,
    notes: Sequence[tuple[str, str]] = (),
) -> DraftResult:
    """Section 五 for the clerk (the ``draft-problems`` command's service)."""
    return draft_section("s5", report, previous, notes=notes, findings=findings, settings=settings, seed=seed)


def draft_s5(
    report: Report,
    previous: Report | None = None,
    findings: Sequence[Finding] | None = None,
    *,
    seed: int | str | None = None,
) -> str:
    """Section 五 drafted offline (the text only)."""
    return problems.draft_section(draft_input(report, previous, findings=findings, seed=seed)).text


def check_draft(section: str, text: str, report: Report, previous: Report | None = None,
                notes: Sequence[tuple[str, str]] = ()) -> list[str]:
    """Why ``text`` may not be offered as ``section`` (empty when it may): the LLM drafts' review."""
    return review(section, text, draft_input(report, previous, notes=notes, findings=()))


def check_s5(text: str, report: Report, previous: Report | None = None) -> list[str]:
    return check_draft("s5", text, report, previous)


__all__ = [
    "DRAFTABLE",
    "DraftResult",
    "check_draft",
    "check_s5",
    "draft_input",
    "draft_problems",
    "draft_s5",
    "draft_section",
    "previous_problems",
    "read_note_files",
    "this_years_problems",
    "we_of",
]
