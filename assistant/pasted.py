"""Rows pasted from a spreadsheet into the chat box (placeholder until the table reader lands).

The reading helper writes the real reader: Excel rows (tab-separated, with or without the header)
and pipe tables read by header when there is one, by the official column order when not. The chat
engine calls it first and reads the message as prose only when it returns None.
"""

from __future__ import annotations

from assistant.engines.base import Proposal
from assistant.model import Report


def read_pasted(text: str, report: Report) -> Proposal | None:
    """The proposal for table rows pasted as text; None when the text is not table-shaped."""
    return None
