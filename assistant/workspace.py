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

from assistant import editing
from assistant.cells import CELLS, FIELDS, label_of
from assistant.changes import Change
from assistant.editing import Draft, Source, same_value
from assistant.errors import InvalidValue
from assistant.findings import Finding
from assistant.model import Report
from assistant.numbers import format_value, parse_cell_text
from assistant.store import DraftConflict, DraftStore
from assistant.totals import AUTOFILL_EVIDENCE
from assistant.validator import validate

MAX_MERGE_ATTEMPTS = 3


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

    def apply_fix(self, finding: Finding) -> bool:
        if finding.fix is None:
            return False
        return self.apply(finding.fix.changes, source="fix", summary=f"一键修正：{finding.fix.description}")

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
