"""The export view: what stands between the draft and publication, then the downloads.

The national format has no blank cell (blank is not 0): every unfilled cell is listed by row, and a
row the clerk confirms as 0 is filled with 0 in one undoable step. Open errors are listed with their
Chinese rule names. With either, the downloads wait for the clerk's confirmation, and a forced
export says on its first page that errors remain.
"""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.state import act, state, the_ws

SHOWN_ERRORS = 8
ZERO_TABLES = ("t2", "t3", "t4", "s6")


def _row_key(row: views.UnfilledRow) -> str:
    return f"zero-row-{row.key}"


def on_pick_all(keys: list[str]) -> None:
    for key in keys:
        st.session_state[key] = True


def on_zero_rows() -> None:
    from assistant.totals import zero_fill_changes

    ws = the_ws()
    rows = [r for r in views.unfilled_rows(ws.report) if st.session_state.get(_row_key(r))]
    changes = zero_fill_changes(ws.report, ZERO_TABLES, groups=[r.key for r in rows]) if rows else []
    if changes:
        act(ws.apply, changes, source="edit", summary=f"经确认，{len(rows)}行未填单元格按0填写",
            ok=f"已将{len(rows)}行的{len(changes)}个单元格按0填写，可撤销。")
    for r in rows:
        st.session_state.pop(_row_key(r), None)


def unfilled_panel(rows: list[views.UnfilledRow]) -> None:
    count = sum(len(r.cells) for r in rows)
    st.error(f"尚有{count}个单元格未填写（{len(rows)}行）。正式格式的表格不能有空白，空白也不等于0："
             "请在表格中填写；确认某行确实为0的，勾选后按0填写。")
    with st.container(height=min(360, 44 + 34 * len(rows))):
        for r in rows:
            st.checkbox(f"{r.table}“{r.label}”：{r.columns}", key=_row_key(r),
                        help="勾选即表示您已核实：这一行未填的单元格确实都是0")
    picked = sum(1 for r in rows if st.session_state.get(_row_key(r)))
    a, b = st.columns(2)
    a.button("全部勾选", key="zero-pick-all", on_click=on_pick_all, args=([_row_key(r) for r in rows],),
             width="stretch")
    b.button(f"已确认，将所勾选的{picked}行按0填写", key="zero-rows", type="primary", disabled=not picked,
             on_click=on_zero_rows, width="stretch")


def export_panel(ws: Workspace) -> None:
    from assistant.exporting import FORMATS, MEDIA_TYPES, error_findings, suggested_filename

    report = ws.report
    unfilled = views.unfilled_rows(report)
    all_errors = error_findings(report)  # "未填" errors among them are listed by row, with the blank cells
    errors = [f for f in all_errors if not views.is_unfilled(f, report)]
    if unfilled:
        unfilled_panel(unfilled)
    if errors:
        st.error(f"本稿尚有{len(errors)}处错误未解决，建议先在“检查”中处理：")
        for f in errors[:SHOWN_ERRORS]:
            st.markdown(f"- **{md(views.rule_title(f.rule))}**　{md(f.message)}", help=f"规则编号：{f.rule}")
        if len(errors) > SHOWN_ERRORS:
            st.caption(f"……另有{len(errors) - SHOWN_ERRORS}处，见“检查”。")
    force = False
    if all_errors or unfilled:
        force = st.checkbox("我已知晓，仍要导出（文档首页将注明尚有错误，仅供内部核对）", key="force-export")
    else:
        _, warnings, _ = views.split_findings(ws.findings())
        more = f"（另有{len(warnings)}条提醒，可在“检查”中查看）" if warnings else ""
        st.success(f"表格已填写完整，没有错误，可以导出。{more}")
    blocked = bool(all_errors or unfilled) and not force
    for fmt, label in FORMATS.items():
        no = blocked and fmt != "json"
        data = b"" if no else _export(ws, fmt, force)
        st.download_button(f"下载 {label}", data=data, file_name=suggested_filename(report, fmt),
                           mime=MEDIA_TYPES[fmt], disabled=no, key=f"download-{fmt}",
                           on_click=act, args=(ws.record_export, fmt), kwargs={"force": force})  # who, in the audit


def _export(ws: Workspace, fmt: str, force: bool) -> bytes:
    cache = state().exports
    key = (ws.draft.id, ws.revision, fmt, force)
    if key not in cache:
        if len(cache) > 16:
            cache.clear()
        cache[key] = act(ws.export, fmt, force=force) or b""  # refused for a user who may not see the draft
    return cache[key]
