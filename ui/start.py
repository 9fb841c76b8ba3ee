"""The start page: continue a draft, start a blank one, or prefill one from last year's report."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.model import Meta, Report
from assistant.reading.scan import Progress
from assistant.store import DraftStore
from assistant.workspace import Workspace
from ui.state import REPORT_TYPES, WELCOME, act, default_year, open_workspace, show_flash, the_store


def on_prefill() -> None:
    upload = st.session_state.get("last_year_file")
    if upload is None:
        return
    # Read in the page's own run, not in this callback, so that the clerk sees it go page by page
    # (a scan takes seconds a page).
    st.session_state[_PENDING] = (upload.getvalue(), upload.name, int(st.session_state["prefill_year"]))


_PENDING = "prefill-pending"


def run_pending_prefill() -> None:
    """The prefill the clerk asked for, with a progress bar that moves with every page read by OCR."""
    job = st.session_state.pop(_PENDING, None)
    if job is None:
        return
    data, name, year = job
    with st.status(f"正在读取“{name}”……", expanded=True) as status:
        bar = st.progress(0.0, text="读取中")

        def progress(done: int, total: int) -> None:
            bar.progress(done / max(1, total), text=f"扫描件文字识别：已完成第{done}页，共{total}页")

        ws = act(_prefilled, the_store(), data, name, year, progress=progress)
        status.update(label="读取完成" if ws is not None else "未能读取", state="complete" if ws else "error")
    if ws is not None:
        open_workspace(ws)
    st.rerun()


def on_create() -> None:
    agency = (st.session_state.get("new_agency") or "").strip() or None
    report = Report(meta=Meta(agency=agency, year=int(st.session_state["new_year"])))
    ws = act(_created, the_store(), report)
    if ws is not None:
        open_workspace(ws)


def on_open(draft_id: str) -> None:
    ws = act(Workspace.open, the_store(), draft_id)
    if ws is not None:
        open_workspace(ws)


def _created(store: DraftStore, report: Report) -> Workspace:
    ws = Workspace.create(store, report)
    ws.say(WELCOME)
    return ws


def _prefilled(store: DraftStore, data: bytes, name: str, year: int, progress: Progress | None = None) -> Workspace:
    from assistant.importing import read_bytes
    from assistant.prefill import prefill

    result = read_bytes(data, name, progress)
    draft = prefill(result.report, year)
    ws = Workspace.create(store, draft, source="prefill", summary=f"由上年报告“{name}”预填")
    notes = "".join(f"\n- {n}" for n in result.notes[:8])
    ws.say(views.prefill_summary(ws.report) + (f"\n\n读取说明：{notes}" if notes else ""))
    return ws


def start_page(store: DraftStore) -> None:
    st.title("年报助手")
    st.caption("政府信息公开工作年度报告起草助手 · 不联网也能用 · 每一步都自动保存")
    st.caption("大模型等设置在左侧边栏（点左上角“>”展开）。")
    run_pending_prefill()
    show_flash()
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("从上年报告开始")
        st.write("上传上年度已发布的年度报告（Word、PDF、网页、文本，或扫描件、照片），自动带入机关信息和“上年结转”。")
        upload = st.file_uploader("上年度报告", type=REPORT_TYPES, key="last_year_file")
        st.number_input("本年度", min_value=2000, max_value=2100, value=default_year(), step=1, key="prefill_year")
        st.button("读取并新建本年度草稿", type="primary", disabled=upload is None, key="prefill", on_click=on_prefill)
    with right:
        st.subheader("新建空白草稿")
        st.text_input("机关名称", placeholder="例如：长春市南关区自强街道办事处", key="new_agency")
        st.number_input("报告年度", min_value=2000, max_value=2100, value=default_year(), step=1, key="new_year")
        st.button("新建草稿", key="create", on_click=on_create)
    summaries = store.summaries()
    if summaries:
        st.subheader("继续已有草稿")
        for s in summaries:
            c1, c2 = st.columns([4, 1])
            c1.write(f"**{s.title}** · 最近保存 {s.updated_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
            c2.button("打开", key=f"open-{s.id}", on_click=on_open, args=(s.id,))

