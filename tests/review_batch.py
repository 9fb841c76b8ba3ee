"""A jurisdiction's batch of reports for the review tests (and the review benchmark), built from the
real reports in ``fixtures/real`` and faithful variants of them.

Real: 洪泽区 2023 and 2024 (a real cross-year pair, named "洪泽区人民政府" one year and
"淮安市洪泽区人民政府" the next), 淮安市 2024, 自强街道 2024. Variants, each written in one of the
formats the reader handles, by the project's own exporters (the official layout, no forced-export
notice): other street offices of 南关区 built on 自强街道's report with their own numbers, and 淮安市's
2023 report built on its 2024 one. Each variant plants one thing a supervisor must see:

- 永吉街道 2024: section 五 copied word for word from its 2023 report;
- 曙光街道 2024: 上年结转 (2) differs from 2023's 结转下年度 (1);
- 桃源街道 2024: the 总计 column of table 三 left blank;
- 民康街道: a 2023 report and no 2024 one (a missing unit);
- 损坏的报告.docx: a truncated Word file (unreadable);
- 自强街道2024（重新报送）.txt: the same file sent twice (a duplicate).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant import cells as reg
from assistant.exporting import layout
from assistant.importing import read_bytes
from assistant.model import Report, Sections
from assistant.review import Review

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = FIXTURES / "real"

S5_2023 = (
    "2023年我街道政务公开工作还存在一些不足：一是公开内容的时效性和针对性有待提高，部分信息更新不够及时；"
    "二是工作人员业务能力参差不齐，对条例的理解和把握还不够深入。\n"
    "下一步，我街道将建立信息发布台账，定期梳理公开目录，做到应公开尽公开；"
    "组织工作人员参加区政务公开办举办的业务培训，提升依法公开水平。"
)
FOLLOWUP_2024 = "针对2023年报告所列公开内容时效性不足、业务能力参差不齐等问题，我街道已逐项整改落实。"


@dataclass(frozen=True)
class Numbers:
    """Table 三 of a street office, natural persons only (the 总计 column follows)."""

    new: int
    carried_over: int
    granted: int
    partial: int = 0
    not_held: int = 0

    @property
    def processed(self) -> int:
        return self.granted + self.partial + self.not_held

    @property
    def carried_forward(self) -> int:
        return self.new + self.carried_over - self.processed

    def cells(self, *, blank_totals: bool = False) -> dict[str, Any]:
        rows = {"new": self.new, "carried_over": self.carried_over, "granted": self.granted,
                "partial": self.partial, "unavailable.not_held": self.not_held,
                "processed_total": self.processed, "carried_forward": self.carried_forward}
        cells: dict[str, Any] = {}
        for row in reg.T3_ROWS:
            for col in reg.T3_COLUMNS:
                value = rows.get(row.id, 0) if col.id in ("natural", "total") else 0
                cells[f"t3.{row.id}.{col.id}"] = value
        if blank_totals:
            for row in reg.T3_ROWS:
                del cells[f"t3.{row.id}.total"]
        return cells


def _read(path: Path) -> Report:
    report = read_bytes(path.read_bytes(), path.name).report
    return report.model_copy(update={"source": None})


def ziqiang() -> Report:
    return _read(REAL / "ziqiang-street-2024.txt")


def _retext(text: str | None, replacements: dict[str, str]) -> str | None:
    if text is None:
        return None
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def street(base: Report, name: str, agency: str, year: int, numbers: Numbers, *, s5: str | None = None,
           blank_totals: bool = False) -> Report:
    """Another street office of 南关区, on the model of 自强街道's real report."""
    swap = {"自强": name, "2025": str(year + 1), "2024": str(year)}
    if numbers.new:  # the narrative says what the table says
        swap["未收到政府信息公开申请"] = f"收到政府信息公开申请{numbers.new}件"
    sections = {k: _retext(base.section_text(k), swap) for k in ("preface", "s1", "s2", "s3", "s4", "s5", "s6")}
    if s5 is not None:
        sections["s5"] = s5
    cells = {**base.cells, **numbers.cells(blank_totals=blank_totals)}
    if blank_totals:
        cells = {k: v for k, v in cells.items() if not (k.startswith("t3.") and k.endswith(".total"))}
    meta = base.meta.model_copy(update={"agency": agency, "year": year, "title": None,
                                        "contact": base.meta.contact.model_copy(update={"office": f"{name}街道办公室"})})
    return Report(meta=meta, sections=Sections(**sections), cells=cells)


def huaian_2023(huaian: Report) -> Report:
    """淮安市's 2023 report on the model of its 2024 one: what 2024 carries over, 2023 carried forward."""
    cells = dict(huaian.cells)
    for col in reg.T3_COLUMNS:
        cf = huaian.cells[f"t3.carried_over.{col.id}"]
        cells[f"t3.carried_forward.{col.id}"] = cf
        cells[f"t3.new.{col.id}"] = huaian.cells[f"t3.processed_total.{col.id}"] + cf - cells[f"t3.carried_over.{col.id}"]
    for item in ("rules", "normative"):
        t = {c: huaian.cells[f"t2.{item}.{c}"] for c in ("issued", "repealed", "in_force")}
        cells[f"t2.{item}.in_force"] = t["in_force"] - t["issued"] + t["repealed"]
    swap = {"2025": "2024", "2024": "2023"}
    sections = {k: _retext(huaian.section_text(k), swap) for k in ("preface", "s1", "s2", "s3", "s4", "s6")}
    sections["s5"] = (
        "2023年，我市政府信息公开工作仍存在短板：一是依申请公开答复的规范性还需加强，个别答复文书说理不够充分；"
        "二是基层政务公开标准化规范化建设推进不平衡。下一步，我市将开展答复文书评查，编印依申请公开工作指引，"
        "推动基层政务公开标准目录动态更新。"
    )
    meta = huaian.meta.model_copy(update={"year": 2023, "title": None})
    return Report(meta=meta, sections=Sections(**sections), cells=cells)


def render(report: Report, fmt: str) -> bytes:
    """The report as a published document in ``fmt`` (docx, html, md), without any export notice."""
    doc = layout.document(report)
    if fmt == "docx":
        from assistant.exporting import docx_writer

        return docx_writer.render(doc)
    if fmt == "html":
        from assistant.exporting import html_writer

        return html_writer.render(doc)
    from assistant.exporting import markdown_writer

    return markdown_writer.render(doc)


YONGJI_2023 = Numbers(new=4, carried_over=0, granted=2, partial=1)
YONGJI_2024 = Numbers(new=5, carried_over=1, granted=3, partial=1, not_held=1)
SHUGUANG_2023 = Numbers(new=3, carried_over=0, granted=2)
SHUGUANG_2024 = Numbers(new=4, carried_over=2, granted=4, partial=1, not_held=1)  # 2023 carried forward 1
TAOYUAN_2024 = Numbers(new=6, carried_over=0, granted=3, partial=2, not_held=1)
MINKANG_2023 = Numbers(new=2, carried_over=0, granted=2)


def build(current: Path, previous: Path) -> None:
    """This year's reports into ``current``, last year's into ``previous`` (folders are created)."""
    current.mkdir(parents=True, exist_ok=True)
    previous.mkdir(parents=True, exist_ok=True)
    shutil.copy(REAL / "hongze-district-2024.pdf", current / "洪泽区2024.pdf")
    shutil.copy(REAL / "huaian-city-2024.pdf", current / "淮安市2024.pdf")
    shutil.copy(REAL / "ziqiang-street-2024.txt", current / "自强街道2024.txt")
    shutil.copy(REAL / "ziqiang-street-2024.txt", current / "自强街道2024（重新报送）.txt")
    shutil.copy(REAL / "hongze-district-2023.pdf", previous / "洪泽区2023.pdf")

    base = ziqiang()
    huaian = _read(REAL / "huaian-city-2024.pdf")
    (previous / "淮安市2023.html").write_bytes(render(huaian_2023(huaian), "html"))

    yongji_23 = street(base, "永吉", "南关区永吉街道", 2023, YONGJI_2023, s5=S5_2023)
    yongji_24 = street(base, "永吉", "长春市南关区永吉街道办事处", 2024, YONGJI_2024, s5=S5_2023)
    (previous / "永吉街道2023.html").write_bytes(render(yongji_23, "html"))
    (current / "永吉街道2024.docx").write_bytes(render(yongji_24, "docx"))

    followed_up = (base.section_text("s5") or "") + "\n" + FOLLOWUP_2024
    shuguang_23 = street(base, "曙光", "长春市南关区曙光街道办事处", 2023, SHUGUANG_2023, s5=S5_2023)
    shuguang_24 = street(base, "曙光", "长春市南关区曙光街道办事处", 2024, SHUGUANG_2024, s5=followed_up)
    (previous / "曙光街道2023.docx").write_bytes(render(shuguang_23, "docx"))
    (current / "曙光街道2024.html").write_bytes(render(shuguang_24, "html"))

    taoyuan = street(base, "桃源", "长春市南关区桃源街道办事处", 2024, TAOYUAN_2024, s5=followed_up,
                     blank_totals=True)
    (current / "桃源街道2024.docx").write_bytes(render(taoyuan, "docx"))

    minkang = street(base, "民康", "长春市南关区民康街道办事处", 2023, MINKANG_2023, s5=S5_2023)
    (previous / "民康街道2023.md").write_bytes(render(minkang, "md"))

    whole = render(street(base, "全安", "长春市南关区全安街道办事处", 2024, TAOYUAN_2024), "docx")
    (current / "损坏的报告.docx").write_bytes(whole[: len(whole) // 2])


def comparable(result: Review, strip: str = "") -> dict[str, Any]:
    """A review's JSON without what differs between equal runs (timings, the cache, where the files were)."""
    data = result.public()
    for row in data["reports"]:
        row.pop("cached")
        row["file"] = row["file"].removeprefix(strip)
        if row["paired_with"]:
            row["paired_with"] = row["paired_with"].split("/")[-1]
        for f in row["findings"]:  # file names appear in the batch's own messages
            f["message"] = f["message"].replace(strip, "")
    s = data["summary"]
    for key in ("runner", "seconds", "cached"):
        s.pop(key)
    s["duplicates"] = [[f.removeprefix(strip) for f in g] for g in s["duplicates"]]
    s["unreadable_files"] = [{**u, "file": u["file"].removeprefix(strip)} for u in s["unreadable_files"]]
    s["missing"] = [{**m, "source": m["source"].replace("2023.zip/", "")} for m in s["missing"]]
    return data
