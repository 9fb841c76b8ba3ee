"""What every chat engine returns and the protocol it follows (``factory`` chooses one).

An engine reads a source (a clerk's chat message, or the text of uploaded notes) against the
current draft and returns a ``Proposal``. It never changes the draft: applying is a separate step
(``assistant.editing.apply(draft, proposal.changes, source=..., prompt=proposal.prompt)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from assistant.changes import Change
from assistant.model import Report

if TYPE_CHECKING:
    from assistant.editing import Draft

SourceKind = Literal["chat", "notes"]


class Proposal(BaseModel):
    """Changes an engine proposes, with a short Chinese reply and the questions it has."""

    model_config = ConfigDict(extra="forbid")

    changes: list[Change] = Field(default_factory=list)
    reply: str = ""
    questions: list[str] = Field(default_factory=list)
    engine: str = "offline"  # "offline", "ledger" or "openai:<model>"
    prompt: str | None = None  # "id@version" of the prompt used, for the audit trail
    notices: list[str] = Field(default_factory=list)  # e.g. a fallback to the offline engine

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


def report_of(draft: Report | Draft | None) -> Report:
    """The report an engine reads: a draft's report, a report, or an empty one."""
    if draft is None:
        return Report()
    if isinstance(draft, Report):
        return draft
    return draft.report
