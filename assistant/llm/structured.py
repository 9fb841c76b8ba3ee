"""A conversation with the model for one task: methods tried in order, truncation re-asked.

``Session.ask(messages, …)`` sends one request and returns what the model answered, read
leniently (``parse``): JSON from a tool call, from a Hermes ``<tool_call>`` in the content, or
from the content itself (thinking, prose and fences around it). On the way:

- an HTTP 400 about the output method moves on to the next method the provider accepts (the
  provider's message is kept for the clerk); what worked is remembered for the endpoint;
- a model that answers only when streamed is streamed, and remembered;
- a ``tool_choice`` refused (GLM) is sent as ``"auto"``, and remembered;
- a cut answer (``finish_reason: length``, or a stream without an end) is never used, not even in
  part: it is sent again with twice the room, at most ``MAX_MORE_ROOM`` times, and said as
  truncation when it stays cut.
Validation of the content (and re-asking for what failed) is the caller's: see the engine.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.engines.settings import METHOD_NAMES, EngineSettings, Method
from assistant.errors import EngineError
from assistant.llm import parse
from assistant.llm.transport import (
    MEMORY,
    MethodRejected,
    Reply,
    Request,
    StreamRequired,
    SwitchRejected,
    ToolChoiceRejected,
    call,
)

log = logging.getLogger("assistant.llm")

Build = Callable[["Method | None"], list[dict[str, Any]]]
MAX_MORE_ROOM = 2
MIN_ANSWER = 256  # tokens an answer needs at the least


def _clock() -> float:
    return time.monotonic()
TURN_CALLS = 3  # a turn (re-asks, more room, fallbacks included) waits at most this many timeouts in all
MAX_TOKENS_CAP = 8192


@dataclass
class Answer:
    """One reply: the JSON found in it (or why none), and the text to show it back in a re-ask."""

    data: Any = None
    problem: str = ""
    raw: str = ""
    reply: Reply | None = None
    repairs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None


@dataclass
class Session:
    """Calls for one task (a chat turn, a drafted section), sharing what was learned."""

    settings: EngineSettings
    max_tokens: int
    notices: list[str] = field(default_factory=list)
    calls: int = 0
    usage: list[dict[str, Any]] = field(default_factory=list)
    last_method: Method | None = None
    started: float = field(default_factory=lambda: _clock())

    def __post_init__(self) -> None:
        if self.settings.max_tokens:
            self.max_tokens = self.settings.max_tokens
        self.max_tokens = min(self.max_tokens, max(256, self.settings.context // 2))

    def _notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    def _fit(self, messages: list[dict[str, Any]], tools: dict[str, Any] | None) -> None:
        """Keep prompt and answer within the model's context: a server such as Ollama silently cuts
        the *start* of a longer prompt (the rules). The answer's room shrinks first; a prompt that
        cannot fit is not sent."""
        from assistant.llm.budget import approx_tokens

        prompt = sum(approx_tokens(str(m.get("content") or "")) + 4 for m in messages)
        if tools is not None:
            prompt += approx_tokens(json.dumps(tools, ensure_ascii=False))
        room = self.settings.context - prompt - 32
        if room < MIN_ANSWER:
            raise EngineError(
                f"要发送的内容约{prompt}个词元，超出了模型的上下文长度（{self.settings.context}），"
                "请把材料分段发送，或在服务端调大上下文长度后在设置中填写。"
            )
        self.max_tokens = min(self.max_tokens, room)

    def methods(self) -> list[Method]:
        learned = MEMORY.get(self.settings)
        order = self.settings.methods()
        if learned.method in order:
            order.remove(learned.method)
            order.insert(0, learned.method)
        return order

    def send(self, build: Build, method: Method | None, schema: dict[str, Any] | None,
             name: str, description: str) -> Reply:
        """One request, falling back between methods and re-sent with more room when cut.

        ``build(method)`` gives the messages for a method (json_mode and prompt carry the schema
        in the prompt; the others do not need it there).
        """
        learned = MEMORY.get(self.settings)
        methods: list[Method | None] = [None] if method is None else list(self.methods())
        stream = learned.stream if learned.stream is not None else self.settings.stream()
        force_tool = learned.force_tool if learned.force_tool is not None else True
        provider = self.settings.provider
        if provider is not None and not provider.forced_tool_choice:
            force_tool = False
        more_room = 0
        i = 0
        while i < len(methods):
            m = methods[i]
            waited = _clock() - self.started
            if waited > self.settings.timeout_s * TURN_CALLS:
                raise EngineError(f"大模型多次调用累计已超过{int(waited)}秒，不再等待。")
            messages = build(m)
            self._fit(messages, schema if m == "function_calling" else None)
            request = Request(messages, m, schema, name, description, self.max_tokens, force_tool, stream)
            settings = self.settings
            if learned.thinking_switch is False:
                settings = settings.model_copy(update={"thinking": True})  # do not send the refused switch
            try:
                self.calls += 1
                reply = call(settings, request)
            except SwitchRejected as e:
                learned.thinking_switch = False
                self._notice(f"服务不接受关闭思考的参数，已不再发送（服务商原话：「{e.provider}」）。")
                continue
            except StreamRequired as e:
                if stream:
                    raise
                stream = learned.stream = True
                self._notice(f"该模型只支持流式输出，已改用流式（服务商原话：「{e.provider}」）。")
                continue
            except ToolChoiceRejected as e:
                force_tool = learned.force_tool = False
                self._notice(f"服务不接受指定工具调用，已改为由模型自行调用（服务商原话：「{e.provider}」）。")
                continue
            except MethodRejected as e:
                i += 1
                nxt = methods[i] if i < len(methods) else None
                if nxt is None:
                    raise EngineError(f"服务不接受任何一种结构化输出方式（服务商原话：「{e.provider}」）。") from None
                self._notice(
                    f"服务不接受“{METHOD_NAMES[m or 'prompt']}”（服务商原话：「{e.provider}」），"
                    f"已改用“{METHOD_NAMES[nxt]}”。"
                )
                continue
            if reply.usage:
                self.usage.append(reply.usage)
            self.last_method = m
            if m is not None:
                learned.method = m
            if reply.truncated:
                limit = self.max_tokens
                cap = min(MAX_TOKENS_CAP, max(limit, self.settings.context // 2))
                if more_room < MAX_MORE_ROOM and limit < cap:
                    more_room += 1
                    self.max_tokens = min(cap, limit * 2)
                    self._notice(
                        f"大模型的回答在长度上限（{limit}个词元）处被截断，未采用；已放宽到{self.max_tokens}重新询问。"
                    )
                    continue
                raise Truncated(
                    f"大模型的回答在长度上限（{limit}个词元）处被截断，没有采用其中任何内容。"
                    + ("思考过程过长，可在设置中关闭思考。" if parse.thinking_unfinished(reply.content) or
                       (reply.reasoning and not reply.content) else "")
                )
            return reply
        raise EngineError("服务不接受任何一种结构化输出方式。")

    def ask(self, build: Build, *, schema: dict[str, Any], name: str, description: str,
            keys: frozenset[str], list_key: str | None = None) -> Answer:
        """A JSON answer (see the module's docstring); ``problem`` says why none was found."""
        reply = self.send(build, self.methods()[0], schema, name, description)
        return read_answer(reply, name, keys, list_key, tool=self.last_method == "function_calling")


class Truncated(EngineError):
    """The answer stayed cut off at the token limit."""


def read_answer(reply: Reply, name: str, keys: frozenset[str], list_key: str | None, *, tool: bool = False) -> Answer:
    """The JSON a reply carries, wherever it is: tool call, Hermes block, or content."""
    answer = Answer(reply=reply)
    candidates: list[tuple[Any, str]] = []
    for call_name, arguments in reply.tool_calls:
        if not call_name or call_name == name or len(reply.tool_calls) == 1:
            candidates.append((arguments, "tool"))
    if reply.content:
        for _name, arguments in parse.hermes_tool_calls(reply.content):
            candidates.append((arguments, "hermes"))
    problems: list[str] = []
    for arguments, how in candidates:
        decoded = parse.decode_arguments(arguments)
        if decoded.ok:
            data, unwrapped = parse.unwrap(decoded.data, keys, list_key)
            answer.data, answer.repairs = data, [how, *decoded.repairs, *unwrapped]
            answer.raw = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
            return answer
        problems.append(decoded.problem)
    if reply.content.strip():
        read = parse.read_json(reply.content)
        answer.raw = reply.content
        if read.ok:
            data = read.data
            if isinstance(data, str):  # a JSON string holding the JSON (double encoding)
                inner = parse.read_json(data)
                if inner.ok:
                    data = inner.data
                    read.repairs.append("double-encoded")
            data, unwrapped = parse.unwrap(data, keys, list_key)
            if isinstance(data, dict):
                answer.data, answer.repairs = data, [*read.repairs, *unwrapped]
                return answer
            problems.append("回答应为一个 JSON 对象。")
        else:
            problems.append(read.problem)
    elif not candidates:
        problems.append("回答为空。" if not reply.reasoning else "回答只有推理过程，没有给出结果。")
    answer.problem = problems[0] if problems else "回答中没有可用的结果。"
    if tool and not candidates and answer.problem.startswith("回答不是有效的 JSON"):
        answer.problem = f"没有调用工具 {name}，而是直接回复了文字；请调用工具并按其参数格式给出结果。"
    return answer


__all__ = ["Answer", "Session", "Truncated", "read_answer"]
