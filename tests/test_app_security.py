"""The app under bad input, a bad database and two tabs (issue 9), through Streamlit's AppTest.

Bad numbers in an uploaded JSON, a broken draft row in the URL, a damaged database file, a full
disk, and two sessions on one draft: each ends in a Chinese message and a page that still works,
never in Streamlit's English error page, and nothing the clerk typed is lost without a word.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, update
from streamlit.testing.v1 import AppTest

from assistant.changes import Change
from assistant.engines.base import Proposal
from assistant.store import DraftStore, drafts_table
from assistant.workspace import Workspace
from tests.helpers import flat_fixture, unmd, ziqiang
from tests.test_app import APP, current, data_dir, edit_table, show, store, texts  # noqa: F401  (data_dir: fixture)

ENGLISH = re.compile(r"[A-Za-z]{4,}")  # an English word in a message (cell ids and file names removed first)


@pytest.fixture
def at(data_dir: Path) -> Iterator[AppTest]:  # noqa: F811
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    yield app


def session(draft_id: str | None = None) -> AppTest:
    """Another browser tab (or a refresh) on the same data directory."""
    tab = AppTest.from_file(APP, default_timeout=60)
    if draft_id:
        tab.query_params["draft"] = draft_id
    tab.run()
    assert not tab.exception, tab.exception
    return tab


def errors(at: AppTest) -> list[str]:
    return [unmd(e.value) for e in at.error]


def warnings(at: AppTest) -> list[str]:
    return [unmd(w.value) for w in at.warning]


# -- bad numbers in an upload ------------------------------------------------------------------------


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e400", "9" * 5000, '"\\ud800"', "1000000000000000000000000000000"],
                         ids=["nan", "inf", "1e400", "5000-digits", "surrogate", "1e30"])
def test_a_json_upload_with_a_bad_number_is_refused_in_chinese(at: AppTest, literal: str) -> None:
    body = '{"meta.agency": "淮安市人民政府", "meta.year": 2024, "t3.carried_forward.natural": ' + literal + "}"
    at.file_uploader(key="last_year_file").upload("上年.json", body.encode(), "application/json")
    at.run()  # read at once: refused before any draft can be made from it
    assert not at.exception, at.exception
    assert at.button(key="prefill").disabled
    shown = "\n".join(errors(at))
    assert "t3.carried_forward.natural" in shown or "结转下年度" in shown, shown
    assert store().summaries() == []


def test_a_huge_number_typed_into_a_table_or_the_chat_is_refused(at: AppTest) -> None:
    ws = Workspace.create(store(), ziqiang())
    at.query_params["draft"] = ws.draft.id
    at.run()
    edit_table(at, "t4", {0: {"结果维持": 10**30}})
    assert not at.exception, at.exception
    assert any("超出合理范围" in e for e in errors(at))
    assert current(at).report == ws.report
    at.chat_input(key="chat").set_value("今年收到自然人申请" + "9" * 5000 + "件").run()
    assert not at.exception, at.exception
    for b in [b for b in at.button if b.key and b.key.startswith("apply-all-")]:
        b.click().run()
        assert not at.exception, at.exception
    assert current(at).report.get("t3.new.natural") in (None, 0)


# -- a broken row, a damaged file ------------------------------------------------------------------


def test_a_broken_draft_in_the_url_says_so_and_leaves_the_list_usable(at: AppTest) -> None:
    good = Workspace.create(store(), ziqiang())
    broken = Workspace.create(store(), ziqiang())
    with store().engine.begin() as conn:
        conn.execute(update(drafts_table).where(drafts_table.c.id == broken.draft.id).values(data="{oops"))
    tab = session(broken.draft.id)
    assert any("无法打开" in e and broken.draft.id in e for e in errors(tab)), errors(tab)
    assert "draft" not in tab.query_params  # a refresh does not open it again
    tab.run()  # ... and a refresh is a plain start page, no crash loop
    assert not tab.exception and tab.title[0].value == "年报助手"
    assert {b.key for b in tab.button} >= {f"open-{good.draft.id}", f"open-{broken.draft.id}"}
    tab.button(key=f"open-{good.draft.id}").click().run()
    assert current(tab).draft.id == good.draft.id and not tab.exception


def test_a_damaged_database_page_is_named_on_the_start_page(data_dir: Path) -> None:  # noqa: F811
    path = data_dir / "drafts.sqlite3"
    s = DraftStore(f"sqlite:///{path}")
    for _ in range(3):
        Workspace.create(s, ziqiang()).say("你好")
    s.engine.dispose()
    with path.open("r+b") as f:
        f.seek(4096)
        f.write(b"\x00\xff" * 4096)
    tab = session()
    assert not tab.exception, tab.exception
    message = "\n".join(errors(tab))
    assert str(path) in message and "已损坏" in message and "改名备份" in message
    assert not ENGLISH.search(message.replace(str(path), "")), message


def test_a_file_that_is_no_database_is_named_instead_of_a_traceback(data_dir: Path) -> None:  # noqa: F811
    data_dir.mkdir(parents=True)
    (data_dir / "drafts.sqlite3").write_bytes(b"this is not a database at all" * 200)
    tab = session()
    assert not tab.exception, tab.exception
    assert any("drafts.sqlite3" in e and "改名备份" in e for e in errors(tab)), errors(tab)


# -- a full disk ------------------------------------------------------------------------------------


@contextmanager
def full_disk() -> Iterator[None]:
    """Every write the app's store makes fails as SQLite does when the disk is full."""
    from ui.state import get_store

    engine = get_store(store().url).engine

    def refuse(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", refuse)


def test_a_full_disk_keeps_what_was_typed_and_says_it_was_not_saved(at: AppTest, data_dir: Path) -> None:  # noqa: F811
    ws = Workspace.create(store(), ziqiang())
    at.query_params["draft"] = ws.draft.id
    at.run()
    show(at, "正文")
    with full_disk():
        box = next(t for t in at.text_area if t.key and t.key.startswith("text-s5-"))
        box.set_value("今年的问题：更新不及时。").run()
        assert not at.exception, at.exception
        assert any("磁盘空间已满" in e and "没有保存" in e for e in errors(at)), errors(at)
        assert next(t for t in at.text_area if t.key == box.key).value == "今年的问题：更新不及时。"  # still there
        phone = next(t for t in at.text_input if t.key and t.key.startswith("text-meta.contact.phone-"))
        phone.set_value("0431-1234567").run()
        assert next(t for t in at.text_input if t.key == phone.key).value == "0431-1234567"
        show(at, "表四")
        edit_table(at, "t4", {0: {"结果维持": 4}})
        assert not at.exception, at.exception
        assert any("磁盘空间已满" in e for e in errors(at))
        key = f"editor-t4-{ws.revision}"
        assert at.session_state[key]["edited_rows"] == {0: {"结果维持": 4}}  # kept in the editor
        at.chat_input(key="chat").set_value("收到自然人申请3件").run()
        assert not at.exception, at.exception
        assert any("收到自然人申请3件" in i.value for i in at.info)  # the unsent text is shown to copy
        for shown in errors(at) + warnings(at):
            assert "OperationalError" not in shown and "sqlite" not in shown.replace(str(data_dir / "drafts.sqlite3"), "")
    assert current(at).report == ws.report and current(at).revision == ws.revision  # nothing half-saved
    at.run()  # disk space freed: the next run saves the table edit that was kept
    assert current(at).report.get("t4.review.upheld") == 4


# -- two tabs on one draft --------------------------------------------------------------------------


def test_the_tab_whose_values_were_replaced_is_told_and_can_restore_them(at: AppTest) -> None:
    ws = Workspace.create(store(), ziqiang())
    at.query_params["draft"] = ws.draft.id
    at.run()
    other = session(ws.draft.id)
    show(at, "表四")
    edit_table(at, "t4", {0: {"结果维持": 2}})  # this tab saves 2
    other.session_state[f"editor-t4-{ws.revision}"] = {"edited_rows": {0: {"结果维持": 5}}, "added_rows": [],
                                                       "deleted_rows": []}  # the other, still on the old version
    other.run()
    assert "两边都改过" in texts(other) and current(other).report.get("t4.review.upheld") == 5
    at.run()  # this tab's next run: told which cell, its value and the value now
    told = "\n".join(warnings(at))
    assert "行政复议·结果维持" in told or "结果维持" in told, told
    assert "本窗口填的是2" in told and "现在是5" in told
    at.button(key="restore-mine").click().run()
    assert not at.exception, at.exception
    restored = current(at)
    assert restored.report.get("t4.review.upheld") == 2 and restored.report.get("t4.review.total") == 2
    assert restored.draft.steps[-1].summary.startswith("恢复本窗口")
    assert not [b for b in at.button if b.key == "restore-mine"]  # done: the notice is gone
    at.button(key="undo").click().run()
    assert current(at).report.get("t4.review.upheld") == 5  # one undo: the other tab's value again


def test_a_proposal_decided_in_another_tab_is_stale_here(at: AppTest) -> None:
    ws = Workspace.create(store(), ziqiang())
    proposal = Proposal(changes=[Change(cell="t3.new.natural", value=5, evidence="自然人申请5件"),
                                 Change(cell="t3.new.commercial", value=3, evidence="企业申请3件")])
    first = ws.say("建议", proposal=proposal)
    second = ws.say("建议", proposal=proposal)
    keys = (f"apply-all-{first.seq}", f"apply-some-{first.seq}", f"dismiss-{second.seq}", f"apply-all-{second.seq}")
    tabs = {key: session(ws.draft.id) for key in keys}  # each drawn while both proposals were pending
    other = session(ws.draft.id)
    other.button(key=f"apply-all-{first.seq}").click().run()  # applied in the other tab
    other.button(key=f"dismiss-{second.seq}").click().run()  # ... and the second dismissed there
    revision = current(other).revision
    for key, tab in tabs.items():
        tab.button(key=key).click().run()  # the button still on this tab's screen
        assert not tab.exception, tab.exception
        assert any("此次操作没有执行" in w for w in warnings(tab)), (key, warnings(tab))
        assert current(tab).revision == revision
        labels = "\n".join(e.label for e in tab.expander)
        assert "已全部应用" in labels and "未采用" in labels  # shown as decided here too
        assert not [b for b in tab.button if b.key and b.key.startswith(("apply-all-", "dismiss-"))]
    assert current(other).report.get("t3.new.natural") == 5


def test_a_fix_whose_finding_no_longer_holds_changes_nothing(at: AppTest) -> None:
    from assistant.model import Report

    ws = Workspace.create(store(), Report.from_flat(flat_fixture("hongze-district-2023")))
    at.query_params["draft"] = ws.draft.id
    at.run()
    show(at, "检查")
    fix = next(b for b in at.button if b.key and b.key.startswith("fix-T4-TOTAL-"))
    other = Workspace.open(store(), ws.draft.id)
    other.apply([Change(cell="t4.review.total", value=11)], source="edit")  # another tab fixed it by hand
    other.apply([Change(cell="t4.suit_after_review.total", value=5)], source="edit")
    revision = current(at).revision
    fix.click().run()
    assert not at.exception, at.exception
    assert any("已不再成立" in w for w in warnings(at)), warnings(at)
    assert current(at).revision == revision


def test_a_fix_that_still_holds_applies_after_another_tab_saved(at: AppTest) -> None:
    from assistant.model import Report

    ws = Workspace.create(store(), Report.from_flat(flat_fixture("hongze-district-2023")))
    at.query_params["draft"] = ws.draft.id
    at.run()
    show(at, "检查")
    Workspace.open(store(), ws.draft.id).apply([Change(cell="s6", value="未收取信息处理费。")], source="edit")
    next(b for b in at.button if b.key and b.key.startswith("fix-T4-TOTAL-")).click().run()
    report = current(at).report
    assert report.get("t4.review.total") == 11 and report.sections.s6 == "未收取信息处理费。"
