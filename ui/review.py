"""The 审核 page for the 政务公开办: upload a jurisdiction's reports, see the overview worst first,
open one report's findings beside its tables (read-only, the clerk's own previews), export.

Text from the reports (agency and file names, messages quoting them) is shown through
``safe_text.md`` or in dataframes; the only HTML is the project's own escaped table preview.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from assistant.errors import AssistantError
from assistant.safe_text import md
from assistant.store import DraftStore
from ui.state import REPORT_TYPES

if TYPE_CHECKING:
    from assistant.review import Review, Row
    from assistant.review.progress import Progress

PAGE = "review"
UPLOAD_TYPES = [*REPORT_TYPES, "zip", "doc", "wps", "shtml", "xhtml", "markdown"]
STATUSES = ["全部", "有错误", "有提醒", "无法读取", "未发现问题"]
RESULT_KEY = "review_result"
EXPORTS_KEY = "review_exports"


def open_review() -> None:
    st.query_params["page"] = PAGE


def close_review() -> None:
    st.query_params.clear()


def review_link() -> None:
    """The way in, under the start page."""
    st.divider()
    st.subheader("批量审核（政务公开办）")
    st.write("一次审核本辖区各单位的年度报告：自动与上年报告配对，逐份校验，汇总全辖区表三、表四。")
    st.button("进入批量审核", key="open-review", on_click=open_review)


def review_page(store: DraftStore) -> None:
    st.title("批量审核")
    st.caption("上传本辖区各单位的年度报告（可多选，或上传 .zip 压缩包）。上年报告可一并上传，按机关名称自动配对。")
    st.button("← 返回首页", key="close-review", on_click=close_review)
    left, right = st.columns(2, gap="large")
    with left:
        current = st.file_uploader("本年度报告", type=UPLOAD_TYPES, accept_multiple_files=True, key="review_current")
    with right:
        previous = st.file_uploader("上年度报告（可选）", type=UPLOAD_TYPES, accept_multiple_files=True,
                                    key="review_previous")
    with st.expander("应报送单位名单（可选）"):
        st.text_area("每行一个机关名称，用于列出未报送的单位", key="review_units")
    if st.button("开始审核", type="primary", disabled=not current, key="run-review"):
        _run(store, current or [], previous or [])
    result: Review | None = st.session_state.get(RESULT_KEY)
    if result is not None:
        _show(store, result)


def _run(store: DraftStore, current: list[Any], previous: list[Any]) -> None:
    from assistant.review import Upload, review

    bar = st.progress(0.0, text="准备读取……")

    def progress(p: Progress) -> None:
        bar.progress(min(1.0, p.fraction), text=p.text())

    units = [line.strip() for line in (st.session_state.get("review_units") or "").splitlines() if line.strip()]
    try:
        result = review(
            [Upload(f.name, f.getvalue()) for f in current],
            [Upload(f.name, f.getvalue()) for f in previous],
            store=store,
            roster=units,
            progress=progress,
        )
    except AssistantError as e:
        bar.empty()
        st.error(e.message)
        return
    bar.empty()
    st.session_state[RESULT_KEY] = result
    st.session_state[EXPORTS_KEY] = {}


def _show(store: DraftStore, result: Review) -> None:
    s = result.summary
    st.subheader(f"{s.year or ''}年度审核结果")
    a, b, c, d = st.columns(4)
    a.metric("本年度报告", s.reports)
    b.metric("有错误", s.with_errors)
    c.metric("无法读取", s.unreadable)
    d.metric("已配对上年报告", s.paired)
    st.caption(f"{s.runner}，用时{s.seconds:.1f}秒；{s.cached}个文件此前已读过。")
    _jurisdiction(result)
    _overview(result)
    _drill_down(store, result)
    _exports(result)


def _jurisdiction(result: Review) -> None:
    from assistant import views
    from assistant.review.jurisdiction import RATES

    s = result.summary
    cols = st.columns(len(RATES))
    for col, (key, label) in zip(cols, RATES.items(), strict=True):
        value = s.rates.get(key)
        col.metric(label.split("（")[0], "—" if value is None else f"{value * 100:.1f}%", help=label)
    lines = [f"- 未报送：{md(m.agency)}（依据：{md(m.source)}）" for m in s.missing]
    lines += [f"- 无法读取：{md(u.file)}（{md(u.role)}）：{md(u.error)}" for u in s.unreadable_files]
    lines += [f"- 上年报告无法确定：{md(name)}" for name in s.ambiguous]
    lines += [f"- 重复报送：{md('、'.join(g))}" for g in s.duplicates]
    if lines:
        st.markdown("\n".join(lines))
    if s.summed:
        with st.expander(f"全辖区表三、表四合计（{s.summed}个单位）"):
            totals = result.totals_report()
            st.markdown(views.preview_html(totals, "t3", {}), unsafe_allow_html=True)  # the project's escaped preview
            st.markdown(views.preview_html(totals, "t4", {}), unsafe_allow_html=True)


def _filtered(result: Review) -> list[Row]:
    from assistant.review.columns import COLUMNS

    status = st.session_state.get("review_status") or STATUSES[0]
    needle = (st.session_state.get("review_filter") or "").strip()
    rules = set(st.session_state.get("review_rules") or [])
    rows = []
    for row in result.reports:
        state = COLUMNS[0].value(row)
        if status != STATUSES[0] and state != status:
            continue
        if needle and needle not in (row.agency or "") and needle not in row.file:
            continue
        if rules and not rules & {f.rule for f in row.findings}:
            continue
        rows.append(row)
    return rows


def _overview(result: Review) -> None:
    from assistant.review.columns import COLUMNS, table

    st.subheader("总览（问题最多的在前，点列名可排序）")
    f1, f2, f3 = st.columns([2, 1, 2])
    f1.text_input("筛选机关或文件名", key="review_filter")
    f2.selectbox("状态", STATUSES, key="review_status")
    all_rules = sorted({f.rule for r in result.reports for f in r.findings})
    f3.multiselect("含以下问题", all_rules, key="review_rules")
    rows = _filtered(result)
    config = {c.header: st.column_config.NumberColumn(c.header, format="percent") for c in COLUMNS
              if c.kind == "percent"}
    st.dataframe(table(rows), hide_index=True, width="stretch", column_config=config, key="review_table")
    st.caption(f"显示{len(rows)}份，共{len(result.reports)}份。")


def _label(i: int, row: Row) -> str:
    return f"{i + 1}. {row.agency or '（机关名称未读出）'} · {row.file}"


def _drill_down(store: DraftStore, result: Review) -> None:
    from assistant.rules import Severity

    st.subheader("查看单份报告")
    options = list(range(len(result.reports)))
    chosen = st.selectbox("报告", options, format_func=lambda i: _label(i, result.reports[i]), key="review_pick",
                          index=None, placeholder="选择一份报告")
    if chosen is None:
        return
    row = result.reports[chosen]
    if not row.readable:
        st.error(md(f"无法读取：{row.error}"))
        return
    st.markdown(md(f"{row.agency or '（机关名称未读出）'} · {row.year or '年度未知'}年度 · {row.file}"))
    if row.paired_with:
        st.caption(f"上年报告：{md(row.paired_with)}")
    findings, tables = st.columns([5, 7], gap="medium")
    with findings:
        if not row.findings:
            st.success("未发现错误或提醒。")
        for f in row.findings:
            show = st.error if f.severity is Severity.ERROR else st.warning
            show(f"**{md(f.title)}** [{md(f.rule)}]　{md(f.message)}")
            if f.fix:
                st.caption(f"建议：{md(f.fix)}")
        if row.notes:
            with st.expander("读取说明"):
                st.markdown("\n".join(f"- {md(n)}" for n in row.notes))
    with tables:
        _tables(store, row)


def _tables(store: DraftStore, row: Row) -> None:
    from assistant import views
    from assistant.review import load

    if not row.sha256 or not row.reader:
        return
    try:
        report, _ = load(store, row.sha256, row.reader)
        if row.previous_sha256:
            previous, _ = load(store, row.previous_sha256, row.reader)
            report = report.model_copy(update={"previous": previous})
    except AssistantError as e:
        st.warning(md(e.message))
        return
    from assistant.validator import validate

    findings = validate(report)  # the same findings the row lists, as the table views take them
    marks = views.finding_marks(findings)
    view = st.segmented_control("表格", ["表三", "表四", "表二", "跨年度"], default="表三", key="review_view")
    if view == "表四":
        st.dataframe(views.t4_grid(report, findings).frame, width="stretch")
        st.markdown(views.preview_html(report, "t4", marks), unsafe_allow_html=True)  # the project's escaped preview
    elif view == "表二":
        for grid in views.t2_grids(report, findings):
            st.dataframe(grid.frame, width="stretch")
    elif view == "跨年度":
        rows = views.cross_year_rows(report)
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch")
        else:
            st.info("没有配对的上年报告。")
    else:
        st.dataframe(views.t3_grid(report, findings).frame, width="stretch")


def _exports(result: Review) -> None:
    from assistant.review.export import FORMATS, MEDIA_TYPES, export_bytes

    st.subheader("导出审核结果")
    cache: dict[str, bytes] = st.session_state.setdefault(EXPORTS_KEY, {})
    year = result.summary.year or ""
    for col, (fmt, label) in zip(st.columns(len(FORMATS)), FORMATS.items(), strict=True):
        if fmt not in cache:
            cache[fmt] = export_bytes(result, fmt)
        col.download_button(f"下载 {label}", data=cache[fmt], file_name=f"{year}年度报告审核结果.{fmt}",
                            mime=MEDIA_TYPES[fmt], key=f"review-download-{fmt}")
