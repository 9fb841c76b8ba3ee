"""年报助手 — the Streamlit view. It only calls ``assistant``; no logic lives here."""

from __future__ import annotations

import streamlit as st

from assistant import cells

st.set_page_config(page_title="年报助手", page_icon="📄", layout="wide")
st.title("年报助手")
st.caption("政府信息公开工作年度报告起草工具（离线模式）")
st.write(f"已载入单元格登记表：{len(cells.CELLS)} 个单元格。完整界面见后续版本。")
