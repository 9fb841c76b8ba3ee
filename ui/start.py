"""The start page: continue, rename or delete a draft, start a blank one, or prefill one from last year's report.

A draft made from last year's report is for that report's year + 1: the uploaded file is read as
soon as it arrives, and the page says which year the new draft will be before anything is created.
Choosing another year asks first.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import views
from assistant.model import Meta, Report
from assistant.safe_text import md
from assistant.store import DraftStore, DraftSummary, StoreError
from assistant.workspace import Workspace, delete_draft, rename_draft, visible_drafts
from ui.signin import current_actor
from ui.state import REPORT_TYPES, WELCOME, act, default_year, open_workspace, show_flash, the_store
from ui.style import chinese_widgets

READ_KEY = "last_year_read"  # (file id, file name, what was read) of the uploaded last-year report


def on_last_year_file() -> None:
    """Read last year's report as soon as it is uploaded: its year decides this draft's year."""

    st.session_state.pop(READ_KEY, None)
    st.session_state["confirm_year"] = False
    upload = st.session_state.get("last_year_file")
    if upload is not None:
        # Read in the page's own run, not in this callback, so that the clerk sees it go page by page
        # (a scan takes seconds a page).
        st.session_state[_PENDING] = (upload.file_id, upload.name, upload.getvalue())


_PENDING = "last-year-pending"


def run_pending_read() -> None:
    """Read the uploaded report, with a progress bar that moves with every page (OCR of a scan)."""
    from assistant.importing import read_bytes

    job = st.session_state.pop(_PENDING, None)
    if job is None:
        return
    file_id, name, data = job
    with st.status(f"正在读取“{md(name, inline=True)}”……", expanded=True) as status:
        bar = st.progress(0.0, text="读取中")

        def progress(done: int, total: int, what: str) -> None:
            bar.progress(min(1.0, done / max(1, total)), text=md(what, inline=True))

        result = act(read_bytes, data, name, progress=progress)
        status.update(label="读取完成" if result is not None else "未能读取",
                      state="complete" if result is not None else "error", expanded=False)
    if result is None:
        return  # the Chinese error is on the page; nothing is created
    st.session_state[READ_KEY] = (file_id, name, result)
    year = result.report.meta.year
    st.session_state["prefill_year"] = year + 1 if year else default_year()


def _last_year_read(upload: Any) -> Any:
    read = st.session_state.get(READ_KEY)
    if upload is None or read is None or read[0] != upload.file_id:
        return None
    return read[2]


def on_prefill() -> None:
    upload = st.session_state.get("last_year_file")
    result = _last_year_read(upload)
    if upload is None or result is None:
        return
    ws = act(_prefilled, the_store(), result, upload.name, int(st.session_state["prefill_year"]))
    if ws is not None:
        st.session_state.pop(READ_KEY, None)
        open_workspace(ws)


def on_create() -> None:
    agency = (st.session_state.get("new_agency") or "").strip() or None
    report = Report(meta=Meta(agency=agency, year=int(st.session_state["new_year"])))
    ws = act(_created, the_store(), report)
    if ws is not None:
        open_workspace(ws)


def on_open(draft_id: str) -> None:
    ws = act(Workspace.open, the_store(), draft_id, actor=current_actor())
    if ws is not None:
        open_workspace(ws)


def _created(store: DraftStore, report: Report) -> Workspace:
    ws = Workspace.create(store, report, actor=current_actor())
    ws.say(WELCOME)
    return ws


def _prefilled(store: DraftStore, result: Any, name: str, year: int) -> Workspace:
    from assistant.prefill import prefill

    draft = prefill(result.report, year)
    ws = Workspace.create(store, draft, source="prefill", summary=f"由上年报告“{name}”预填", actor=current_actor())
    notes = "".join(f"\n- {n}" for n in result.notes[:8])
    ws.say(views.prefill_summary(ws.report) + (f"\n\n读取说明：{notes}" if notes else ""))
    return ws


# -- renaming and deleting a draft ------------------------------------------------------------------


def on_rename(draft_id: str) -> None:
    name = st.session_state.get(f"rename-{draft_id}", "")
    if act(rename_draft, the_store(), draft_id, name, current_actor(), ok="已重命名。") is None:
        st.session_state["renaming"] = None


def on_delete(draft_id: str, title: str) -> None:
    act(delete_draft, the_store(), draft_id, current_actor(), ok=f"已删除草稿“{title}”（修改记录仍保留备查）。")
    st.session_state["deleting"] = None


def on_ask(kind: str, draft_id: str | None) -> None:
    st.session_state["renaming"] = draft_id if kind == "rename" else None
    st.session_state["deleting"] = draft_id if kind == "delete" else None


def draft_row(s: DraftSummary) -> None:
    c1, c2, c3, c4 = st.columns([6, 1, 1, 1], vertical_alignment="center")
    c1.markdown(f"**{md(s.title, inline=True)}** · 最近保存 {s.updated_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
    c2.button("打开", key=f"open-{s.id}", on_click=on_open, args=(s.id,), width="stretch")
    c3.button("重命名", key=f"ask-rename-{s.id}", on_click=on_ask, args=("rename", s.id), width="stretch")
    c4.button("删除", key=f"ask-delete-{s.id}", on_click=on_ask, args=("delete", s.id), width="stretch")
    if st.session_state.get("renaming") == s.id:
        a, b, c = st.columns([6, 1, 1], vertical_alignment="bottom")
        a.text_input("新名称（留空则恢复为“机关名称 · 年度”）", value=s.name or s.title, key=f"rename-{s.id}",
                     max_chars=100)
        b.button("保存", key=f"save-rename-{s.id}", type="primary", on_click=on_rename, args=(s.id,), width="stretch")
        c.button("取消", key=f"cancel-rename-{s.id}", on_click=on_ask, args=("", None), width="stretch")
    if st.session_state.get("deleting") == s.id:
        st.warning(f"确定删除草稿“{md(s.title)}”吗？删除后它不再出现在列表中，其内容和修改记录仍保留在数据库中备查。")
        a, b, _ = st.columns([2, 1, 5])
        a.button("确认删除", key=f"confirm-delete-{s.id}", type="primary", on_click=on_delete, args=(s.id, s.title),
                 width="stretch")
        b.button("取消", key=f"cancel-delete-{s.id}", on_click=on_ask, args=("", None), width="stretch")


# -- the page -----------------------------------------------------------------------------------------


def prefill_column() -> None:
    st.subheader("从上年报告开始")
    st.write("上传上年度已发布的年度报告（Word、PDF、网页、文本，或扫描件、照片），自动带入机关信息和“上年结转”。")
    upload = st.file_uploader("上年度报告", type=REPORT_TYPES, key="last_year_file", on_change=on_last_year_file,
                              help="支持 Word（.docx，旧版 .doc/.wps 需装有 LibreOffice）、PDF（含扫描件）、"
                                   "网页（.html）、文本（.txt、.md）、照片（.png、.jpg）和本工具导出的 JSON。")
    result = _last_year_read(upload)
    last_year = result.report.meta.year if result is not None else None
    st.session_state.setdefault("prefill_year", default_year())
    if result is not None:
        agency = result.report.meta.agency or "（未读出机关名称）"
        if last_year:
            st.info(f"已读取：{md(agency)} {last_year}年度报告。将新建 **{last_year + 1}年度** 报告，"
                    f"上年报告用于“上年结转”等衔接核对。")
        else:
            st.warning(f"已读取：{md(agency)}的报告，但未能读出其年度。请在下面填写本年度并确认。")
    year = st.number_input("本年度", min_value=2000, max_value=2100, step=1, key="prefill_year")
    blocked = result is None
    if result is not None and (last_year is None or year != last_year + 1):
        if last_year is not None and year <= last_year:
            st.error(f"本年度应晚于上年报告的年度（{last_year}年）。")
            blocked = True
        else:
            usual = f"，通常应为{last_year + 1}年度" if last_year else ""
            confirmed = st.checkbox(f"确认新建{year}年度报告（所传上年报告为{last_year or '未知'}年度{usual}）",
                                    key="confirm_year")
            blocked = not confirmed
    st.button(f"读取并新建{year}年度草稿", type="primary", disabled=blocked, key="prefill", on_click=on_prefill)


def start_page(store: DraftStore) -> None:
    chinese_widgets()
    st.title("年报助手")
    st.caption("政府信息公开工作年度报告起草助手 · 不联网也能用 · 每一步都自动保存")
    st.caption("大模型等设置在左侧边栏（点左上角“>”展开）。")
    run_pending_read()
    show_flash()
    left, right = st.columns(2, gap="large")
    with left:
        prefill_column()
    with right:
        st.subheader("新建空白草稿")
        st.text_input("机关名称", placeholder="例如：长春市南关区自强街道办事处", key="new_agency")
        st.number_input("报告年度", min_value=2000, max_value=2100, value=default_year(), step=1, key="new_year")
        st.button("新建草稿", key="create", on_click=on_create)
    try:
        summaries = visible_drafts(store, current_actor())  # a clerk's own agency's drafts only
    except StoreError as e:  # a damaged database file: say which and what to do, keep the page usable
        st.error(md(e.message))
        summaries = []
    if summaries:
        st.subheader("继续已有草稿")
        for s in summaries:
            draft_row(s)
