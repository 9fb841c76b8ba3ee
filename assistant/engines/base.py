"""What every chat engine returns and the protocol it follows (``factory`` chooses one).

An engine reads a source (a clerk's chat message, or the text of uploaded notes) against the
current draft and returns a ``Proposal``. It never changes the draft: applying is a separate step
(``assistant.editing.apply(draft, proposal.changes, source=..., prompt=proposal.prompt)``).

In a conversation the engine also receives the ``ChatContext`` its last proposal left (the
questions still open, with the counts waiting for an answer, and the cells spoken of last), so that
"是个人的" completes "予以公开8件" and "应该是9件" corrects the cell just named. The parameter is
optional: an engine that ignores it still follows the protocol (``propose_in_conversation``).
"""

from __future__ import annotations

import inspect
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from assistant.changes import Change
from assistant.model import Report

if TYPE_CHECKING:
    from assistant.editing import Draft

SourceKind = Literal["chat", "notes"]


class PendingItem(BaseModel):
    """A count the engine could not place yet, and the question it asked about it."""

    model_config = ConfigDict(extra="forbid")

    question: str
    missing: str  # what is missing: "appl", "org", "row", "t4col", "t4group", "t2col", "table"
    table: str | None = None  # "t3", "t4", "t2", "fee"
    row: str | None = None  # table-3 row, table-4 group, table-2 item
    col: str | None = None  # applicant, outcome, table-2 column
    group: str | None = None  # table-3 result group when the row is not known
    value: Decimal
    unit: str = ""
    whole: bool = True  # all of its row or group (its other columns are 0 once it is placed)
    evidence: str = ""  # the clerk's words it came from
    given: dict[str, Decimal] = Field(default_factory=dict)  # parts already said, cell -> value


class ChatContext(BaseModel):
    """What the last turn left open for the next one."""

    model_config = ConfigDict(extra="forbid")

    pending: list[PendingItem] = Field(default_factory=list)
    last_cells: list[str] = Field(default_factory=list)  # cells the last turn spoke of, in order
    last_values: dict[str, Decimal] = Field(default_factory=dict)  # what it proposed for them ("再加1件")

    @property
    def questions(self) -> list[str]:
        return [p.question for p in self.pending]

    def without_questions(self) -> ChatContext:
        return self.model_copy(update={"pending": []})


class Proposal(BaseModel):
    """Changes an engine proposes, with a short Chinese reply and the questions it has."""

    model_config = ConfigDict(extra="forbid")

    changes: list[Change] = Field(default_factory=list)
    reply: str = ""
    questions: list[str] = Field(default_factory=list)
    engine: str = "offline"  # "offline", "ledger" or "openai:<model>"
    prompt: str | None = None  # "id@version" of the prompt used, for the audit trail
    notices: list[str] = Field(default_factory=list)  # e.g. a fallback to the offline engine
    context: ChatContext | None = None  # what stays open for the next turn of the conversation

    def public(self) -> dict[str, Any]:
        """The proposal as the command line prints it: changes, reply, questions."""
        data = self.model_dump(mode="json")
        return {k: data[k] for k in ("changes", "reply", "questions")}

    @property
    def cells(self) -> dict[str, Any]:
        return {c.cell: c.value for c in self.changes}


@runtime_checkable
class Engine(Protocol):
    """Reads a source against the current report; never mutates it."""

    name: str

    def propose(self, source: str, draft: Report | Draft | None = None, *, kind: SourceKind = "chat") -> Proposal: ...


@runtime_checkable
class ConversationEngine(Engine, Protocol):
    """An engine that holds a conversation: it also reads the context its last proposal left."""

    def propose(self, source: str, draft: Report | Draft | None = None, *, kind: SourceKind = "chat",
                context: ChatContext | None = None) -> Proposal: ...


def propose_in_conversation(engine: Engine, source: str, draft: Report | Draft | None,
                            context: ChatContext | None) -> Proposal:
    """``engine.propose`` with the conversation context when the engine takes one (the context is
    optional: an engine without it, such as a plain LLM engine, is called as before)."""
    if context is not None and "context" in inspect.signature(engine.propose).parameters:
        return engine.propose(source, draft, context=context)  # type: ignore[call-arg]
    return engine.propose(source, draft)


def report_of(draft: Report | Draft | None) -> Report:
    """The report an engine reads: a draft's report, a report, or an empty one."""
    if draft is None:
        return Report()
    if isinstance(draft, Report):
        return draft
    return draft.report
