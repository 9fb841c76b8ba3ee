"""HTML for pasting into a government portal: semantic headings, paragraphs and tables, no scripts.

Tables use ``rowspan``/``colspan`` exactly as the grid says, ``th`` for labels (with ``scope``) and
``td`` for numbers. The look comes from one small style sheet in the head; the only inline styles
are those that must survive a paste into a portal editor that drops the head (table borders, the
red notice of a forced export).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from assistant.exporting import layout
from assistant.exporting.layout import Grid, GridCell

STYLE = """\
body { font-family: "仿宋_GB2312", "仿宋", FangSong, serif; font-size: 16pt; line-height: 1.75;
       max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-family: "方正小标宋简体", "宋体", SimSun, serif; font-weight: normal; font-size: 22pt; text-align: center; }
h2 { font-family: "黑体", SimHei, sans-serif; font-weight: normal; font-size: 16pt; margin: 0.5em 0 0 2em; }
p { text-indent: 2em; margin: 0; text-align: justify; }
p.notice { text-indent: 0; text-align: center; color: #c00000; font-weight: bold; margin-bottom: 1em; }
strong { font-family: "楷体_GB2312", "楷体", KaiTi, serif; font-weight: normal; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-family: "宋体", SimSun, serif;
        font-size: 10.5pt; line-height: 1.4; }
th, td { border: 1px solid #000; padding: 2px 4px; font-weight: normal; vertical-align: middle; }
th, td { text-align: center; }
th[scope="row"], td.note { text-align: left; }
"""

TABLE_ATTRS = 'border="1" style="border-collapse:collapse"'
NOTICE_ATTRS = 'class="notice" style="color:#c00000;font-weight:bold"'


def render(doc: layout.Document) -> bytes:
    """The document as a UTF-8 HTML page."""
    body = "\n".join(_block(b) for b in doc.blocks)
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
        f'<article class="report">\n{body}\n</article>\n</body>\n</html>\n'
    )
    return page.encode("utf-8")


def _block(block: layout.Block) -> str:
    if isinstance(block, layout.Notice):
        return f"<p {NOTICE_ATTRS}>{escape(block.text)}</p>"
    if isinstance(block, layout.Title):
        return f"<h1>{escape(block.text)}</h1>"
    if isinstance(block, layout.Heading):
        return f"<h2>{escape(block.text)}</h2>"
    if isinstance(block, layout.Paragraph):
        lead = f"<strong>{escape(block.lead)}</strong>" if block.lead else ""
        return f"<p>{lead}{escape(block.text)}</p>"
    return table_html(block.grid)


def _cell(gc: GridCell, classes: Mapping[str, str] | None = None) -> str:
    attrs = ""
    if gc.rowspan > 1:
        attrs += f' rowspan="{gc.rowspan}"'
    if gc.colspan > 1:
        attrs += f' colspan="{gc.colspan}"'
    text = escape(gc.text)
    if gc.kind == "head":
        scope = "colgroup" if gc.colspan > 1 else "col"
        return f'<th scope="{scope}"{attrs}>{text}</th>'
    if gc.kind == "label":
        scope = "rowgroup" if gc.rowspan > 1 else "row"
        return f'<th scope="{scope}"{attrs}>{text}</th>'
    if gc.kind == "note":
        return f'<td class="note"{attrs}>{text}</td>'
    if classes and gc.cell is not None and gc.cell in classes:
        attrs += f' class="{escape(classes[gc.cell])}" data-cell="{escape(gc.cell)}"'
    return f"<td{attrs}>{text}</td>"


def table_html(grid: Grid, classes: Mapping[str, str] | None = None) -> str:
    """A grid as an HTML table; ``classes`` (cell id → CSS class) marks cells, e.g. for the app's preview."""
    grid.check()
    rows = ["<tr>" + "".join(_cell(gc, classes) for gc in row) + "</tr>" for row in grid.rows]
    head, body = rows[: grid.header_rows], rows[grid.header_rows :]
    parts = [f'<table class="{grid.name}" {TABLE_ATTRS}>']
    if head:
        parts += ["<thead>", *head, "</thead>"]
    parts += ["<tbody>", *body, "</tbody>", "</table>"]
    return "\n".join(parts)
