"""The offline engine: deterministic reading of Chinese over the cell registry, no network.

Rows pasted from a spreadsheet go to the table reader (``assistant.pasted``); everything else is
read by the chat's passes (``assistant.chat``): a proposal of changes with the clerk's words as
evidence, questions instead of guesses, help about the form, material for the text, and the
context the next turn of the conversation needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.chat import pipeline
from assistant.chat.labels import short_label
from assistant.chat.reply import compose
from assistant.chat.resolve import draft_applicant
from assistant.engines.base import ChatContext, Proposal, SourceKind, report_of
from assistant.model import Report
from assistant.pasted import read_pasted

if TYPE_CHECKING:
    from assistant.editing import Draft


class OfflineEngine:
    """Deterministic extraction over the registry's words; the default engine."""

    name = "offline"

    def propose(self, source: str, draft: Report | Draft | None = None, *, kind: SourceKind = "chat",
                context: ChatContext | None = None) -> Proposal:
        report = report_of(draft)
        if kind == "chat":
            pasted = read_pasted(source, report)
            if pasted is not None:
                return pasted
        doc = pipeline.read(source, report, context, kind=kind)
        # Said the way every source says it (``importing.fragments.without_noops``), so that a merge of
        # several sources (a note's tables and its prose) still tells the clerk.
        unchanged = [f"另有{doc.unchanged}项与草稿中已填的数字相同，未列出。"] if doc.unchanged else []
        return Proposal(
            changes=doc.changes,
            reply=compose(doc),
            questions=[q.text for q in doc.questions],
            engine=self.name,
            notices=unchanged,
            context=pipeline.next_context(doc) if kind == "chat" else None,
        )


__all__ = ["OfflineEngine", "draft_applicant", "short_label"]
