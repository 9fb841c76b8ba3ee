"""年报助手 — the Streamlit view. It renders what ``assistant`` computes and sends the clerk's actions back.

No report logic lives here: every action is a method of ``assistant.workspace.Workspace`` (saved at
once), every table and summary comes from ``assistant.views``. Session state sits behind
``state()``; the open draft's id is also in the URL (``?draft=…``) so a browser refresh reopens it.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from assistant import views
from assistant.cells import FIELDS, SECTIONS, label_of
from assistant.changes import Change
from assistant.drafting import draft_problems, draft_s6
from assistant.engines.base import get_engine
from assistant.engines.settings import METHODS, PRESETS, EngineSettings, from_preset, settings_from_env
from assistant.errors import AssistantError
from assistant.exporting import FORMATS, MEDIA_TYPES, error_findings, export_bytes, suggested_filename
from assistant.importing import read_bytes
from assistant.model import Meta, Report
from assistant.prefill import prefill
from assistant.store import DraftStore, default_url
from assistant.totals import zero_fill_changes
from assistant.workspace import ChatMessage, Workspace

REPORT_TYPES = ["docx", "pdf", "html", "htm", "txt", "md", "json"]
NOTE_TYPES = ["txt", "md", "docx", "xlsx", "csv"]
SOURCE_NAMES = {
    "chat": "对话",
    "notes": "笔记",
    "ledger": "台账",
    "import": "导入",
    "prefill": "预填",
    "fix": "一键修正",
    "edit": "手工编辑",
    "autofill": "自动合计",
    "draft": "起草",
    "undo": "撤销",
    "redo": "重做",
}
STATUS_NAMES = {"applied": "已全部应用", "partial": "已部分应用", "dismissed": "未采用"}


@dataclass
class AppState:
    """Everything one browser session keeps; the API key lives only here, never on disk."""

    ws: Workspace | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)
    settings_error: str | None = None
    drafted: dict[str, str] = field(default_factory=dict)
    drafted_notices: dict[str, list[str]] = field(default_factory=dict)
    flash: list[tuple[str, str]] = field(default_factory=list)
    exports: dict[tuple[str, int, str, bool], bytes] = field(default_factory=dict)


def state() -> AppState:
    if "app" not in st.session_state:
        fresh = AppState()
        try:
            fresh.settings = settings_from_env()
        except AssistantError as e:
            fresh.settings_error = e.message
        st.session_state["app"] = fresh
    app: AppState = st.session_state["app"]
    return app


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> DraftStore:
    return DraftStore(url)


def act(action: Callable[..., Any], *args: Any, ok: str | None = None, **kwargs: Any) -> Any:
    """Run a clerk's action; a Chinese error is shown instead of a traceback, nothing half-done."""
    try:
        result = action(*args, **kwargs)
    except AssistantError as e:
        state().flash.append(("error", e.message))
        return None
    ws = state().ws
    if ws is not None:
        state().flash.extend(("warning", n) for n in ws.notices)
    if ok:
        state().flash.append(("success", ok))
    return result


def show_flash() -> None:
    app = state()
    for kind, text in app.flash:
        getattr(st, kind)(text)
    app.flash = []


def open_workspace(ws: Workspace) -> None:
    state().ws = ws
    state().drafted = {}
    st.query_params["draft"] = ws.draft.id


def default_year() -> int:
    today = dt.date.today()
    return today.year if today.month >= 10 else today.year - 1  # the report is written around January


# ---------------------------------------------------------------------------------------------
# Start: choose, create or prefill a draft


def start_page(store: DraftStore) -> None:
    st.title("年报助手")
    st.caption("政府信息公开工作年度报告起草助手 · 不联网也能用 · 每一步都自动保存")
    st.caption("大模型等设置在左侧边栏（点左上角“>”展开）。")
    show_flash()
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("从上年报告开始")
        st.write("上传上年度已发布的年度报告（Word、PDF、网页或文本），自动带入机关信息和“上年结转”。")
        upload = st.file_uploader("上年度报告", type=REPORT_TYPES, key="last_year_file")
        year = st.number_input(
            "本年度", min_value=2000, max_value=2100, value=default_year(), step=1, key="prefill_year"
        )
        if st.button("读取并新建本年度草稿", type="primary", disabled=upload is None, key="prefill"):
            assert upload is not None
            ws = act(_prefilled, store, upload.getvalue(), upload.name, int(year))
            if ws is not None:
                open_workspace(ws)
            st.rerun()
    with right:
        st.subheader("新建空白草稿")
        agency = st.text_input("机关名称", placeholder="例如：长春市南关区自强街道办事处", key="new_agency")
        new_year = st.number_input(
            "报告年度", min_value=2000, max_value=2100, value=default_year(), step=1, key="new_year"
        )
        if st.button("新建草稿", key="create"):
            report = Report(meta=Meta(agency=agency.strip() or None, year=int(new_year)))
            ws = act(_created, store, report)
            if ws is not None:
                ws.say(
                    "已新建草稿。可以直接告诉我今年的数字，例如“今年收到自然人申请12件，予以公开8件”，"
                    "也可以上传笔记或申请台账。"
                )
                open_workspace(ws)
                st.rerun()
    summaries = store.summaries()
    if summaries:
        st.subheader("继续已有草稿")
        for s in summaries:
            c1, c2 = st.columns([4, 1])
            c1.write(f"**{s.title}** · 最近保存 {s.updated_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
            if c2.button("打开", key=f"open-{s.id}"):
                ws = act(Workspace.open, store, s.id)
                if ws is not None:
                    open_workspace(ws)
                st.rerun()


def _created(store: DraftStore, report: Report) -> Workspace:
    ws = Workspace.create(store, report)
    ws.say("已新建草稿。可以直接告诉我今年的数字，例如“今年收到自然人申请12件，予以公开8件”，也可以上传笔记或申请台账。")
    return ws


def _prefilled(store: DraftStore, data: bytes, name: str, year: int) -> Workspace:
    result = read_bytes(data, name)
    draft = prefill(result.report, year)
    ws = Workspace.create(store, draft, source="prefill", summary=f"由上年报告“{name}”预填")
    notes = "".join(f"\n- {n}" for n in result.notes[:8])
    ws.say(views.prefill_summary(ws.report) + (f"\n\n读取说明：{notes}" if notes else ""))
    return ws


# ---------------------------------------------------------------------------------------------
# The open draft


def apply_table_edits(ws: Workspace) -> None:
    """Edits the clerk made in a table editor on the last run, applied before anything is drawn."""
    marks: dict[str, str] = {}
    grids = [*views.t2_grids(ws.report, marks), views.t3_grid(ws.report, marks), views.t4_grid(ws.report, marks)]
    for grid in grids:
        key = editor_key(ws, grid)
        pending = st.session_state.get(key)
        if isinstance(pending, dict) and pending.get("edited_rows"):
            changes = views.edits_to_changes(grid, pending["edited_rows"])
            del st.session_state[key]
            if changes:
                act(ws.apply, changes, source="edit", summary=f"在表格中修改{len(changes)}项")


def draft_page(ws: Workspace) -> None:
    report = ws.report
    errors, warnings, _ = views.split_findings(ws.findings())
    head, tools = st.columns([3, 2])
    head.title(f"{report.meta.agency or '（未填写机关名称）'} {report.meta.year or ''}年度报告")
    head.caption(f"错误 {len(errors)} · 提醒 {len(warnings)} · 已自动保存（第{ws.revision}版）")
    u, r, c = tools.columns(3)
    if u.button("↶ 撤销", disabled=not ws.draft.can_undo, key="undo", width="stretch"):
        act(ws.undo)
        st.rerun()
    if r.button("↷ 重做", disabled=not ws.draft.can_redo, key="redo", width="stretch"):
        act(ws.redo)
        st.rerun()
    if c.button("关闭草稿", key="close", width="stretch"):
        state().ws = None
        st.query_params.clear()
        st.rerun()
    show_flash()
    chat, work = st.columns([5, 7], gap="medium")
    with chat:
        chat_panel(ws)
    with work:
        tabs = st.tabs(["表二", "表三", "表四", "正文", "检查", "导出", "修改记录"])
        marks = views.finding_marks(ws.findings())
        with tabs[0]:
            for grid in views.t2_grids(report, marks):
                editor(ws, grid)
            zero_fill_button(ws, "t2")
            st.markdown(views.preview_html(report, "t2", marks), unsafe_allow_html=True)
        with tabs[1]:
            editor(ws, views.t3_grid(report, marks))
            zero_fill_button(ws, "t3")
            with st.expander("按正式版式预览表三", expanded=False):
                st.markdown(views.preview_html(report, "t3", marks), unsafe_allow_html=True)
        with tabs[2]:
            editor(ws, views.t4_grid(report, marks))
            zero_fill_button(ws, "t4")
            st.markdown(views.preview_html(report, "t4", marks), unsafe_allow_html=True)
        with tabs[3]:
            text_panel(ws)
        with tabs[4]:
            checks_panel(ws)
        with tabs[5]:
            export_panel(ws)
        with tabs[6]:
            history_panel(ws)


def chat_panel(ws: Workspace) -> None:
    messages = st.container(height=560)
    with messages:
        for m in ws.conversation():
            with st.chat_message(m.role):
                if m.attachment and m.role == "user":
                    st.caption(f"📎 {m.attachment}")
                (st.error if m.error else st.markdown)(m.text)
                for n in m.notices:
                    st.info(n)
                if m.proposal is not None:
                    proposal_view(ws, m)
    prompt = st.chat_input(
        "说说今年的情况，例如：今年收到自然人申请12件，予以公开8件……（可附笔记或台账）",
        accept_file=True,
        file_type=NOTE_TYPES,
        key="chat",
    )
    if prompt:
        engine = get_engine(state().settings)
        files = list(getattr(prompt, "files", []) or [])
        text = (getattr(prompt, "text", "") or "").strip()
        if files:
            for f in files:
                act(ws.ask_with_notes, f.getvalue(), f.name, engine, text)
        elif text:
            act(ws.ask, text, engine)
        st.rerun()


def proposal_view(ws: Workspace, m: ChatMessage) -> None:
    assert m.proposal is not None
    rows = views.proposal_rows(m.proposal.changes, ws.report)
    if m.pending:
        st.markdown(f"**建议填写 {len(rows)} 项**（勾选后应用，可撤销）：")
        picked = []
        for row in rows:
            if st.checkbox(
                f"{row.label}：{row.old} → **{row.new}**",
                value=True,
                key=f"pick-{m.seq}-{row.index}",
                help=f"依据：{row.evidence}" if row.evidence else None,
            ):
                picked.append(row.index)
            if row.evidence:
                st.caption(f"　依据：“{row.evidence}”")
        a, b, c = st.columns(3)
        if a.button("全部应用", key=f"apply-all-{m.seq}", type="primary"):
            act(ws.apply_proposal, m.seq, ok=f"已应用{len(rows)}项，可点“撤销”恢复。")
            st.rerun()
        if b.button("应用所选", key=f"apply-some-{m.seq}", disabled=not picked):
            act(ws.apply_proposal, m.seq, picked, ok=f"已应用{len(picked)}项，可点“撤销”恢复。")
            st.rerun()
        if c.button("不采用", key=f"dismiss-{m.seq}"):
            act(ws.dismiss_proposal, m.seq)
            st.rerun()
    elif rows:
        status = STATUS_NAMES.get(m.status or "", "")
        with st.expander(f"{len(rows)}项建议 · {status}"):
            for row in rows:
                mark = "✔" if row.index in m.applied else "·"
                st.markdown(
                    f"{mark} {row.label}：{row.new}　<small>（依据：{row.evidence}）</small>", unsafe_allow_html=True
                )
    for q in m.proposal.questions:
        st.markdown(f"❓ {q}")


def editor_key(ws: Workspace, grid: views.EditorGrid) -> str:
    # A new key per revision: after a change, the browser's editor starts again from the saved report.
    return f"editor-{grid.key}-{ws.revision}"


def editor(ws: Workspace, grid: views.EditorGrid) -> None:
    """An editable table; its edits are applied by ``apply_table_edits`` on the next run."""
    key = editor_key(ws, grid)
    config: dict[str, Any] = {views.CHECK_COLUMN: st.column_config.TextColumn(views.CHECK_COLUMN, width="small")}
    for column in grid.frame.columns:
        if column == views.CHECK_COLUMN:
            continue
        if grid.money:
            config[column] = st.column_config.NumberColumn(column, min_value=0.0, format="%.2f")
        else:
            config[column] = st.column_config.NumberColumn(column, min_value=0, step=1, format="%d", width="small")
    st.data_editor(grid.frame, key=key, disabled=list(grid.disabled), column_config=config, width="stretch",
                   placeholder="未填")


def zero_fill_button(ws: Workspace, table: str) -> None:
    changes = zero_fill_changes(ws.report, (table,))
    if changes and st.button(f"其余{len(changes)}个未填单元格按0填写", key=f"zero-{table}"):
        act(ws.apply, changes, source="edit", summary=f"{table}其余未填单元格按0填写")
        st.rerun()


# ---------------------------------------------------------------------------------------------
# Text, checks, export, history


def text_panel(ws: Workspace) -> None:
    report = ws.report
    with st.expander("机关信息与联系方式", expanded=report.meta.agency is None):
        meta_keys = [
            "meta.agency",
            "meta.year",
            "meta.contact.office",
            "meta.contact.address",
            "meta.contact.postcode",
            "meta.contact.phone",
            "meta.contact.email",
        ]
        values = {
            k: st.text_input(FIELDS[k].label, value=str(report.value(k) or ""), key=text_key(k, report.value(k)))
            for k in meta_keys
        }
        if st.button("保存机关信息", key="save-meta"):
            changes = [Change(cell=k, value=v.strip() or None, evidence="手工编辑") for k, v in values.items()]
            act(ws.apply, changes, source="edit", summary="编辑机关信息", ok="已保存。")
            st.rerun()
    for section in SECTIONS:
        sid = section.id
        current = report.section_text(sid) or ""
        title = label_of(sid)
        text = st.text_area(
            title, value=current, height=160 if sid in ("preface", "s1", "s5") else 90, key=text_key(sid, current)
        )
        cols = st.columns([1, 1, 3])
        if cols[0].button("保存", key=f"save-{sid}", disabled=text == current):
            act(ws.set_text, sid, text, ok=f"已保存“{title}”。")
            st.rerun()
        if sid == "s5":
            if cols[1].button("起草第五部分", key="draft-s5"):
                result = act(draft_problems, report, settings=state().settings)
                if result is not None:
                    state().drafted["s5"] = result.text
                    state().drafted_notices["s5"] = list(result.notices)
                st.rerun()
            if report.previous is not None and report.previous.section_text("s5"):
                with st.expander(f"参考：{report.previous.meta.year or '上'}年报告的第五部分"):
                    st.write(report.previous.section_text("s5"))
        if sid == "s6" and cols[1].button("起草信息处理费说明", key="draft-s6"):
            state().drafted["s6"] = draft_s6(report)
            st.rerun()
        if sid in state().drafted:
            drafted_box(ws, sid)


def text_key(key: str, value: Any) -> str:
    """A text box keyed by what it shows: it refreshes when the saved text changes (undo, another tab),
    and keeps what the clerk is typing when anything else changes."""
    return f"text-{key}-{zlib.crc32(str(value).encode('utf-8')):08x}"


def drafted_box(ws: Workspace, sid: str) -> None:
    st.info("以下为起草稿，请修改后点“采用此稿”；采用前不会改动报告。")
    for n in state().drafted_notices.get(sid, []):
        st.warning(n)
    text = st.text_area("起草稿", value=state().drafted[sid], height=220, key=f"drafted-{sid}")
    a, b = st.columns(2)
    if a.button("采用此稿", key=f"adopt-{sid}", type="primary"):
        if act(ws.set_text, sid, text, source="draft", ok="已采用起草稿，可撤销。") is not None:
            state().drafted.pop(sid, None)
        st.rerun()
    if b.button("放弃起草稿", key=f"discard-{sid}"):
        state().drafted.pop(sid, None)
        st.rerun()


def checks_panel(ws: Workspace) -> None:
    errors, warnings, unknown = views.split_findings(ws.findings())
    if not errors and not warnings:
        st.success("未发现错误或提醒。")
    for title, items, show in (("错误", errors, st.error), ("提醒", warnings, st.warning)):
        if items:
            st.subheader(f"{title}（{len(items)}）")
        for i, f in enumerate(items):
            show(f"**{views.rule_title(f.rule)}** [{f.rule}]　{f.message}")
            if f.cells:
                st.caption(f"涉及：{views.cell_names(f.cells)}")
            if f.fix is not None and st.button(f"一键修正：{f.fix.description}", key=f"fix-{f.rule}-{i}-{ws.revision}"):
                act(ws.apply_fix, f, ok="已修正，可撤销。")
                st.rerun()
    if unknown:
        with st.expander(f"无法校验（{len(unknown)}项，相关单元格尚未填写）"):
            for i, f in enumerate(unknown):
                st.write(f"[{f.rule}] {f.message}")
                if f.fix is not None and st.button(f"按推算填写：{f.fix.description}", key=f"derive-{i}-{ws.revision}"):
                    act(ws.apply_fix, f, ok="已填写，可撤销。")
                    st.rerun()
    if ws.report.previous is not None:
        cross_year_panel(ws)


def cross_year_panel(ws: Workspace) -> None:
    last = ws.report.previous
    assert last is not None
    st.subheader(f"与{last.meta.year or '上'}年报告衔接")
    rows = views.cross_year_rows(ws.report)
    st.dataframe(rows, width="stretch", hide_index=True)


def export_panel(ws: Workspace) -> None:
    report = ws.report
    errors = error_findings(report)
    force = False
    if errors:
        st.error(f"本稿尚有{len(errors)}处错误未解决。建议先在“检查”中处理。")
        force = st.checkbox("我已知晓，仍要导出（文档首页将注明尚有错误，仅供内部核对）", key="force-export")
    for fmt, label in FORMATS.items():
        blocked = bool(errors) and not force and fmt != "json"
        data = b"" if blocked else _export(ws, fmt, force)
        st.download_button(
            f"下载 {label}",
            data=data,
            file_name=suggested_filename(report, fmt),
            mime=MEDIA_TYPES[fmt],
            disabled=blocked,
            key=f"download-{fmt}",
        )


def _export(ws: Workspace, fmt: str, force: bool) -> bytes:
    cache = state().exports
    key = (ws.draft.id, ws.revision, fmt, force)
    if key not in cache:
        cache.clear() if len(cache) > 16 else None
        cache[key] = act(export_bytes, ws.report, fmt, force=force) or b""
    return cache[key]


def history_panel(ws: Workspace) -> None:
    for step in reversed(ws.draft.steps):
        when = step.at.astimezone().strftime("%m-%d %H:%M:%S")
        with st.expander(f"{when} · {SOURCE_NAMES.get(step.source, step.source)} · {step.summary}"):
            for c in step.changes:
                st.markdown(
                    f"- {label_of(c.cell)}：{views._shown(c.old)} → {views._shown(c.new)}"
                    + (f"　<small>（{c.evidence}）</small>" if c.evidence else ""),
                    unsafe_allow_html=True,
                )


# ---------------------------------------------------------------------------------------------
# Settings


def settings_panel() -> None:
    app = state()
    with st.sidebar:
        st.header("设置")
        if app.settings_error:
            st.error(app.settings_error)
        use_llm = (
            st.radio(
                "对话引擎",
                ["离线引擎（默认，不联网）", "大模型（OpenAI 兼容接口）"],
                index=1 if app.settings.kind == "openai" else 0,
                key="engine-kind",
            )
            != "离线引擎（默认，不联网）"
        )
        if use_llm:
            names = ["自定义", *sorted(PRESETS)]
            preset = st.selectbox(
                "服务商预设",
                names,
                index=names.index(app.settings.preset) if app.settings.preset in names else 0,
                key="preset",
            )
            defaults = PRESETS.get(preset, {})
            base_url = st.text_input(
                "接口地址（Base URL）",
                value=app.settings.base_url or defaults.get("base_url", ""),
                key=f"base-url-{preset}",
            )
            model = st.text_input(
                "模型名称", value=app.settings.model or defaults.get("model", ""), key=f"model-{preset}"
            )
            method_default = (
                app.settings.method if app.settings.kind == "openai" else defaults.get("method", METHODS[0])
            )
            method = st.selectbox(
                "结构化输出方式", METHODS, index=METHODS.index(method_default), key=f"method-{preset}"
            )
            has_key = app.settings.api_key is not None
            key = st.text_input(
                "API 密钥",
                type="password",
                key="api-key",
                placeholder="已设置（来自环境变量或本次输入）" if has_key else "本地模型可留空",
            )
            st.caption("密钥只保存在本次浏览器会话中，不写入草稿、导出文件或磁盘。")
            if st.button("使用这些设置", key="save-settings"):
                act(_use_llm, preset, base_url, model, method, key)
                st.rerun()
        elif app.settings.kind != "offline":
            app.settings = EngineSettings()
        st.caption(f"当前：{app.settings.describe()}")
        st.divider()
        st.caption(f"草稿保存位置：{views.safe_url(default_url())}")


def _use_llm(preset: str, base_url: str, model: str, method: str, key: str) -> None:
    app = state()
    api_key = key or (app.settings.api_key.get_secret_value() if app.settings.api_key else None)
    if not base_url.strip() or not model.strip():
        raise AssistantError("请填写接口地址和模型名称。")
    if preset in PRESETS:
        app.settings = from_preset(preset, base_url=base_url, model=model, method=method, api_key=api_key)
    else:
        app.settings = EngineSettings.model_validate(
            {"kind": "openai", "base_url": base_url, "model": model, "method": method, "api_key": api_key}
        )
    state().flash.append(("success", f"已切换到{app.settings.describe()}"))


# ---------------------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="年报助手", page_icon="📄", layout="wide", initial_sidebar_state="collapsed")
    try:
        store = get_store(default_url())
    except AssistantError as e:
        st.error(e.message)
        st.stop()
    settings_panel()
    app = state()
    if app.ws is None and (draft_id := st.query_params.get("draft")):
        ws = act(Workspace.open, store, draft_id)
        if ws is not None:
            open_workspace(ws)
        else:
            st.query_params.clear()
    if app.ws is None:
        start_page(store)
        return
    apply_table_edits(app.ws)  # typed against the version this tab shows: merged if another tab saved since
    if act(app.ws.reload):
        app.flash.append(("info", "已载入其他窗口对此草稿的修改。"))
    draft_page(app.ws)


main()
