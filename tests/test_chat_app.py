"""The conversation in the app (AppTest): answers complete proposals, questions stay in sight until
answered or dismissed, help is answered, pasted rows reach the engine intact, evidence is always shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.changes import Change
from assistant.engines.base import Proposal
from tests.test_app import APP, chat, current, new_draft, texts

WAITING = "待您回答"


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    for var in ("NIANBAO_DB_URL", "NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_PRESET", "NIANBAO_LLM_MODEL",
                "NIANBAO_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    yield app


def test_the_reply_to_a_question_completes_the_proposal(at: AppTest) -> None:
    new_draft(at)
    chat(at, "予以公开8件")
    assert WAITING in texts(at)
    assert "予以公开8件分别是哪类申请人提出的" in texts(at)
    chat(at, "是个人的")
    ws = current(at)
    last = ws.conversation()[-1]
    assert last.pending and last.proposal is not None
    assert last.proposal.cells["t3.granted.natural"] == 8
    assert WAITING not in texts(at)  # answered: no longer waited for
    assert "依据：“是个人的”" in texts(at)  # the evidence of every row is shown
    assert ws.report.get("t3.granted.natural") is None  # applied only by the clerk
    at.button(key=f"apply-all-{last.seq}").click().run()
    assert not at.exception, at.exception
    assert current(at).report.get("t3.granted.natural") == 8


def test_open_questions_can_be_dismissed(at: AppTest) -> None:
    new_draft(at)
    chat(at, "单位申请了2件")
    asked = current(at).conversation()[-1]
    assert WAITING in texts(at)
    at.button(key=f"dismiss-questions-{asked.seq}").click().run()
    assert not at.exception, at.exception
    assert WAITING not in texts(at)
    chat(at, "企业")
    assert current(at).conversation()[-1].proposal.changes == []  # type: ignore[union-attr]


def test_a_help_question_is_answered(at: AppTest) -> None:
    new_draft(at)
    chat(at, "不予处理包括哪些？")
    shown = texts(at)
    assert "信访举报投诉类申请" in shown and "重复申请" in shown and "没有识别出" not in shown
    last = current(at).conversation()[-1]
    assert last.proposal is not None and last.proposal.changes == []


def test_material_is_proposed_for_the_text(at: AppTest) -> None:
    new_draft(at)
    chat(at, "今年主动公开政府信息320条")
    last = current(at).conversation()[-1]
    assert last.proposal is not None and [c.cell for c in last.proposal.changes] == ["material.s1"]
    assert "一、总体情况" in last.text
    at.button(key=f"apply-all-{last.seq}").click().run()
    assert current(at).report.material.s1 == "今年主动公开政府信息320条"


ROWS = "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n本年新收\t3\t1\t0\t0\t0\t0\t4"


def test_pasted_rows_reach_the_table_reader_with_their_tabs(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake_read_pasted(text: str, report: object) -> Proposal | None:
        seen.append(text)
        if "\t" not in text:
            return None
        return Proposal(changes=[Change(cell="t3.new.natural", value=3, evidence="本年新收\t3")], reply="读取表格1行。")

    monkeypatch.setattr("assistant.engines.offline.read_pasted", fake_read_pasted)
    new_draft(at)
    chat(at, ROWS + "\n")
    assert seen == [ROWS]  # the leading tab of the header row is kept; line breaks too
    last = current(at).conversation()[-1]
    assert last.pending and last.proposal is not None and last.proposal.cells == {"t3.new.natural": 3}
    assert current(at).report.get("t3.new.natural") is None


def test_pasted_rows_become_a_proposal_quoting_the_pasted_line(at: AppTest) -> None:
    new_draft(at)
    chat(at, ROWS)
    last = current(at).conversation()[-1]
    assert last.pending and last.proposal is not None
    assert last.proposal.cells["t3.new.natural"] == 3 and last.proposal.cells["t3.new.commercial"] == 1
    assert all(c.evidence == "本年新收\t3\t1\t0\t0\t0\t0\t4" for c in last.proposal.changes)


def test_pasted_rows_the_reader_cannot_read_are_not_read_as_prose(at: AppTest) -> None:
    new_draft(at)
    chat(at, "\t甲\t乙\t丙\n某项目\t3\t1\t4\n另一项\t5\t2\t7")
    last = current(at).conversation()[-1]
    assert last.proposal is not None and last.proposal.changes == []
    assert "表格" in last.text
