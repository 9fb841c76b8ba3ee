"""The few words Streamlit's own widgets say in English, said in Chinese (a stylesheet of our own making).

Streamlit 1.67 has no option for the file uploader's button ("Upload"), its instructions ("50MB per
file • …"), the chat's drop overlay ("Drag and drop a file here") or its attachment tooltip ("Upload
or drag and drop a file"). The original text is set to size 0 and ours is shown in its place; the
selectors are the widgets' ``data-testid`` attributes, which Streamlit keeps stable for testing.
"""

from __future__ import annotations

import streamlit as st


def _css(max_mb: int) -> str:
    chat_tip = 'body:has([data-testid="stChatInputFileUploadButton"]:hover) [data-testid="stTooltipContent"]'
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "选择文件"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或将文件拖到这里（单个文件不超过{max_mb}MB）"; font-size: 0.75rem; }}
.st-key-last_year_file [data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "或将文件拖到这里 · Word、PDF、网页、文本 · 不超过{max_mb}MB"; }}
[data-testid="stChatInput"] [role="presentation"] + div {{ font-size: 0; }}
[data-testid="stChatInput"] [role="presentation"] + div::after {{
  content: "松开鼠标，上传笔记或台账"; font-size: 1rem; }}
{chat_tip} {{ font-size: 0; }}
{chat_tip}::after {{ content: "上传笔记或台账（txt、md、docx、xlsx、csv），也可直接拖入"; font-size: 0.875rem; }}
</style>"""


def chinese_widgets() -> None:
    """Put the stylesheet on the page (once per run; it takes no space)."""
    max_mb = int(st.get_option("server.maxUploadSize") or 200)
    st.markdown(_css(max_mb), unsafe_allow_html=True)
