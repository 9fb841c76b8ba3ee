"""Recorded provider exchanges (fixtures/llm/providers) replayed through the real openai client.

Each scenario is a sequence of exchanges as one provider answers them — including its refusals —
and what the engine must make of it: the model's answer, with a notice where a fallback happened,
or a refusal said as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from assistant.engines.llm import LLMEngine
from assistant.engines.settings import EngineSettings, from_preset
from assistant.llm.transport import MEMORY
from tests.fake_openai import EXCHANGES, FakeOpenAI, Reply, load_exchange

EXPECTED = {"t3.new.natural": 12, "t3.granted.natural": 8, "t3.partial.natural": 2}
KEY = "sk-test-PROVIDERS-51c0"


@pytest.fixture(autouse=True)
def fresh_memory() -> Iterator[None]:
    MEMORY.clear()
    yield
    MEMORY.clear()


# (exchanges in the order the server answers, settings, expected cells, words every notice list must hold)
SCENARIOS: dict[str, tuple[list[str], dict[str, Any], dict[str, int] | None, list[str]]] = {
    "deepseek-json-mode": (["deepseek_json_mode"], {"preset": "deepseek"}, EXPECTED, []),
    "deepseek-refuses-json-schema": (
        ["deepseek_json_schema_refused", "deepseek_json_mode"],
        {"preset": "deepseek", "method": "json_schema"},
        EXPECTED,
        ["This response_format type is unavailable now"],
    ),
    "deepseek-reasoner": (["deepseek_reasoner"], {"preset": "deepseek", "model": "deepseek-reasoner"}, EXPECTED, []),
    "deepseek-tool-call": (["deepseek_tool_call"], {"preset": "deepseek", "method": "function_calling"}, EXPECTED, []),
    "dashscope-json-schema": (["dashscope_json_schema"], {"preset": "qwen"}, EXPECTED, []),
    "dashscope-stream-only": (
        ["dashscope_stream_only_refused", "dashscope_qwq_stream"],
        {"model": "qwq-plus"},  # a custom URL: learnt from the 400
        EXPECTED,
        ["只支持流式输出"],
    ),
    "dashscope-qwq-preset": (["dashscope_qwq_stream"], {"preset": "qwen", "model": "qwq-plus"}, EXPECTED, []),
    "dashscope-tool-call-cut": (
        ["dashscope_tool_call_cut"] * 3,
        {"preset": "qwen", "method": "function_calling", "streaming": True},
        None,
        ["截断", "没有采用其中任何内容"],
    ),
    "glm-json-mode": (["glm_json_mode"], {"preset": "glm"}, EXPECTED, []),
    "glm-refuses-tool-choice": (
        ["glm_tool_choice_refused", "glm_tool_call"],
        {"method": "function_calling"},
        EXPECTED,
        ["tool_choice 参数非法"],
    ),
    "ollama-think": (["ollama_qwen3_think"], {"preset": "ollama", "model": "qwen3:8b"}, EXPECTED, []),
    "ollama-ignores-tool-choice": (
        ["ollama_text_instead_of_tool"], {"preset": "ollama", "method": "function_calling"}, EXPECTED, []
    ),
    "vllm-hermes": (["vllm_hermes_in_content"], {"preset": "vllm", "method": "function_calling"}, EXPECTED, []),
    "vllm-r1-lone-think": (["vllm_r1_lone_think"], {"preset": "vllm"}, EXPECTED, []),
    "vllm-length": (["vllm_length", "dashscope_json_schema"], {"preset": "vllm"}, EXPECTED, ["截断"]),
}


def settings_for(server: FakeOpenAI, spec: dict[str, Any]) -> EngineSettings:
    spec = dict(spec)
    name = spec.pop("preset", None)
    if name:
        return from_preset(name, base_url=server.base_url, api_key=KEY, **spec)
    return EngineSettings(kind="openai", base_url=server.base_url, model=spec.pop("model", "m"),
                          api_key=SecretStr(KEY), **spec)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_recorded_exchanges(scenario: str) -> None:
    names, spec, cells, words = SCENARIOS[scenario]
    source = load_exchange(names[0])["source"]
    with FakeOpenAI() as server:
        server.queue(*[Reply.exchange(n) for n in names])
        proposal = LLMEngine(settings_for(server, spec)).propose(source)
        sent = server.bodies
    assert len(sent) == len(names)  # every exchange was used, none more
    if cells is None:
        assert proposal.engine == "offline"  # the cut answer is not used, not even in part
    else:
        assert proposal.cells == cells and proposal.engine.startswith("openai:")
    for w in words:
        assert any(w in n for n in proposal.notices), (w, proposal.notices)
    if not words:
        assert proposal.notices == []
    for body in sent:
        assert body["max_tokens"] >= 1024 and "max_completion_tokens" not in body


def test_every_exchange_is_used_by_a_scenario_and_says_where_it_comes_from() -> None:
    used = {n for names, *_ in SCENARIOS.values() for n in names}
    files = {p.stem for p in EXCHANGES.glob("*.json")}
    assert files <= used | {p for p in files if "recorded" in load_exchange(p)["origin"]}
    for name in files:
        data = load_exchange(name)
        assert data["origin"] == "documented-shape" or data["origin"].startswith("recorded")
        assert data["provider"] in {"deepseek", "dashscope", "glm", "ollama", "vllm", "openai", "moonshot", "custom"}
        assert "response" in data and data["source"]
