"""The chat's passes one by one: each owns one part of the record and is tested on its own."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assistant import cells as reg
from assistant import vocabulary as plain
from assistant.chat import (
    changes,
    clauses,
    conversation,
    corrections,
    definitions,
    described,
    facts,
    help,
    lexicon,
    markup,
    material,
    numbers,
    pipeline,
    resolve,
)
from assistant.chat.lexicon import NumberRole
from assistant.chat.questions import QUESTIONS, question_text
from assistant.chat.record import Doc, Extent, Fact, Mode, Origin, Status
from assistant.chat.slots import slots
from assistant.engines.base import ChatContext, PendingItem
from assistant.model import Report

NATURAL = {"t3.new.natural": 10, **{f"t3.new.{c}": 0 for c in reg.T3_APPLICANT_COLUMNS[1:]}}


def run(text: str, until: Any, draft: dict[str, Any] | None = None, *, context: ChatContext | None = None,
        kind: str = "chat") -> Doc:
    """The record after the passes up to and including ``until``."""
    doc = Doc(text=text, norm=lexicon.normalise(text), report=Report().with_values(draft or {}), kind=kind,
              context=context)
    for step in pipeline.PASSES:
        step(doc)
        if step is until:
            return doc
    raise AssertionError(f"{until} is not a pass")


def cells(doc: Doc) -> dict[str, Any]:
    return {c.cell: c.value for c in doc.changes}


# -- tokens --------------------------------------------------------------------------------------


def test_plain_words_beside_the_registry_name_registry_ids() -> None:
    ids = {
        "T3_ROWS": set(reg.T3_ROW), "T3_GROUPS": set(reg.T3_GROUP), "APPLICANTS": set(reg.T3_APPLICANT_COLUMNS),
        "T4_GROUPS": set(reg.T4_GROUP), "T4_OUTCOMES": set(reg.T4_OUTCOMES), "MATERIAL": set(reg.MATERIAL_SECTIONS),
        "MATERIAL_ROUTES": set(reg.MATERIAL_SECTIONS),
    }
    for name, allowed in ids.items():
        table = getattr(plain, name)
        assert set(table) <= allowed, name
        assert all(isinstance(w, str) and w for words in table.values() for w in words)


def test_the_lexicon_reads_clerks_plain_words() -> None:
    words = lexicon.lexicon()
    assert words["查不到"] == lexicon.Meaning(lexicon.ROW, "unavailable.not_held")
    assert words["没公开"] == lexicon.Meaning(lexicon.GROUP3, "denied")
    assert words["业委会"] == lexicon.Meaning(lexicon.APPL, "other")
    assert words["败诉"] == lexicon.Meaning(lexicon.T4C, "corrected")
    assert words["律所"].id == "legal"  # a registry phrase keeps its meaning
    found = [(t.cat, t.id) for t in lexicon.tokenize(lexicon.normalise("涉及别人隐私的1件没公开"))]
    assert found == [(lexicon.REQUEST, ""), (lexicon.ROW, "denied.third_party"), ("num", ""), (lexicon.GROUP3, "denied")]


def test_numbers_keep_their_place_in_the_text() -> None:
    norm = lexicon.normalise("收到個人申請１２件，2,345元，一百零五件")
    tokens = [t for t in lexicon.tokenize(norm) if t.is_number]
    assert [t.value for t in tokens] == [12, 2345, 105]
    assert all(t.end <= len(norm) for t in tokens)


# -- numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "role"), [
    ("按照国办公开办函〔2021〕30号，个人申请6件", NumberRole.DOCUMENT),
    ("1、个人申请5件", NumberRole.LIST),
    ("联系电话62635123，个人申请4件", NumberRole.CODE),
    ("咨询电话12345转来个人申请2件", NumberRole.CODE),
    ("编号GK20240312的申请", NumberRole.CODE),
    ("三个村民各申请了1件", NumberRole.COUNTER),
    ("有2名同志负责", NumberRole.COUNTER),
    ("20多件是咨询", NumberRole.APPROX),
    ("去年是25件", NumberRole.LAST_YEAR),
    ("比去年减少了3件", NumberRole.DELTA),
    ("平均办理天数为6天", NumberRole.AVERAGE),
    ("补正了两次还是不清楚", NumberRole.TIMES),
    ("群众那12件里，公开6件", NumberRole.SCOPE),
    ("个人申请12件", NumberRole.QUANTITY),
])
def test_which_numbers_are_quantities(text: str, role: NumberRole) -> None:
    doc = run(text, numbers.mark_numbers)
    first = next(t for t in doc.tokens if t.is_number)
    assert first.role is role, [(t.text, t.role) for t in doc.tokens if t.is_number]


def test_percentages_and_dates_are_not_numbers_at_all() -> None:
    doc = run("2024年3月5日，予以公开率为80%，第2季度", numbers.mark_numbers)
    assert not any(t.is_number for t in doc.tokens)


# -- clauses and slots -----------------------------------------------------------------------------


def test_a_chat_list_is_one_paragraph_and_notes_are_read_line_by_line() -> None:
    text = "收到申请：\n个人 10件\n企业 2件"
    chat = run(text, clauses.segment)
    notes = run(text, clauses.segment, kind="notes")
    assert {c.paragraph for c in chat.clauses} == {0}
    assert len({c.paragraph for c in notes.clauses}) == 3
    assert len({c.sentence for c in chat.clauses}) == 3


def _slots(text: str) -> list[tuple[str, Decimal, list[str]]]:
    doc = run(text, numbers.mark_numbers)
    return [("".join(t.text for t in s.words), s.number.value * s.times, [s.mode.value])  # type: ignore[operator]
            for c in doc.clauses for s in slots(c.tokens, doc.norm)]


def test_slots_pair_numbers_with_their_words() -> None:
    assert _slots("个人8件、企业2件予以公开") == [("个人予以公开", 8, ["set"]), ("企业予以公开", 2, ["set"])]
    assert _slots("8件予以公开") == [("予以公开", 8, ["set"])]
    second = _slots("个人和企业分别申请了5件、3件")[1][0]
    assert "企业" in second and "个人" not in second
    assert _slots("三个村民各申请了1件")[0][1] == 3
    assert _slots("又来了1件个人申请")[0][2] == ["add"]
    assert _slots("个人申请多算了1件")[0][2] == ["subtract"]


def test_a_scope_and_a_bracket_cut_the_clause() -> None:
    assert [w for w, _, _ in _slots("这15件中予以公开12件")] == ["", "予以公开"]
    assert [w for w, _, _ in _slots("复议2件（维持1")] == ["复议", "维持"]


# -- facts -------------------------------------------------------------------------------------------


def _facts(text: str, draft: dict[str, Any] | None = None) -> list[tuple[str | None, Status, Origin]]:
    doc = run(text, facts.read_facts, draft)
    return [(f.cell(), f.status, f.origin) for f in doc.facts]


def test_a_count_missing_a_dimension_stays_open() -> None:
    assert _facts("予以公开8件") == [(None, Status.OPEN, Origin.SAID)]
    assert _facts("单位申请了2件")[0][1] is Status.OPEN
    assert _facts("个人申请予以公开8件") == [("t3.granted.natural", Status.READY, Origin.SAID)]


def test_words_after_a_count_complete_it() -> None:
    got = _facts("有1件涉及国家秘密，不予公开，是个人申请的")
    assert got[0] == ("t3.denied.state_secret.natural", Status.READY, Origin.SAID)
    assert {c for c, _, o in got if o is Origin.IMPLIED} == {f"t3.denied.state_secret.{c}"
                                                             for c in reg.T3_APPLICANT_COLUMNS[1:]}


def test_all_of_them_and_none_of_them() -> None:
    got = _facts("收到12件申请，都是个人的，全部予以公开")
    assert ("t3.granted.natural", Status.READY, Origin.DERIVED) in got
    zeros = run("没有行政复议和行政诉讼", facts.read_facts)
    assert {f.cell() for f in zeros.facts} == {c for c in reg.CELLS if c.startswith("t4.") and not c.endswith(".total")}


def test_a_negated_verb_or_person_is_not_a_zero() -> None:
    assert _facts("约有十几件是咨询，没有按申请登记") == []
    assert _facts("申请人最后没交") == []


def test_the_draft_holds_what_all_of_them_refers_to() -> None:
    draft = {"t3.new.natural": 6, "t3.new.commercial": 1, **{f"t3.new.{c}": 0 for c in ("research", "social", "legal",
                                                                                          "other")}}
    assert _facts("个人申请的都公开了", draft) == [("t3.granted.natural", Status.READY, Origin.DERIVED)]


# -- resolve -------------------------------------------------------------------------------------------


def test_parts_that_cover_their_total_replace_it() -> None:
    doc = run("收到申请15件，其中个人12件，企业3件", resolve.resolve)
    head = doc.facts[0]
    assert head.status is Status.COVERED
    assert {f.cell() for f in doc.facts if f.origin is Origin.IMPLIED} == {
        f"t3.new.{c}" for c in ("research", "social", "legal", "other")}


def test_parts_short_of_their_total_are_asked_about() -> None:
    doc = run("收到12件，其中个人10件", resolve.resolve)
    assert doc.facts[0].cell() == "t3.new.total" and doc.questions[0].key == "appl_rest"


def test_a_mention_of_a_count_the_draft_holds_is_not_a_value() -> None:
    doc = run("群众那12件里，公开6件", resolve.resolve, {"t3.new.natural": 12, "t3.new.commercial": 0})
    assert doc.facts[0].status is Status.SUBSET and doc.facts[0].extent is Extent.KNOWN
    assert doc.questions == []
    doc = run("个人申请6件（其中1人申请了3件）", resolve.resolve)
    assert [f.status for f in doc.facts] == [Status.READY, Status.SUBSET]


def test_the_draft_names_the_applicant_only_when_it_is_certain() -> None:
    assert resolve.draft_applicant(Report().with_values(NATURAL)) == "natural"
    assert resolve.draft_applicant(Report().with_values({"t3.new.natural": 5})) is None
    assert resolve.draft_applicant(Report().with_values({"t3.new.natural": 5, "t3.new.legal": 1})) is None


# -- corrections ---------------------------------------------------------------------------------------


def test_a_move_takes_from_one_cell_and_gives_to_another() -> None:
    draft = {**NATURAL, "t3.unavailable.not_held.natural": 3}
    doc = run("不掌握的有1件其实是需要另行制作的", corrections.read_moves, draft)
    assert {f.cell(): f.value for f in doc.facts} == {"t3.unavailable.not_held.natural": 2,
                                                      "t3.unavailable.needs_creation.natural": 1}
    assert all(c.consumed for c in doc.clauses)


def test_a_move_the_draft_cannot_pay_for_is_asked() -> None:
    doc = run("不掌握的有4件其实是需要另行制作的", corrections.read_moves, {**NATURAL, "t3.unavailable.not_held.natural": 3})
    assert doc.facts == [] and doc.questions[0].key == "move_short"


def test_additions_are_checked_against_what_the_clerk_says_it_is_now() -> None:
    ok = run("个人申请再加1件，现在是11件", corrections.against_draft, NATURAL)
    assert [(f.cell(), f.value, f.mode) for f in ok.facts] == [("t3.new.natural", 11, Mode.CORRECT)]
    wrong = run("个人申请再加1件，现在是12件", corrections.against_draft, NATURAL)
    assert wrong.facts[0].status is Status.ASKED and wrong.questions[0].key == "now_mismatch"
    unknown = run("个人申请多算了1件", corrections.against_draft)
    assert unknown.questions[0].key == "subtract_unknown"


# -- changes -------------------------------------------------------------------------------------------


def test_parts_named_apart_add_up_and_a_restated_number_is_asked() -> None:
    assert cells(run("环保协会申请1件，一个基金会申请1件", changes.to_changes)) == {"t3.new.social": 2}
    assert cells(run("上半年个人申请5件\n下半年个人申请7件", changes.to_changes)) == {"t3.new.natural": 12}
    doc = run("个人申请12件，个人申请13件", changes.to_changes)
    assert doc.questions[0].key == "conflict"


def test_a_total_that_disagrees_with_its_parts_is_not_proposed() -> None:
    draft = {"t3.new.natural": 8, "t3.new.commercial": 1, **{f"t3.new.{c}": 0 for c in reg.T3_APPLICANT_COLUMNS[2:]}}
    doc = run("收到申请10件", changes.to_changes, draft)
    assert "t3.new.total" not in cells(doc) and doc.questions[-1].key == "total_parts"


def test_a_value_the_draft_already_holds_is_not_proposed_again() -> None:
    doc = run("个人申请10件", changes.to_changes, NATURAL)
    assert doc.changes == [] and doc.unchanged == 1


# -- material and help -----------------------------------------------------------------------------------


def test_statements_without_a_cell_go_to_their_section() -> None:
    doc = run("收到个人申请5件，另外主动公开文件48条", material.collect)
    assert [(s.section, s.text) for s in doc.material] == [("s1", "另外主动公开文件48条")]
    routed = run("基层公开人员业务不熟，这个写到问题里", material.collect)
    assert [(s.section, s.text) for s in routed.material] == [("s5", "基层公开人员业务不熟")]
    kept = run("政务新媒体发布信息1,200条", material.collect, {"material.s1": "主动公开信息320条"})
    assert cells(kept) == {"material.s1": "主动公开信息320条\n政务新媒体发布信息1,200条"}


def test_notes_feed_material_and_a_sum_of_cells_is_not_material() -> None:
    notes = run("主动公开信息320条\n个人申请12件\n基层公开人员业务不熟", material.collect, kind="notes")
    assert [(s.section, s.text) for s in notes.material] == [("s1", "主动公开信息320条"), ("s5", "基层公开人员业务不熟")]
    assert run("个人申请12件", material.collect).material == []


def test_help_answers_from_the_registry_and_the_definitions() -> None:
    doc = run("不予处理包括哪些？", help.answer)
    for row in reg.T3_ROWS:
        if row.group == "refused":
            assert row.label in doc.help
    assert run("予以公开8件是什么意思？", help.answer).help == ""  # a count is data, not a question
    assert definitions.ASSISTANT in run("你能做什么", help.answer).help


def test_definitions_are_keyed_by_registry_ids() -> None:
    assert set(definitions.T3_ROWS) == set(reg.T3_ROW)
    assert set(definitions.T3_GROUPS) == {g.id for g in reg.T3_GROUPS if g.group == "results"}
    assert set(definitions.T4_GROUPS) - {"litigation"} == set(reg.T4_GROUP)
    assert set(definitions.T4_COLUMNS) == {c.id for c in reg.T4_COLUMNS}
    assert set(definitions.T2_ITEMS) == set(reg.T2_ITEM) and set(definitions.T2_COLUMNS) == set(reg.T2_COLUMN)


# -- conversation and questions ---------------------------------------------------------------------------


def test_an_open_count_travels_to_the_next_turn_and_is_completed_there() -> None:
    first = pipeline.read("予以公开8件")
    context = pipeline.next_context(first)
    assert [p.missing for p in context.pending] == ["appl"] and context.pending[0].evidence == "予以公开8件"
    assert ChatContext.model_validate_json(context.model_dump_json()) == context
    answer = pipeline.read("是个人的", context=context)
    assert cells(answer)["t3.granted.natural"] == 8 and answer.questions == []
    assert pipeline.next_context(answer).pending == []


def test_an_unrelated_message_leaves_the_question_open() -> None:
    context = pipeline.next_context(pipeline.read("予以公开8件"))
    other = pipeline.read("行政复议没有", context=context)
    assert set(cells(other)) == {f"t4.review.{c}" for c in reg.T4_OUTCOMES}
    assert [p.question for p in pipeline.next_context(other).pending] == context.questions


def test_seeded_parts_count_but_are_not_proposed_again() -> None:
    pending = PendingItem(question="q", missing="appl", table="t3", row="new", value=Decimal(12),
                          given={"t3.new.natural": Decimal(10)})
    doc = run("另外2件是律所的", conversation.seed, context=ChatContext(pending=[pending]))
    assert [(f.cell(), f.status) for f in doc.facts] == [(None, Status.OPEN), ("t3.new.natural", Status.SUBSET)]
    answer = pipeline.read("另外2件是律所的", context=ChatContext(pending=[pending]))
    assert cells(answer) == {"t3.new.legal": 2, **{f"t3.new.{c}": 0 for c in ("commercial", "research", "social",
                                                                              "other")}}


def test_the_cell_spoken_of_last_is_the_one_corrected() -> None:
    context = pipeline.next_context(pipeline.read("个人申请予以公开8件"))
    assert context.last_cells == ["t3.granted.natural"]
    assert cells(pipeline.read("应该是9件", context=context)) == {"t3.granted.natural": 9}


def test_every_question_key_the_passes_use_has_a_text() -> None:
    used: set[str] = set()
    for path in Path(pipeline.__file__).parent.glob("*.py"):
        used |= set(re.findall(r'\bdoc\.ask\(\s*"(\w+)"', path.read_text("utf-8")))
        used |= set(re.findall(r'"(\w+_rest)"', path.read_text("utf-8")))
    assert used <= set(QUESTIONS), used - set(QUESTIONS)
    assert question_text("appl", what="予以公开", n="8").startswith("予以公开8件分别是哪类申请人")


def test_a_fact_knows_what_it_misses() -> None:
    assert Fact("t3", "granted", None, Decimal(1), "件", (0, 1), 0).missing == "appl"
    assert Fact("t3", "granted", None, Decimal(1), "件", (0, 1), 0, org_only=True).missing == "org"
    assert Fact("t4", None, "upheld", Decimal(1), "件", (0, 1), 0).missing == "t4group"
    assert Fact(None, None, None, Decimal(1), "件", (0, 1), 0).missing == "table"


# -- markup: text from a page or a chat carries no counts ---------------------------------------------


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(2)>",
    "详见 http://www.example.gov.cn/a?id=1&page=2 部分公开",
    "<script>document.write(8)</script>",
    "邮箱gk2024@163.com",
    "&#49;&#50;",
    "上午10:30",
])
def test_markup_links_and_clock_times_carry_no_counts(text: str) -> None:
    doc = run(text, numbers.mark_numbers, NATURAL)
    assert not any(t.is_quantity for t in doc.tokens), [t.text for t in doc.tokens]
    assert pipeline.read(text, Report().with_values(NATURAL)).changes == []


def test_markup_is_blanked_in_place_and_quoted_around() -> None:
    text = "<p>今年收到个人申请<strong>12</strong>件</p>"
    doc = run(text, markup.unmark)
    assert len(doc.norm) == len(text) and "<" not in doc.norm
    read = pipeline.read(text)
    assert cells(read) == {"t3.new.natural": 12}
    assert read.changes[0].evidence in text and not read.changes[0].evidence.startswith("<")
    linked = pipeline.read("主动公开信息320条（详见http://www.xx.gov.cn/zfxxgk/）")
    assert [(s.section, s.text) for s in linked.material] == [("s1", "主动公开信息320条")]


def test_list_symbols_are_breaks_not_numbers() -> None:
    assert cells(pipeline.read("①个人申请5件 ②企业申请1件")) == {"t3.new.natural": 5, "t3.new.commercial": 1}
    assert cells(pipeline.read("3\ufe0f\u20e3企业申请2件")) == {"t3.new.commercial": 2}


# -- descriptions: other cells' words inside what was asked for ------------------------------------------


def test_words_describing_what_was_asked_for_are_not_cells() -> None:
    doc = run("有1件是要行政处罚的执法卷宗，没给", described.mark_descriptions, NATURAL)
    assert [t.cat for c in doc.clauses for t in c.tokens if t.text == "行政处罚"] == [lexicon.NEUTRAL]
    assert cells(pipeline.read("有1件是要行政处罚的执法卷宗，没给", Report().with_values(NATURAL))) == {
        "t3.denied.enforcement.natural": 1}
    assert cells(pipeline.read("1件要的是单位内部的人事管理材料，没公开", Report().with_values(NATURAL))) == {
        "t3.denied.internal.natural": 1}
    assert cells(pipeline.read("有1件要的是行政复议决定书，予以公开", Report().with_values(NATURAL))) == {
        "t3.granted.natural": 1}


def test_a_cell_of_another_table_stays_when_no_application_is_spoken_of() -> None:
    assert cells(pipeline.read("行政许可决定书120件")) == {"t2.license.decisions": 120}
    assert cells(pipeline.read("行政处罚决定12件")) == {"t2.penalty.decisions": 12}


def test_a_fee_notice_of_an_unpaid_case_describes_it() -> None:
    assert cells(pipeline.read("1件发了缴费通知，过期没交，终止办理", Report().with_values(NATURAL))) == {
        "t3.other.unpaid_fee.natural": 1}
    assert cells(pipeline.read("发出收费通知1份，金额200元"))["s6.fee.notices"] == 1


# -- constructions as rule rows ------------------------------------------------------------------------------


def test_every_construction_names_a_registry_id() -> None:
    known = {"row": set(reg.T3_ROW), "t4g": set(reg.T4_GROUP), "t4c": set(reg.T4_OUTCOMES),
             "appl": set(reg.T3_APPLICANT_COLUMNS)}
    for dim, rid, regex in plain.PATTERNS:
        assert rid in known[dim], (dim, rid)
        assert re.compile(regex).groups == 0, regex  # no capturing groups: the scanner names its own


@pytest.mark.parametrize(("text", "meaning"), [
    ("不归区住建局管", ("row", "unavailable.not_held")),
    ("告知他向区市场监管局申请", ("row", "unavailable.not_held")),
    ("要我们专门统计", ("row", "unavailable.needs_creation")),
    ("又来要一样的材料", ("row", "refused.duplicate")),
    ("补正通知发了他一直没回音", ("row", "other.no_correction")),
    ("是复议之后再起诉的", ("t4g", "suit_after_review")),
])
def test_constructions_are_read_as_one_word(text: str, meaning: tuple[str, str]) -> None:
    tokens = lexicon.tokenize(lexicon.normalise(text))
    assert (tokens[0].cat, tokens[0].id) == meaning, [(t.text, t.cat, t.id) for t in tokens]
    assert lexicon.tokenize(lexicon.normalise("这件事归我们管")) == []


# -- numbers that are not counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "role"), [
    ("附件共3页，企业申请2件", NumberRole.MEASURE),
    ("同一个人申请了2次", NumberRole.TIMES),
    ("粉丝数增长到3.2万", NumberRole.QUANTITY),
    ("收到申请10件，除了2件来自企业外都是个人的", NumberRole.QUANTITY),
])
def test_measures_repeats_and_values(text: str, role: NumberRole) -> None:
    doc = run(text, numbers.mark_numbers)
    first = next(t for t in doc.tokens if t.is_number)
    assert first.role is role, [(t.text, t.role) for t in doc.tokens if t.is_number]


def test_an_ordinal_repeat_is_one_duplicate() -> None:
    doc = pipeline.read("同一个人就同一件事申请了2次，第二次按重复申请答复", Report().with_values(NATURAL))
    assert cells(doc) == {"t3.refused.duplicate.natural": 1}


# -- scope: zeros only for what was spoken of, mentions are no values -----------------------------------------


def test_zeros_stay_within_the_scope_spoken_of() -> None:
    draft = {**NATURAL, "t3.new.natural": 12, "t3.new.commercial": 3}
    doc = pipeline.read("群众那12件里，公开了6件，部分公开2件，剩下4件都是查不到", Report().with_values(draft))
    assert cells(doc) == {"t3.granted.natural": 6, "t3.partial.natural": 2, "t3.unavailable.not_held.natural": 4}
    added = pipeline.read("又来了2件，都是企业的", Report().with_values({**NATURAL, "t3.new.commercial": 1}))
    assert cells(added) == {"t3.new.commercial": 3}  # the applications the draft holds keep their values


def test_a_count_inside_what_was_named_is_a_mention() -> None:
    draft = Report().with_values(NATURAL)
    assert cells(pipeline.read("个人申请中有5件是同一个人提的", draft)) == {}
    assert cells(pipeline.read("予以公开的10件里有2件是去年结转过来的", draft)) == {"t3.granted.natural": 10}
    assert cells(pipeline.read("要求公开行政处罚决定的2件，都公开了", draft)) == {"t3.granted.natural": 2}


# -- corrections: moves between table-4 groups and between results ----------------------------------------------


def test_a_case_moves_between_table_four_groups() -> None:
    draft = {"t4.suit_direct.pending": 1, **{f"t4.suit_direct.{c}": 0 for c in ("upheld", "corrected", "other")}}
    doc = pipeline.read("不是直接起诉，是复议后起诉的", Report().with_values(draft))
    assert cells(doc) == {"t4.suit_direct.pending": 0, "t4.suit_after_review.pending": 1}
    assert pipeline.read("不是直接起诉，是复议后起诉的").questions  # nothing in the draft to move: ask


def test_a_count_taken_from_one_result_goes_to_the_one_named_after() -> None:
    draft = {**NATURAL, "t3.partial.natural": 3, "t3.granted.natural": 10}
    doc = pipeline.read("去掉1件部分公开，那件后来全部公开了", Report().with_values(draft))
    assert cells(doc) == {"t3.partial.natural": 2, "t3.granted.natural": 11}
    moved = pipeline.read("不掌握的3件，其中1件应该算到重复申请里",
                          Report().with_values({**NATURAL, "t3.unavailable.not_held.natural": 3}))
    assert cells(moved) == {"t3.unavailable.not_held.natural": 2, "t3.refused.duplicate.natural": 1}


def test_the_wrong_number_is_not_a_value() -> None:
    draft = {**NATURAL, "t3.unavailable.not_held.natural": 3}
    assert cells(pipeline.read("刚才说的不掌握3件不对，是2件", Report().with_values(draft))) == {
        "t3.unavailable.not_held.natural": 2}
    carried = {"t3.carried_over.natural": 1, **{f"t3.carried_over.{c}": 0 for c in reg.T3_APPLICANT_COLUMNS[1:]}}
    assert cells(pipeline.read("上年结转应当是2件，我填成1件了", Report().with_values(carried))) == {
        "t3.carried_over.natural": 2}


def test_sentences_of_published_reports_propose_no_wrong_number() -> None:
    # Lines as PDF text gives them (spaces around numbers), from the narrative of real reports.
    assert cells(pipeline.read("2023 年全区受理政府信息公开申请 21 件，均在法定期限答复。")) == {"t3.new.total": 21}
    assert cells(pipeline.read("本报告包括总体情况、政府信息公开行政复议、行政诉讼情况和其他需要报告的事项，共六个部分。")) == {}
    published = pipeline.read("2024 年，我区在政府网站平台主动发布各类政府信息 2428 条，公开政府常务会议 7期，解读信息发布 7 条。")
    assert [c for c in cells(published) if not c.startswith("material.")] == []
    assert {s.section for s in published.material} == {"s1"}
    assert [s.text for s in pipeline.read("针对存在问题，下一步，将切实抓好以下工作：").material] == []


def test_a_label_and_its_value_after_a_colon_are_one_clause() -> None:
    for text, cell in (("个人申请：12件", "t3.new.natural"), ("信息处理费：200元", "s6.fee.collected"),
                       ("规范性文件现行有效：25件", "t2.normative.in_force")):
        doc = pipeline.read(text)
        assert list(cells(doc)) == [cell] and doc.changes[0].evidence == text
    assert len(run("复议2件：1件维持，1件纠正", clauses.segment).clauses) == 3  # a count before the colon: parts follow
