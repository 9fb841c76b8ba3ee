"""The store under bad rows, a damaged file, a full disk, unstorable text and concurrent writers (issue 9).

Every failure reaches the clerk as a Chinese ``StoreError`` that says what to do; no SQLAlchemy
English, no lost message, no half-saved draft.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text, update

from assistant.changes import Change
from assistant.engines.base import Proposal
from assistant.store import (
    BrokenDraft,
    CorruptDatabase,
    DraftStore,
    StoreError,
    StoreFull,
    chat_table,
    drafts_table,
)
from assistant.workspace import Workspace
from tests import test_store
from tests.helpers import ziqiang

ROOT = Path(__file__).resolve().parent.parent

# The store fixtures of test_store (every test on SQLite and on one shared PostgreSQL server).
postgres_url, store = test_store.postgres_url, test_store.store

ENGLISH = ("sqlite", "sqlalchemy", "operationalerror", "error", "database is", "traceback")


def assert_chinese(message: str, *names: str) -> None:
    """No English error text in ``message`` (apart from ``names``: the file or server it names)."""
    for name in names:
        message = message.replace(name, "")
    assert not any(word in message.lower() for word in ENGLISH), message


@contextmanager
def full_disk(store: DraftStore) -> Iterator[None]:
    """Every write fails as the database fails on a full disk (the driver's own error, at the cursor)."""
    import psycopg

    def refuse(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            return
        if store.engine.dialect.name == "sqlite":
            raise sqlite3.OperationalError("database or disk is full")
        raise psycopg.errors.DiskFull('could not extend file "base/16384/16402": No space left on device')

    event.listen(store.engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(store.engine, "before_cursor_execute", refuse)


def _set_data(store: DraftStore, draft_id: str, data: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(drafts_table).where(drafts_table.c.id == draft_id).values(data=data))


# -- broken rows ------------------------------------------------------------------------------------


def test_a_broken_or_foreign_draft_row_is_refused_in_chinese(store: DraftStore) -> None:
    good = Workspace.create(store, ziqiang())
    broken = Workspace.create(store, ziqiang())
    foreign = Workspace.create(store, ziqiang())
    _set_data(store, broken.draft.id, '{"id": "x", "report": {"cells": {"t3.new.natural": ')
    row = json.loads(foreign.draft.model_dump_json())
    row["report"]["version"] = 7
    _set_data(store, foreign.draft.id, json.dumps(row))
    with pytest.raises(BrokenDraft, match="数据已损坏") as e:
        store.load(broken.draft.id)
    assert broken.draft.id in e.value.message and "返回草稿列表" in e.value.message
    with pytest.raises(BrokenDraft, match="数据版本 7"):
        store.load(foreign.draft.id)
    with pytest.raises(BrokenDraft):
        broken.reload()  # an open tab on it is told, not crashed
    for bad in ('{"report": {"cells": {"t3.new.natural": -5}}, "steps": []}', "[]", '"x"', "null",
                '{"report": {"version": "v1"}}', "{" * 5000):
        _set_data(store, broken.draft.id, bad)
        with pytest.raises(BrokenDraft):
            store.load(broken.draft.id)
    assert {s.id for s in store.summaries()} == {good.draft.id, broken.draft.id, foreign.draft.id}
    assert store.load(good.draft.id)[0].report == good.report


def test_a_summary_row_the_driver_cannot_read_is_listed_as_unreadable(tmp_path: Path) -> None:
    store = DraftStore(f"sqlite:///{tmp_path / 'drafts.sqlite3'}")
    good = Workspace.create(store, ziqiang())
    bad = Workspace.create(store, ziqiang())
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE drafts SET updated_at = 'gestern', revision = 'x' WHERE id = :id"),
                     {"id": bad.draft.id})
    listed = {s.id: s for s in store.summaries()}
    assert listed[good.draft.id].readable and listed[good.draft.id].title.startswith("长春市南关区自强街道办事处")
    assert not listed[bad.draft.id].readable and "无法读取" in listed[bad.draft.id].title


def test_a_damaged_chat_row_reads_as_a_notice(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    ws.say("第一条")
    second = ws.say("第二条", proposal=Proposal(changes=[Change(cell="t3.new.natural", value=1)]))
    with store.engine.begin() as conn:
        conn.execute(update(chat_table).where(chat_table.c.seq == second.seq).values(data="{broken"))
    texts = [m.text for m in ws.conversation()]
    assert texts[0] == "第一条" and "已损坏" in texts[1]
    with store.engine.begin() as conn:
        conn.execute(update(chat_table).where(chat_table.c.seq == second.seq)
                     .values(data='{"text": "x", "proposal": {"changes": 5}}'))
    assert "已损坏" in ws.conversation()[1].text


# -- a damaged database file ------------------------------------------------------------------------


def _damaged(tmp_path: Path, offset: int) -> Path:
    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(f"sqlite:///{path}")
    for _ in range(3):
        Workspace.create(store, ziqiang()).say("你好")
    store.engine.dispose()  # the last connection checkpoints the WAL into the file
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(b"\xde\xad\xbe\xef" * 1024)
    return path


def test_a_damaged_page_is_named_with_what_to_do(tmp_path: Path) -> None:
    path = _damaged(tmp_path, 4096)  # page 2: the first table's data
    with pytest.raises(CorruptDatabase) as e:
        DraftStore(f"sqlite:///{path}").summaries()
    assert str(path) in e.value.message and "已损坏" in e.value.message and "改名备份" in e.value.message
    assert_chinese(e.value.message, str(path))


def test_a_file_that_is_not_a_database_is_named_with_what_to_do(tmp_path: Path) -> None:
    path = _damaged(tmp_path, 0)  # the header
    with pytest.raises(CorruptDatabase) as e:
        DraftStore(f"sqlite:///{path}")
    assert str(path) in e.value.message and "改名备份" in e.value.message


# -- a full disk ------------------------------------------------------------------------------------


def test_a_full_disk_saves_nothing_changes_nothing_and_says_so(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    before, revision = ws.draft, ws.revision
    with full_disk(store):
        for action in (lambda: ws.set_text("s5", "新的问题"), lambda: ws.set_cell_text("t3.new.natural", "12"),
                       lambda: ws.say("你好"), lambda: Workspace.create(store, ziqiang())):
            with pytest.raises(StoreFull) as e:
                action()
            assert "磁盘空间已满" in e.value.message
            assert_chinese(e.value.message, store.url.removeprefix("sqlite:///"))
        assert ws.draft is before and ws.revision == revision
    assert store.load(ws.draft.id)[1] == revision and [m.text for m in ws.conversation()] == []
    assert ws.set_text("s5", "新的问题") and store.load(ws.draft.id)[0].report.sections.s5 == "新的问题"


def test_a_real_sqlite_size_limit_is_a_full_disk(tmp_path: Path) -> None:
    """SQLite's own SQLITE_FULL, not a patched one: the file may not grow beyond its current pages."""
    store = DraftStore(f"sqlite:///{tmp_path / 'drafts.sqlite3'}")
    ws = Workspace.create(store, ziqiang())

    def limit(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    event.listen(store.engine, "connect", limit)
    store.engine.dispose()
    with pytest.raises(StoreFull, match="磁盘空间已满"):
        ws.set_text("s5", "问题" * 20_000)
    assert ws.report.sections.s5 != "问题" * 20_000


# -- unstorable text --------------------------------------------------------------------------------


def test_lone_surrogates_and_nul_never_fail_a_write(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    ws.say("收到\ud800申请\x00", role="user", attachment="笔记\udfff.txt")
    proposal = Proposal(changes=[Change(cell="t3.new.natural", value=3, evidence="收到\ud83d申请3件")],
                        reply="回复\udc00", questions=["问\ud800"], notices=["提示\x00"])
    pending = ws.say("回复\udc00", proposal=proposal)
    assert ws.apply_proposal(pending.seq)
    assert ws.set_text("s5", "问题\ud800所在")
    assert ws.apply([Change(cell="meta.agency", value="自强\x00街道\udfff")], source="edit")
    again = Workspace.open(store, ws.draft.id)
    assert again.report.sections.s5 == "问题\ufffd所在" and again.report.meta.agency == "自强街道\ufffd"
    assert again.report == ws.report  # the tab holds what was stored
    assert [c.evidence for s in again.draft.steps for c in s.changes if c.cell == "t3.new.natural"] == ["收到\ufffd申请3件"]
    shown = [(m.text, m.attachment) for m in again.conversation()]
    assert shown[0] == ("收到\ufffd申请", "笔记\ufffd.txt") and shown[1][0] == "回复\ufffd"
    assert [s.agency for s in store.summaries()] == ["自强街道\ufffd"]
    json.dumps([h["changes"] for h in store.history(ws.draft.id)]).encode("utf-8")


# -- concurrent chat writers ------------------------------------------------------------------------


WRITER = """
import sys
from assistant.store import DraftStore
url, draft_id, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = DraftStore(url)
for i in range(count):
    store.add_message(draft_id, "user", {"text": f"{name}-{i}"})
"""


def test_two_processes_writing_one_conversation_lose_nothing(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    count = 200
    # Separate interpreters (not multiprocessing: after AppTest, a spawned child would re-run app.py as __main__).
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, store.url, ws.draft.id, name, str(count)],
                                cwd=ROOT, stderr=subprocess.PIPE, text=True) for name in "ab"]
    for w in writers:
        _, err = w.communicate(timeout=240)
        assert w.returncode == 0, err
    rows = store.messages(ws.draft.id)
    seqs = [seq for seq, _, _ in rows]
    assert len(rows) == 2 * count and seqs == list(range(1, 2 * count + 1))
    texts = [data["text"] for _, _, data in rows]
    for name in "ab":  # each writer's messages all there, in its own order
        mine = [t for t in texts if t.startswith(f"{name}-")]
        assert mine == [f"{name}-{i}" for i in range(count)]


def test_add_message_returns_the_seq_it_wrote(store: DraftStore) -> None:
    ws = Workspace.create(store, ziqiang())
    other = Workspace.create(store, ziqiang())
    assert [store.add_message(ws.draft.id, "user", {"text": str(i)}) for i in range(3)] == [1, 2, 3]
    assert store.add_message(other.draft.id, "user", {"text": "x"}) == 1
    assert store.update_message(ws.draft.id, 2, {"text": "二"}, expected={"text": "1"})
    assert not store.update_message(ws.draft.id, 2, {"text": "贰"}, expected={"text": "1"})  # changed meanwhile
    assert [d["text"] for _, _, d in store.messages(ws.draft.id)] == ["0", "二", "2"]


def test_store_errors_are_store_errors() -> None:
    assert issubclass(StoreFull, StoreError) and issubclass(CorruptDatabase, StoreError)
    assert issubclass(BrokenDraft, StoreError)
