"""The report model: strict, unknown distinct from 0, two JSON shapes that round-trip."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from assistant.errors import InputError, InvalidValue
from assistant.model import Report, SubPart, read_report_json
from tests.helpers import flat_fixture, ziqiang


def test_unknown_is_not_zero() -> None:
    r = Report.from_flat({"t3.new.natural": 0})
    assert r.get("t3.new.natural") == 0
    assert r.get("t3.new.commercial") is None
    assert "t3.new.commercial" not in r.to_flat()
    assert r.to_flat(include_unknown=True)["t3.new.commercial"] is None


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(InputError, match="无法识别的字段“colour”"):
        read_report_json({"meta": {}, "colour": "red"})
    with pytest.raises(InputError, match=r"无法识别的字段“meta\.colour”"):
        read_report_json({"meta": {"colour": "red"}})
    with pytest.raises(InputError, match=r"未知的单元格编号“t3\.new\.nobody”"):
        read_report_json({"cells": {"t3.new.nobody": 1}})


def test_unknown_flat_key_suggests_the_closest_id() -> None:
    with pytest.raises(InputError, match=r"t3\.new\.natual.*是否应为“t3\.new\.natural”"):
        Report.from_flat({"t3.new.natual": 1})


@pytest.mark.parametrize("bad", [3.5, -1, True, "12", None])
def test_counts_are_whole_numbers_at_least_zero(bad: object) -> None:
    with pytest.raises(InputError, match="“本年新收政府信息公开申请数量·自然人”应为不小于0的整数"):
        read_report_json({"cells": {"t3.new.natural": bad}})


def test_money_is_a_decimal_in_its_unit() -> None:
    r = Report.from_flat({"t2.fees.amount": 96171.6, "s6.fee.collected": "3940元"})
    assert r.get("t2.fees.amount") == Decimal("96171.6")
    assert r.get("s6.fee.collected") == Decimal(3940)
    assert r.to_flat()["t2.fees.amount"] == 96171.6
    with pytest.raises(InvalidValue, match="不小于0的数（单位：万元"):
        r.with_values({"t2.fees.amount": -2})


def test_project_json_round_trip() -> None:
    r = ziqiang().with_values({"t2.fees.amount": Decimal("7730.28"), "t3.new.natural": 3})
    again = read_report_json(json.loads(r.model_dump_json()))
    assert again == r
    assert json.loads(r.model_dump_json())["cells"]["t2.fees.amount"] == 7730.28


def test_flat_map_round_trip_of_a_real_report() -> None:
    flat = flat_fixture("ziqiang-street-2024")
    r = Report.from_flat(flat)
    assert r.to_flat() == flat
    assert Report.from_flat(r.to_flat()) == r
    assert r.meta.contact.postcode == "130000"
    assert r.meta.year == 2024


def test_flat_text_numbers_are_read_leniently_and_bad_ones_kept() -> None:
    r = Report.from_flat(
        {"t3.new.natural": "十二", "t3.new.commercial": "/", "t3.new.research": "abc", "t3.new.social": "-3"}
    )
    assert r.get("t3.new.natural") == 12
    assert r.get("t3.new.commercial") == 0
    assert r.get("t3.new.research") is None
    assert r.source is not None
    assert r.source.blank_cells == ["t3.new.commercial"]
    assert r.source.invalid_cells == {"t3.new.research": "abc", "t3.new.social": "-3"}


def test_with_values_is_all_or_nothing() -> None:
    r = ziqiang()
    with pytest.raises(InvalidValue, match="应为不小于0的整数"):
        r.with_values({"t3.new.natural": 5, "t3.new.total": 2.5})
    assert r.get("t3.new.natural") == 0 and r.get("t3.new.total") == 0
    with pytest.raises(InvalidValue, match="报告年度"):
        r.with_values({"meta.year": "明年"})
    assert r.meta.year == 2024


def test_with_values_clears_importer_notes_for_the_cells_it_sets() -> None:
    r = Report.from_flat({"t3.new.natural": "/", "t3.new.research": "abc"})
    r2 = r.with_values({"t3.new.natural": 4, "t3.new.research": 1})
    assert r2.source is not None and r2.source.blank_cells == [] and r2.source.invalid_cells == {}


def test_s1_may_come_in_sub_parts() -> None:
    r = Report.from_flat(
        {
            "s1": [
                {"title": "（一）主动公开情况。", "text": "全年主动公开信息100条。"},
                {"title": "（二）依申请公开情况。", "text": "未收到申请。"},
            ]
        }
    )
    assert isinstance(r.sections.s1, list) and isinstance(r.sections.s1[0], SubPart)
    assert r.section_text("s1") == "（一）主动公开情况。全年主动公开信息100条。\n（二）依申请公开情况。未收到申请。"
    assert Report.from_flat(r.to_flat()) == r


def test_year_must_be_a_year() -> None:
    with pytest.raises(InputError, match="报告年度"):
        read_report_json({"meta": {"year": 20245}})
    assert Report.from_flat({"meta.year": "2025年"}).meta.year == 2025


def test_previous_report_is_remembered_in_the_json() -> None:
    last = ziqiang()
    r = Report(previous=last)
    again = read_report_json(json.loads(r.model_dump_json()))
    assert again.previous == last
