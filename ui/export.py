"""The export view: downloads in every format, refused with open errors unless the clerk confirms."""

from __future__ import annotations

import streamlit as st

from assistant.workspace import Workspace
from ui.state import act, state


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
                           mime=MEDIA_TYPES[fmt], disabled=blocked, key=f"download-{fmt}",
                           on_click=act, args=(ws.record_export, fmt), kwargs={"force": force})  # who, in the audit


def _export(ws: Workspace, fmt: str, force: bool) -> bytes:
    cache = state().exports
    key = (ws.draft.id, ws.revision, fmt, force)
    if key not in cache:
        if len(cache) > 16:
            cache.clear()
        cache[key] = act(ws.export, fmt, force=force) or b""  # refused for a user who may not see the draft
    return cache[key]

