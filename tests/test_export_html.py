"""The portal HTML and the Markdown preview: clean markup, real spans, escaping, the notice."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from assistant.exporting import export_bytes, layout
from assistant.exporting.markdown_writer import escape as md_escape
from assistant.model import Report, SubPart
from tests.helpers import flat_fixture, ziqiang


def _huaian() -> Report:
    return Report.from_flat(flat_fixture("huaian-city-2024"))


def _soup(report: Report, *, force: bool = False) -> BeautifulSoup:
    return BeautifulSoup(export_bytes(report, "html", force=force), "lxml")


def test_html_has_no_scripts_handlers_or_external_resources() -> None:
    report = ziqiang().with_values({"s6": '<script>alert(1)</script><img src=x onerror="alert(2)">收费0元'})
    html = export_bytes(report, "html").decode("utf-8")
    soup = BeautifulSoup(html, "lxml")
    assert soup.find_all(["script", "iframe", "object", "embed", "link", "img", "form"]) == []
    assert not [a for el in soup.find_all(True) for a in el.attrs if a.lower().startswith("on")]
    assert "javascript:" not in html.lower() and "http" not in html.lower()
    assert soup.find(string=re.compile("alert")) is not None  # the clerk's text survives, as text
    assert '<meta charset="utf-8">' in html and '<html lang="zh-CN">' in html


def test_html_tables_are_semantic_with_rowspan_and_colspan() -> None:
    soup = _soup(_huaian(), force=True)
    t2, t3, t4 = soup.find_all("table")
    assert t2.thead is None and len(t3.thead.find_all("tr")) == 3 and len(t4.thead.find_all("tr")) == 3
    corner = t3.thead.find("td", class_="note")
    assert (corner["rowspan"], corner["colspan"], corner.get_text()) == ("3", "3", layout.reg.T3_NOTE)
    results = t3.find("th", string="三、本年度办理结果")
    assert results["rowspan"] == "22" and results["scope"] == "rowgroup"
    assert t3.find("th", string="法人或其他组织")["colspan"] == "5"
    assert t4.find("th", string="行政诉讼")["colspan"] == "10"
    first = t3.tbody.find("tr")
    assert [c.name for c in first.find_all(["th", "td"])] == ["th"] + ["td"] * 7
    assert [c.get_text() for c in first.find_all("td")] == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert [td.get_text() for td in t4.tbody.find_all("td")][:5] == ["72", "64", "178", "37", "351"]


def test_html_notice_only_on_forced_exports() -> None:
    notice = _soup(_huaian(), force=True).find("p", class_="notice")
    assert notice is not None and notice.get_text() == "本稿尚有3处错误未解决，仅供内部核对，请勿直接公开。"
    assert "color:#c00000" in notice["style"]
    assert notice.find_next("h1").get_text() == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert _soup(ziqiang()).find("p", class_="notice") is None


def test_html_section_paragraphs_and_sub_part_leads() -> None:
    report = ziqiang().with_values({"s1": [SubPart(title="（一）主动公开情况。", text="甲\n乙")]})
    soup = _soup(report)
    h2 = soup.find("h2", string="一、总体情况")
    p1, p2 = h2.find_next_siblings("p")[:2]
    assert (p1.strong.get_text(), p1.get_text(), p2.get_text()) == (
        "（一）主动公开情况。",
        "（一）主动公开情况。甲",
        "乙",
    )


def test_markdown_notice_headings_and_tables() -> None:
    md = export_bytes(_huaian(), "md", force=True).decode("utf-8")
    assert md.startswith("> **本稿尚有3处错误未解决，仅供内部核对，请勿直接公开。**\n\n# 淮安市人民政府2024年")
    assert "\n## 三、收到和处理政府信息公开申请情况\n" in md
    tables = [block for block in md.split("\n\n") if block.startswith("|")]
    assert len(tables) == 3
    for block in tables:
        widths = {line.count(" | ") for line in block.splitlines()}
        assert len(widths) == 1, block.splitlines()[0]  # every row has the same number of cells
    assert "| 一、本年新收政府信息公开申请数量 |  |  | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |" in md
    assert "法人或其他组织·商业企业" in md and "行政诉讼·复议后起诉·总计" in md
    clean = export_bytes(ziqiang(), "md").decode("utf-8")
    assert not clean.startswith(">") and "本稿尚有" not in clean


def test_markdown_escapes_what_would_change_its_meaning() -> None:
    assert md_escape("a|b*c_d") == r"a\|b\*c\_d"
    assert md_escape("# 不是标题") == r"\# 不是标题"
    assert md_escape("1. 不是列表") == r"1\. 不是列表"
    assert md_escape("1.属于国家秘密") == "1.属于国家秘密"
    report = ziqiang().with_values({"s5": "- 问题一|二\n> 引用"})
    md = export_bytes(report, "md").decode("utf-8")
    assert "\\- 问题一\\|二\n\n\\> 引用" in md
