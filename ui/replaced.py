"""Values this tab typed that another tab has since replaced: which, what they are now, one click back."""

from __future__ import annotations

import streamlit as st

from assistant import views
from assistant.cells import label_of
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.state import act


def replaced_notice(ws: Workspace) -> None:
    if not ws.replaced:
        return
    items = "；".join(f"“{label_of(r.cell)}”本窗口填的是{views.shown(r.mine)}，现在是{views.shown(r.now)}"
                     for r in list(ws.replaced.values())[:8])
    more = f"等{len(ws.replaced)}项" if len(ws.replaced) > 8 else ""
    st.warning(md(f"其他窗口修改了本窗口填写的内容：{items}{more}。"))
    a, b, _ = st.columns([1, 1, 2])
    a.button("恢复我的填写", key="restore-mine", type="primary", on_click=act, args=(ws.restore_mine,),
             kwargs={"ok": "已恢复本窗口的填写，可点“撤销”回到其他窗口的值。"})
    b.button("保留现在的值", key="keep-theirs", on_click=ws.keep_theirs)
