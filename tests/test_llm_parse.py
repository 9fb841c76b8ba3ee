"""Lenient reading of model output (form repaired) and the strict loader (bad values refused)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from assistant.errors import InputError
from assistant.llm import parse
from assistant.llm.schema import PROPOSAL_KEYS
from assistant.llm.text import read_text

OBJ = {"changes": [{"cell": "t3.new.natural", "value": 12, "evidence": "收到个人申请12件"}], "reply": "好", "questions": []}
TEXT = json.dumps(OBJ, ensure_ascii=False)


@pytest.mark.parametrize(
    ("wrapped", "repair"),
    [
        (TEXT, None),
        (f"<think>\n先看材料：个人申请12件……{{不是JSON}}\n</think>\n\n{TEXT}", "thinking"),
        (f"材料里说的是12件。\n</think>\n{TEXT}", "thinking"),  # R1 distills: only the closing tag
        (f"```json\n{TEXT}\n```", "fence"),
        (f"好的，结果如下：\n```\n{TEXT}\n```\n请核对。", "fence"),
        (f"根据材料，结果如下：{TEXT}。以上供参考。", "prose"),
        (TEXT.replace('"questions": []', '"questions": [],').replace("}]", "},]"), "json-repair"),
        (TEXT[:-1] + ",}", "json-repair"),
        ('{"changes": [{"cell": "t3.new.natural", "value": 12, "evidence": "收到个人\n申请12件"}]}', "json-repair"),
        ("{'changes': [{'cell': 't3.new.natural', 'value': 12, 'evidence': '收到个人申请12件'}]}", "json-repair"),
    ],
)
def test_the_json_is_found_however_it_is_wrapped(wrapped: str, repair: str | None) -> None:
    read = parse.read_json(wrapped)
    assert read.ok, read.problem
    assert read.data["changes"][0]["cell"] == "t3.new.natural"
    assert read.data["changes"][0]["value"] == 12
    if repair:
        assert repair in read.repairs
    else:
        assert read.repairs == []


def test_numbers_are_read_as_decimals_never_floats() -> None:
    data = parse.loads('{"a": 1.5, "b": 12, "c": 0.1}')
    assert data == {"a": Decimal("1.5"), "b": 12, "c": Decimal("0.1")}
    assert isinstance(data["b"], int)


@pytest.mark.parametrize(
    "text",
    [
        '{"value": NaN}',
        '{"value": Infinity}',
        '{"value": -Infinity}',
        '{"value": 1e400}',
        '{"value": 1e20}',
        '{"value": ' + "9" * 5000 + "}",
        '{"value": ' + "9" * 40 + "}",
        '{"evidence": "\\ud800"}',
        '{"evidence": "ok", "x": ["\\udfff"]}',
        "[" * 100 + "]" * 100,
    ],
)
def test_bad_values_are_refused_not_repaired(text: str) -> None:
    with pytest.raises(parse.BadJSON) as info:
        parse.loads(text)
    assert isinstance(info.value, InputError) and info.value.message.startswith("回答")
    read = parse.read_json(f"结果：{text}")
    assert not read.ok and read.problem  # never a crash, never a value


def test_broken_beyond_repair_says_why() -> None:
    assert parse.read_json("").problem == "回答为空。"
    assert parse.read_json("<think>想了很久</think>").problem == "回答只有推理过程，没有给出结果。"
    assert "不是有效的 JSON" in parse.read_json("我无法回答这个问题。").problem
    assert parse.thinking_unfinished("<think>还在想，想到一半") and not parse.thinking_unfinished(TEXT)


@pytest.mark.parametrize(
    "arguments",
    [
        OBJ,
        TEXT,
        json.dumps(TEXT, ensure_ascii=False),  # encoded twice
        TEXT[:-1] + ",}",  # trailing comma
        json.dumps(json.dumps(TEXT)),  # three times
    ],
)
def test_tool_arguments_are_decoded(arguments: object) -> None:
    read = parse.decode_arguments(arguments)
    assert read.ok and read.data == OBJ


def test_hermes_tool_calls_in_content() -> None:
    content = (
        "<think>要调用工具</think>\n<tool_call>\n"
        + json.dumps({"name": "proposal", "arguments": OBJ}, ensure_ascii=False)
        + "\n</tool_call>"
    )
    assert parse.hermes_tool_calls(content) == [("proposal", OBJ)]
    unclosed = "<tool_call>" + json.dumps({"name": "proposal", "arguments": TEXT}, ensure_ascii=False)
    [(name, args)] = parse.hermes_tool_calls(unclosed)
    assert name == "proposal" and parse.decode_arguments(args).data == OBJ


@pytest.mark.parametrize(
    ("data", "repair"),
    [
        (OBJ, None),
        ({"proposal": OBJ}, "wrapper"),
        ({"result": {"proposal": OBJ}}, "wrapper"),
        ({"name": "proposal", "arguments": TEXT}, "wrapper"),
        (OBJ["changes"], "bare-array"),
        ([OBJ], "array-of-one"),
    ],
)
def test_wrappers_are_unwrapped(data: object, repair: str | None) -> None:
    out, repairs = parse.unwrap(data, PROPOSAL_KEYS, "changes")
    assert out["changes"] == OBJ["changes"]
    assert (repair in repairs) if repair else repairs == []


@pytest.mark.parametrize(
    "content",
    [
        "上年问题已整改。\n本年存在的问题……",
        '{"text": "上年问题已整改。\n本年存在的问题……"}',  # a literal newline inside the JSON string
        '```json\n{"text": "上年问题已整改。\\n本年存在的问题……"}\n```',
        '<think>先列提纲</think>{"draft": {"text": "上年问题已整改。\\n本年存在的问题……"}}',
        "```\n上年问题已整改。\n本年存在的问题……\n```",
    ],
)
def test_drafted_text_as_prose_or_json(content: str) -> None:
    assert read_text(content) == "上年问题已整改。\n本年存在的问题……"


def test_the_strict_loader_can_be_swapped_for_another(monkeypatch: pytest.MonkeyPatch) -> None:
    """``parse.loads`` is the one seam (for ``assistant.jsonsafe.loads``): any InputError it raises is enough."""

    def other_loader(text: str) -> object:
        def refuse(name: str) -> object:
            raise InputError(f"JSON 中有无效的值 {name}")

        try:
            return json.loads(text, parse_constant=refuse)
        except json.JSONDecodeError:
            raise InputError("JSON 不是有效的 JSON") from None

    monkeypatch.setattr(parse, "loads", other_loader)
    assert parse.read_json(f"结果：{TEXT[:-1]},}}").data == OBJ  # syntax still repaired
    bad = parse.read_json('{"value": NaN}')
    assert not bad.ok and "NaN" in bad.problem  # a bad value still refused, in the loader's words
