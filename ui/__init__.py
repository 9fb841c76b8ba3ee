"""年报助手's Streamlit view, one module per page or panel.

It renders what ``assistant`` computes and sends the clerk's actions back: no report logic lives
here. Every action is a method of ``assistant.workspace.Workspace`` (saved at once); every table and
summary comes from ``assistant.views``. Buttons act in ``on_click`` callbacks, so the page is drawn
once per click, already showing the result. The open draft's id is in the URL (``?draft=…``) so a
refresh reopens it. ``app.py`` only calls ``ui.main.main``.
"""
