"""The few words Streamlit's own widgets say in English, said in Chinese (``views.widget_stylesheet``)."""

from __future__ import annotations

import streamlit as st

from assistant import views


def chinese_widgets() -> None:
    """Put the stylesheet on the page (once per run; it takes no space)."""
    max_mb = int(st.get_option("server.maxUploadSize") or 200)
    st.markdown(views.widget_stylesheet(max_mb), unsafe_allow_html=True)
