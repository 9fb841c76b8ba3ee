"""年报助手 — the Streamlit entry point (``streamlit run app.py``). The view itself lives in ``ui/``."""

# Guarded: the batch review's worker processes (spawned) import this file as ``__mp_main__``.
if __name__ == "__main__":
    from ui.main import main

    main()
