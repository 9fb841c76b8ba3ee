"""The review as one standalone HTML page: readable offline, in any browser, without any script.

Every value that came from a file (agency names, file names, messages quoting the reports) is
escaped; the only markup is the page's own. Each report's findings sit under an anchor the
overview links to; tables 三 and 四 summed over the jurisdiction are printed in the official layout.
"""

from __future__ import annotations

from html import escape

from assistant import cells as reg
from assistant.exporting import layout
from assistant.exporting.html_writer import table_html
from assistant.review.columns import COLUMNS, shown
from assistant.review.jurisdiction import RATES
from assistant.review.results import Review, Row
from assistant.rules import Severity

STYLE = """\
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }
th, td { border: 1px solid #999; padding: 2px 6px; vertical-align: top; }
thead th { background: #dde6f0; position: sticky; top: 0; }
tr.error td:first-child { background: #fde2e1; } tr.warning td:first-child { background: #fff4ce; }
tr.unreadable td:first-child { background: #e7e6e6; }
td.num { text-align: right; }
table.overview td:first-child { white-space: nowrap; } table.overview td:nth-child(2) { min-width: 12em; }
dl.figures { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dl.figures dt { font-weight: bold; } dl.figures dd { margin: 0; }
li.error { color: #a00; } .fix { color: #555; font-size: 0.9em; }
table.t3, table.t4 { font-size: 0.8em; } table.t3 th, table.t4 th { font-weight: normal; }
section.report { margin-bottom: 1.2em; }
"""
_SEVERITY = {Severity.ERROR: "错误", Severity.WARNING: "提醒", Severity.INFO: "无法校验"}


def _row_class(row: Row) -> str:
    if not row.readable:
        return "unreadable"
    return "error" if row.errors else ("warning" if row.warnings else "")


def _anchor(i: int) -> str:
    return f"r{i}"


def _overview(review: Review) -> str:
    head = "".join(f"<th scope=\"col\">{escape(c.header)}</th>" for c in COLUMNS)
    body = []
    for i, row in enumerate(review.reports):
        cells = []
        for c in COLUMNS:
            text = escape(shown(c.value(row), c.kind))
            if c.header == "机关":
                text = f'<a href="#{_anchor(i)}">{text}</a>'
            cls = ' class="num"' if c.kind != "text" else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append(f'<tr class="{_row_class(row)}">{"".join(cells)}</tr>')
    return f"<table class=\"overview\"><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figures(review: Review) -> str:
    s = review.summary
    items = [
        ("审核年度", f"{s.year}年度" if s.year else "未能确定"),
        ("文件", f"{s.files}个（本年度报告{s.reports}份，其中无法读取{s.unreadable}份；"
                 f"上年报告{s.previous_reports}份）"),
        ("问题", f"{s.with_errors}份报告有错误，{s.with_warnings}份有提醒"
                 f"（共{s.errors}个错误、{s.warnings}个提醒）"),
        ("跨年度核对", f"{s.paired}份报告已与上年报告配对"),
        ("汇总", f"{s.summed}份报告计入表三、表四合计"
                 + (f"（其中{s.incomplete}份表格未读全）" if s.incomplete else "")),
    ]
    items += [(label, shown(s.rates.get(key), "percent")) for key, label in RATES.items()]
    return "<dl class=\"figures\">" + "".join(f"<dt>{escape(a)}</dt><dd>{escape(b)}</dd>" for a, b in items) + "</dl>"


def _lists(review: Review) -> str:
    s = review.summary
    parts = ["<h2>未报送或无法读取的单位</h2>"]
    missing = [f"{m.agency}（依据：{m.source}）" for m in s.missing]
    unreadable = [f"{u.file}（{u.role}）：{u.error}" for u in s.unreadable_files]
    parts.append(_ul("未报送", missing) + _ul("无法读取", unreadable))
    if s.duplicates or s.ambiguous:
        parts.append("<h2>重复报送与无法配对</h2>")
        parts.append(_ul("重复报送", ["、".join(g) for g in s.duplicates]) + _ul("上年报告无法确定", s.ambiguous))
    return "".join(parts)


def _ul(title: str, items: list[str]) -> str:
    if not items:
        return f"<p>{escape(title)}：无</p>"
    return f"<p>{escape(title)}：</p><ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>"


def _details(review: Review) -> str:
    parts = ["<h2>各报告的问题</h2>"]
    for i, row in enumerate(review.reports):
        title = f"{row.agency or '（机关名称未读出）'} · {row.year or '年度未知'} · {row.file}"
        parts.append(f'<section class="report" id="{_anchor(i)}"><h3>{escape(title)}</h3>')
        if not row.readable:
            parts.append(f"<p>无法读取：{escape(row.error or '')}</p></section>")
            continue
        if row.paired_with:
            parts.append(f"<p>上年报告：{escape(row.paired_with)}</p>")
        if not row.findings:
            parts.append("<p>未发现错误或提醒。</p>")
        items = []
        for f in row.findings:
            cells = "、".join(reg.label_of(c) for c in f.cells if c in reg.CELLS)
            fix = f'<div class="fix">建议：{escape(f.fix)}</div>' if f.fix else ""
            where = f'<div class="fix">涉及：{escape(cells)}</div>' if cells else ""
            cls = "error" if f.severity is Severity.ERROR else "warning"
            items.append(f'<li class="{cls}">【{escape(_SEVERITY[f.severity])}】{escape(f.title)}（{escape(f.rule)}）：'
                         f"{escape(f.message)}{fix}{where}</li>")
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
        parts.append("</section>")
    return "".join(parts)


def page_bytes(review: Review) -> bytes:
    s = review.summary
    title = f"{s.year or ''}年度政府信息公开工作年度报告审核结果"
    sums = review.totals_report()
    tables = (
        f"<h2>全辖区表三合计（{s.summed}个单位）</h2>" + table_html(layout.table3(sums))
        + f"<h2>全辖区表四合计（{s.summed}个单位）</h2>" + table_html(layout.table4(sums))
    )
    body = (
        f"<h1>{escape(title)}</h1>{_figures(review)}<h2>总览（问题最多的在前）</h2>{_overview(review)}"
        f"{_lists(review)}{tables}{_details(review)}"
    )
    page = (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
