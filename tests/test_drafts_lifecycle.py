"""Drafts renamed and deleted: off the list, never out of the audit trail; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from assistant.changes import Change
from assistant.store import DraftNotFound, DraftStore, StoreError
from assistant.workspace import Workspace
from tests.helpers import ziqiang
from tests.test_store import postgres_url, store  # noqa: F401  (the fixtures: every test on both databases)


def test_a_draft_is_renamed_and_the_rename_recorded(store: DraftStore) -> None:  # noqa: F811
    ws = Workspace.create(store, ziqiang())
    ws.rename("  自强街道2024年报（试填）  ")
    [summary] = [s for s in store.summaries() if s.id == ws.draft.id]
    assert summary.title == "自强街道2024年报（试填）" and summary.name == "自强街道2024年报（试填）"
    ws.rename("")
    [summary] = [s for s in store.summaries() if s.id == ws.draft.id]
    assert summary.title == "长春市南关区自强街道办事处 · 2024年度"
    assert [e["detail"] for e in store.events(draft_id=ws.draft.id)] == ["恢复默认名称", "重命名为“自强街道2024年报（试填）”"]
    with pytest.raises(StoreError, match="过长"):
        ws.rename("名" * 101)
    ws.apply([Change(cell="t4.review.upheld", value=1, evidence="复议维持1件")], source="chat")
    assert Workspace.open(store, ws.draft.id).report.get("t4.review.upheld") == 1  # a rename loses nothing


def test_a_deleted_draft_leaves_the_list_and_stays_in_the_audit_trail(store: DraftStore) -> None:  # noqa: F811
    keep = Workspace.create(store, ziqiang())
    ws = Workspace.create(store, ziqiang().with_values({"meta.year": 2026}))
    ws.apply([Change(cell="t3.new.natural", value=3, evidence="收到3件")], source="chat")
    ws.say("收到3件", role="user")
    ws.delete()
    ids = [s.id for s in store.summaries()]
    assert ws.draft.id not in ids and keep.draft.id in ids
    with pytest.raises(DraftNotFound):
        Workspace.open(store, ws.draft.id)
    with pytest.raises(DraftNotFound):  # a tab still showing it cannot save into it
        ws.apply([Change(cell="t3.new.natural", value=4, evidence="收到4件")], source="chat")
    with pytest.raises(DraftNotFound):
        ws.delete()
    assert [e["kind"] for e in store.events(draft_id=ws.draft.id)] == ["delete"]
    assert store.events(draft_id=ws.draft.id)[0]["detail"] == "删除草稿“长春市南关区自强街道办事处 · 2026年度”"
    assert [h["source"] for h in store.history(ws.draft.id)][-1] == "chat"  # its steps are kept
    assert store.messages(ws.draft.id)  # and its conversation


def test_a_database_made_before_rename_and_delete_is_brought_up_to_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # the drafts table as the first release made it
        conn.execute(text("CREATE TABLE drafts (id VARCHAR(32) PRIMARY KEY, agency TEXT, year INTEGER, "
                          "revision INTEGER NOT NULL, data TEXT NOT NULL, created_at DATETIME NOT NULL, "
                          "updated_at DATETIME NOT NULL)"))
    engine.dispose()
    store = DraftStore(url)  # noqa: F811
    ws = Workspace.create(store, ziqiang())
    ws.rename("旧库中的草稿")
    assert [s.title for s in store.summaries()] == ["旧库中的草稿"]
    ws.delete()
    assert store.summaries() == []
