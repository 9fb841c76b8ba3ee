"""A clerk's open draft: every action the app offers, saved at once, safe across tabs.

The Streamlit view keeps one ``Workspace`` per browser session and calls only these methods, so
everything here is testable without a browser. Each change goes through ``assistant.editing``
(validated, recorded, undoable) and is saved to the ``DraftStore`` before the method returns.
When another tab saved the same draft in the meantime, the change is re-applied on top of the
newer version and a notice names the cells both touched: nothing is overwritten silently. The tab
whose values were replaced learns it the next time it adopts the stored draft (``replaced``: which
cells, its value and the value now) and gets its own values back in one step (``restore_mine``).
A button drawn before another tab acted (apply or dismiss a proposal already decided, a fix whose
finding no longer holds) raises ``StaleAction`` in Chinese and changes nothing.

Every load and action first asks the workspace's ``actor`` who is acting (an expired session is
refused there) and checks that user against the agency the draft belongs to (``assistant.auth``):
another agency's draft is refused with "无权查看此草稿" before any of it is read, and steps, exports
and the conversation are recorded with the user's name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from assistant import editing
from assistant.auth import DESKTOP, Actor, User, check_create, check_edit, check_view, recorded_name
from assistant.cells import CELLS, FIELDS, label_of
from assistant.changes import Change
from assistant.editing import Draft, Source, same_value
from assistant.engines.base import ChatContext, Engine, Proposal, propose_in_conversation
from assistant.errors import AssistantError, InvalidValue
from assistant.findings import Finding
from assistant.model import Report
from assistant.numbers import format_value, parse_cell_text
from assistant.store import DraftConflict, DraftStore, DraftSummary, storable
from assistant.totals import AUTOFILL_EVIDENCE
from assistant.validator import validate

MAX_MERGE_ATTEMPTS = 3
_PROPOSAL_SOURCE: dict[str, Source] = {"ledger": "ledger"}
_STATUS_WORDS = {"applied": "已全部应用", "partial": "已部分应用", "dismissed": "已标为不采用"}
RESTORE_EVIDENCE = "恢复本窗口的填写"


class StaleAction(AssistantError):
    """A button drawn before the draft changed (in another tab, or a moment ago): nothing was changed."""


@dataclass(frozen=True)
class Replaced:
    """A value this tab set that another tab has since replaced."""

    cell: str
    mine: Any
    now: Any


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
    questions: str | None = None  # the engine's open questions: "open", "answered" or "dismissed"

    @property
    def pending(self) -> bool:
        return self.proposal is not None and self.status == "pending" and bool(self.proposal.changes)

    @property
    def open_questions(self) -> list[str]:
        """What the engine still waits to be told, while the clerk has neither answered nor dismissed it."""
        if self.questions != "open" or self.proposal is None or self.proposal.context is None:
            return []
        return self.proposal.context.questions

    @classmethod
    def from_row(cls, seq: int, role: str, data: dict[str, Any]) -> ChatMessage:
        try:
            proposal = Proposal.model_validate(data["proposal"]) if data.get("proposal") else None
            return cls(seq, role, str(data.get("text", "")), data.get("attachment"), proposal, data.get("status"),
                       tuple(data.get("applied", ())), tuple(data.get("notices", ())), bool(data.get("error")),
                       data.get("questions"))
        except (ValidationError, TypeError, ValueError, AttributeError):  # a damaged or foreign row
            return cls(seq, role, "（此条对话记录已损坏，无法显示。）", error=True)

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
        if self.questions:
            data["questions"] = self.questions
        return data


@dataclass
class Workspace:
    store: DraftStore
    draft: Draft
    revision: int
    notices: list[str] = field(default_factory=list)
    replaced: dict[str, Replaced] = field(default_factory=dict)  # this tab's values another tab replaced
    _findings: tuple[int, list[Finding]] | None = None
    _mine: dict[str, Any] = field(default_factory=dict)  # key → the value this tab last set it to
    actor: Actor = DESKTOP
    owner_agency: str | None = None  # the agency the draft belongs to, as last checked

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def create(cls, store: DraftStore, report: Report | None = None, *, source: Source = "edit",
               summary: str = "新建草稿", actor: Actor = DESKTOP) -> Workspace:
        """A new draft, belonging to the acting clerk's agency."""
        user = actor.current()
        check_create(user)
        draft = editing.start(report, source=source, summary=summary)
        revision = store.create(draft, owner_agency=user.agency, by=recorded_name(user))
        return cls(store, draft, revision, actor=actor, owner_agency=user.agency)

    @classmethod
    def open(cls, store: DraftStore, draft_id: str, *, actor: Actor = DESKTOP) -> Workspace:
        """The stored draft, if the acting user may see it (checked before anything of it is read)."""
        user = actor.current()
        owner = store.owner(draft_id)
        check_view(user, owner)
        draft, revision = store.load(draft_id)
        return cls(store, draft, revision, actor=actor, owner_agency=owner)

    @property
    def can_edit(self) -> bool:
        """Whether the acting user may change this draft (False for a reviewer, or once signed out)."""
        try:
            self._authorize(write=True)
        except AssistantError:
            return False
        return True

    def reload(self) -> bool:
        """Take the stored version if another tab saved since; True when something changed.

        Values this tab had set and the other tab replaced are listed in ``replaced``."""
        self._authorize(write=False)
        draft, revision = self.store.load(self.draft.id)
        if revision == self.revision:
            return False
        self._note_replaced(draft)
        self.draft, self.revision = draft, revision
        return True

    def restore_mine(self) -> bool:
        """Set the values listed in ``replaced`` back to this tab's, as one new undoable step."""
        if not self.replaced:
            raise StaleAction("没有需要恢复的内容。")
        changes = [Change(cell=r.cell, value=r.mine, evidence=RESTORE_EVIDENCE) for r in self.replaced.values()]
        changed = self.apply(changes, source="edit", summary=f"恢复本窗口被其他窗口替换的填写（{len(changes)}项）")
        self.replaced = {}
        return changed

    def keep_theirs(self) -> None:
        """The clerk accepts the other tab's values: forget this tab's replaced ones."""
        self.replaced = {}

    def _note_replaced(self, latest: Draft) -> None:
        """Compare the steps another tab added since ``self.draft`` with what this tab set."""
        known = self.draft.steps[-1].id if self.draft.steps else 0
        touched = {c.cell for s in latest.steps if s.id > known for c in s.changes}
        for cell in touched & set(self._mine):
            now = latest.report.value(cell)
            if not same_value(now, self._mine[cell]):
                self.replaced[cell] = Replaced(cell, self._mine.pop(cell), now)
        for cell, r in list(self.replaced.items()):  # a later step may have changed it again
            now = latest.report.value(cell)
            if same_value(now, r.mine):
                del self.replaced[cell]
            else:
                self.replaced[cell] = Replaced(cell, r.mine, now)

    @property
    def report(self) -> Report:
        return self.draft.report

    # -- the draft as a whole (the start page's list) ------------------------------------------------

    def rename(self, name: str | None) -> None:
        """The clerk's name for this draft in the list (blank: agency and year again)."""
        rename_draft(self.store, self.draft.id, name, self.actor)

    def delete(self) -> None:
        """Take this draft off the list; its data and history stay in the audit trail."""
        delete_draft(self.store, self.draft.id, self.actor)

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
        """A finding's one-click fix, if the finding still holds on the stored draft (else StaleAction)."""
        if finding.fix is None:
            return False
        self.reload()  # the button was drawn for an older version, perhaps; judge on the latest
        fix = finding.fix
        if not any(f.rule == finding.rule and f.fix is not None and f.fix.changes == fix.changes
                   for f in self.findings()):
            raise StaleAction("这项检查结果已不再成立（草稿刚在本窗口或其他窗口修改过），没有作任何更改。"
                              "请查看最新的检查结果。")
        return self.apply(fix.changes, source="fix", summary=f"一键修正：{fix.description}")

    # -- the conversation -------------------------------------------------------------------------

    def conversation(self) -> list[ChatMessage]:
        self._authorize(write=False)
        return [ChatMessage.from_row(*row) for row in self.store.messages(self.draft.id)]

    def say(self, text: str, *, role: str = "assistant", attachment: str | None = None,
            proposal: Proposal | None = None, error: bool = False) -> ChatMessage:
        """Record one message (and a proposal awaiting the clerk's decision)."""
        self._authorize(write=True)
        status = "pending" if proposal is not None and proposal.changes else None
        notices = tuple(proposal.notices) if proposal is not None else ()
        questions = "open" if proposal is not None and proposal.context and proposal.context.pending else None
        message = ChatMessage(0, role, text, attachment, proposal, status, (), notices, error, questions)
        seq = self.store.add_message(self.draft.id, role, message.to_row())
        return ChatMessage.from_row(seq, role, message.to_row())

    def ask(self, text: str, engine: Engine) -> ChatMessage:
        """The clerk's message and the engine's proposal for it; nothing is applied yet.

        The engine reads the message with what the last turn left open ("予以公开8件" waiting for
        its applicant), so "是个人的" completes it. Its new context carries what is still open, so
        the questions of the last turn are then closed.
        """
        context = self.conversation_context()
        self.say(text, role="user")
        proposal = propose_in_conversation(engine, text, self.draft, context)
        if proposal.context is not None:
            for m in self.conversation():
                if m.questions == "open":
                    self._set_questions(m, "answered")
        return self.say(_reply_text(proposal), proposal=proposal)

    def conversation_context(self) -> ChatContext | None:
        """The context the engine's last answer left: its open questions unless answered or dismissed."""
        for m in reversed(self.conversation()):
            if m.role == "assistant" and m.proposal is not None and not m.attachment:
                context = m.proposal.context
                if context is None:
                    return None
                return context if m.questions == "open" else context.without_questions()
        return None

    def open_questions(self) -> tuple[int, list[str]] | None:
        """The message whose questions still wait for the clerk, and those questions."""
        for m in reversed(self.conversation()):
            if m.open_questions:
                return m.seq, m.open_questions
        return None

    def dismiss_questions(self, seq: int) -> None:
        """The clerk will not answer: the engine stops waiting and no longer shows them."""
        self._authorize(write=True)
        message = self._message(seq)
        if message.questions == "open":
            self._set_questions(message, "dismissed")

    def _set_questions(self, m: ChatMessage, state: str) -> None:
        self.store.update_message(self.draft.id, m.seq, ChatMessage(
            m.seq, m.role, m.text, m.attachment, m.proposal, m.status, m.applied, m.notices, m.error,
            state).to_row())

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
        """Apply all (or the ``chosen`` indices) of a pending proposal as one undoable step.

        A proposal already applied or dismissed (in another tab) raises StaleAction: nothing changes."""
        self._authorize(write=True)
        message = self._message(seq)
        self._require_pending(message)
        if message.proposal is None:
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
        # Marked only if still pending as read: a tab that applied it a moment earlier keeps its mark.
        self.store.update_message(self.draft.id, seq, ChatMessage(
            seq, message.role, message.text, message.attachment, proposal, status, tuple(indices),
            message.notices, message.error, message.questions).to_row(), expected=message.to_row())
        return changed

    def dismiss_proposal(self, seq: int) -> None:
        self._authorize(write=True)
        message = self._message(seq)
        self._require_pending(message)
        # Its questions were about the counts it proposed: not taken, they are not waited for either.
        questions = "dismissed" if message.questions == "open" else message.questions
        if not self.store.update_message(self.draft.id, seq, ChatMessage(
                seq, message.role, message.text, message.attachment, message.proposal, "dismissed", (),
                message.notices, message.error, questions).to_row(), expected=message.to_row()):
            self._require_pending(self._message(seq))

    def _require_pending(self, message: ChatMessage) -> None:
        if message.proposal is not None and message.status in _STATUS_WORDS:
            raise StaleAction(f"这条建议{_STATUS_WORDS[message.status]}（可能是在其他窗口），"
                              "此次操作没有执行，草稿未改动。")

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

    # -- exporting and the record ------------------------------------------------------------------

    def export(self, fmt: str, *, force: bool = False) -> bytes:
        """The draft in one export format, for a user who may see it (``record_export`` when it is taken)."""
        from assistant.exporting import export_bytes

        self._authorize(write=False)
        return export_bytes(self.report, fmt, force=force)

    def record_export(self, fmt: str, *, force: bool = False) -> None:
        """An export taken (downloaded), in the audit log with the user, the format and the revision."""
        user = self._authorize(write=False)
        self.store.record_event("export", by=recorded_name(user), draft_id=self.draft.id,
                                detail=f"导出 {fmt}{'（尚有错误）' if force else ''} · 第{self.revision}版")

    def history(self) -> list[dict[str, Any]]:
        """The stored steps (with who applied each, ``by``), oldest first."""
        self._authorize(write=False)
        return self.store.history(self.draft.id)

    def events(self) -> list[dict[str, Any]]:
        """The audit rows about this draft (exports …), newest first."""
        self._authorize(write=False)
        return self.store.events(draft_id=self.draft.id)

    def authorize(self, *, write: bool = False) -> User:
        """The acting user, if still signed in and allowed to see (or change) this draft; else a Chinese error."""
        return self._authorize(write=write)

    def _authorize(self, *, write: bool) -> User:
        """The acting user, if still signed in and allowed this on this draft (asked of the store each time)."""
        user = self.actor.current()
        if not user.desktop:
            self.owner_agency = self.store.owner(self.draft.id)
        (check_edit if write else check_view)(user, self.owner_agency)
        return user

    # -- saving ---------------------------------------------------------------------------------

    def _commit(self, action: Callable[[Draft], Draft]) -> bool:
        user = self._authorize(write=True)
        self.notices = []
        updated = action(self.draft)
        if updated is self.draft:
            return False
        draft, revision = storable(updated), self.revision
        for _ in range(MAX_MERGE_ATTEMPTS):
            try:
                self.revision = self.store.save(draft, revision, by=recorded_name(user))
                self.draft = draft
                self._note_mine(draft.steps[-1])
                return True
            except DraftConflict as conflict:
                draft, revision = self._merge(conflict, updated, action)
        raise DraftConflict("此草稿正被频繁修改，请稍后重试。", latest=self.draft, latest_revision=self.revision)

    def _merge(self, conflict: DraftConflict, ours: Draft,
               action: Callable[[Draft], Draft]) -> tuple[Draft, int]:
        """Re-apply our last step on the newer stored draft, naming the cells both sides changed."""
        latest = conflict.latest
        self._note_replaced(latest)
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
        return storable(merged), conflict.latest_revision

    def _note_mine(self, step: editing.Step) -> None:
        """Remember what this tab just set (totals are recomputed, not the clerk's values)."""
        for c in step.changes:
            if c.evidence != AUTOFILL_EVIDENCE:
                self._mine[c.cell] = c.new
                self.replaced.pop(c.cell, None)


def rename_draft(store: DraftStore, draft_id: str, name: str | None, actor: Actor) -> None:
    """Rename a draft of the list, if the acting user may change it (a damaged draft too: nothing of it is read)."""
    user = actor.current()
    check_edit(user, store.owner(draft_id))
    store.rename(draft_id, name, by=recorded_name(user))


def delete_draft(store: DraftStore, draft_id: str, actor: Actor) -> None:
    """Take a draft off the list, if the acting user may change it; its data and history stay for the audit."""
    user = actor.current()
    check_edit(user, store.owner(draft_id))
    store.delete(draft_id, by=recorded_name(user))


def visible_drafts(store: DraftStore, actor: Actor) -> list[DraftSummary]:
    """The drafts the acting user may open: a clerk's own agency's, every one for a reviewer or on the desktop."""
    user = actor.current()
    if user.role == "clerk":
        return store.summaries(owner_agency=user.agency) if user.agency else []
    if user.role in ("desktop", "reviewer"):
        return store.summaries()
    return []


def _reply_text(proposal: Proposal) -> str:
    parts = [proposal.reply] if proposal.reply else []
    if not proposal.changes and not proposal.questions and not parts:
        parts.append("没有识别出可以填写的内容。可以说得具体些，例如“今年收到自然人申请12件，予以公开8件”。")
    return "\n".join(parts)

