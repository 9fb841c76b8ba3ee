"""The LLM engine in the real app: the chat shows that it waits, then the model's proposal; no key on the page.

Fails (never skips) when Chromium is missing: ``make sysdeps`` installs it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.appserver import browser, running_app
from tests.fake_openai import FakeOpenAI, Reply

pytestmark = pytest.mark.browser
KEY = "sk-browser-KEY-4a1f"


def test_the_chat_shows_the_wait_then_the_models_proposal(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with FakeOpenAI() as server:
        server.queue(Reply.recorded("extract_ok", delay=6.0))
        env = {"NIANBAO_LLM_BASE_URL": server.base_url, "NIANBAO_LLM_MODEL": "qwen-test",
               "NIANBAO_LLM_API_KEY": KEY, "NIANBAO_LLM_TIMEOUT": "30"}
        with browser() as b, running_app(tmp_path / "data", env=env) as url:
            page = b.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(url)
            page.get_by_role("textbox", name="机关名称").fill("某某街道办事处")
            page.get_by_role("button", name="新建草稿").click()
            box = page.get_by_test_id("stChatInputTextArea")
            box.fill("今年收到个人申请12件，予以公开8件，部分公开2件")
            box.press("Enter")
            waiting = page.get_by_test_id("stChatMessage").filter(has_text=re.compile("qwen-test.*正在阅读"))
            expect(waiting).to_be_visible(timeout=5_000)  # while the model still thinks (6 s)
            page.get_by_text("建议填写 3 项").wait_for()
            expect(page.get_by_text(re.compile("正在阅读"))).to_have_count(0)
            assert KEY not in page.content()
        assert len(server.requests) == 1
