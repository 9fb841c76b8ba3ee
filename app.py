"""年报助手 — the Streamlit entry point (``streamlit run app.py``). The view itself lives in ``ui/``."""

from ui.main import main

main()
