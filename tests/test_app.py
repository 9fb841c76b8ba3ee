"""The Streamlit app through AppTest: each flow a clerk uses, with state seeded where AppTest cannot drive a widget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.store import DraftStore, default_url
from assistant.workspace import Workspace
from tests.helpers import EXPECTED, FIXTURES, flat_fixture, unmd

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NOTES = FIXTURES / "notes"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_DB_URL", raising=False)
    for var in ("NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_PRESET", "NIANBAO_LLM_MODEL", "NIANBAO_LLM_API_KEY",
                "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "data"


@pytest.fixture
def at(data_dir: Path) -> Iterator[AppTest]:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    yield app


def store() -> DraftStore:
    return DraftStore(default_url())


def new_draft(at: AppTest, agency: str = "长春市南关区自强街道办事处") -> None:
    at.text_input(key="new_agency").set_value(agency)
    at.number_input(key="new_year").set_value(2025)
    at.button(key="create").click().run()
    assert not at.exception, at.exception


def open_report(at: AppTest, flat: dict[str, object]) -> Workspace:
    """Seed a draft in the store and open it through the URL, as a refresh would."""
    from assistant.model import Report

    ws = Workspace.create(store(), Report.from_flat(flat))
    at.query_params["draft"] = ws.draft.id
    at.run()
    assert not at.exception, at.exception
    return ws


def current(at: AppTest) -> Workspace:
    draft_id = at.query_params["draft"]
    return Workspace.open(store(), draft_id if isinstance(draft_id, str) else draft_id[0])


def edit_table(at: AppTest, table: str, edited_rows: dict[int, dict[str, object]]) -> None:
    """What the browser's data editor sends after the clerk types into a table (AppTest cannot type there)."""
    key = f"editor-{table}-{current(at).revision}"
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.run()


def show(at: AppTest, view: str) -> None:
    """Choose what the right-hand side shows (表二 … 修改记录); only that view is drawn."""
    at.segmented_control(key="view").set_value(view).run()
    assert not at.exception, at.exception


def chat(at: AppTest, text: str) -> None:
    at.chat_input(key="chat").set_value(text).run()
    assert not at.exception, at.exception


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [i.value for i in at.info] + [c.value for c in at.caption]
    return unmd("\n".join(str(p) for p in parts))  # as the browser shows it: md()'s escapes read back


# -- start ------------------------------------------------------------------------------------------


def test_start_page_offers_the_three_ways_in(at: AppTest) -> None:
    assert at.title[0].value == "年报助手"
    assert {b.key for b in at.button} >= {"prefill", "create"}
    assert at.sidebar.radio(key="engine-kind").value == "离线引擎（默认，不联网）"
    assert "离线引擎（不联网）" in "\n".join(c.value for c in at.sidebar.caption)


def test_new_draft_opens_and_lands_in_the_url(at: AppTest) -> None:
    new_draft(at)
    assert at.title[0].value == "长春市南关区自强街道办事处 2025年度报告"
    ws = current(at)
    assert ws.report.meta.agency == "长春市南关区自强街道办事处" and ws.report.meta.year == 2025
    assert "已新建草稿" in texts(at)


def test_prefill_from_last_years_report(at: AppTest, tmp_path: Path) -> None:
    last = {**flat_fixture("huaian-city-2024")}
    at.file_uploader(key="last_year_file").upload("淮安2024.json", json.dumps(last, ensure_ascii=False).encode(),
                                                  "application/json")
    at.run()
    at.number_input(key="prefill_year").set_value(2025)
    at.button(key="prefill").click().run()
    assert not at.exception, at.exception
    ws = current(at)
    assert ws.report.meta.year == 2025 and ws.report.meta.agency == "淮安市人民政府"
    assert ws.report.get("t3.carried_over.natural") == 103 and ws.report.get("t3.new.natural") is None
    assert ws.report.previous is not None and ws.report.previous.meta.year == 2024
    shown = texts(at)
    assert "已从2024年报告读取" in shown and "本年上年结转=103件（来自上年结转下年度）" in shown


def test_an_unreadable_upload_says_so_and_creates_nothing(at: AppTest) -> None:
    at.file_uploader(key="last_year_file").upload("坏文件.json", b"{not json", "application/json")
    at.run()  # read as soon as it arrives
    assert not at.exception
    assert any("不是有效的 JSON" in e.value for e in at.error)
    assert at.button(key="prefill").disabled
    assert store().summaries() == []


# -- chat and proposals ----------------------------------------------------------------------------


def test_chat_proposes_and_nothing_changes_until_applied(at: AppTest) -> None:
    new_draft(at)
    chat(at, "今年收到自然人申请12件，予以公开8件，部分公开2件，2件因本机关不掌握无法提供")
    assert current(at).report.get("t3.new.natural") is None  # shown, not applied
    assert "建议填写 4 项" in texts(at)
    pending = [b for b in at.button if b.key and b.key.startswith("apply-all-")]
    pending[0].click().run()
    ws = current(at)
    assert ws.report.get("t3.new.natural") == 12 and ws.report.get("t3.granted.natural") == 8
    assert ws.report.get("t3.unavailable.not_held.natural") == 2
    assert ws.report.get("t3.new.total") is None  # the other applicants are not known yet: no guessed total
    assert ws.draft.steps[-1].source == "chat"
    assert "已应用4项" in texts(at)


def test_apply_some_and_dismiss(at: AppTest) -> None:
    new_draft(at)
    chat(at, "收到自然人申请5件，企业申请3件")
    seq = next(b.key for b in at.button if b.key and b.key.startswith("apply-some-")).rsplit("-", 1)[1]
    at.checkbox(key=f"pick-{seq}-1").uncheck().run()
    at.button(key=f"apply-some-{seq}").click().run()
    ws = current(at)
    assert ws.report.get("t3.new.natural") == 5 and ws.report.get("t3.new.commercial") is None
    chat(at, "行政复议2件，都维持了")
    seq = next(b.key for b in at.button if b.key and b.key.startswith("dismiss-")).rsplit("-", 1)[1]
    at.button(key=f"dismiss-{seq}").click().run()
    assert current(at).report.get("t4.review.upheld") is None
    assert "未采用" in "\n".join(e.label for e in at.expander)


def test_undo_and_redo_buttons(at: AppTest) -> None:
    new_draft(at)
    chat(at, "收到自然人申请5件")
    next(b for b in at.button if b.key and b.key.startswith("apply-all-")).click().run()
    assert current(at).report.get("t3.new.natural") == 5
    at.button(key="undo").click().run()
    assert current(at).report.get("t3.new.natural") is None
    at.button(key="redo").click().run()
    assert current(at).report.get("t3.new.natural") == 5


def test_notes_attached_to_the_chat(at: AppTest) -> None:
    new_draft(at)
    at.chat_input(key="chat").upload("工作笔记.txt", (NOTES / "work-notes-2024.txt").read_bytes(), "text/plain").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "📎 工作笔记.txt" in shown
    assert [b for b in at.button if b.key and b.key.startswith("apply-all-")], shown


def test_a_bad_note_file_is_answered_in_chinese(at: AppTest) -> None:
    new_draft(at)
    at.chat_input(key="chat").upload("坏的.docx", b"PK\x03\x04 not really", "application/octet-stream").run()
    assert not at.exception, at.exception
    assert at.error and "坏的.docx" in at.error[0].value


# -- tables ------------------------------------------------------------------------------------------


def test_typing_into_a_table_applies_one_step(at: AppTest) -> None:
    open_report(at, flat_fixture("ziqiang-street-2024"))
    edit_table(at, "t4", {0: {"结果维持": 2}})
    assert not at.exception, at.exception
    ws = current(at)
    assert ws.report.get("t4.review.upheld") == 2 and ws.report.get("t4.review.total") == 2
    assert ws.draft.steps[-1].source == "edit"


def test_an_invalid_number_in_a_table_changes_nothing(at: AppTest) -> None:
    ws = open_report(at, flat_fixture("ziqiang-street-2024"))
    edit_table(at, "t3", {0: {"自然人": -3}})
    assert not at.exception, at.exception
    assert any("应为不小于0的整数" in e.value for e in at.error)
    assert current(at).report == ws.report


def test_cells_with_findings_are_marked(at: AppTest) -> None:
    open_report(at, flat_fixture("hongze-district-2023"))
    show(at, "表四")
    shown = "\n".join(m.value for m in at.markdown)
    assert 'class="error" data-cell="t4.review.total"' in shown
    assert 'class="auto" data-cell="t4.suit_direct.total"' in shown


def test_zero_fill_button(at: AppTest) -> None:
    new_draft(at)
    chat(at, "收到自然人申请5件，全部予以公开")
    next(b for b in at.button if b.key and b.key.startswith("apply-all-")).click().run()
    at.button(key="zero-t3").click().run()
    report = current(at).report
    assert report.get("t3.new.commercial") == 0 and report.get("t3.processed_total.total") == 5


# -- text, checks, export ----------------------------------------------------------------------------


def test_edit_a_section_and_draft_section_five(at: AppTest) -> None:
    open_report(at, flat_fixture("ziqiang-street-2024"))
    show(at, "正文")
    s6_box = next(t for t in at.text_area if t.key and t.key.startswith("text-s6-"))
    s6_box.set_value("本年度未收取信息处理费。").run()  # leaving the box saves it: nothing lost on a refresh
    assert current(at).report.sections.s6 == "本年度未收取信息处理费。"
    assert current(at).draft.steps[-1].summary == "编辑“六、其他需要报告的事项”"
    at.button(key="draft-s5").click().run()
    assert not at.exception, at.exception
    drafted = at.text_area(key="drafted-s5").value
    assert drafted and drafted != current(at).report.sections.s5  # shown, not applied
    at.button(key="adopt-s5").click().run()
    ws = current(at)
    assert ws.report.sections.s5 == drafted and ws.draft.steps[-1].source == "draft"


def test_one_click_fix_from_the_checks(at: AppTest) -> None:
    open_report(at, flat_fixture("hongze-district-2023"))
    show(at, "检查")
    fix = next(b for b in at.button if b.key and b.key.startswith("fix-T4-TOTAL-"))
    assert "11" in fix.label
    fix.click().run()
    ws = current(at)
    assert ws.report.get("t4.review.total") == 11 and ws.draft.steps[-1].source == "fix"


def test_export_needs_confirmation_when_errors_remain(at: AppTest) -> None:
    open_report(at, flat_fixture("hongze-district-2023"))
    show(at, "导出")
    assert at.download_button(key="download-docx").disabled
    assert not at.download_button(key="download-json").disabled
    at.checkbox(key="force-export").check().run()
    assert not at.download_button(key="download-docx").disabled


def test_a_clean_report_exports_without_asking(at: AppTest) -> None:
    open_report(at, flat_fixture("ziqiang-street-2024"))
    show(at, "导出")
    assert not [c for c in at.checkbox if c.key == "force-export"]
    assert all(not at.download_button(key=f"download-{f}").disabled for f in ("docx", "html", "md", "json"))


def test_cross_year_panel(at: AppTest) -> None:
    from assistant.model import Report

    last = Report.from_flat({**flat_fixture("ziqiang-street-2024"), "t3.carried_forward.natural": 1,
                             "t3.carried_forward.total": 1, "meta.year": 2023})
    this = Report.from_flat(flat_fixture("ziqiang-street-2024")).model_copy(update={"previous": last})
    ws = Workspace.create(store(), this)
    at.query_params["draft"] = ws.draft.id
    at.run()
    show(at, "检查")
    assert any("与2023年报告衔接" in s.value for s in at.subheader)
    assert any("上年结转衔接" in e.value for e in at.error)
    assert not any("CARRY-OVER" in e.value for e in at.error)  # rule ids are for the tooltip, not the clerk


# -- settings and keeping work safe ------------------------------------------------------------------


def test_llm_settings_stay_in_the_session(at: AppTest, data_dir: Path) -> None:
    new_draft(at)
    at.sidebar.radio(key="engine-kind").set_value("大模型（OpenAI 兼容接口）").run()
    at.sidebar.selectbox(key="preset").set_value("deepseek").run()
    at.sidebar.text_input(key="api-key").set_value("sk-test-SECRET-123").run()
    at.sidebar.button(key="save-settings").click().run()
    assert not at.exception, at.exception
    assert "大模型：deepseek-chat（https://api.deepseek.com，json_mode，已设置密钥）" in unmd("\n".join(
        c.value for c in at.sidebar.caption))
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"sk-test-SECRET-123" not in path.read_bytes(), path


def test_a_refresh_or_restart_loses_nothing(at: AppTest, data_dir: Path) -> None:
    new_draft(at)
    chat(at, "收到自然人申请7件")
    next(b for b in at.button if b.key and b.key.startswith("apply-all-")).click().run()
    draft_id = current(at).draft.id
    again = AppTest.from_file(APP, default_timeout=60)  # a new browser session (or a restarted server)
    again.query_params["draft"] = draft_id
    again.run()
    assert not again.exception, again.exception
    assert current(again).report.get("t3.new.natural") == 7
    assert "收到自然人申请7件" in texts(again)  # the conversation too


def test_two_tabs_on_one_draft_merge_with_a_notice(at: AppTest) -> None:
    ws = open_report(at, flat_fixture("ziqiang-street-2024"))
    other = AppTest.from_file(APP, default_timeout=60)
    other.query_params["draft"] = ws.draft.id
    other.run()
    edit_table(at, "t4", {0: {"结果维持": 2}})
    other.session_state[f"editor-t4-{ws.revision}"] = {"edited_rows": {0: {"结果纠正": 1}}, "added_rows": [],
                                                       "deleted_rows": []}  # this tab still shows the old revision
    other.run()
    assert not other.exception, other.exception
    report = current(other).report
    assert report.get("t4.review.upheld") == 2 and report.get("t4.review.corrected") == 1
    assert report.get("t4.review.total") == 3
    shown = texts(other)
    assert "已合并" in shown or "已载入其他窗口" in shown


def test_fixture_files_exist() -> None:
    assert (EXPECTED / "ziqiang-street-2024.cells.json").exists() and (NOTES / "work-notes-2024.txt").exists()


def test_text_typed_in_a_stale_tab_survives_a_save_from_another_tab(at: AppTest) -> None:
    ws = open_report(at, flat_fixture("ziqiang-street-2024"))
    other = AppTest.from_file(APP, default_timeout=60)
    other.query_params["draft"] = ws.draft.id
    other.run()
    show(at, "正文")
    edit_table(other, "t4", {0: {"结果维持": 1}})  # another tab saves a table edit while this one is open
    box = next(t for t in at.text_area if t.key and t.key.startswith("text-s5-"))
    box.set_value("本年问题：信息更新不够及时。").run()  # typed in this tab, which still shows the old version
    assert not at.exception, at.exception
    report = current(at).report
    assert report.sections.s5 == "本年问题：信息更新不够及时。" and report.get("t4.review.upheld") == 1


def test_contact_details_are_saved_when_the_box_is_left(at: AppTest) -> None:
    new_draft(at)
    show(at, "正文")
    phone = next(t for t in at.text_input if t.key and t.key.startswith("text-meta.contact.phone-"))
    phone.set_value("0431-81179803").run()
    assert not at.exception, at.exception
    assert current(at).report.meta.contact.phone == "0431-81179803"
    year = next(t for t in at.text_input if t.key and t.key.startswith("text-meta.year-"))
    year.set_value("明年").run()
    assert any("报告年度" in e.value for e in at.error)
    assert current(at).report.meta.year == 2025
