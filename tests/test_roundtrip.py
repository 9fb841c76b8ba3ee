"""Round trip: what we export, the importer reads back with the same cells and section texts.

Every real fixture is exported to .docx and to HTML (forced where it has error findings: the
first-page notice is part of what the importer must read past), then read back with
``assistant.importing.read_bytes`` / ``read_document``. Every number of tables 二–四 must come back
exactly; section texts must come back as written (compared after ``textnorm.clean_text``, the
cleaning the importer applies to every text it reads); the preface is the one the export printed,
and the title, year, agency and contact it states are read back too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import cells as reg
from assistant.exporting import export_bytes, layout
from assistant.model import Report, SubPart
from assistant.textnorm import clean_text
from tests.helpers import flat_fixture, ziqiang

FIXTURES = ("huaian-city-2024", "hongze-district-2023", "hongze-district-2024", "ziqiang-street-2024")
FORMATS = ("docx", "html")
TABLE_CELLS = tuple(c for c in reg.CELLS if c.startswith(("t2.", "t3.", "t4.")))
TEXT_SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")


def _read_bytes(data: bytes, filename: str) -> Report:
    # Imported here so that an importer still being written fails these tests, not collection.
    from assistant.importing import read_bytes

    return read_bytes(data, filename).report


def _assert_same(original: Report, back: Report) -> None:
    want = {c: original.get(c) for c in TABLE_CELLS}
    got = {c: back.get(c) for c in TABLE_CELLS}
    wrong = {c: (want[c], got[c]) for c in TABLE_CELLS if want[c] != got[c]}
    assert not wrong, f"{len(wrong)} cells differ (expected, read): {dict(list(wrong.items())[:10])}"
    for sid in TEXT_SECTIONS:
        assert clean_text(back.section_text(sid) or "") == clean_text(original.section_text(sid) or ""), sid
    assert clean_text(back.sections.preface or "") == clean_text(layout.preface(original))
    assert back.meta.year == original.meta.year
    assert back.meta.title == layout.title(original)
    if original.sections.preface is None:  # our own preface: the agency and contact we wrote come back
        assert back.meta.agency == original.meta.agency
        assert back.meta.contact == original.meta.contact
    notes = back.source
    assert notes is None or (not notes.blank_cells and not notes.invalid_cells), notes


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_round_trip(name: str, fmt: str) -> None:
    report = Report.from_flat(flat_fixture(name))
    data = export_bytes(report, fmt, force=True)
    _assert_same(report, _read_bytes(data, f"{name}.{fmt}"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_a_complete_report_with_s1_sub_parts(fmt: str) -> None:
    report = ziqiang().with_values(
        {
            "s1": [
                SubPart(title="", text="2024年，自强街道认真贯彻执行《中华人民共和国政府信息公开条例》。"),
                SubPart(title="（一）主动公开情况。", text="全年主动公开政府信息310条。\n其中通过专栏公开19条。"),
                SubPart(title="（二）依申请公开情况。", text="2024年，未收到政府信息公开申请。"),
            ],
            "s2": "本年度主动公开情况如下表。",
            "s3": "本年度未收到政府信息公开申请。",
            "s4": "本年度未发生政府信息公开行政复议、行政诉讼。",
        }
    )
    _assert_same(report, _read_bytes(export_bytes(report, fmt), f"report.{fmt}"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_a_file(tmp_path: Path, fmt: str) -> None:
    from assistant.importing import read_document

    report = Report.from_flat(flat_fixture("huaian-city-2024"))
    path = tmp_path / f"淮安市2024年报.{fmt}"
    path.write_bytes(export_bytes(report, fmt, force=True))
    _assert_same(report, read_document(path).report)
