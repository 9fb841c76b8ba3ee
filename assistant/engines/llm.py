"""The LLM engine: any OpenAI-compatible endpoint through langchain-openai, same ``Proposal``.

One call per turn (plus at most ``max_retries`` re-asks). The model is sent the prompt file's
text, the output schema (inside the prompt for ``json_mode``), only the cells the source speaks
of with their current values, and the source wrapped as data in ``<source>…</source>``.

Every answer is checked before it becomes a proposal: unknown cell ids, values that do not fit
their cell, and evidence that is not in the source are rejected and the model is re-asked with
the errors. When the endpoint fails (timeout, refused key, rate limit, unusable output) the
offline engine's proposal is returned with a Chinese notice; the draft is never touched.

The API key is only handed to the HTTP client: it is never logged, stored in a proposal, a
notice or an error message.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant import cells as reg
from assistant.cells import CELLS
from assistant.changes import Change
from assistant.engines import offline_grammar as grammar
from assistant.engines.base import Engine, Proposal, SourceKind, report_of
from assistant.engines.offline import OfflineEngine
from assistant.engines.settings import EngineSettings
from assistant.errors import EngineError, InvalidValue
from assistant.model import Report, coerce_cell_value
from assistant.numbers import format_value
from assistant.prompts import Prompt, load_prompt

if TYPE_CHECKING:
    from assistant.editing import Draft

log = logging.getLogger("assistant.engines.llm")

Check = Callable[[dict[str, Any]], list[str]]

PROPOSAL_SCHEMA: dict[str, Any] = {
    "title": "proposal",
    "description": "对年报表格单元格的修改建议",
    "type": "object",
    "properties": {
        "changes": {
            "type": "array",
            "description": "要填写或修改的单元格",
            "items": {
                "type": "object",
                "properties": {
                    "cell": {"type": "string", "description": "单元格编号，只能取列表中的编号"},
                    "value": {"type": "number", "description": "数值：件数为整数，金额按单元格的单位"},
                    "evidence": {"type": "string", "description": "材料原文中支持该数值的原话（逐字摘录）"},
                },
                "required": ["cell", "value", "evidence"],
                "additionalProperties": False,
            },
        },
        "reply": {"type": "string", "description": "一两句中文回复"},
        "questions": {"type": "array", "items": {"type": "string"}, "description": "需要向工作人员确认的问题"},
    },
    "required": ["changes", "reply", "questions"],
    "additionalProperties": False,
}

_WS = re.compile(r"\s+")
_SOURCE_TAG = re.compile(r"</?\s*source\s*>", re.I)


@dataclass(frozen=True)
class Answer:
    """A checked answer of the model and the prompt it answered."""

    data: dict[str, Any]
    prompt: str
    attempts: int


class LLMEngine:
    """Proposals from an OpenAI-compatible chat endpoint, checked, with an offline fallback."""

    def __init__(self, settings: EngineSettings, *, fallback: Engine | None = None) -> None:
        if settings.kind != "openai" or not settings.base_url or not settings.model:
            raise EngineError("大模型设置不完整：需要服务地址（base URL）和模型名称。")
        self.settings = settings
        self.name = settings.engine_name
        self.fallback = fallback or OfflineEngine()

    def propose(self, source: str, draft: Report | Draft | None = None, *, kind: SourceKind = "chat") -> Proposal:
        report = report_of(draft)
        try:
            return self._propose(source, report)
        except EngineError as e:
            log.warning("LLM engine fell back to the offline engine: %s", type(e).__name__)
            offline = self.fallback.propose(source, report, kind=kind)
            return offline.model_copy(update={"notices": [f"{e.message}以下为离线引擎的结果。", *offline.notices]})

    def _propose(self, source: str, report: Report) -> Proposal:
        ids = relevant_cells(source, report)
        prompt = load_prompt("extract")
        system, user = prompt.render(
            schema=schema_text(PROPOSAL_SCHEMA, self.settings.method),
            cells=cells_text(ids, report),
            source=as_data(source),
        )
        schema = _with_cell_enum(PROPOSAL_SCHEMA, ids)
        changes: list[Change] = []

        def check(data: dict[str, Any]) -> list[str]:
            nonlocal changes
            changes, errors = check_proposal(data, source, allowed=ids)
            return errors

        answer = structured_call(self.settings, system, user, schema, check, prompt)
        data = answer.data
        return Proposal(
            changes=changes,
            reply=str(data.get("reply") or _default_reply(changes)),
            questions=[str(q) for q in data.get("questions") or [] if str(q).strip()],
            engine=self.name,
            prompt=answer.prompt,
        )


# ------------------------------------------------------------------------------------------------
# What is sent


def relevant_cells(source: str, report: Report) -> list[str]:
    """The cells a source speaks of, with their neighbours; every leaf cell when it names none.

    Neighbours: a table-3 row with all its columns, a table-4 group with all its outcomes, a
    table-2 item with its columns. What the offline engine would propose is always included.
    """
    tokens = grammar.tokenize(grammar.normalise(source))
    cats: dict[str, set[str]] = {}
    for t in tokens:
        if t.meaning is not None:
            cats.setdefault(t.meaning.cat, set()).add(t.meaning.id)
    rows = set(cats.get(grammar.ROW, set()))
    for group in cats.get(grammar.GROUP3, set()):
        rows |= {r.id for r in reg.T3_ROWS if r.group == group}
    if grammar.WEAK_NEW in cats:
        rows.add("new")
    if (grammar.APPL in cats or grammar.ORG in cats) and not rows:
        rows = {r.id for r in reg.T3_ROWS}
    groups = set(cats.get(grammar.T4G, set()))
    if grammar.LIT in cats:
        groups |= {"suit_direct", "suit_after_review"}
    if grammar.T4C in cats and not groups:
        groups = {g.id for g in reg.T4_GROUPS}
    items = set(cats.get(grammar.T2I, set()))
    if grammar.T2C in cats and not items:
        items = set(reg.T2_LAYOUT)
    chosen: set[str] = set()
    chosen |= {f"t3.{r}.{c.id}" for r in rows for c in reg.T3_COLUMNS}
    chosen |= {f"t4.{g}.{c.id}" for g in groups for c in reg.T4_COLUMNS}
    chosen |= {f"t2.{i}.{c}" for i in items for c in reg.T2_LAYOUT[i]}
    if grammar.FEE in cats:
        chosen |= {cid for cid, *_ in reg.FEE_CELLS}
    chosen |= {c.cell for c in OfflineEngine().propose(source, report).changes}
    if not chosen:
        chosen = {c.id for c in CELLS.values() if not c.is_total}
    return [cid for cid in CELLS if cid in chosen]


def cells_text(ids: Sequence[str], report: Report) -> str:
    lines = []
    for cid in ids:
        c = CELLS[cid]
        unit = f"（{c.kind.unit}）" if c.kind is not reg.Kind.COUNT else ""
        value = report.get(cid)
        lines.append(f"{cid}：{c.label}{unit} = {format_value(value)}")
    return "\n".join(lines)


def as_data(source: str) -> str:
    """The source as it goes inside <source>…</source>: it cannot close the tag itself."""
    return _SOURCE_TAG.sub(lambda m: m.group(0).replace("<", "＜").replace(">", "＞"), source.strip())


def schema_text(schema: dict[str, Any], method: str) -> str:
    """How the output format is stated in the prompt: the whole JSON Schema for json_mode."""
    if method == "json_mode":
        body = json.dumps(schema, ensure_ascii=False, indent=1)
        return f"输出格式：只输出一个 JSON 对象，不要输出其他文字。该 JSON 对象须符合以下 JSON Schema：\n{body}"
    return "输出格式：按接口约定的结构（JSON）输出。"


def _with_cell_enum(schema: dict[str, Any], ids: Sequence[str]) -> dict[str, Any]:
    """The schema with ``cell`` limited to the ids sent (guided decoding on vLLM/Ollama/Qwen)."""
    copy = json.loads(json.dumps(schema))
    copy["properties"]["changes"]["items"]["properties"]["cell"]["enum"] = list(ids)
    return copy


# ------------------------------------------------------------------------------------------------
# What comes back


def _squash(text: str) -> str:
    return _WS.sub("", grammar.normalise(text))


def check_proposal(
    data: dict[str, Any], source: str, *, allowed: Sequence[str] | None = None
) -> tuple[list[Change], list[str]]:
    """The model's answer as changes, and every reason to reject it (in Chinese, for the re-ask)."""
    errors: list[str] = []
    changes: list[Change] = []
    raw_changes = data.get("changes")
    if not isinstance(raw_changes, list):
        return [], ["缺少 changes 数组。"]
    if not isinstance(data.get("reply", ""), str) or not isinstance(data.get("questions", []), list):
        errors.append("reply 应为字符串，questions 应为字符串数组。")
    squashed = _squash(source)
    for i, item in enumerate(raw_changes, start=1):
        if not isinstance(item, dict):
            errors.append(f"第{i}项修改不是对象。")
            continue
        cell, value, evidence = item.get("cell"), item.get("value"), item.get("evidence")
        if not isinstance(cell, str) or cell not in CELLS:
            errors.append(f"第{i}项：单元格编号“{cell}”不存在，只能使用列表中的编号。")
            continue
        if allowed is not None and cell not in allowed:
            errors.append(f"第{i}项：单元格“{cell}”不在本次提供的列表中。")
            continue
        if isinstance(value, str):
            value = value.strip().replace(",", "")
        try:
            coerced = coerce_cell_value(cell, value)
        except InvalidValue as e:
            errors.append(f"第{i}项：{e.message}")
            continue
        if not isinstance(evidence, str) or not evidence.strip():
            errors.append(f"第{i}项：缺少 evidence（材料原文中的原话）。")
            continue
        if _squash(evidence) not in squashed:
            errors.append(f"第{i}项：evidence“{evidence[:40]}”不是材料中的原话，请逐字摘录。")
            continue
        changes.append(Change(cell=cell, value=coerced, evidence=evidence.strip()))
    seen: dict[str, Any] = {}
    for c in changes:
        if c.cell in seen and seen[c.cell] != c.value:
            errors.append(f"单元格“{c.cell}”给出了两个不同的值，请只保留一个。")
        seen[c.cell] = c.value
    return changes, errors


def _default_reply(changes: Sequence[Change]) -> str:
    return f"识别到{len(changes)}项，请核对后应用。" if changes else "没有识别出可以填写的数字。"


# ------------------------------------------------------------------------------------------------
# The call


def chat_model(settings: EngineSettings) -> Any:
    """A ChatOpenAI client for the settings (imported here: the offline path never pays for it)."""
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        model=settings.model or "",
        base_url=settings.base_url,
        api_key=SecretStr(settings.key),
        timeout=settings.timeout_s,
        max_retries=0,  # our own re-asks are bounded; a refused key or 429 is not retried blindly
        temperature=settings.temperature,
        streaming=settings.streaming,
        extra_body=settings.extra_body,
        use_responses_api=False,
    )


def structured_call(
    settings: EngineSettings, system: str, user: str, schema: dict[str, Any], check: Check, prompt: Prompt
) -> Answer:
    """One call for a JSON answer, re-asked with its errors at most ``max_retries`` times.

    Raises EngineError (with a Chinese message that never contains the key) when the endpoint
    fails or no answer passes ``check``.
    """
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    model = chat_model(settings).with_structured_output(schema, method=settings.method, include_raw=True)
    messages: list[Any] = [SystemMessage(system), HumanMessage(user)]
    reask = load_prompt("reask")
    last_errors: list[str] = []
    for attempt in range(1, settings.max_retries + 2):
        raw = _invoke(model, messages, settings).get("raw")
        data, problem = strict_json(raw, settings.method)
        errors = [problem] if data is None else check(data)
        if data is not None and not errors:
            ref = prompt.ref if attempt == 1 else f"{prompt.ref}+{reask.ref}"
            return Answer(data, ref, attempt)
        last_errors = errors
        log.info("LLM answer rejected (attempt %d): %d problem(s)", attempt, len(errors))
        reask_text, _ = reask.render(errors="\n".join(f"- {e}" for e in errors[:10]))
        messages = [*messages, AIMessage(_raw_text(raw, data)), HumanMessage(reask_text)]
    summary = "；".join(last_errors[:3])
    raise EngineError(f"大模型的回答多次不符合要求（{summary}）。")


def _invoke(model: Any, messages: list[Any], settings: EngineSettings) -> dict[str, Any]:
    import openai

    try:
        result = model.invoke(messages)
    except openai.APITimeoutError:
        raise EngineError(f"大模型服务超时（超过{format_value(settings.timeout_s)}秒未响应）。") from None  # type: ignore[arg-type]
    except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
        raise EngineError(f"大模型服务拒绝了API密钥（HTTP {e.status_code}），请检查密钥设置。") from None
    except openai.RateLimitError:
        raise EngineError("大模型服务请求过于频繁或额度不足（HTTP 429），请稍后再试。") from None
    except openai.APIConnectionError:
        raise EngineError(f"无法连接大模型服务（{settings.base_url}），请检查网络和服务地址。") from None
    except openai.APIStatusError as e:
        raise EngineError(f"大模型服务返回错误（HTTP {e.status_code}）。") from None
    except Exception as e:  # a malformed body the client could not read, and the like
        log.info("LLM call failed: %s", type(e).__name__)
        raise EngineError("大模型服务返回了无法识别的内容。") from None
    return result if isinstance(result, dict) else {"raw": None, "parsed": None}


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.I)


def strict_json(raw: Any, method: str) -> tuple[dict[str, Any] | None, str]:
    """The answer's JSON object, read strictly, or None and why not.

    langchain's own parser accepts a truncated object as a partial one; a cut-off answer must
    be re-asked, not half-applied, so the raw message is read here again.
    """
    if method == "function_calling":
        calls = getattr(raw, "tool_calls", None) or []
        if calls and isinstance(calls[0].get("args"), dict):
            return calls[0]["args"], ""
        if getattr(raw, "invalid_tool_calls", None):
            return None, "工具调用的参数不是有效的 JSON 对象。"
        return None, "没有调用工具 proposal，而是直接回复了文字；请调用工具并按其参数格式给出结果。"
    content = getattr(raw, "content", "")
    text = content if isinstance(content, str) else ""
    if not text.strip():
        return None, "回答为空。"
    try:
        data = json.loads(_FENCE.sub("", text.strip()))
    except json.JSONDecodeError:
        return None, "回答不是有效的 JSON（可能不完整或夹杂了其他文字）。"
    if not isinstance(data, dict):
        return None, "回答应为一个 JSON 对象。"
    return data, ""


def _raw_text(raw: Any, data: Any) -> str:
    if raw is not None:
        calls = getattr(raw, "tool_calls", None)
        if calls:
            return json.dumps(calls[0].get("args", {}), ensure_ascii=False)
        content = getattr(raw, "content", "")
        if isinstance(content, str) and content:
            return content[:4000]
    return json.dumps(data, ensure_ascii=False, default=str)[:4000] if data is not None else "（空）"


__all__ = [
    "PROPOSAL_SCHEMA",
    "LLMEngine",
    "as_data",
    "cells_text",
    "chat_model",
    "check_proposal",
    "relevant_cells",
    "schema_text",
    "strict_json",
    "structured_call",
]
