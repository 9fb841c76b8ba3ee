"""Editable grids of tables 二–四: edits become changes, applied before the page is drawn."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import views
from assistant.workspace import Workspace
from ui.state import act


def apply_table_edits(ws: Workspace) -> None:
    """Edits the clerk made in a table editor, applied before anything is drawn."""
    suffix = f"-{ws.revision}"
    if not any(isinstance(k, str) and k.startswith("editor-") and k.endswith(suffix) and isinstance(v, dict)
               and v.get("edited_rows") for k, v in st.session_state.items()):
        return  # the usual case: no table was typed into
    marks: dict[str, str] = {}
    grids = [*views.t2_grids(ws.report, marks), views.t3_grid(ws.report, marks), views.t4_grid(ws.report, marks)]
    for grid in grids:
        key = editor_key(ws, grid)
        pending = st.session_state.get(key)
        if isinstance(pending, dict) and pending.get("edited_rows"):
            changes = views.edits_to_changes(grid, pending["edited_rows"])
            summary = f"在表格中修改{len(changes)}项"
            if not changes or act(ws.apply, changes, source="edit", summary=summary) is not None:
                del st.session_state[key]
            # else not saved (an invalid value, a full disk): the typed values stay in the editor and
            # are tried again at the next run



def editor_key(ws: Workspace, grid: views.EditorGrid) -> str:
    # A new key per revision: after a change, the browser's editor starts again from the saved report.
    return f"editor-{grid.key}-{ws.revision}"


def editor(ws: Workspace, grid: views.EditorGrid) -> None:
    """An editable table; its edits are applied by ``apply_table_edits`` on the next run."""
    config: dict[str, Any] = {views.CHECK_COLUMN: st.column_config.TextColumn(views.CHECK_COLUMN, width="small")}
    for column in grid.frame.columns:
        if column == views.CHECK_COLUMN:
            continue
        if grid.money:
            config[column] = st.column_config.NumberColumn(column, min_value=0.0, format="%.2f")
        else:
            config[column] = st.column_config.NumberColumn(column, min_value=0, step=1, format="%d", width="small")
    st.data_editor(grid.frame, key=editor_key(ws, grid), disabled=list(grid.disabled), column_config=config,
                   width="stretch", placeholder="未填")


def zero_fill_button(ws: Workspace, table: str) -> None:
    from assistant.totals import zero_fill_changes

    changes = zero_fill_changes(ws.report, (table,))
    if changes:
        st.button(f"其余{len(changes)}个未填单元格按0填写", key=f"zero-{table}", on_click=act, args=(ws.apply, changes),
                  kwargs={"source": "edit", "summary": f"{table}其余未填单元格按0填写"})

