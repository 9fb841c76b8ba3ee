"""Text dumps of exported documents, read back the way a reader sees them (for golden files).

Also checks the dump itself against the blank national template: the exported tables have the
template's spans and labels.

The .docx dump walks ``w:tbl/w:tr/w:tc`` itself: ``gridSpan`` gives a cell's width in grid
columns and a ``vMerge`` restart followed by continuations gives its height, so the dump shows
true spans (python-docx's ``row.cells`` repeats merged cells instead). The HTML dump parses the
page with bs4 and places each cell on the grid from its ``rowspan``/``colspan``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from docx import Document
from docx.oxml.ns import qn
from lxml.etree import _Element

GOLDEN = Path(__file__).resolve().parent / "golden"


def _text(el: _Element) -> str:
    """Text of a paragraph or cell; line breaks inside a paragraph as "⏎", paragraphs joined by "¶"."""
    paras = []
    for p in el.iter(qn("w:p")):
        parts = []
        for node in p.iter(qn("w:t"), qn("w:br")):
            parts.append("⏎" if node.tag == qn("w:br") else (node.text or ""))
        paras.append("".join(parts))
    return "¶".join(paras) if len(paras) > 1 else (paras[0] if paras else "")


def _val(parent: _Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    el = parent.find(qn(tag))
    return None if el is None else (el.get(qn("w:val")) or "")


def dump_docx(data: bytes) -> str:
    """Every paragraph (with its style, and lead runs in «»), then every table cell with its span."""
    doc = Document(io.BytesIO(data))
    styles = {s.style_id: s.name for s in doc.styles}
    lines: list[str] = []
    tables = 0
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            style = styles.get(_val(el.find(qn("w:pPr")), "w:pStyle") or "Normal", "?")
            runs = el.findall(qn("w:r"))
            # In body paragraphs only a sub-part title's run names its own font (楷体).
            lead = [r for r in runs if _has_fonts(r)]
            text = _text(el)
            if lead and len(runs) > 1:
                head = "".join(t.text or "" for r in lead for t in r.iter(qn("w:t")))
                text = f"«{head}»{text[len(head) :]}"
            if text:
                lines.append(f"P[{style}] {text}")
        elif el.tag == qn("w:tbl"):
            tables += 1
            lines.extend(_dump_table(el, tables))
    return "\n".join(lines) + "\n"


def _has_fonts(run: _Element) -> bool:
    rpr = run.find(qn("w:rPr"))
    return rpr is not None and rpr.find(qn("w:rFonts")) is not None


def docx_table_cells(tbl: _Element) -> tuple[dict[tuple[int, int], tuple[int, int, _Element]], int, int]:
    """A ``w:tbl``'s cells by where they start: (row, col) -> (rowspan, colspan, w:tc); and its size."""
    widths = [int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))]
    rows = tbl.findall(qn("w:tr"))
    starts: dict[tuple[int, int], list[Any]] = {}
    owner: dict[int, tuple[int, int]] = {}  # grid column -> start of the vertical merge open there
    for r, tr in enumerate(rows):
        c = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span = int(_val(pr, "w:gridSpan") or 1)
            merge = _val(pr, "w:vMerge")
            if merge is not None and merge != "restart":
                start = owner[c]
                starts[start][0] += 1
                assert starts[start][1] == span, f"merged cell changes width at row {r}"
            else:
                starts[(r, c)] = [1, span, tc]
                if merge == "restart":
                    owner[c] = (r, c)
            c += span
        assert c == len(widths), f"row {r}: {c} grid columns, expected {len(widths)}"
    return {k: (v[0], v[1], v[2]) for k, v in starts.items()}, len(rows), len(widths)


def _dump_table(tbl: _Element, n: int) -> list[str]:
    cells, n_rows, n_cols = docx_table_cells(tbl)
    header_rows = 0
    for r, tr in enumerate(tbl.findall(qn("w:tr"))):
        pr = tr.find(qn("w:trPr"))
        if pr is not None and pr.find(qn("w:tblHeader")) is not None:
            header_rows = r + 1
    out = [f"TABLE {n}: {n_rows} rows x {n_cols} columns, header rows repeated: {header_rows}"]
    for (r, c), (rowspan, colspan, tc) in sorted(cells.items()):
        jc = _val(tc.find(qn("w:p")).find(qn("w:pPr")), "w:jc") or "center"
        out.append(f"  r{r}c{c} {rowspan}x{colspan} {jc[0].upper()} {_text(tc)}")
    return out


def dump_html(data: bytes) -> str:
    """Notice, headings and paragraphs in order, then each table's cells placed on the grid."""
    soup = BeautifulSoup(data, "lxml")
    lines: list[str] = []
    article = soup.find("article") or soup.body
    assert isinstance(article, Tag)
    tables = 0
    for el in article.find_all(["p", "h1", "h2", "table"], recursive=False):
        if el.name == "table":
            tables += 1
            lines.extend(_dump_html_table(el, tables))
            continue
        cls = ".".join(el.get("class") or [])
        strong = el.find("strong")
        text = el.get_text()
        if strong is not None:
            head = strong.get_text()
            text = f"«{head}»{text[len(head) :]}"
        lines.append(f"{el.name}{'.' + cls if cls else ''} {text}")
    return "\n".join(lines) + "\n"


def _dump_html_table(table: Tag, n: int) -> list[str]:
    taken: set[tuple[int, int]] = set()
    out = []
    rows = table.find_all("tr")
    head_rows = len(table.thead.find_all("tr")) if table.thead else 0
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["th", "td"], recursive=False):
            while (r, c) in taken:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            scope = cell.get("scope") or ".".join(cell.get("class") or [])
            out.append(f"  r{r}c{c} {rs}x{cs} {cell.name}{'/' + scope if scope else ''} {cell.get_text()}")
            c += cs
        width = max(width, c)
    assert len(taken) == len(rows) * width, f"table {n}: spans leave holes or overlap"
    return [
        f"TABLE {n} ({' '.join(table.get('class') or [])}): {len(rows)} rows x {width} columns, head rows: {head_rows}",
        *out,
    ]


def check_golden(name: str, actual: str) -> None:
    """Compare with ``tests/golden/<name>``; ``UPDATE_GOLDEN=1`` rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run the test once with UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "actual"))[:80]
        )
        raise AssertionError(f"{name} differs from the golden file (UPDATE_GOLDEN=1 to accept):\n{diff}")


# --------------------------------------------------------------------------------------------
# The exported tables against the blank national template


TEMPLATE = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "template-2021-blank.docx"


def _tables(data: bytes) -> list[tuple[dict[tuple[int, int], tuple[int, int, str]], int, int]]:
    doc = Document(io.BytesIO(data))
    out = []
    for tbl in doc.element.body.iter(qn("w:tbl")):
        cells, n_rows, n_cols = docx_table_cells(tbl)
        out.append(
            (
                {pos: (rs, cs, _text(tc).replace("¶", "").replace("⏎", "")) for pos, (rs, cs, tc) in cells.items()},
                n_rows,
                n_cols,
            )
        )
    return out


def test_exported_tables_have_the_templates_spans_and_labels() -> None:
    from assistant.exporting import export_bytes
    from assistant.textnorm import label_key
    from tests.helpers import ziqiang

    template = _tables(TEMPLATE.read_bytes())
    ours = _tables(export_bytes(ziqiang(), "docx"))
    assert len(ours) == len(template) == 3
    for n, ((want, want_rows, want_cols), (got, got_rows, got_cols)) in enumerate(zip(template, ours, strict=True), 2):
        assert (got_rows, got_cols) == (want_rows, want_cols), f"table {n}"
        assert {p: v[:2] for p, v in got.items()} == {p: v[:2] for p, v in want.items()}, f"table {n} spans"
        labels = {p: label_key(v[2]) for p, v in want.items() if v[2].strip()}
        assert labels, f"table {n}: the template has labels"
        assert {p: label_key(got[p][2]) for p in labels} == labels, f"table {n} labels"


def test_dump_reads_vertical_merges_as_one_cell() -> None:
    (cells, _, _), *_ = _tables(TEMPLATE.read_bytes())[1:]
    assert cells[(0, 0)][:2] == (3, 3)  # the note corner of table 3
    assert cells[(5, 0)] == (22, 1, "三、本年度办理结果")
    assert (6, 0) not in cells  # covered by the merge, not a cell of its own
