"""年报助手 — the Streamlit view. It renders what ``assistant`` computes and sends the clerk's actions back.

No report logic lives here: every action is a method of ``assistant.workspace.Workspace`` (saved at
once), every table and summary comes from ``assistant.views``. Buttons act in ``on_click``
callbacks, so the page is drawn once per click, already showing the result. Session state sits
behind ``state()``; the open draft's id is also in the URL (``?draft=…``) so a refresh reopens it.
"""

from __future__ import annotations

import datetime as dt
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from assistant import views
from assistant.cells import FIELDS, SECTIONS, label_of
from assistant.changes import Change
from assistant.engines.settings import METHODS, PRESETS, EngineSettings, from_preset, settings_from_env
from assistant.errors import AssistantError
from assistant.model import Meta, Report
from assistant.store import DraftStore, default_url
from assistant.workspace import ChatMessage, Workspace

REPORT_TYPES = ["docx", "pdf", "html", "htm", "txt", "md", "json"]
NOTE_TYPES = ["txt", "md", "docx", "xlsx", "csv"]
VIEWS = ["表二", "表三", "表四", "正文", "检查", "导出", "修改记录"]
SOURCE_NAMES = {
    "chat": "对话", "notes": "笔记", "ledger": "台账", "import": "导入", "prefill": "预填", "fix": "一键修正",
    "edit": "手工编辑", "autofill": "自动合计", "draft": "起草", "undo": "撤销", "redo": "重做",
}
STATUS_NAMES = {"applied": "已全部应用", "partial": "已部分应用", "dismissed": "未采用"}
META_KEYS = ["meta.agency", "meta.year", "meta.contact.office", "meta.contact.address", "meta.contact.postcode",
             "meta.contact.phone", "meta.contact.email"]
WELCOME = "已新建草稿。可以直接告诉我今年的数字，例如“今年收到自然人申请12件，予以公开8件”，也可以上传笔记或申请台账。"


@dataclass
class AppState:
    """Everything one browser session keeps; the API key lives only here, never on disk."""

    store: DraftStore | None = None
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


def the_store() -> DraftStore:
    store = state().store
    assert store is not None
    return store


def the_ws() -> Workspace:
    ws = state().ws
    assert ws is not None
    return ws


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
        ws.notices = []
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


def on_prefill() -> None:
    upload = st.session_state.get("last_year_file")
    if upload is None:
        return
    ws = act(_prefilled, the_store(), upload.getvalue(), upload.name, int(st.session_state["prefill_year"]))
    if ws is not None:
        open_workspace(ws)


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


def _prefilled(store: DraftStore, data: bytes, name: str, year: int) -> Workspace:
    from assistant.importing import read_bytes
    from assistant.prefill import prefill

    result = read_bytes(data, name)
    draft = prefill(result.report, year)
    ws = Workspace.create(store, draft, source="prefill", summary=f"由上年报告“{name}”预填")
    notes = "".join(f"\n- {n}" for n in result.notes[:8])
    ws.say(views.prefill_summary(ws.report) + (f"\n\n读取说明：{notes}" if notes else ""))
    return ws


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


# ---------------------------------------------------------------------------------------------
# The open draft


def apply_table_edits(ws: Workspace) -> None:
    """Edits the clerk made in a table editor, applied before anything is drawn."""
    suffix = f"-{ws.revision}"
    if not any(isinstance(k, str) and k.startswith("editor-") and k.endswith(suffix) and isinstance(v, dict)
               and v.get("edited_rows") for k, v in st.session_state.items()):
        return  # the usual case: no table was typed into
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


def on_close() -> None:
    state().ws = None
    st.query_params.clear()


def draft_page(ws: Workspace) -> None:
    report = ws.report
    errors, warnings, _ = views.split_findings(ws.findings())
    head, tools = st.columns([3, 2])
    head.title(f"{report.meta.agency or '（未填写机关名称）'} {report.meta.year or ''}年度报告")
    head.caption(f"错误 {len(errors)} · 提醒 {len(warnings)} · 已自动保存（第{ws.revision}版）")
    u, r, c = tools.columns(3)
    u.button("↶ 撤销", disabled=not ws.draft.can_undo, key="undo", width="stretch", on_click=act, args=(ws.undo,))
    r.button("↷ 重做", disabled=not ws.draft.can_redo, key="redo", width="stretch", on_click=act, args=(ws.redo,))
    c.button("关闭草稿", key="close", width="stretch", on_click=on_close)
    show_flash()
    st.session_state["page_revision"] = ws.revision
    chat, work = st.columns([5, 7], gap="medium")
    with chat:
        chat_fragment()
    with work:
        # Only the chosen view is drawn: a rerun after each change stays quick with one editor on screen.
        view = st.segmented_control("视图", VIEWS, default=VIEWS[1], key="view", label_visibility="collapsed")
        marks = views.finding_marks(ws.findings())
        if view == "表二":
            for grid in views.t2_grids(report, marks):
                editor(ws, grid)
            zero_fill_button(ws, "t2")
            st.markdown(views.preview_html(report, "t2", marks), unsafe_allow_html=True)
        elif view == "表四":
            editor(ws, views.t4_grid(report, marks))
            zero_fill_button(ws, "t4")
            st.markdown(views.preview_html(report, "t4", marks), unsafe_allow_html=True)
        elif view == "正文":
            text_panel(ws)
        elif view == "检查":
            checks_panel(ws)
        elif view == "导出":
            export_panel(ws)
        elif view == "修改记录":
            history_panel(ws)
        else:
            editor(ws, views.t3_grid(report, marks))
            zero_fill_button(ws, "t3")
            with st.expander("按正式版式预览表三", expanded=False):
                st.markdown(views.preview_html(report, "t3", marks), unsafe_allow_html=True)


def on_chat() -> None:
    from assistant.engines.base import get_engine

    prompt = st.session_state.get("chat")
    if not prompt:
        return
    ws, engine = the_ws(), get_engine(state().settings)
    files = list(getattr(prompt, "files", None) or [])
    text = (getattr(prompt, "text", None) if not isinstance(prompt, str) else prompt) or ""
    if files:
        for f in files:
            act(ws.ask_with_notes, f.getvalue(), f.name, engine, text.strip())
    elif text.strip():
        act(ws.ask, text.strip(), engine)


@st.fragment
def chat_fragment() -> None:
    """The conversation reruns on its own (a message, a question) unless the draft changed."""
    ws = the_ws()
    if ws.revision != st.session_state.get("page_revision"):
        st.rerun(scope="app")  # a proposal was applied: the tables beside the chat change too
    show_flash()
    chat_panel(ws)


def chat_panel(ws: Workspace) -> None:
    with st.container(height=560):
        for m in ws.conversation():
            with st.chat_message(m.role):
                if m.attachment and m.role == "user":
                    st.caption(f"📎 {m.attachment}")
                (st.error if m.error else st.markdown)(m.text)
                for n in m.notices:
                    st.info(n)
                if m.proposal is not None:
                    proposal_view(ws, m)
    st.chat_input("说说今年的情况，例如：今年收到自然人申请12件，予以公开8件……（可附笔记或台账）",
                  accept_file=True, file_type=NOTE_TYPES, key="chat", on_submit=on_chat)


def on_apply_picked(seq: int, count: int) -> None:
    picked = [i for i in range(count) if st.session_state.get(f"pick-{seq}-{i}", True)]
    act(the_ws().apply_proposal, seq, picked, ok=f"已应用{len(picked)}项，可点“撤销”恢复。")


def proposal_view(ws: Workspace, m: ChatMessage) -> None:
    assert m.proposal is not None
    rows = views.proposal_rows(m.proposal.changes, ws.report)
    if m.pending:
        st.markdown(f"**建议填写 {len(rows)} 项**（勾选后应用，可撤销）：")
        for row in rows:
            st.checkbox(f"{row.label}：{row.old} → **{row.new}**", value=True, key=f"pick-{m.seq}-{row.index}")
            if row.evidence:
                st.caption(f"　依据：“{row.evidence}”")
        a, b, c = st.columns(3)
        a.button("全部应用", key=f"apply-all-{m.seq}", type="primary", on_click=act,
                 args=(ws.apply_proposal, m.seq), kwargs={"ok": f"已应用{len(rows)}项，可点“撤销”恢复。"})
        b.button("应用所选", key=f"apply-some-{m.seq}", on_click=on_apply_picked, args=(m.seq, len(rows)))
        c.button("不采用", key=f"dismiss-{m.seq}", on_click=act, args=(ws.dismiss_proposal, m.seq))
    elif rows:
        status = STATUS_NAMES.get(m.status or "", "")
        with st.expander(f"{len(rows)}项建议 · {status}"):
            for row in rows:
                mark = "✔" if row.index in m.applied else "·"
                st.markdown(f"{mark} {row.label}：{row.new}　<small>（依据：{row.evidence}）</small>",
                            unsafe_allow_html=True)
    for q in m.proposal.questions:
        st.markdown(f"❓ {q}")


def editor_key(ws: Workspace, grid: views.EditorGrid) -> str:
    # A new key per revision: after a change, the browser's editor starts again from the saved report.
    return f"editor-{grid.key}-{ws.revision}"


def editor(ws: Workspace, grid: views.EditorGrid) -> None:
    """An editable table; its edits are applied by ``apply_table_edits`` on the next run."""
    config: dict[str, Any] = {views.CHECK_COLUMN: st.column_config.TextColumn(views.CHECK_COLUMN, width="small")}
    for column in grid.frame.columns:
        if column == views.CHECK_COLUMN:
            continue
        if grid.money:
            config[column] = st.column_config.NumberColumn(column, min_value=0.0, format="%.2f")
        else:
            config[column] = st.column_config.NumberColumn(column, min_value=0, step=1, format="%d", width="small")
    st.data_editor(grid.frame, key=editor_key(ws, grid), disabled=list(grid.disabled), column_config=config,
                   width="stretch", placeholder="未填")


def zero_fill_button(ws: Workspace, table: str) -> None:
    from assistant.totals import zero_fill_changes

    changes = zero_fill_changes(ws.report, (table,))
    if changes:
        st.button(f"其余{len(changes)}个未填单元格按0填写", key=f"zero-{table}", on_click=act, args=(ws.apply, changes),
                  kwargs={"source": "edit", "summary": f"{table}其余未填单元格按0填写"})


# ---------------------------------------------------------------------------------------------
# Text, checks, export, history


def text_key(key: str, value: Any) -> str:
    """A text box keyed by what it shows: it refreshes when the saved text changes (undo, another tab),
    and keeps what the clerk is typing when anything else changes."""
    return f"text-{key}-{zlib.crc32(str(value).encode('utf-8')):08x}"


def on_save_meta() -> None:
    ws = the_ws()
    changes = [Change(cell=k, value=(st.session_state.get(text_key(k, ws.report.value(k))) or "").strip() or None,
                      evidence="手工编辑") for k in META_KEYS]
    act(ws.apply, changes, source="edit", summary="编辑机关信息", ok="已保存。")


def on_save_text(sid: str, key: str) -> None:
    act(the_ws().set_text, sid, st.session_state.get(key, ""), ok=f"已保存“{label_of(sid)}”。")


def on_draft_s5() -> None:
    from assistant.drafting import draft_problems

    result = act(draft_problems, the_ws().report, settings=state().settings)
    if result is not None:
        state().drafted["s5"] = result.text
        state().drafted_notices["s5"] = list(result.notices)


def on_draft_s6() -> None:
    from assistant.drafting import draft_s6

    state().drafted["s6"] = draft_s6(the_ws().report)


def on_adopt(sid: str) -> None:
    text = st.session_state.get(f"drafted-{sid}", state().drafted.get(sid, ""))
    if act(the_ws().set_text, sid, text, source="draft", ok="已采用起草稿，可撤销。") is not None:
        state().drafted.pop(sid, None)


def text_panel(ws: Workspace) -> None:
    report = ws.report
    with st.expander("机关信息与联系方式", expanded=report.meta.agency is None):
        for k in META_KEYS:  # each saved as soon as the clerk leaves the box
            st.text_input(FIELDS[k].label, value=str(report.value(k) or ""), key=text_key(k, report.value(k)),
                          on_change=on_save_meta)
    for section in SECTIONS:
        sid = section.id
        current = report.section_text(sid) or ""
        key = text_key(sid, current)
        # Saved as soon as the clerk leaves the box (or presses Ctrl+Enter); "保存" does the same explicitly.
        text = st.text_area(label_of(sid), value=current, height=160 if sid in ("preface", "s1", "s5") else 90,
                            key=key, on_change=on_save_text, args=(sid, key))
        cols = st.columns([1, 1, 3])
        cols[0].button("保存", key=f"save-{sid}", disabled=text == current, on_click=on_save_text, args=(sid, key))
        if sid == "s5":
            cols[1].button("起草第五部分", key="draft-s5", on_click=on_draft_s5)
            if report.previous is not None and report.previous.section_text("s5"):
                with st.expander(f"参考：{report.previous.meta.year or '上'}年报告的第五部分"):
                    st.write(report.previous.section_text("s5"))
        if sid == "s6":
            cols[1].button("起草信息处理费说明", key="draft-s6", on_click=on_draft_s6)
        if sid in state().drafted:
            drafted_box(sid)


def drafted_box(sid: str) -> None:
    st.info("以下为起草稿，请修改后点“采用此稿”；采用前不会改动报告。")
    for n in state().drafted_notices.get(sid, []):
        st.warning(n)
    st.text_area("起草稿", value=state().drafted[sid], height=220, key=f"drafted-{sid}")
    a, b = st.columns(2)
    a.button("采用此稿", key=f"adopt-{sid}", type="primary", on_click=on_adopt, args=(sid,))
    b.button("放弃起草稿", key=f"discard-{sid}", on_click=state().drafted.pop, args=(sid, None))


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
            if f.fix is not None:
                st.button(f"一键修正：{f.fix.description}", key=f"fix-{f.rule}-{i}-{ws.revision}", on_click=act,
                          args=(ws.apply_fix, f), kwargs={"ok": "已修正，可撤销。"})
    if unknown:
        with st.expander(f"无法校验（{len(unknown)}项，相关单元格尚未填写）"):
            for i, f in enumerate(unknown):
                st.write(f"[{f.rule}] {f.message}")
                if f.fix is not None:
                    st.button(f"按推算填写：{f.fix.description}", key=f"derive-{i}-{ws.revision}", on_click=act,
                              args=(ws.apply_fix, f), kwargs={"ok": "已填写，可撤销。"})
    if ws.report.previous is not None:
        last = ws.report.previous
        st.subheader(f"与{last.meta.year or '上'}年报告衔接")
        st.dataframe(views.cross_year_rows(ws.report), width="stretch", hide_index=True)


def export_panel(ws: Workspace) -> None:
    from assistant.exporting import FORMATS, MEDIA_TYPES, error_findings, suggested_filename

    report = ws.report
    errors = error_findings(report)
    force = False
    if errors:
        st.error(f"本稿尚有{len(errors)}处错误未解决。建议先在“检查”中处理。")
        force = st.checkbox("我已知晓，仍要导出（文档首页将注明尚有错误，仅供内部核对）", key="force-export")
    for fmt, label in FORMATS.items():
        blocked = bool(errors) and not force and fmt != "json"
        data = b"" if blocked else _export(ws, fmt, force)
        st.download_button(f"下载 {label}", data=data, file_name=suggested_filename(report, fmt),
                           mime=MEDIA_TYPES[fmt], disabled=blocked, key=f"download-{fmt}")


def _export(ws: Workspace, fmt: str, force: bool) -> bytes:
    from assistant.exporting import export_bytes

    cache = state().exports
    key = (ws.draft.id, ws.revision, fmt, force)
    if key not in cache:
        if len(cache) > 16:
            cache.clear()
        cache[key] = act(export_bytes, ws.report, fmt, force=force) or b""
    return cache[key]


def history_panel(ws: Workspace) -> None:
    for step in reversed(ws.draft.steps):
        when = step.at.astimezone().strftime("%m-%d %H:%M:%S")
        with st.expander(f"{when} · {SOURCE_NAMES.get(step.source, step.source)} · {step.summary}"):
            for c in step.changes:
                evidence = f"　<small>（{c.evidence}）</small>" if c.evidence else ""
                st.markdown(f"- {label_of(c.cell)}：{views.shown(c.old)} → {views.shown(c.new)}{evidence}",
                            unsafe_allow_html=True)


# ---------------------------------------------------------------------------------------------
# Settings


def on_use_llm() -> None:
    act(_use_llm, st.session_state.get("preset", "自定义"))


def _use_llm(preset: str) -> None:
    app = state()
    get = st.session_state.get
    base_url, model = (get(f"base-url-{preset}") or "").strip(), (get(f"model-{preset}") or "").strip()
    method = get(f"method-{preset}") or METHODS[0]
    api_key = get("api-key") or (app.settings.api_key.get_secret_value() if app.settings.api_key else None)
    if not base_url or not model:
        raise AssistantError("请填写接口地址和模型名称。")
    if preset in PRESETS:
        app.settings = from_preset(preset, base_url=base_url, model=model, method=method, api_key=api_key)
    else:
        app.settings = EngineSettings.model_validate(
            {"kind": "openai", "base_url": base_url, "model": model, "method": method, "api_key": api_key})
    st.session_state["api-key"] = ""  # the key stays in the settings object, not in a widget
    app.flash.append(("success", f"已切换到{app.settings.describe()}"))


def settings_panel() -> None:
    app = state()
    with st.sidebar:
        st.header("设置")
        if app.settings_error:
            st.error(app.settings_error)
        kinds = ["离线引擎（默认，不联网）", "大模型（OpenAI 兼容接口）"]
        choice = st.radio("对话引擎", kinds, index=1 if app.settings.kind == "openai" else 0, key="engine-kind")
        if choice == kinds[1]:
            names = ["自定义", *sorted(PRESETS)]
            index = names.index(app.settings.preset) if app.settings.preset in names else 0
            preset = st.selectbox("服务商预设", names, index=index, key="preset")
            defaults = PRESETS.get(preset, {})
            chosen = preset if preset in PRESETS else None
            configured = app.settings.kind == "openai" and app.settings.preset == chosen
            st.text_input("接口地址（Base URL）", key=f"base-url-{preset}",
                          value=(app.settings.base_url if configured else None) or defaults.get("base_url", ""))
            st.text_input("模型名称", key=f"model-{preset}",
                          value=(app.settings.model if configured else None) or defaults.get("model", ""))
            method = app.settings.method if configured else defaults.get("method", METHODS[0])
            st.selectbox("结构化输出方式", METHODS, index=METHODS.index(method), key=f"method-{preset}")
            has_key = app.settings.api_key is not None
            st.text_input("API 密钥", type="password", key="api-key",
                          placeholder="已设置（来自环境变量或本次输入）" if has_key else "本地模型可留空")
            st.caption("密钥只保存在本次浏览器会话中，不写入草稿、导出文件或磁盘。")
            st.button("使用这些设置", key="save-settings", on_click=on_use_llm)
        elif app.settings.kind != "offline":
            app.settings = EngineSettings()
        st.caption(f"当前：{app.settings.describe()}")
        st.divider()
        st.caption(f"草稿保存位置：{views.safe_url(default_url())}")


# ---------------------------------------------------------------------------------------------
# Start-up


def warm_up() -> None:
    """Import what the draft page needs (pandas, the engines, the readers and writers) ahead of time."""
    import pandas  # noqa: F401
    import pdfplumber  # noqa: F401

    import assistant.drafting
    import assistant.engines.offline
    import assistant.exporting.docx_writer
    import assistant.importing.pdf_reader
    import assistant.prefill  # noqa: F401


@st.cache_resource(show_spinner=False)
def warm_up_in_background() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread


def main() -> None:
    st.set_page_config(page_title="年报助手", page_icon="📄", layout="wide", initial_sidebar_state="collapsed")
    app = state()
    try:
        app.store = get_store(default_url())
    except AssistantError as e:
        st.error(e.message)
        st.stop()
    settings_panel()
    if app.ws is None and (draft_id := st.query_params.get("draft")):
        on_open(draft_id)
        if app.ws is None:
            st.query_params.clear()
    if app.ws is None:
        start_page(app.store)
        warm_up_in_background()  # while the clerk reads the start page
        return
    apply_table_edits(app.ws)  # typed against the version this tab shows: merged if another tab saved since
    if act(app.ws.reload):
        app.flash.append(("info", "已载入其他窗口对此草稿的修改。"))
    draft_page(app.ws)


main()
