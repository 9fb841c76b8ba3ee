"""Editable grids of tables 二–四: edits become changes, applied before the page is drawn."""

from __future__ import annotations

from typing import Any, Literal

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
    grids = [*views.t2_grids(ws.report), views.t3_grid(ws.report), views.t4_grid(ws.report)]
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


# Widths (px) that keep table 三's 总计 column on screen beside the chat at a laptop's 1366 px: the
# grid draws its headers itself, so a column is as wide as its header's characters, its edit mark
# and its padding need.
INDEX_WIDTH = {"t3": 150, "t4": 180}
CHECK_WIDTH = 80


def fitted_width(header: str, editable: bool) -> int:
    return 14 * len(header) + (30 if editable else 18)


def editor(ws: Workspace, grid: views.EditorGrid) -> None:
    """An editable table; its edits are applied by ``apply_table_edits`` on the next run."""
    label, tip = grid.header(views.CHECK_COLUMN)
    config: dict[str, Any] = {
        "_index": st.column_config.TextColumn(width=INDEX_WIDTH.get(grid.key, "medium")),
        views.CHECK_COLUMN: st.column_config.TextColumn(label, help=tip, width=CHECK_WIDTH),
    }
    for column in grid.frame.columns:
        if column == views.CHECK_COLUMN:
            continue
        label, tip = grid.header(column)
        if grid.money:
            config[column] = st.column_config.NumberColumn(label, help=tip, min_value=0.0, format="%.2f")
        else:
            width: int | Literal["small"] = (fitted_width(label, column not in grid.disabled)
                                             if grid.key in ("t3", "t4") else "small")
            config[column] = st.column_config.NumberColumn(label, help=tip, min_value=0, step=1, format="%d",
                                                           width=width)
    st.data_editor(grid.frame, key=editor_key(ws, grid), disabled=list(grid.disabled), column_config=config,
                   width="stretch", placeholder="未填", row_height=30)


def zero_fill_button(ws: Workspace, table: str) -> None:
    from assistant.totals import zero_fill_changes

    changes = zero_fill_changes(ws.report, (table,))
    if changes:
        st.button(f"其余{len(changes)}个未填单元格按0填写", key=f"zero-{table}", on_click=act, args=(ws.apply, changes),
                  kwargs={"source": "edit", "summary": f"{table}其余未填单元格按0填写"})

