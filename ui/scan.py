"""Numbers read from a scan that await the clerk's look: each beside the picture of its cell.

"确认无误" takes the mark away as read; typing the right number sets the cell (the mark goes with
it). Both are recorded steps that can be undone. What was read and why it is doubtful come from a
file: shown through ``safe_text.md``. The picture is the PNG the reader cut from the scan.
"""

from __future__ import annotations

import base64
import binascii

import streamlit as st

from assistant.cells import label_of
from assistant.model import UncertainCell
from assistant.numbers import format_value
from assistant.safe_text import md
from assistant.workspace import Workspace
from ui.state import act, the_ws

SHOWN = 40  # marks drawn at once; the rest follow as the first are settled


def on_confirm(cell_ids: list[str]) -> None:
    act(the_ws().confirm_cells, cell_ids, ok="已确认，可撤销。")


def on_correct(cell_id: str, key: str) -> None:
    text = str(st.session_state.get(key) or "").strip()
    if not text:
        return
    act(the_ws().set_cell_text, cell_id, text, ok=f"已改为{text}，可撤销。")


def picture(mark: UncertainCell) -> bytes | None:
    """The scanned cell as PNG bytes, or None when the draft holds no (valid) picture."""
    if not mark.crop:
        return None
    try:
        data = base64.b64decode(mark.crop, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if data.startswith(b"\x89PNG\r\n\x1a\n") else None


def uncertain_panel(ws: Workspace) -> None:
    """The marks of the open draft, the least certain first."""
    marks = ws.report.uncertain
    if not marks:
        return
    st.subheader(f"扫描件识别待确认（{len(marks)}）")
    st.caption("以下数字由扫描件或照片识别得到，识别把握不足或与表内合计不符。请对照原图：无误点“确认无误”，有误直接填写正确的数。")
    ordered = sorted(marks.items(), key=lambda kv: (kv[1].confidence if kv[1].confidence is not None else 1.0))
    st.button(f"以下{len(ordered)}个数字均已核对无误", key=f"confirm-all-{ws.revision}", on_click=on_confirm,
              args=([c for c, _m in ordered],))
    for cid, mark in ordered[:SHOWN]:
        with st.container(border=True):
            left, middle, right = st.columns([4, 2, 3], vertical_alignment="center")
            left.markdown(f"**{md(label_of(cid))}**")
            left.caption(md(mark.reason))
            image = picture(mark)
            if image is not None:
                middle.image(image, caption="扫描原图")
            else:
                middle.caption("（无原图）")
            read = mark.text or "（空白）"
            right.markdown(f"识别为：**{md(read)}**　现值：{md(format_value(ws.report.get(cid)))}")
            key = f"scan-fix-{cid}-{ws.revision}"
            right.text_input("正确的数", key=key, placeholder="有误时填写", label_visibility="collapsed")
            b1, b2 = right.columns(2)
            b1.button("确认无误", key=f"scan-ok-{cid}-{ws.revision}", on_click=on_confirm, args=([cid],))
            b2.button("改为此数", key=f"scan-set-{cid}-{ws.revision}", on_click=on_correct, args=(cid, key))
    if len(ordered) > SHOWN:
        st.caption(f"另有{len(ordered) - SHOWN}个，确认以上各项后显示。")
