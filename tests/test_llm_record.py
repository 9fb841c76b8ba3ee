"""``llm-record`` against a live endpoint (here the local fake server): the files it writes replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.engines.llm import LLMEngine
from assistant.engines.settings import EngineSettings
from assistant.llm.transport import MEMORY
from tests.fake_openai import FakeOpenAI, Reply

KEY = "sk-live-RECORD-0c9d3e"
SOURCE = "今年收到个人申请12件，予以公开8件，部分公开2件"


def replay(path: Path) -> Reply:
    response = json.loads(path.read_text(encoding="utf-8"))["response"]
    if response["status"] != 200:
        return Reply(status=response["status"], error=response["body"])
    if "chunks" in response:
        return Reply(chunks=response["chunks"])
    return Reply(body=response["body"])


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "streaming"])
def test_recorded_files_replay_through_the_engine(stream: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    MEMORY.clear()
    with FakeOpenAI(provider="deepseek") as live:
        live.queue(Reply.recorded("extract_ok"))
        monkeypatch.setenv("NIANBAO_LLM_BASE_URL", live.base_url)
        monkeypatch.setenv("NIANBAO_LLM_MODEL", "deepseek-chat")
        monkeypatch.setenv("NIANBAO_LLM_API_KEY", KEY)
        monkeypatch.delenv("NIANBAO_LLM_PRESET", raising=False)
        args = ["llm-record", "--case", "extract", "--method", "json_schema", "--method", "json_mode",
                "--out", str(tmp_path)]
        assert main([*args, "--stream"] if stream else args) == 0
        sent = live.requests
    suffix = "_stream" if stream else ""
    refused = tmp_path / f"custom-deepseek-chat_extract_json_schema{suffix}.json"
    answered = tmp_path / f"custom-deepseek-chat_extract_json_mode{suffix}.json"
    assert {p.name for p in tmp_path.iterdir()} == {refused.name, answered.name}
    assert [r.headers["authorization"] for r in sent] == [f"Bearer {KEY}"] * 2
    for path in (refused, answered):
        text = path.read_text(encoding="utf-8")
        assert KEY not in text and json.loads(text)["origin"].startswith("recorded")
    assert json.loads(refused.read_text(encoding="utf-8"))["response"]["status"] == 400
    data = json.loads(answered.read_text(encoding="utf-8"))
    assert data["request"]["response_format"] == {"type": "json_object"} and data["source"] == SOURCE
    MEMORY.clear()
    with FakeOpenAI() as server:
        server.queue(replay(refused), replay(answered))
        cfg = EngineSettings(kind="openai", base_url=server.base_url, model="deepseek-chat", streaming=stream)
        proposal = LLMEngine(cfg).propose(SOURCE)
    assert proposal.cells == {"t3.new.natural": 12, "t3.granted.natural": 8, "t3.partial.natural": 2}
    assert "This response_format type is unavailable now" in proposal.notices[0]


def test_without_an_endpoint_it_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for var in ("NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_PRESET", "NIANBAO_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    assert main(["llm-record"]) == 2
    assert "未配置大模型" in capsys.readouterr().err
