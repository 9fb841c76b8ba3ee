"""The conversation kept with the draft: the engine's open questions, answered, carried or dismissed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.engines.base import ChatContext, ConversationEngine, Engine, Proposal, propose_in_conversation
from assistant.engines.offline import OfflineEngine
from assistant.store import DraftStore
from assistant.workspace import Workspace

ENGINE = OfflineEngine()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.create(DraftStore(f"sqlite:///{tmp_path / 'drafts.sqlite3'}"))


def test_the_answer_to_the_engines_question_completes_its_proposal(ws: Workspace) -> None:
    asked = ws.ask("予以公开8件", ENGINE)
    assert asked.questions == "open" and asked.open_questions
    assert ws.open_questions() == (asked.seq, asked.open_questions)
    answered = ws.ask("是个人的", ENGINE)
    assert answered.proposal is not None
    assert answered.proposal.cells["t3.granted.natural"] == 8
    assert all(c.evidence == "是个人的" for c in answered.proposal.changes)
    assert ws.open_questions() is None
    assert ws._message(asked.seq).questions == "answered"
    assert ws.report.get("t3.granted.natural") is None  # nothing applied until the clerk applies it
    ws.apply_proposal(answered.seq)
    assert ws.report.get("t3.granted.natural") == 8 and ws.report.get("t3.granted.total") == 8


def test_a_question_stays_open_across_an_unrelated_message(ws: Workspace) -> None:
    asked = ws.ask("予以公开8件", ENGINE)
    other = ws.ask("行政复议没有", ENGINE)
    assert other.proposal is not None and set(other.proposal.cells) == {f"t4.review.{c}" for c in
                                                                        ("upheld", "corrected", "other", "pending")}
    waiting = ws.open_questions()
    assert waiting is not None and waiting[0] == other.seq and waiting[1] == asked.open_questions
    assert ws.ask("是企业的", ENGINE).proposal.cells["t3.granted.commercial"] == 8  # type: ignore[union-attr]


def test_dismissed_questions_are_no_longer_waited_for(ws: Workspace) -> None:
    asked = ws.ask("予以公开8件", ENGINE)
    ws.dismiss_questions(asked.seq)
    assert ws.open_questions() is None
    reply = ws.ask("是个人的", ENGINE)
    assert reply.proposal is not None and reply.proposal.changes == []


def test_dismissing_a_proposal_closes_its_questions(ws: Workspace) -> None:
    asked = ws.ask("予以公开8件", ENGINE)
    ws.dismiss_proposal(asked.seq)
    assert ws.open_questions() is None


def test_the_context_survives_a_reload_from_the_store(ws: Workspace) -> None:
    ws.ask("收到申请10件", ENGINE)
    again = Workspace.open(ws.store, ws.draft.id)
    reply = again.ask("个人8件，企业2件", ENGINE)
    assert reply.proposal is not None
    assert reply.proposal.cells == {"t3.new.natural": 8, "t3.new.commercial": 2, "t3.new.research": 0,
                                    "t3.new.social": 0, "t3.new.legal": 0, "t3.new.other": 0}


def test_a_correction_refers_to_the_cell_of_the_last_turn(ws: Workspace) -> None:
    ws.ask("个人申请予以公开8件", ENGINE)
    assert ws.ask("应该是9件", ENGINE).proposal.cells == {"t3.granted.natural": 9}  # type: ignore[union-attr]


class PlainEngine:
    """An engine of the first protocol (no conversation context), such as an LLM engine."""

    name = "plain"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def propose(self, source: str, draft: object = None, *, kind: str = "chat") -> Proposal:
        self.calls.append(source)
        return Proposal(reply="好的", engine=self.name)


def test_an_engine_without_the_context_keeps_working(ws: Workspace) -> None:
    plain = PlainEngine()
    assert isinstance(plain, Engine) and isinstance(ENGINE, ConversationEngine)
    ws.ask("予以公开8件", ENGINE)
    ws.ask("是个人的", plain)  # type: ignore[arg-type]
    assert plain.calls == ["是个人的"]
    assert ws.open_questions() is not None  # it did not answer them: they stay open
    context = ChatContext(last_cells=["t3.granted.natural"])
    assert propose_in_conversation(plain, "x", None, context).reply == "好的"  # type: ignore[arg-type]
    assert propose_in_conversation(ENGINE, "应该是9件", None, context).cells == {"t3.granted.natural": 9}
