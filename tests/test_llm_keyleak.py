"""The API key reaches the endpoint's Authorization header and nothing else.

Every path of the LLM engine is run with all log output captured at DEBUG (the openai, httpx,
httpcore and langchain loggers included); then the key is looked for in the logs, the proposals
and their notices, the draft with its history, the report, every export and the command line.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import zipfile

import pytest
from pydantic import SecretStr

from assistant import editing
from assistant.drafting import draft_problems
from assistant.engines.llm import LLMEngine
from assistant.engines.settings import EngineSettings
from assistant.exporting import export_bytes
from assistant.model import Report
from assistant.notes import propose_from_notes
from tests.fake_openai import FakeOpenAI, Reply
from tests.helpers import FIXTURES, flat_fixture

KEY = "sk-live-LEAKCHECK-5b1f9e77d2"
SOURCE = "今年收到个人申请12件，予以公开8件，部分公开2件"
LOGGERS = ("", "assistant", "openai", "httpx", "httpcore", "langchain", "langchain_core", "langchain_openai")


def settings(server: FakeOpenAI, **kw: object) -> EngineSettings:
    return EngineSettings(kind="openai", base_url=server.base_url, model="m", api_key=SecretStr(KEY), **kw)  # type: ignore[arg-type]


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_the_key_appears_in_no_log_draft_export_or_output(caplog: pytest.LogCaptureFixture) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    texts: list[str] = []
    with FakeOpenAI() as server:
        server.queue(
            Reply.recorded("extract_ok"),  # json_schema
            Reply.recorded("extract_ok"),  # json_mode, streamed
            Reply.text("好的，我先说明一下。"),  # function_calling: text, then a good tool call
            Reply.recorded("extract_ok_tool"),
            Reply.http_error(401, f"Incorrect API key provided: {KEY}", "invalid_api_key"),
            Reply.http_error(429, f"Rate limit reached for key {KEY}", "rate_limit_exceeded"),
            Reply.recorded("extract_ok", delay=2.0),  # timeout
            Reply.recorded("extract_injection_ignored"),  # notes
            Reply.json({"text": "上年问题已整改。" * 20}),  # drafting
        )
        proposals = [
            LLMEngine(settings(server)).propose(SOURCE),
            LLMEngine(settings(server, method="json_mode", streaming=True)).propose(SOURCE),
            LLMEngine(settings(server, method="function_calling")).propose(SOURCE),
            LLMEngine(settings(server)).propose(SOURCE),
            LLMEngine(settings(server)).propose(SOURCE),
            LLMEngine(settings(server, timeout_s=0.3)).propose(SOURCE),
        ]
        notes = "本年共收到个人申请3件，全部予以公开。".encode()
        proposals.append(propose_from_notes(LLMEngine(settings(server)), notes, "笔记.txt"))
        this = Report.from_flat(flat_fixture("hongze-district-2024"))
        drafted = draft_problems(this, settings=settings(server))
        headers = [r.headers.get("authorization") for r in server.requests]
    # The key did go where it belongs, on every request.
    assert headers and all(h == f"Bearer {KEY}" for h in headers)
    assert [p.engine for p in proposals][:3] == ["openai:m"] * 3
    assert any("拒绝了API密钥" in n for p in proposals for n in p.notices)
    assert any("HTTP 429" in n for p in proposals for n in p.notices)
    assert any("超时" in n for p in proposals for n in p.notices)

    draft = editing.start(this)
    for p in proposals:
        draft = editing.apply(draft, p.changes, source="chat", prompt=p.prompt)
    draft = editing.apply(draft, [], source="draft")
    report = draft.report.with_values({"s5": drafted.text})
    texts += [p.model_dump_json() for p in proposals]
    texts += [drafted.text, *drafted.notices, draft.model_dump_json(), report.model_dump_json()]
    texts += [json.dumps(report.to_flat(), ensure_ascii=False)]
    for fmt in ("md", "html", "json"):
        texts.append(export_bytes(report, fmt, force=True).decode("utf-8"))
    texts.append(docx_text(export_bytes(report, "docx", force=True)))

    logged = caplog.text + "".join(str(r.args) + str(r.__dict__) for r in caplog.records)
    assert "HTTP Request: POST" in logged  # the capture did see the HTTP client's own logs
    assert KEY not in logged
    for text in texts:
        assert KEY not in text


def test_the_command_line_never_prints_the_key() -> None:
    with FakeOpenAI() as server:
        server.queue(Reply.http_error(401, f"Incorrect API key provided: {KEY}", "invalid_api_key"))
        env = {
            **os.environ,
            "NIANBAO_LLM_BASE_URL": server.base_url,
            "NIANBAO_LLM_MODEL": "m",
            "NIANBAO_LLM_API_KEY": KEY,
            "OPENAI_LOG": "debug",  # the openai client's own debug logging, on stderr
            "PYTHONIOENCODING": "utf-8",
        }
        env.pop("ASSISTANT_RAISE", None)
        env.pop("PYTEST_CURRENT_TEST", None)
        out = subprocess.run(
            [sys.executable, "-m", "assistant", "extract", SOURCE, "--llm", "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert out.returncode == 0, out.stderr
    assert "拒绝了API密钥" in out.stderr
    assert json.loads(out.stdout)["changes"]  # the offline engine's answer
    assert KEY not in out.stdout and KEY not in out.stderr
    assert (FIXTURES / "llm").is_dir()
