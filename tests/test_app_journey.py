"""AppTest of issue 14's points: the year of a prefilled draft, renaming and deleting drafts, drafting every
section beside last year's text, Chinese rule names, reasons in the 校验 column, the view kept after a
proposal, and the export listing unfilled cells with rows zero-filled once confirmed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from assistant import views
from assistant.model import Report
from assistant.rules import RULES
from assistant.workspace import Workspace
from tests.helpers import flat_fixture
from tests.test_app import APP, at, chat, current, data_dir, open_report, show, store, texts  # noqa: F401

RULE_ID = re.compile("|".join(re.escape(r) for r in RULES))


def upload_last_year(at: AppTest, flat: dict[str, object], name: str = "上年报告.json") -> None:  # noqa: F811
    at.file_uploader(key="last_year_file").upload(name, json.dumps(flat, ensure_ascii=False).encode(),
                                                  "application/json")
    at.run()
    assert not at.exception, at.exception


# -- the year ------------------------------------------------------------------------------------------


def test_a_draft_from_last_years_report_is_for_the_year_after_it(at: AppTest) -> None:  # noqa: F811
    upload_last_year(at, flat_fixture("hongze-district-2023"))
    assert "将新建 **2024年度** 报告" in texts(at)  # said before anything is created
    assert at.number_input(key="prefill_year").value == 2024
    assert not at.button(key="prefill").disabled and "2024年度" in at.button(key="prefill").label
    assert not [c for c in at.checkbox if c.key == "confirm_year"]
    at.button(key="prefill").click().run()
    ws = current(at)
    assert ws.report.meta.year == 2024 and ws.report.previous is not None and ws.report.previous.meta.year == 2023


def test_choosing_another_year_asks_first(at: AppTest) -> None:  # noqa: F811
    upload_last_year(at, flat_fixture("hongze-district-2023"))
    at.number_input(key="prefill_year").set_value(2026).run()
    assert at.button(key="prefill").disabled  # not before the clerk confirms
    confirm = at.checkbox(key="confirm_year")
    assert "确认新建2026年度报告" in confirm.label and "通常应为2024年度" in confirm.label
    confirm.check().run()
    assert not at.button(key="prefill").disabled
    at.button(key="prefill").click().run()
    assert current(at).report.meta.year == 2026


def test_a_year_not_after_last_years_is_refused(at: AppTest) -> None:  # noqa: F811
    upload_last_year(at, flat_fixture("hongze-district-2023"))
    at.number_input(key="prefill_year").set_value(2023).run()
    assert at.button(key="prefill").disabled
    assert any("应晚于上年报告的年度（2023年）" in e.value for e in at.error)


def test_a_report_without_a_year_asks_for_it(at: AppTest) -> None:  # noqa: F811
    flat = {k: v for k, v in flat_fixture("hongze-district-2023").items() if k != "meta.year"}
    upload_last_year(at, flat)
    assert "未能读出其年度" in texts(at)
    assert at.button(key="prefill").disabled
    year = at.number_input(key="prefill_year").value
    at.checkbox(key="confirm_year").check().run()
    at.button(key="prefill").click().run()
    assert current(at).report.meta.year == year


# -- renaming and deleting ------------------------------------------------------------------------------


def test_drafts_are_renamed_and_deleted_from_the_start_page(at: AppTest) -> None:  # noqa: F811
    keep = Workspace.create(store(), Report.from_flat(flat_fixture("huaian-city-2024")))
    mistake = Workspace.create(store(), Report.from_flat({"meta.agency": "洪泽区人民政府", "meta.year": 2026}))
    at.run()
    at.button(key=f"ask-rename-{keep.draft.id}").click().run()
    at.text_input(key=f"rename-{keep.draft.id}").set_value("淮安市2024年报（定稿）").run()
    at.button(key=f"save-rename-{keep.draft.id}").click().run()
    assert not at.exception, at.exception
    assert "淮安市2024年报（定稿）" in texts(at)
    at.button(key=f"ask-delete-{mistake.draft.id}").click().run()
    assert any("确定删除草稿“洪泽区人民政府 · 2026年度”吗" in w.value for w in at.warning)
    assert len(store().summaries()) == 2  # nothing deleted before the clerk confirms
    at.button(key=f"confirm-delete-{mistake.draft.id}").click().run()
    assert [s.id for s in store().summaries()] == [keep.draft.id]
    assert not [b for b in at.button if b.key == f"open-{mistake.draft.id}"]
    assert [e["kind"] for e in store().events(draft_id=mistake.draft.id)] == ["delete"]  # kept in the audit trail
    assert "已删除草稿" in texts(at)


def test_deleting_can_be_cancelled(at: AppTest) -> None:  # noqa: F811
    ws = Workspace.create(store(), Report.from_flat(flat_fixture("huaian-city-2024")))
    at.run()
    at.button(key=f"ask-delete-{ws.draft.id}").click().run()
    at.button(key=f"cancel-delete-{ws.draft.id}").click().run()
    assert [s.id for s in store().summaries()] == [ws.draft.id]
    assert not [w for w in at.warning if "确定删除" in w.value]


# -- drafting every section --------------------------------------------------------------------------------


def prefilled(at: AppTest) -> Workspace:  # noqa: F811
    last = Report.from_flat(flat_fixture("ziqiang-street-2024"))
    from assistant.prefill import prefill

    this = prefill(last).with_values({**{k: v for k, v in flat_fixture("ziqiang-street-2024").items()
                                         if k.startswith(("t2.", "t3.", "t4.", "s6.fee"))},
                                      "material.s1": "主动公开信息320条"})
    ws = Workspace.create(store(), this)
    at.query_params["draft"] = ws.draft.id
    at.run()
    return ws


def test_every_section_has_a_draft_button_and_last_years_text(at: AppTest) -> None:  # noqa: F811
    prefilled(at)
    show(at, "正文")
    keys = {b.key for b in at.button}
    assert {f"draft-{s}" for s in ("preface", "s1", "s2", "s3", "s4", "s5", "s6")} <= keys
    labels = [e.label for e in at.expander]
    assert labels.count("参考：2024年报告的这一部分（不复制到本年）") >= 4  # 前言, 一, 五, 六 had text last year
    assert any("主动公开政府信息共310条" in t.value for t in at.text)  # last year's 一, as plain text


def test_section_one_is_drafted_shown_for_editing_and_adopted_only_by_the_clerk(at: AppTest) -> None:  # noqa: F811
    ws = prefilled(at)
    show(at, "正文")
    at.button(key="draft-s1").click().run()
    assert not at.exception, at.exception
    box = at.text_area(key="drafted-s1")
    assert "（一）积极推动政府信息主动公开。" in box.value and "主动公开信息320条" in box.value
    assert "（五）政府信息公开监督保障情况" in box.value and "310" not in box.value
    assert current(at).report.sections.s1 is None  # shown, not applied
    assert "请补充或核实" in texts(at) and "平台建设" in texts(at)  # the questions beside the draft
    box.set_value(box.value + "\n（手工补充一句。）").run()
    at.button(key="adopt-s1").click().run()
    report = current(at).report
    assert report.sections.s1 is not None and report.sections.s1.endswith("（手工补充一句。）")
    assert current(at).draft.steps[-1].source == "draft"
    at.button(key="undo").click().run()
    assert current(at).report.sections.s1 is None and ws.draft.id == current(at).draft.id


def test_a_section_without_data_asks_and_offers_nothing_to_adopt(at: AppTest) -> None:  # noqa: F811
    open_report(at, {"meta.agency": "某区某局", "meta.year": 2025})
    show(at, "正文")
    at.button(key="draft-s3").click().run()
    assert at.button(key="adopt-s3").disabled
    assert "尚未填写" in texts(at) and "暂无可用的起草稿" in texts(at)


# -- clerk-facing details ----------------------------------------------------------------------------------


def test_no_rule_code_anywhere_a_clerk_reads(at: AppTest) -> None:  # noqa: F811
    open_report(at, flat_fixture("hongze-district-2023"))  # errors in table 四, warnings, blanks
    for view in ("表二", "表三", "表四", "检查", "导出"):
        show(at, view)
        shown = texts(at) + "\n".join(b.label for b in at.button) + "\n".join(c.label for c in at.checkbox)
        assert not RULE_ID.search(shown), (view, RULE_ID.search(shown))
    show(at, "检查")
    assert any(e.value.startswith("**表四合计**") for e in at.error)


def test_the_check_column_says_why() -> None:
    report = Report.from_flat(flat_fixture("hongze-district-2023"))
    from assistant.validator import validate

    grid = views.t4_grid(report, validate(report))
    column = list(grid.frame[views.CHECK_COLUMN])
    assert column[0] == "✘ 合计不符" and "【错误】" not in column
    blank = Report.from_flat({"t3.new.natural": 1})
    grid = views.t3_grid(blank, validate(blank))
    assert all("【" not in c for c in grid.frame[views.CHECK_COLUMN])
    assert grid.header(views.CHECK_COLUMN)[1] and grid.header("总计（自动合计）") == ("总计", "总计：由各分项自动合计，不必填写")


def test_the_view_stays_where_the_clerk_was_after_applying_a_proposal(at: AppTest) -> None:  # noqa: F811
    open_report(at, flat_fixture("ziqiang-street-2024"))
    show(at, "表四")
    chat(at, "行政复议2件，都维持了")
    next(b for b in at.button if b.key and b.key.startswith("apply-all-")).click().run()
    assert current(at).report.get("t4.review.upheld") == 2
    assert at.segmented_control(key="view").value == "表四"
    assert any('class="t4"' in m.value for m in at.markdown)  # table 四's preview, not table 三's editor
    at.segmented_control(key="view").set_value(None).run()  # clicking the chosen view again
    assert any('class="t4"' in m.value for m in at.markdown)


def test_export_lists_unfilled_cells_and_zero_fills_confirmed_rows(at: AppTest) -> None:  # noqa: F811
    flat = {k: v for k, v in flat_fixture("ziqiang-street-2024").items()
            if k not in ("t2.coercion.decisions", "t4.suit_direct.upheld", "t4.suit_direct.total",
                         "t4.suit_direct.pending")}
    open_report(at, flat)
    show(at, "导出")
    assert "尚有3个单元格未填写（2行）" in texts(at)
    rows = [c for c in at.checkbox if c.key and c.key.startswith("zero-row-")]
    assert [c.label for c in rows] == ["表二“行政强制”：本年处理决定数量", "表四“行政诉讼·未经复议直接起诉”：结果维持、尚未审结"]
    assert at.download_button(key="download-docx").disabled  # blank cells stop the export like errors
    assert at.button(key="zero-rows").disabled
    at.checkbox(key="zero-row-t2.coercion").check().run()
    at.button(key="zero-rows").click().run()
    report = current(at).report
    assert report.get("t2.coercion.decisions") == 0 and report.get("t4.suit_direct.upheld") is None
    assert "尚有2个单元格未填写（1行）" in texts(at)
    at.button(key="zero-pick-all").click().run()
    at.button(key="zero-rows").click().run()
    report = current(at).report
    assert report.get("t4.suit_direct.total") == 0 and views.unfilled_rows(report) == []
    assert not at.download_button(key="download-docx").disabled
    at.button(key="undo").click().run()  # one undoable step
    assert current(at).report.get("t4.suit_direct.upheld") is None


def test_the_stylesheet_puts_the_uploaders_words_in_chinese(at: AppTest, data_dir: Path) -> None:  # noqa: F811
    css = "\n".join(m.value for m in at.markdown if "<style>" in m.value)
    assert 'content: "选择文件"' in css and "或将文件拖到这里" in css and "上传笔记或台账" in css
    assert (data_dir / "drafts.sqlite3").exists()  # what the clerk sees is checked in Chromium (test_browser.py)
