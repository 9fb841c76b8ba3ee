"""Bad numbers from outside are refused in Chinese, naming the key, and never crash (issue 9).

NaN, Infinity, 1e400, 5,000-digit integers, counts beyond the sane bound, true/false and lone
surrogates: in the strict JSON reader, the model's cell coercion, the command line (exit 2, never 3)
and the app's JSON upload.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assistant import cli
from assistant.errors import InputError, InvalidValue
from assistant.jsonsafe import loads
from assistant.model import MAX_COUNT, MAX_MONEY, OutOfRange, Report, coerce_cell_value
from assistant.numbers import format_value, json_value, parse_number
from tests.helpers import flat_fixture

HUGE = "9" * 5000
# (JSON literal, words the Chinese message must contain)
BAD_LITERALS = [
    ("NaN", "不是有效的数字"),
    ("Infinity", "不是有效的数字"),
    ("-Infinity", "不是有效的数字"),
    ("1e400", "超出可处理的范围"),
    ("-1e400", "超出可处理的范围"),
    (HUGE, "5000位的数字"),
    ('"\\ud800"', "孤立的代理字符"),
    ('"a\\udfffb"', "孤立的代理字符"),
]


# -- the strict reader -------------------------------------------------------------------------------


@pytest.mark.parametrize(("literal", "words"), BAD_LITERALS, ids=lambda v: str(v)[:12])
def test_loads_refuses_and_names_the_key(literal: str, words: str) -> None:
    with pytest.raises(InputError) as e:
        loads('{"meta.year": 2024, "cells": {"t3.new.natural": ' + literal + "}}")
    assert "“cells.t3.new.natural”" in e.value.message and words in e.value.message
    assert len(e.value.message) < 200  # a 5,000-digit number is not quoted whole


def test_loads_names_list_positions_keys_and_the_source() -> None:
    with pytest.raises(InputError, match=r"“changes\[1\]\.value”"):
        loads('{"changes": [{"value": 1}, {"value": NaN}]}')
    with pytest.raises(InputError, match="名称含无效字符"):
        loads('{"\\ud800": 1}')
    with pytest.raises(InputError, match=r"文件“a\.json”不是有效的 JSON（第1行"):
        loads("{not json", what="文件“a.json”")
    with pytest.raises(InputError, match="嵌套层数过多"):
        loads("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="UTF-8"):
        loads(b"\xff\xfe{}")


def test_loads_reads_what_is_fine_unchanged() -> None:
    text = '{"a": [1, 2.5, -3, 1e3, "二〇二五", "😀", null, true], "b": {"c": 12345678901234567890}}'
    assert loads(text) == json.loads(text)
    assert loads(text.encode("utf-8-sig")) == json.loads(text)
    assert loads('"\\ud83d\\ude00"') == "😀"  # a proper surrogate pair is one character


# -- the model's bounds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), True, False,
     -1, 2.5, "12", [1], {"a": 1}],
)
def test_a_count_refuses_what_is_not_a_count(value: Any) -> None:
    with pytest.raises(InvalidValue, match="本年新收政府信息公开申请数量·自然人"):
        coerce_cell_value("t3.new.natural", value)


@pytest.mark.parametrize("value", [MAX_COUNT + 1, 10**30, 9**5000, Decimal("1E+999999999"), 1e300],
                         ids=["bound+1", "1e30", "5000-digits", "decimal-1e999999999", "float-1e300"])
def test_a_count_beyond_the_bound_is_out_of_range(value: Any) -> None:
    with pytest.raises(OutOfRange, match="超出合理范围（件数不超过1亿）") as e:
        coerce_cell_value("t3.new.natural", value)
    assert len(e.value.message) < 120


def test_counts_and_money_within_bounds_are_kept() -> None:
    assert coerce_cell_value("t3.new.natural", MAX_COUNT) == MAX_COUNT
    assert coerce_cell_value("t3.new.natural", 12.0) == 12
    assert coerce_cell_value("t2.fees.amount", "7730.28") == Decimal("7730.28")
    assert coerce_cell_value("t2.fees.amount", 96171.6) == Decimal("96171.6")
    assert coerce_cell_value("t2.fees.amount", MAX_MONEY) == MAX_MONEY
    for bad in (MAX_MONEY + 1, "1e400", Decimal("1E-9"), "1E-999999999"):
        with pytest.raises(OutOfRange):
            coerce_cell_value("t2.fees.amount", bad)
    for bad in ("NaN", "-Infinity", "abc", float("nan")):
        with pytest.raises(InvalidValue):
            coerce_cell_value("t2.fees.amount", bad)


def test_a_report_never_holds_an_unbounded_value() -> None:
    r = Report.from_flat(flat_fixture("ziqiang-street-2024"))
    for bad in (10**30, float("inf"), 9**5000):
        with pytest.raises(InvalidValue):
            r.with_values({"t3.new.natural": bad})
    with pytest.raises(InvalidValue, match="报告年度"):
        r.with_values({"meta.year": 9**5000})
    with pytest.raises(InvalidValue, match=r"机关名称|应为文字"):
        r.with_values({"meta.agency": 9**5000})


def test_numbers_never_crash_when_written_out() -> None:
    for value in (9**5000, Decimal("1E+999999999"), Decimal("NaN"), Decimal("1E-999999999")):
        assert format_value(value) in ("（数字过大）", "（无效数字）")
        json.dumps(json_value(value))  # no ValueError, no hour-long int()
    assert format_value(Decimal("96171.6")) == "96171.6" and json_value(Decimal("12")) == 12
    assert parse_number("9" * 5000) == (None, "")
    assert parse_number("3,119件") == (Decimal(3119), "件")


# -- the command line: exit 2 with a Chinese message, never 3 ----------------------------------------


def _cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The command line in this process, with tests' raise-on-bug switch off (as a clerk runs it)."""
    monkeypatch.delenv("ASSISTANT_RAISE", raising=False)
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    code = cli.main(list(args))
    return code, capsys.readouterr().err


BAD_VALUES = [*BAD_LITERALS, ("1000000000000000000000000000000", "超出合理范围"), ("true", "")]


@pytest.mark.parametrize("shape", ["flat", "project"])
@pytest.mark.parametrize(("literal", "words"), BAD_VALUES, ids=lambda v: str(v)[:12])
@pytest.mark.parametrize("command", ["cells", "validate", "export", "prefill"])
def test_the_command_line_refuses_bad_numbers_with_exit_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    command: str, literal: str, words: str, shape: str,
) -> None:
    body = ('{"meta.year": 2024, "t3.new.natural": ' if shape == "flat"
            else '{"meta": {"year": 2024}, "cells": {"t3.new.natural": ') + literal + ("}" if shape == "flat" else "}}")
    source = tmp_path / "in.json"
    source.write_text(body, encoding="utf-8")
    extra = {"export": ["-o", str(tmp_path / "out.html"), "--force"], "prefill": ["-o", str(tmp_path / "o.json")]}
    code, err = _cli(monkeypatch, capsys, command, str(source), *extra.get(command, []))
    assert code == 2, err
    assert err.startswith("错误：") and "内部错误" not in err and words in err
    assert "t3.new.natural" in err or "本年新收政府信息公开申请数量·自然人" in err  # the key is named
    assert not (tmp_path / "out.html").exists() and not (tmp_path / "o.json").exists()


def test_validate_previous_and_extract_draft_read_json_strictly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(flat_fixture("ziqiang-street-2024"), ensure_ascii=False), encoding="utf-8")
    bad.write_text('{"t3.carried_forward.total": Infinity}', encoding="utf-8")
    code, err = _cli(monkeypatch, capsys, "validate", str(good), "--previous", str(bad))
    assert code == 2 and "t3.carried_forward.total" in err
    bad.write_text('{"report": {"cells": {"t3.new.natural": NaN}}, "steps": []}', encoding="utf-8")
    code, err = _cli(monkeypatch, capsys, "extract", "收到自然人申请5件", "--draft", str(bad))
    assert code == 2 and "report.cells.t3.new.natural" in err and "NaN" in err


def test_a_real_subprocess_exits_two_for_nan(tmp_path: Path) -> None:
    from tests.test_cli import run

    f = tmp_path / "nan.json"
    f.write_text('{"t3.new.natural": NaN}', encoding="utf-8")
    p = run("validate", f)
    assert p.returncode == 2 and "“t3.new.natural”的值“NaN”" in p.stderr and "Traceback" not in p.stderr
