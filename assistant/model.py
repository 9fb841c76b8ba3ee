"""The report model: metadata, the six sections, and every cell of tables 2–4 and the fee cells.

A cell that is absent from ``Report.cells`` is *unknown* (not yet filled), which is not the same
as 0. Values are checked against the cell registry: counts are whole numbers ≥ 0, money is a
decimal ≥ 0. Unknown fields are rejected everywhere.

Two JSON shapes are accepted: the project's own (``Report.model_dump_json``) and the *flat cell
map* (``{"t3.new.natural": 12, "meta.year": 2025, "s5": "…"}``), see ``from_flat``/``to_flat``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer, field_validator
from pydantic_core import PydanticCustomError

from assistant import cells as registry
from assistant.cells import CELLS, FIELDS, Kind
from assistant.errors import InputError, InvalidValue
from assistant.numbers import Value, json_value, parse_cell_text
from assistant.rules import message_for

SECTION_IDS: tuple[str, ...] = tuple(registry.SECTION)
TemplateForm = Literal["2021", "2019", "mixed"]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Contact(StrictModel):
    office: str | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None


class Meta(StrictModel):
    agency: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    title: str | None = None
    contact: Contact = Field(default_factory=Contact)


class SubPart(StrictModel):
    """A titled sub-part of section 一, e.g. （一）主动公开情况."""

    title: str = ""
    text: str = ""


class Sections(StrictModel):
    """Section texts. None: the section is missing; "": present but empty."""

    preface: str | None = None
    s1: str | list[SubPart] | None = None
    s2: str | None = None
    s3: str | None = None
    s4: str | None = None
    s5: str | None = None
    s6: str | None = None


class Material(StrictModel):
    """What the clerk said that has no cell, per section, in the clerk's own words (one statement a line).

    "主动公开信息320条" is material for 一、总体情况; "基层公开人员业务不熟" for 五. Drafting and the
    narrative checks read it; it is never exported as it is.
    """

    s1: str | None = None
    s2: str | None = None
    s4: str | None = None
    s5: str | None = None
    s6: str | None = None


class UncertainCell(StrictModel):
    """A number read from a scan or photo that the clerk should compare with the picture.

    ``reason`` says why (the recogniser was unsure, or the table's arithmetic contradicts the
    reading); ``text`` is what was read; ``crop`` is the cell as scanned, a small base64 PNG.
    The mark goes when the clerk sets the cell or confirms the reading.
    """

    reason: str
    text: str = ""
    crop: str | None = Field(default=None, max_length=40_000)
    confidence: float | None = Field(default=None, ge=0, le=1)
    where: str | None = None


class SourceNotes(StrictModel):
    """What an importer saw in a source document that the rules must speak of."""

    file: str | None = None
    format: str | None = None
    template: TemplateForm = "2021"
    template_notes: list[str] = Field(default_factory=list)
    blank_cells: list[str] = Field(default_factory=list)
    invalid_cells: dict[str, str] = Field(default_factory=dict)
    uncertain_cells: dict[str, UncertainCell] = Field(default_factory=dict)

    @field_validator("blank_cells")
    @classmethod
    def _known_blank_ids(cls, ids: list[str]) -> list[str]:
        for cid in ids:
            _require_cell_id(cid)
        return ids

    @field_validator("invalid_cells", "uncertain_cells")
    @classmethod
    def _known_invalid_ids(cls, raw: dict[str, Any]) -> dict[str, Any]:
        for cid in raw:
            _require_cell_id(cid)
        return raw


def _require_known(cell_id: str) -> None:
    if cell_id not in CELLS:
        raise InvalidValue(f"未知的单元格编号“{cell_id}”", key=cell_id)


def _require_cell_id(cell_id: str) -> None:
    if cell_id not in CELLS:
        raise PydanticCustomError("unknown_cell", "未知的单元格编号“{cell}”", {"cell": cell_id})


# Sane bounds (issue 9): no agency receives a hundred million applications in a year, and no fee
# reaches a trillion in any unit. A value beyond them is a typo, a unit slip or hostile input,
# refused with a Chinese message instead of flowing into totals, exports and databases.
MAX_COUNT = 100_000_000
MAX_MONEY = Decimal(10) ** 12
MAX_MONEY_DECIMALS = 6
_MONEY_STEP = Decimal(1).scaleb(-MAX_MONEY_DECIMALS)


class OutOfRange(InvalidValue):
    """A number beyond the sane bound of its cell (``MAX_COUNT``, ``MAX_MONEY``)."""


def coerce_cell_value(cell_id: str, value: Any) -> Value:
    """A value for ``cell_id``, or InvalidValue with a Chinese message naming the cell.

    Accepts ints and decimals, and for money also floats and numeric strings; never bools, never
    NaN or infinities. Counts are whole numbers 0…``MAX_COUNT``; money is 0…``MAX_MONEY`` with at
    most ``MAX_MONEY_DECIMALS`` decimals (``OutOfRange`` beyond).
    """
    if cell_id not in CELLS:
        raise InvalidValue(f"未知的单元格编号“{cell_id}”", key=cell_id)
    c = CELLS[cell_id]
    raw = shown_raw(value)
    bad = InvalidValue(
        message_for("CELL-VALUE", "fail", label=c.label, raw=raw, rule=_kind_rule(c.kind)), key=cell_id
    )
    if isinstance(value, bool) or value is None or (c.kind is Kind.COUNT and isinstance(value, str)):
        raise bad
    number = _finite_decimal(value)
    if number is None:
        if isinstance(value, int):  # thousands of digits: finite, but no cell holds it
            raise _out_of_range(cell_id, raw)
        raise bad
    if number < 0 or (c.kind is Kind.COUNT and number != number.to_integral_value()):
        raise bad
    if c.kind is Kind.COUNT:
        if number > MAX_COUNT:
            raise _out_of_range(cell_id, raw)
        return int(number)
    if number > MAX_MONEY or number.quantize(_MONEY_STEP) != number:
        raise _out_of_range(cell_id, raw)
    return number


def _finite_decimal(value: Any) -> Decimal | None:
    """``value`` as a finite Decimal of sane size, or None (NaN, infinities, text that is no number)."""
    if isinstance(value, int):
        return Decimal(value) if value.bit_length() <= 128 else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def _out_of_range(cell_id: str, raw: str) -> OutOfRange:
    c = CELLS[cell_id]
    limit = ("件数不超过1亿" if c.kind is Kind.COUNT
             else f"金额不超过1万亿{c.kind.unit}，小数不超过{MAX_MONEY_DECIMALS}位")
    return OutOfRange(f"“{c.label}”的值“{raw}”超出合理范围（{limit}），请核对。", key=cell_id)


def shown_raw(value: Any, limit: int = 24) -> str:
    """A value as a message may quote it: short, and never ``str()`` of an integer too long to print."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"约{int(value.bit_length() * 0.30103)}位的数字"
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _kind_rule(kind: Kind) -> str:
    return "不小于0的整数" if kind is Kind.COUNT else f"不小于0的数（单位：{kind.unit}，可有小数）"


class Report(StrictModel):
    """One year's annual report of one agency, complete or in progress."""

    version: Literal[1] = 1
    meta: Meta = Field(default_factory=Meta)
    sections: Sections = Field(default_factory=Sections)
    cells: dict[str, Value] = Field(default_factory=dict)
    material: Material = Field(default_factory=Material)
    source: SourceNotes | None = None
    previous: Report | None = None

    @field_validator("cells", mode="before")
    @classmethod
    def _check_cells(cls, raw: Any) -> dict[str, Value]:
        if not isinstance(raw, Mapping):
            raise PydanticCustomError("cells_type", "cells 应为“单元格编号: 数值”的对象")
        checked: dict[str, Value] = {}
        for cid, value in raw.items():
            try:
                checked[cid] = coerce_cell_value(cid, value)
            except InvalidValue as e:
                raise PydanticCustomError("cell_value", "{message}", {"message": e.message}) from None
        return checked

    @field_serializer("cells", when_used="json")
    def _cells_as_numbers(self, cells: dict[str, Value]) -> dict[str, int | float]:
        return {cid: json_value(v) for cid, v in cells.items()}

    # -- reading ------------------------------------------------------------------------------

    def get(self, cell_id: str) -> Value | None:
        """The value of a cell, or None while it is unknown."""
        return self.cells.get(cell_id)

    def section_text(self, section: str) -> str | None:
        """A section's text; section 一's sub-parts are joined under their titles."""
        value = getattr(self.sections, section)
        if isinstance(value, list):
            return "\n".join(filter(None, (f"{p.title}{p.text}" if p.title else p.text for p in value)))
        return value

    def value(self, key: str) -> Any:
        """The value of any flat key: a cell id, ``meta.*`` or a section id."""
        if key in CELLS:
            return self.get(key)
        if key.startswith("meta.contact."):
            return getattr(self.meta.contact, key.removeprefix("meta.contact."))
        if key.startswith("meta."):
            return getattr(self.meta, key.removeprefix("meta."))
        if key.startswith("material."):
            return getattr(self.material, key.removeprefix("material."))
        if key in registry.SECTION:
            return getattr(self.sections, key)
        raise KeyError(key)

    # -- changing (always into a new, validated report) ----------------------------------------

    def with_values(self, values: Mapping[str, Any]) -> Report:
        """A copy with the given flat keys set (None makes a cell unknown again).

        All-or-nothing: an invalid value raises InvalidValue and nothing is changed. Setting a
        cell clears what an importer noted about its old value (blank or invalid in the source).
        """
        # Only what changes is validated again: cells one by one, metadata and sections as
        # their own small models. The rest (and last year's report) is shared, not copied.
        data: dict[str, Any] = {"meta": None, "sections": None, "material": None, "cells": dict(self.cells)}
        for key, value in values.items():
            part = "cells" if key in CELLS else _part_of(key)
            if data[part] is None:
                data[part] = getattr(self, part).model_dump()
            _set_flat(data, key, value)
        update: dict[str, Any] = {"cells": data["cells"]}
        try:
            for part, model in (("meta", Meta), ("sections", Sections), ("material", Material)):
                if data[part] is not None:
                    update[part] = model.model_validate(data[part])
        except ValidationError as e:
            raise InvalidValue("；".join(explain(e))) from None
        src = self.source
        if src and any(c in values for c in (*src.blank_cells, *src.invalid_cells, *src.uncertain_cells)):
            update["source"] = src.model_copy(
                update={
                    "blank_cells": [c for c in src.blank_cells if c not in values],
                    "invalid_cells": {c: r for c, r in src.invalid_cells.items() if c not in values},
                    "uncertain_cells": {c: m for c, m in src.uncertain_cells.items() if c not in values},
                }
            )
        return self.model_copy(update=update)

    def with_marks(self, marks: Mapping[str, UncertainCell | None]) -> Report:
        """A copy with scan marks set (an ``UncertainCell``) or cleared (None); values untouched."""
        src = self.source or SourceNotes()
        kept = dict(src.uncertain_cells)
        for cid, mark in marks.items():
            if mark is None:
                kept.pop(cid, None)
            else:
                _require_known(cid)
                kept[cid] = mark
        return self.model_copy(update={"source": src.model_copy(update={"uncertain_cells": kept})})

    @property
    def uncertain(self) -> dict[str, UncertainCell]:
        """Cells read from a scan that await the clerk's confirmation."""
        return dict(self.source.uncertain_cells) if self.source else {}

    # -- flat cell map --------------------------------------------------------------------------

    @classmethod
    def from_flat(cls, flat: Mapping[str, Any]) -> Report:
        """A report from a flat cell map.

        Unknown keys are an error. Numbers may be written as text ("12", "十二", "/"); text that
        is not a valid value is kept as an invalid cell for rule CELL-VALUE rather than dropped.
        """
        unknown = [k for k in flat if k not in FIELDS and k not in CELLS]
        if unknown:
            raise InputError("无法识别的编号：" + "、".join(unknown[:10]) + _suggest(unknown[0]))
        data: dict[str, Any] = {"meta": {"contact": {}}, "sections": {}, "material": {}, "cells": {}}
        invalid: dict[str, str] = {}
        blank: list[str] = []
        for key, value in flat.items():
            if key not in CELLS:
                _set_flat(data, key, value)
                continue
            if value is None:
                continue
            parsed_value, was_blank = _lenient_cell(key, value)
            if parsed_value is None:
                invalid[key] = str(value)
            else:
                data["cells"][key] = parsed_value
                if was_blank:
                    blank.append(key)
        if invalid or blank:
            data["source"] = {"format": "flat", "invalid_cells": invalid, "blank_cells": blank}
        return _validated(data)

    def to_flat(self, *, include_unknown: bool = False) -> dict[str, Any]:
        """The flat cell map: metadata, sections and cells, in registry order."""
        flat: dict[str, Any] = {}
        for key in registry.FLAT_KEYS:
            if key in CELLS:
                v = self.cells.get(key)
                if v is not None or include_unknown:
                    flat[key] = None if v is None else json_value(v)
                continue
            field = self.value(key)
            if isinstance(field, list):
                field = [p.model_dump() for p in field]
            if field is not None or include_unknown:
                flat[key] = field
        return flat


def _lenient_cell(cell_id: str, value: Any) -> tuple[Value | None, bool]:
    """A flat-map value read leniently: numbers as they are, text through the cell-text reader.

    What no person writes into a table is refused outright (InputError naming the key): true/false,
    lists and objects, and numbers beyond a cell's sane bound however they are written.
    """
    kind = CELLS[cell_id].kind
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InputError(f"“{cell_id}”（{CELLS[cell_id].label}）的值应为数字，收到的是“{shown_raw(value)}”。")
    if isinstance(value, str):
        parsed = parse_cell_text(value, kind)
        if parsed.value is None:
            return None, False
        value, blank = parsed.value, parsed.blank
    else:
        blank = False
    try:
        return coerce_cell_value(cell_id, value), blank
    except OutOfRange as e:
        raise InputError(f"“{cell_id}”：{e.message}") from None
    except InvalidValue:
        return None, False


def _set_flat(data: dict[str, Any], key: str, value: Any) -> None:
    if key in CELLS:
        if value is None:
            data["cells"].pop(key, None)
        else:
            data["cells"][key] = coerce_cell_value(key, value)
        return
    if key not in FIELDS:
        raise InvalidValue(f"未知的编号“{key}”", key=key)
    if key.startswith("meta.contact."):
        data["meta"].setdefault("contact", {})[key.removeprefix("meta.contact.")] = _text_or_none(key, value)
    elif key == "meta.year":
        data["meta"]["year"] = _year(value)
    elif key.startswith("meta."):
        data["meta"][key.removeprefix("meta.")] = _text_or_none(key, value)
    elif key.startswith("material."):
        data["material"][key.removeprefix("material.")] = _text_or_none(key, value)
    else:
        data["sections"][key] = value if (key == "s1" and isinstance(value, list)) else _text_or_none(key, value)


def _part_of(key: str) -> str:
    """Which part of the report a non-cell flat key lives in."""
    if key.startswith("meta."):
        return "meta"
    if key.startswith("material."):
        return "material"
    return "sections"


def _text_or_none(key: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and key.startswith("meta.contact."):
        return str(value)
    raise InvalidValue(f"“{registry.label_of(key)}”应为文字，收到的是“{shown_raw(value)}”", key=key)


def _year(value: Any) -> int | None:
    if value is None:
        return None
    text = shown_raw(value).strip().removesuffix("年")
    if isinstance(value, bool) or not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise InvalidValue(f"“报告年度”应为四位年份（如2025），收到的是“{shown_raw(value)}”", key="meta.year")
    return int(text)


def _validated(data: dict[str, Any]) -> Report:
    try:
        return Report.model_validate(data)
    except ValidationError as e:
        raise InvalidValue("；".join(explain(e))) from None


def explain(error: ValidationError) -> list[str]:
    """Pydantic errors as Chinese sentences naming the field a clerk knows."""
    messages = []
    for err in error.errors():
        loc = [str(p) for p in err["loc"]]
        where = _loc_label(loc)
        if err["type"] in ("cell_value", "unknown_cell", "cells_type"):
            messages.append(err["msg"])
        elif err["type"] == "extra_forbidden":
            messages.append(f"无法识别的字段“{'.'.join(loc)}”")
        elif err["type"] in ("greater_than_equal", "less_than_equal") and loc[-1] == "year":
            messages.append(f"“报告年度”应为1990—2100之间的年份，收到的是“{shown_raw(err.get('input'))}”")
        elif err["type"] == "missing":
            messages.append(f"缺少“{where}”")
        else:
            messages.append(f"“{where}”的值不正确（{shown_raw(err.get('input'))}）")
    return messages


def _loc_label(loc: list[str]) -> str:
    key = ".".join(loc)
    if loc and loc[0] == "sections" and len(loc) > 1:
        key = loc[1]
    return registry.label_of(key)


def _suggest(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, registry.FLAT_KEYS, n=1, cutoff=0.6)
    return f"（是否应为“{close[0]}”？）" if close else ""


def read_report_json(data: Any) -> Report:
    """The project's report JSON or a flat cell map, told apart by shape."""
    if not isinstance(data, Mapping):
        raise InputError("JSON 内容应为一个对象（报告或“编号: 数值”的单元格表）")
    if "cells" in data or "meta" in data or "sections" in data or "version" in data:
        try:
            return Report.model_validate(data)
        except ValidationError as e:
            raise InputError("报告文件内容不正确：" + "；".join(explain(e))) from None
    return Report.from_flat(data)

