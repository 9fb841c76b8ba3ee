"""Outside text is inert wherever the view shows it (issue 9): ``safe_text.md``, the previews, every view.

The browser test (``test_browser_xss.py``) proves it in Chromium; these tests pin the pieces fast:
what ``md`` escapes, that ``unsafe_allow_html`` is used for nothing but the project's own previews,
that the previews escape every text and class, and that with hostile text in every field of a
draft no view hands Streamlit a tag, an image, a link or a directive.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from assistant import views
from assistant.changes import Change
from assistant.engines.base import Proposal
from assistant.model import Report
from assistant.safe_text import clean, clean_data, md
from assistant.store import DraftStore, default_url
from assistant.workspace import Workspace
from tests.helpers import flat_fixture, unmd

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<iframe srcdoc='<script>parent.pwned=1</script>'></iframe>",
    "<svg onload=alert(1)>",
    "<script>alert(1)</script>",
    "![x](http://127.0.0.1:9/?cells=t3.new.natural)",
    "[点此](javascript:alert(1))",
    "<http://127.0.0.1:9/a>",
    "www.example.com/x a@b.cn https://127.0.0.1:9/",
    ":red[红色] :material/home: :smile: $x^2$",
    "**粗** _斜_ `码` ~~删~~ | 表 |",
    "# 标题\n- 列表\n1. 编号\n===\n> 引用",
    "&lt;img src=x onerror=alert(1)&gt; &#60;b&#62;",
    "[x]: http://127.0.0.1:9/ref\n![y][x]",
]
# Markdown that would act: a tag, an image or link, a Streamlit directive, a scheme, math, code.
ACTIVE = re.compile(r"<[a-zA-Z/!?]|!\[|(?<!\\)\]\(|(?<!\\):[a-z]+\[|\b(?:javascript|https?):|www\.|(?<!\\)[$`]")
# What would only style it (our own labels use **bold**, so this is checked on md's output alone).
STYLE = re.compile(r"(?<!\\)[*_~|@\[\]]")


# -- md ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_leaves_nothing_that_acts(payload: str) -> None:
    for out in (md(payload), md(payload, inline=True)):
        assert "<" not in out and not ACTIVE.search(out) and not STYLE.search(out), out
        for line in out.split("\n"):
            assert not re.match(r"\s*(?:[#>=+\-*]|\d+[.)])", line), line  # no heading, quote, list


@given(st.text())
def test_md_shows_exactly_the_characters_given(text: str) -> None:
    out = md(text)
    assert not ACTIVE.search(out) and not STYLE.search(out) and "<" not in out
    plain = re.sub("[\x01-\x08\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]", "", clean(text))
    lines = re.split(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85", plain)
    expected = "\n".join(line.strip(" \t") for line in lines).strip("\n")
    assert unmd(out) == expected


def test_md_keeps_ordinary_text_as_typed() -> None:
    for text in ("0431-81179803", "收到3.5件？12:30", "工作笔记.txt", "本年上年结转=103件", "长春市南关区自强街道办事处"):
        assert md(text) == text
    assert md("第一行\n第二行\n\n新段") == "第一行  \n第二行\n\n新段"
    assert md("第一行\n第二行", inline=True) == "第一行 第二行"


def test_clean_makes_any_text_storable() -> None:
    assert clean("a\ud800b\x00c\udfff") == "a\ufffdbc\ufffd"
    assert clean("😀 正常") == "😀 正常"
    assert clean_data({"k\ud800": ["x\x00", {"y": "\udc00"}], "n": 1}) == {"k\ufffd": ["x", {"y": "\ufffd"}], "n": 1}
    for out in (clean("\ud800"), md("\ud800")):
        out.encode("utf-8")


# -- unsafe_allow_html only for the project's own previews --------------------------------------------


def _view_sources() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py"))]


# The only HTML the view renders: what the project builds, from escaped values or constants.
PROJECT_HTML = ("preview_html", "widget_stylesheet")


def test_the_widget_stylesheet_is_only_a_stylesheet() -> None:
    css = views.widget_stylesheet(50)
    assert css.startswith("<style>") and css.endswith("</style>") and css.count("<") == 2
    assert "50MB" in css


def test_unsafe_allow_html_is_only_used_for_the_escaped_previews() -> None:
    uses = 0
    for path in _view_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("html", "components") and \
                    isinstance(node.value, ast.Name) and node.value.id in ("st", "components"):
                pytest.fail(f"{path.name}:{node.lineno}: st.{node.attr} renders raw HTML")
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg is None and path.name != "__init__.py":
                    continue  # **kwargs: checked below by name
                if kw.arg != "unsafe_allow_html" or (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    continue
                first = node.args[0] if node.args else None
                ok = (isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute)
                      and first.func.attr in PROJECT_HTML and isinstance(first.func.value, ast.Name)
                      and first.func.value.id == "views" and len(node.args) == 1)
                assert ok, f"{path.name}:{node.lineno}: unsafe_allow_html with something else than {PROJECT_HTML}"
                uses += 1
        assert "unsafe_allow_html\"" not in path.read_text(encoding="utf-8")  # not smuggled in through a dict
    assert uses >= 1  # the scan sees the previews: it would see anything else


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style.append(data)


@pytest.mark.parametrize("table", ["t2", "t3", "t4"])
def test_the_previews_escape_every_text_and_class(table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.exporting import layout

    real = {"t2": layout.table2, "t3": layout.table3, "t4": layout.table4}[table]

    def hostile(report: Report) -> Any:
        grid = real(report)
        rows = tuple(tuple(dataclasses.replace(gc, text=f'{gc.text}"><img src=x onerror=alert(1)>&')
                           for gc in row) for row in grid.rows)
        return dataclasses.replace(grid, rows=rows)

    monkeypatch.setattr(layout, f"table{table[1]}", hostile)
    report = Report.from_flat(flat_fixture("ziqiang-street-2024"))
    marks = {cid: 'error" onmouseover="alert(1)' for cid in report.cells}
    out = views.preview_html(report, table, marks)
    parser = _Tags()
    parser.feed(out)
    allowed = {"style": set(), "table": {"class", "border", "style"}, "thead": set(), "tbody": set(), "tr": set(),
               "th": {"scope", "rowspan", "colspan"}, "td": {"class", "data-cell", "rowspan", "colspan"}}
    assert {t for t, _ in parser.tags} <= set(allowed)
    for tag, attrs in parser.tags:
        assert {a for a, _ in attrs} <= allowed[tag], (tag, attrs)
        for name, value in attrs:
            assert name != "class" or value in ("error", "warning", "auto", "val", "note", table, 'error" onmouseover="alert(1)')
    assert "".join(parser.style).strip() == views.PREVIEW_STYLE.removeprefix("<style>").removesuffix("</style>").strip()
    assert out.count("&lt;img src=x onerror=alert(1)&gt;") >= 10


# -- every view, hostile text in every field -------------------------------------------------------


def _hostile_draft(store: DraftStore) -> Workspace:
    bad = PAYLOADS[0] + PAYLOADS[4] + PAYLOADS[5] + PAYLOADS[8]
    flat = {**flat_fixture("ziqiang-street-2024"), "meta.agency": f"自强街道{bad}", "meta.contact.office": bad,
            "meta.contact.phone": bad, "s5": f"存在的问题{bad}", "s6": bad,
            "s1": f"全年共收到政府信息公开申请{bad}99件。", "t3.new.research": f"约{bad}"}
    last = Report.from_flat({**flat_fixture("ziqiang-street-2024"), "meta.year": 2023, "s5": f"存在的问题{bad}"})
    report = Report.from_flat(flat).model_copy(update={"previous": last})
    ws = Workspace.create(store, report, source="prefill", summary=f"由上年报告“{bad}.html”预填")
    ws.say(f"收到<svg onload=alert(1)>{bad}", role="user", attachment=f"{bad}.txt")
    proposal = Proposal(changes=[Change(cell="t3.new.natural", value=5, evidence=bad),
                                 Change(cell="meta.contact.email", value=bad, evidence=bad)],
                        reply=f"回复{bad}", questions=[f"问题{bad}"], notices=[f"提示{bad}"])
    applied = ws.say(f"回复{bad}", proposal=proposal)
    ws.apply_proposal(applied.seq)
    ws.say(f"回复{bad}", proposal=proposal)  # one left pending: its checkboxes and captions show
    ws.say(f"出错{bad}", error=True)
    return ws


def _shown(at: AppTest) -> list[str]:
    """Every string Streamlit renders as Markdown on this page: bodies and labels."""
    out = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader",
                                "header") for e in getattr(at, kind)]
    out += [e.label for kind in ("checkbox", "button", "expander", "radio", "toggle", "text_area", "text_input")
            for e in getattr(at, kind)]
    return [str(s) for s in out if not str(s).startswith("<style>")]  # the escaped previews: tested above


def test_no_view_renders_outside_text_as_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_DB_URL", raising=False)
    ws = _hostile_draft(DraftStore(default_url()))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    start = _shown(at)
    assert any("自强街道" in s for s in start)  # the start page lists the hostile draft
    at.query_params["draft"] = ws.draft.id
    at.run()
    seen = list(start)
    for view in ["表二", "表三", "表四", "正文", "检查", "导出", "修改记录"]:
        at.segmented_control(key="view").set_value(view).run()
        assert not at.exception, at.exception
        seen += _shown(at)
    text = "\n".join(seen)
    for needle in ("回复", "问题", "提示", "出错", "存在的问题", "由上年报告", "依据", "约"):
        assert needle in text, needle  # each hostile field was on screen
    offenders = [s for s in seen if "<" in s or ACTIVE.search(s)]
    assert not offenders, offenders[:5]
