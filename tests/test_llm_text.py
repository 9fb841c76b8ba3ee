"""Drafting's call (``assistant.llm.text.draft_text``) through the real openai client and the fake server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from assistant.engines.settings import EngineSettings, from_preset
from assistant.errors import EngineError
from assistant.llm.text import draft_text, output_format
from assistant.llm.transport import MEMORY
from assistant.prompts import load_prompt
from tests.fake_openai import FakeOpenAI, Reply

TEXT = "（一）上年度问题整改情况。针对上年报告指出的问题，已整改到位。\n（二）本年度存在的主要问题。……"
PROMPT = load_prompt("draft_s5")


@pytest.fixture(autouse=True)
def fresh_memory() -> Iterator[None]:
    MEMORY.clear()
    yield
    MEMORY.clear()


def no_problems(text: str) -> list[str]:
    return [] if text.startswith("（一）") else ["没有从上年度问题整改情况写起。"]


def settings(server: FakeOpenAI, **kw: object) -> EngineSettings:
    return EngineSettings(kind="openai", base_url=server.base_url, model="m", api_key=SecretStr("sk-d"), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "reply",
    [
        Reply.text(TEXT),
        Reply.text("{\"text\": \"" + TEXT + "\"}"),  # JSON with a literal newline inside the string
        Reply.json({"text": TEXT}),
        Reply.text(f"<think>先列提纲</think>\n```\n{TEXT}\n```"),
        Reply.text(TEXT, reasoning="先想想上年的问题"),
    ],
    ids=["prose", "json-literal-newline", "json", "think-and-fence", "reasoning-content"],
)
@pytest.mark.parametrize("streaming", [False, True], ids=["plain", "streaming"])
def test_prose_or_json_is_the_drafted_text(reply: Reply, streaming: bool) -> None:
    with FakeOpenAI() as server:
        server.queue(reply)
        answer = draft_text(settings(server, streaming=streaming), "系统", "用户", prompt=PROMPT, check=no_problems)
    assert answer.text == TEXT and answer.prompt == PROMPT.ref and answer.engine == "openai:m"
    [body] = server.bodies
    assert "response_format" not in body and "tools" not in body  # prose needs no output method
    assert body["max_tokens"] == 2048 and body["stream"] is streaming


def test_a_text_that_fails_its_checks_is_re_asked_with_the_reasons() -> None:
    with FakeOpenAI() as server:
        server.queue(Reply.text("本年度工作平稳。"), Reply.text(TEXT))
        answer = draft_text(settings(server), "系统", "用户", prompt=PROMPT, check=no_problems)
    assert answer.text == TEXT and answer.prompt == f"{PROMPT.ref}+reask@1" and answer.attempts == 2
    assert "没有从上年度问题整改情况写起" in server.bodies[1]["messages"][-1]["content"]


def test_a_cut_draft_is_never_offered() -> None:
    with FakeOpenAI() as server:
        server.queue(*[Reply.text(TEXT[:20], finish="length")] * 2)
        with pytest.raises(EngineError, match="截断"):
            draft_text(settings(server), "系统", "用户", prompt=PROMPT, check=lambda text: [])
    assert [b["max_tokens"] for b in server.bodies] == [2048, 4096]  # half the context (8192) at most
    with FakeOpenAI() as server:
        server.queue(Reply.text(TEXT[:20], finish="length"), Reply.text(TEXT))
        answer = draft_text(settings(server), "系统", "用户", prompt=PROMPT, check=no_problems)
    assert answer.text == TEXT and "截断" in answer.notices[0]


def test_a_stream_only_model_drafts_too() -> None:
    with FakeOpenAI(provider="dashscope") as server:
        server.queue(Reply.text(TEXT, reasoning="……"))
        cfg = from_preset("qwen", base_url=server.base_url, model="qwq-plus", api_key="sk-d")
        answer = draft_text(cfg, "系统", "用户", prompt=PROMPT, check=no_problems)
    assert answer.text == TEXT and server.bodies[0]["stream"] is True


def test_the_output_format_is_a_prompt_file() -> None:
    assert output_format().startswith("输出格式：直接输出正文")
