"""A clerk's open draft: every action the app offers, saved at once, safe across tabs.

The Streamlit view keeps one ``Workspace`` per browser session and calls only these methods, so
everything here is testable without a browser. Each change goes through ``assistant.editing``
(validated, recorded, undoable) and is saved to the ``DraftStore`` before the method returns.
When another tab saved the same draft in the meantime, the change is re-applied on top of the
newer version and a notice names the cells both touched: nothing is overwritten silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant import editing
from assistant.cells import CELLS, FIELDS, label_of
from assistant.changes import Change
from assistant.editing import Draft, Source, same_value
from assistant.engines.base import Engine, Proposal
from assistant.errors import AssistantError, InvalidValue
from assistant.findings import Finding
from assistant.model import Report
from assistant.numbers import format_value, parse_cell_text
from assistant.store import DraftConflict, DraftStore
from assistant.totals import AUTOFILL_EVIDENCE
from assistant.validator import validate

MAX_MERGE_ATTEMPTS = 3
_PROPOSAL_SOURCE: dict[str, Source] = {"ledger": "ledger"}


@dataclass(frozen=True)
class ChatMessage:
    """One turn of the conversation beside a draft, as stored."""

    seq: int
    role: str  # "user" or "assistant"
    text: str
    attachment: str | None = None
    proposal: Proposal | None = None
    status: str | None = None  # "pending", "applied", "partial", "dismissed" for a proposal
    applied: tuple[int, ...] = ()
    notices: tuple[str, ...] = ()
    error: bool = False

    @property
    def pending(self) -> bool:
        return self.proposal is not None and self.status == "pending" and bool(self.proposal.changes)

    @classmethod
    def from_row(cls, seq: int, role: str, data: dict[str, Any]) -> ChatMessage:
        proposal = Proposal.model_validate(data["proposal"]) if data.get("proposal") else None
        return cls(seq, role, data.get("text", ""), data.get("attachment"), proposal, data.get("status"),
                   tuple(data.get("applied", ())), tuple(data.get("notices", ())), bool(data.get("error")))

    def to_row(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.attachment:
            data["attachment"] = self.attachment
        if self.proposal is not None:
            data["proposal"] = self.proposal.model_dump(mode="json")
            data["status"] = self.status
            data["applied"] = list(self.applied)
        if self.notices:
            data["notices"] = list(self.notices)
        if self.error:
            data["error"] = True
        return data


@dataclass
class Workspace:
    store: DraftStore
    draft: Draft
    revision: int
    notices: list[str] = field(default_factory=list)
    _findings: tuple[int, list[Finding]] | None = None

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def create(cls, store: DraftStore, report: Report | None = None, *, source: Source = "edit",
               summary: str = "新建草稿") -> Workspace:
        draft = editing.start(report, source=source, summary=summary)
        return cls(store, draft, store.create(draft))

    @classmethod
    def open(cls, store: DraftStore, draft_id: str) -> Workspace:
        draft, revision = store.load(draft_id)
        return cls(store, draft, revision)

    def reload(self) -> bool:
        """Take the stored version if another tab saved since; True when something changed."""
        draft, revision = self.store.load(self.draft.id)
        if revision == self.revision:
            return False
        self.draft, self.revision = draft, revision
        return True

    @property
    def report(self) -> Report:
        return self.draft.report

    # -- changing -------------------------------------------------------------------------------

    def apply(self, changes: Sequence[Change], *, source: Source, summary: str = "",
              prompt: str | None = None) -> bool:
        """Apply and save one step; False when nothing changed. InvalidValue leaves everything as it was."""
        return self._commit(lambda d: editing.apply(d, changes, source=source, summary=summary, prompt=prompt))

    def undo(self) -> bool:
        return self._commit(editing.undo)

    def redo(self) -> bool:
        return self._commit(editing.redo)

    def set_cell_text(self, cell_id: str, text: str) -> bool:
        """A value typed into a table cell; an empty entry makes the cell unknown again."""
        if cell_id not in CELLS:
            raise InvalidValue(f"未知的单元格编号“{cell_id}”", key=cell_id)
        text = text.strip()
        if not text:
            return self.apply([Change(cell=cell_id, value=None, evidence="手工清空")], source="edit",
                              summary=f"清空“{label_of(cell_id)}”")
        parsed = parse_cell_text(text, CELLS[cell_id].kind)  # "/" and "—" typed by a clerk mean 0
        if parsed.value is None:
            raise InvalidValue(f"“{label_of(cell_id)}”应填数字，“{text}”无法识别为数字。", key=cell_id)
        return self.apply([Change(cell=cell_id, value=parsed.value, evidence=f"手工填写“{text}”")], source="edit",
                          summary=f"填写“{label_of(cell_id)}”为{format_value(parsed.value)}")

    def set_text(self, key: str, text: str | None, *, source: Source = "edit") -> bool:
        if key not in FIELDS:
            raise InvalidValue(f"未知的编号“{key}”", key=key)
        return self.apply([Change(cell=key, value=text, evidence="手工编辑")], source=source,
                          summary=f"编辑“{label_of(key)}”")

    def confirm_cells(self, cell_ids: Sequence[str]) -> bool:
        """The clerk checked scanned numbers against their pictures: the marks go (recorded, undoable)."""
        return self._commit(lambda d: editing.confirm(d, cell_ids))

    def apply_fix(self, finding: Finding) -> bool:
        if finding.fix is None:
            return False
        return self.apply(finding.fix.changes, source="fix", summary=f"一键修正：{finding.fix.description}")

    # -- the conversation -------------------------------------------------------------------------

    def conversation(self) -> list[ChatMessage]:
        return [ChatMessage.from_row(*row) for row in self.store.messages(self.draft.id)]

    def say(self, text: str, *, role: str = "assistant", attachment: str | None = None,
            proposal: Proposal | None = None, error: bool = False) -> ChatMessage:
        """Record one message (and a proposal awaiting the clerk's decision)."""
        status = "pending" if proposal is not None and proposal.changes else None
        notices = tuple(proposal.notices) if proposal is not None else ()
        message = ChatMessage(0, role, text, attachment, proposal, status, (), notices, error)
        seq = self.store.add_message(self.draft.id, role, message.to_row())
        return ChatMessage.from_row(seq, role, message.to_row())

    def ask(self, text: str, engine: Engine) -> ChatMessage:
        """The clerk's message and the engine's proposal for it; nothing is applied yet."""
        self.say(text, role="user")
        proposal = engine.propose(text, self.draft)
        return self.say(_reply_text(proposal), proposal=proposal)

    def ask_with_notes(self, data: bytes, filename: str, engine: Engine, text: str = "") -> ChatMessage:
        """An uploaded note file (or ledger) read into a proposal; a bad file is answered in Chinese."""
        from assistant.notes import propose_from_notes

        self.say(text or f"上传了笔记“{filename}”", role="user", attachment=filename)
        try:
            proposal = propose_from_notes(engine, data, filename, self.draft)
        except AssistantError as e:
            return self.say(e.message, attachment=filename, error=True)
        return self.say(_reply_text(proposal), attachment=filename, proposal=proposal)

    def apply_proposal(self, seq: int, chosen: Sequence[int] | None = None) -> bool:
        """Apply all (or the ``chosen`` indices) of a pending proposal as one undoable step."""
        message = self._message(seq)
        if not message.pending or message.proposal is None:
            return False
        proposal = message.proposal
        indices = list(range(len(proposal.changes))) if chosen is None else sorted(set(chosen))
        changes = [proposal.changes[i] for i in indices if 0 <= i < len(proposal.changes)]
        if not changes:
            return False
        source = _PROPOSAL_SOURCE.get(proposal.engine, "notes" if message.attachment else "chat")
        summary = f"{'应用' if len(changes) == len(proposal.changes) else '部分应用'}：{proposal.reply[:40]}"
        changed = self.apply(changes, source=source, summary=summary, prompt=proposal.prompt)
        status = "applied" if len(changes) == len(proposal.changes) else "partial"
        self.store.update_message(self.draft.id, seq, ChatMessage(
            seq, message.role, message.text, message.attachment, proposal, status, tuple(indices),
            message.notices, message.error).to_row())
        return changed

    def dismiss_proposal(self, seq: int) -> None:
        message = self._message(seq)
        if message.pending:
            self.store.update_message(self.draft.id, seq, ChatMessage(
                seq, message.role, message.text, message.attachment, message.proposal, "dismissed", (),
                message.notices, message.error).to_row())

    def _message(self, seq: int) -> ChatMessage:
        for m in self.conversation():
            if m.seq == seq:
                return m
        raise InvalidValue("找不到这条对话记录。")

    # -- checking -------------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        """The validator's findings for the current revision (computed once per revision)."""
        if self._findings is None or self._findings[0] != self.revision:
            self._findings = (self.revision, validate(self.report))
        return self._findings[1]

    # -- saving ---------------------------------------------------------------------------------

    def _commit(self, action: Callable[[Draft], Draft]) -> bool:
        self.notices = []
        updated = action(self.draft)
        if updated is self.draft:
            return False
        draft, revision = updated, self.revision
        for _ in range(MAX_MERGE_ATTEMPTS):
            try:
                self.revision = self.store.save(draft, revision)
                self.draft = draft
                return True
            except DraftConflict as conflict:
                draft, revision = self._merge(conflict, updated, action)
        raise DraftConflict("此草稿正被频繁修改，请稍后重试。", latest=self.draft, latest_revision=self.revision)

    def _merge(self, conflict: DraftConflict, ours: Draft,
               action: Callable[[Draft], Draft]) -> tuple[Draft, int]:
        """Re-apply our last step on the newer stored draft, naming the cells both sides changed."""
        latest = conflict.latest
        step = ours.steps[-1]
        theirs = {c.cell: latest.report.value(c.cell) for c in step.changes}
        both = [c.cell for c in step.changes if c.evidence != AUTOFILL_EVIDENCE  # totals are recomputed anyway
                and not same_value(theirs[c.cell], c.old) and not same_value(theirs[c.cell], c.new)]
        if step.source in ("undo", "redo"):
            again = [Change(cell=c.cell, value=c.new, evidence=c.evidence) for c in step.changes]
            merged = editing.apply(latest, again, source="edit", summary=step.summary, autofill=False)
        else:
            merged = action(latest)
        notice = "此草稿在其他窗口也有修改，已合并到最新版本。"
        if both:
            names = "、".join(f"“{label_of(c)}”" for c in both[:5])
            notice += f"以下内容两边都改过，已以本次修改为准：{names}。"
        self.notices.append(notice)
        return merged, conflict.latest_revision


def _reply_text(proposal: Proposal) -> str:
    parts = [proposal.reply] if proposal.reply else []
    if not proposal.changes and not proposal.questions and not parts:
        parts.append("没有识别出可以填写的内容。可以说得具体些，例如“今年收到自然人申请12件，予以公开8件”。")
    return "\n".join(parts)

