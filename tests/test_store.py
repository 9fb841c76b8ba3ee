"""Drafts survive restarts, keep their history, and two tabs never overwrite each other silently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import editing
from assistant.changes import Change
from assistant.errors import InvalidValue
from assistant.store import DraftConflict, DraftNotFound, DraftStore, StoreError, default_url
from assistant.workspace import Workspace
from tests.helpers import ziqiang
from tests.pgserver import temporary_postgres


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with temporary_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DraftStore]:
    """Every store test runs on the embedded SQLite file and on a shared PostgreSQL server."""
    if request.param == "sqlite":
        yield DraftStore(f"sqlite:///{tmp_path / 'data' / 'drafts.sqlite3'}")
        return
    s = DraftStore(request.getfixturevalue("postgres_url"))
    yield s
    for summary in s.summaries():
        s.delete(summary.id)


def test_default_location_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NIANBAO_DB_URL", raising=False)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "office"))
    assert default_url() == f"sqlite:///{tmp_path / 'office' / 'drafts.sqlite3'}"
    DraftStore()
    assert (tmp_path / "office" / "drafts.sqlite3").exists()
    monkeypatch.setenv("NIANBAO_DB_URL", "sqlite:///:memory:")
    assert default_url() == "sqlite:///:memory:"


def test_a_saved_draft_survives_a_restart(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    ws.apply([Change(cell="t3.new.natural", value=12, evidence="收到自然人申请12件")], source="chat")
    again = DraftStore(store.url)  # a new process on the same file
    ws2 = Workspace.open(again, ws.draft.id)
    assert ws2.report.get("t3.new.natural") == 12 and ws2.report.get("t3.new.total") == 12
    assert ws2.draft.can_undo
    assert [s.id for s in again.summaries()] == [ws.draft.id]
    assert again.summaries()[0].title == "长春市南关区自强街道办事处 · 2024年度"


def test_history_rows_are_the_audit_trail(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    ws.apply([Change(cell="t4.review.upheld", value=1, evidence="复议维持1件")], source="chat", prompt="extract@1")
    ws.undo()
    rows = store.history(ws.draft.id)
    assert [r["source"] for r in rows] == ["edit", "chat", "undo"]
    assert rows[1]["prompt"] == "extract@1"
    assert rows[1]["changes"][0] == {"cell": "t4.review.upheld", "old": 0, "new": 1, "evidence": "复议维持1件"}


def test_an_invalid_typed_value_changes_nothing(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    revision = ws.revision
    for text in ("三点五", "abc", "-2", "3.5"):
        with pytest.raises(InvalidValue) as e:
            ws.set_cell_text("t3.new.natural", text)
        assert "本年新收政府信息公开申请数量·自然人" in e.value.message
    assert ws.revision == revision
    assert Workspace.open(store, ws.draft.id).report == ziqiang()
    assert ws.set_cell_text("t3.new.natural", "１２")
    assert ws.report.get("t3.new.natural") == 12
    assert ws.set_cell_text("t3.new.natural", "")
    assert ws.report.get("t3.new.natural") is None


def test_two_tabs_merge_and_say_so(store: DraftStore) -> None:
    first = Workspace.create(store, ziqiang())
    second = Workspace.open(store, first.draft.id)
    first.apply([Change(cell="t4.review.upheld", value=2)], source="edit")
    second.apply([Change(cell="t4.review.corrected", value=1)], source="edit")  # saved after first: merged
    assert "已合并" in second.notices[0] and "两边都改过" not in second.notices[0]
    stored = Workspace.open(store, first.draft.id).report
    assert stored.get("t4.review.upheld") == 2 and stored.get("t4.review.corrected") == 1
    assert stored.get("t4.review.total") == 3
    first.apply([Change(cell="s5", value="甲稿")], source="edit")  # first is now behind: conflict on s5 below
    second.apply([Change(cell="s5", value="乙稿")], source="edit")
    assert "两边都改过" in second.notices[0] and "五、存在的主要问题及改进情况" in second.notices[0]
    assert Workspace.open(store, first.draft.id).report.sections.s5 == "乙稿"


def test_a_stale_save_is_refused_by_the_store(store: DraftStore) -> None:
    draft = editing.start(ziqiang())
    rev = store.create(draft)
    changed = editing.apply(draft, [Change(cell="t4.review.other", value=1)], source="edit")
    assert store.save(changed, rev) == rev + 1
    with pytest.raises(DraftConflict) as e:
        store.save(changed, rev)
    assert e.value.latest_revision == rev + 1 and e.value.latest.report.get("t4.review.other") == 1


def test_missing_draft_and_unusable_locations(store: DraftStore, tmp_path: Path) -> None:
    with pytest.raises(DraftNotFound, match="找不到该草稿"):
        store.load("nope")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="无法创建数据文件夹"):
        DraftStore(f"sqlite:///{blocker / 'sub' / 'db.sqlite3'}")
    with pytest.raises(StoreError, match="数据库地址无法使用"):
        DraftStore("nosuchdb://x")


def test_undo_redo_fix_and_findings(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    ws.apply([Change(cell="t4.review.upheld", value=2), Change(cell="t4.review.total", value=1)], source="edit",
             summary="手工填写")
    # an explicit total that disagrees with its parts is kept as typed... and the validator catches it
    wrong = [f for f in ws.findings() if f.rule == "T4-TOTAL"]
    assert wrong and wrong[0].fix
    assert ws.apply_fix(wrong[0])
    assert ws.report.get("t4.review.total") == 2 and not [f for f in ws.findings() if f.rule == "T4-TOTAL"]
    assert ws.undo() and ws.report.get("t4.review.total") == 1
    assert ws.redo() and ws.report.get("t4.review.total") == 2
