"""The Streamlit script that ``nianbao serve`` runs from the installed package (the same as the top-level app.py)."""

# Guarded: the batch review's worker processes (spawned) import this file as ``__mp_main__``.
if __name__ == "__main__":
    from ui.main import main

    main()
