"""The LLM engine: any OpenAI-compatible endpoint, the same ``Proposal`` as the offline engine.

One call per turn (plus bounded re-asks). The model is sent the prompt file's text, a compact
legend of only the cells the message can concern (``assistant.llm.budget``), their current
values, and the source wrapped as data in ``<source>…</source>``. A message that states no
number and no 没有/未 can fill nothing: the model is not called.

The answer is read leniently (``assistant.llm.parse``) and validated strictly, item by item
(``assistant.llm.schema``): the valid changes are kept, the invalid ones re-asked once more —
only they — and then dropped with a notice. Before it is shown, the proposal is cross-checked
with the offline engine's reading of the same message and with the table arithmetic; every
disagreement is said in a notice for the clerk. When the endpoint fails (timeout, refused key,
unusable or cut-off answers) the offline engine's proposal is returned with a Chinese notice; the
draft is never touched here in any case.

The API key is only handed to the HTTP client: it is never logged, stored in a proposal, a
notice or an error message.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assistant.cells import CELLS, label_of
from assistant.changes import Change
from assistant.engines.base import Engine, Proposal, SourceKind, report_of
from assistant.engines.offline import OfflineEngine
from assistant.engines.settings import EngineSettings, Method
from assistant.errors import EngineError
from assistant.llm.budget import Scope, fillable, legend, scope_of, values_text
from assistant.llm.schema import PROPOSAL_KEYS, Turn, check_items, check_proposal, proposal_schema, raw_changes
from assistant.model import Report
from assistant.numbers import format_value
from assistant.prompts import Prompt, load_prompt

if TYPE_CHECKING:
    from assistant.editing import Draft
    from assistant.llm.structured import Answer, Session

log = logging.getLogger("assistant.engines.llm")

MAX_TOKENS_CHAT = 1024
MAX_TOKENS_NOTES = 2048
MAX_LISTED = 4
MAX_ENUM = 60  # beyond this many ids the enum costs more prompt (tools) than it saves; the legend names them
_SOURCE_TAG = re.compile(r"</?\s*source\s*>", re.I)


class LLMEngine:
    """Proposals from an OpenAI-compatible chat endpoint, checked, with an offline fallback."""

    def __init__(self, settings: EngineSettings, *, fallback: Engine | None = None) -> None:
        if settings.kind != "openai" or not settings.base_url or not settings.model:
            raise EngineError("大模型设置不完整：需要服务地址（base URL）和模型名称。")
        self.settings = settings
        self.name = settings.engine_name
        self.fallback = fallback or OfflineEngine()

    def propose(
        self, source: str, draft: Report | Draft | None = None, *, kind: SourceKind = "chat", **_: Any
    ) -> Proposal:
        """``**_``: optional arguments other engines take (a conversation context) are accepted and ignored."""
        from assistant.llm.structured import Session

        report = report_of(draft)
        offline = self.fallback.propose(source, report, kind=kind)
        if not fillable(source):
            return offline  # nothing a quote could prove: no call, no cost
        session = Session(self.settings, MAX_TOKENS_NOTES if kind == "notes" else MAX_TOKENS_CHAT)
        try:
            return self._propose(source, report, offline, session)
        except EngineError as e:
            log.warning("LLM engine fell back to the offline engine: %s", type(e).__name__)
            notices = [*session.notices, f"{e.message}以下为离线引擎的结果。", *offline.notices]
            return offline.model_copy(update={"notices": list(dict.fromkeys(notices))})

    def _propose(self, source: str, report: Report, offline: Proposal, session: Session) -> Proposal:
        scope = scope_of(source, [c.cell for c in offline.changes])
        ids = scope.cells()
        turn = Turn(source, frozenset(ids))
        schema = proposal_schema(ids if len(ids) <= MAX_ENUM else None)
        prompt = load_prompt("extract")
        history: list[dict[str, Any]] = []
        build = _builder(prompt, scope, ids, report, source, schema, history)

        def ask() -> Answer:
            return session.ask(build, schema=schema, name="proposal", description="对年报表格单元格的修改建议",
                               keys=PROPOSAL_KEYS, list_key="changes")

        used: list[Prompt] = [prompt]
        answer = ask()
        retries = 0
        while not answer.ok:
            if retries >= self.settings.max_retries:
                raise EngineError(f"大模型的回答多次不符合要求（{answer.problem}）。")
            retries += 1
            reask = load_prompt("reask")
            used.append(reask)
            history += [_assistant(answer.raw), _user(reask.render(errors=f"- {answer.problem}")[0])]
            answer = ask()
        log.info("LLM answer read (repairs: %s)", ",".join(answer.repairs) or "none")
        checked = check_proposal(answer.data, turn)
        kept, reply, questions = list(checked.changes), checked.reply, checked.questions
        refused = vouched(checked.refused, kept, offline)
        all_refused = list(refused)
        while refused and retries < self.settings.max_retries:
            retries += 1
            again = load_prompt("reask_items")
            used.append(again)
            history += [_assistant(answer.raw), _user(again.render(items=_items_text(refused))[0])]
            try:
                answer = ask()
            except EngineError as e:  # what was already valid stays valid
                session.notices.append(f"重新询问未成功（{e.message}）。")
                break
            if not answer.ok:
                break
            more = check_items(raw_changes(answer.data), turn, {c.cell: c.value for c in kept})  # type: ignore[misc]
            kept += more.changes
            refused = vouched(more.refused, kept, offline)
            all_refused += refused
            more_questions = check_proposal({**answer.data, "changes": []}, turn).questions
            questions += [q for q in more_questions if q not in questions]
        if not kept and all_refused:  # nothing the model said held: the offline reading is offered instead
            raise EngineError(f"大模型给出的建议都未通过核对（{all_refused[0][1]}）。")
        kept, notices = cross_check(kept, all_refused, offline, report)
        notices = [*session.notices, *notices]
        if any(_cell_of(item) not in {c.cell for c in kept} for item, _ in all_refused):
            reply = ""  # the model's own summary may speak of what was refused
        return Proposal(
            changes=kept,
            reply=reply or _default_reply(kept),
            questions=questions,
            engine=self.name,
            prompt="+".join(dict.fromkeys(p.ref for p in used)),
            notices=notices,
        )


# ------------------------------------------------------------------------------------------------
# What is sent


def _builder(prompt: Prompt, scope: Scope, ids: Sequence[str], report: Report, source: str,
             schema: dict[str, Any], history: list[dict[str, Any]]) -> Any:
    legend_text, values, data = legend(scope), values_text(ids, report), as_data(source)
    in_prompt = proposal_schema(None)  # the legend names the ids: no enum in the prompt

    def build(method: Method | None) -> list[dict[str, Any]]:
        system, user = prompt.render(schema=schema_text(in_prompt, method), legend=legend_text, values=values,
                                     source=data)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}, *history]

    return build


def first_messages(
    source: str, report: Report | None = None, method: Method | None = "json_schema"
) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """(messages, schema, cell ids) of a turn's first request, as the engine sends them.

    For the benchmark (tokens per turn) and the recorder (``llm-record``).
    """
    report = report or Report()
    offline = OfflineEngine().propose(source, report)
    scope = scope_of(source, [c.cell for c in offline.changes])
    ids = scope.cells()
    schema = proposal_schema(ids if len(ids) <= MAX_ENUM else None)
    build = _builder(load_prompt("extract"), scope, ids, report, source, schema, [])
    return build(method), schema, ids


def relevant_cells(source: str, report: Report) -> list[str]:
    """The cell ids a turn offers the model for ``source`` (what the offline engine read included)."""
    offline = OfflineEngine().propose(source, report)
    return scope_of(source, [c.cell for c in offline.changes]).cells()


def as_data(source: str) -> str:
    """The source as it goes inside <source>…</source>: it cannot close the tag itself."""
    return _SOURCE_TAG.sub(lambda m: m.group(0).replace("<", "＜").replace(">", "＞"), source.strip())


def schema_text(schema: dict[str, Any], method: Method | None) -> str:
    """How the output format is stated in the prompt: the JSON Schema itself when nothing else carries it."""
    if method in ("json_mode", "prompt"):
        body = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
        return f"输出格式：只输出一个 JSON 对象，不要输出其他文字。它须符合以下 JSON Schema：\n{body}"
    return "输出格式：按接口约定的结构输出 JSON。"


def _assistant(raw: str) -> dict[str, Any]:
    return {"role": "assistant", "content": (raw or "（空）")[:4000]}


def _user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def _cell_of(item: Any) -> str:
    return str(item.get("cell")) if isinstance(item, dict) else ""


def _items_text(refused: Sequence[tuple[Any, str]]) -> str:
    lines = []
    for item, why in refused[:10]:
        shown = json.dumps(item, ensure_ascii=False, default=str)[:200]
        lines.append(f"- {shown}：{why}")
    return "\n".join(lines)


def _default_reply(changes: Sequence[Change]) -> str:
    return f"识别到{len(changes)}项，请核对后应用。" if changes else "没有识别出可以填写的数字。"


# ------------------------------------------------------------------------------------------------
# Cross-checks before the clerk sees it


def _shown(value: Any) -> str:
    return format_value(value) if isinstance(value, int | Decimal) else str(value)[:20]


def vouched(refused: Sequence[tuple[Any, str]], kept: list[Change], offline: Proposal) -> list[tuple[Any, str]]:
    """Refused items the offline engine read the same (cell and value) join ``kept`` with its
    evidence; the others are returned (to re-ask or drop)."""
    ours = {c.cell: c for c in offline.changes}
    cells = {c.cell for c in kept}
    left = []
    for item, why in refused:
        cell = _cell_of(item)
        match = ours.get(cell)
        if cell not in cells and match is not None and isinstance(item, dict) and _same(item.get("value"), match.value):
            kept.append(match)
            cells.add(cell)
            continue
        left.append((item, why))
    return left


def cross_check(
    kept: list[Change], refused: Sequence[tuple[Any, str]], offline: Proposal, report: Report
) -> tuple[list[Change], list[str]]:
    """The changes to offer and the notices for the clerk.

    - the refused items not recovered are named in one notice;
    - a kept change the offline engine read differently is named;
    - a total that disagrees with its parts once the changes are applied is named.
    """
    notices: list[str] = []
    offline_values = {c.cell: c for c in offline.changes}
    cells = {c.cell for c in kept}
    dropped: dict[str, tuple[Any, str]] = {}
    for item, why in refused:
        cell = _cell_of(item)
        if cell in cells:
            continue
        dropped.setdefault(cell or f"#{len(dropped)}", (item, why))
    if dropped:
        listed = []
        for item, why in list(dropped.values())[:MAX_LISTED]:
            cell = _cell_of(item)
            name = label_of(cell) if cell in CELLS else cell or "（无编号）"
            value = item.get("value") if isinstance(item, dict) else None
            listed.append(f"{name}={_shown(value)}（{why}）")
        more = f"等{len(dropped)}项" if len(dropped) > MAX_LISTED else ""
        notices.append(f"大模型给出的以下建议未采用：{'；'.join(listed)}{more}。")
    for c in kept:
        ours = offline_values.get(c.cell)
        if ours is not None and ours.value != c.value:
            notices.append(
                f"请核对“{label_of(c.cell)}”：大模型读作{_shown(c.value)}，离线引擎读作{_shown(ours.value)}。"
            )
    notices += arithmetic_notices(kept, report)
    order = {cid: i for i, cid in enumerate(CELLS)}
    kept.sort(key=lambda c: order.get(c.cell, len(order)))
    return kept, notices


def _same(raw: Any, value: Any) -> bool:
    try:
        return Decimal(str(raw)) == Decimal(str(value))
    except Exception:
        return False


ARITHMETIC_RULES = ("T3-ROW-TOTAL", "T3-PROCESSED-SUM", "T3-BALANCE", "T4-TOTAL", "CARRY-OVER")


def arithmetic_notices(changes: Sequence[Change], report: Report) -> list[str]:
    """The table arithmetic the changes would break (the validator's own rules and messages).

    Only findings that are new once the changes are applied and that read a cell they touch:
    what the draft already got wrong is the checks view's business, not this proposal's.
    """
    from assistant.findings import Status
    from assistant.validator import validate

    touched = {c.cell for c in changes}
    try:
        after = report.with_values({c.cell: c.value for c in changes})
    except Exception:  # a value that does not fit was refused above; never fail the turn here
        return []

    def failed(r: Report) -> dict[tuple[str, tuple[str, ...]], str]:
        return {(f.rule, tuple(f.cells)): f.message for f in validate(r, rules=ARITHMETIC_RULES)
                if f.status is Status.FAILED}

    before = failed(report)
    return [f"请核对：{message}" for key, message in failed(after).items()
            if key not in before and touched & set(key[1])]



__all__ = [
    "LLMEngine",
    "arithmetic_notices",
    "as_data",
    "cross_check",
    "first_messages",
    "relevant_cells",
    "schema_text",
]
