"""Which reports are one agency's: names as published, and pairing across a batch (never guessed)."""

from __future__ import annotations

import pytest

from assistant.review.names import Resolver, canonical, same_agency
from assistant.review.pairing import Entry, plan


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("洪泽区人民政府", "淮安市洪泽区人民政府"),  # parent city left out
        ("淮安市洪泽区人民政府", "江苏省淮安市洪泽区政府"),  # 人民政府 / 政府, province added
        ("南关区自强街道", "长春市南关区自强街道办事处"),  # a title's short form and the full name
        ("洪泽区", "洪泽区人民政府"),  # a bare place in a title is its government
        ("淮安市发改委", "淮安市发展和改革委员会"),  # a department's common short form
        ("淮安市人民政府办公室（代市政府）", "淮安市人民政府"),  # the name says the office reports for it
        ("淮安市洪泽区人民政府（本级）", "淮安市洪泽区人民政府"),  # a qualifier in brackets
        ("福州市鼓楼区人民政府", "鼓楼区人民政府"),  # "州" inside a city's name is not a level
        ("淮安經濟技術開發區管委會", "淮安经济技术开发区管理委员会"),  # traditional characters
        ("淮安市 洪泽区 人民政府", "淮安市洪泽区人民政府"),  # PDF glyph spacing
    ],
)
def test_one_agency(a: str, b: str) -> None:
    assert same_agency(a, b) and same_agency(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("淮安市人民政府办公室", "淮安市人民政府"),  # a 办公室 is its own agency unless the name says otherwise
        ("淮安市人民政府", "淮安市洪泽区人民政府"),  # a city is not its district
        ("南京市鼓楼区人民政府", "福州市鼓楼区人民政府"),
        ("市场监督管理局", "淮安市市场监督管理局"),  # no place of its own: too little to say
        ("长春市南关区自强街道办事处", "长春市南关区永吉街道办事处"),
        ("淮安市财政局", "淮安市人民政府"),
    ],
)
def test_not_one_agency(a: str, b: str) -> None:
    assert not same_agency(a, b)


def test_canonical_forms() -> None:
    assert canonical("长春市南关区自强街道办事处") == "长春市南关区自强街道"
    assert canonical("洪泽区人民政府") == "洪泽区政府"
    assert canonical("淮安市人民政府办公室") == "淮安市政府办公室"


def test_a_short_name_beside_two_full_ones_is_ambiguous() -> None:
    resolver = Resolver(["鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区人民政府"])
    short = resolver.identity("鼓楼区人民政府")
    assert not short.full and short.ambiguous == {"南京市鼓楼区政府", "福州市鼓楼区政府"}
    assert resolver.identity("南京市鼓楼区人民政府").full == {"南京市鼓楼区政府"}


def _entries(current: list[tuple[str, str]], previous: list[tuple[str, str]]) -> list[Entry]:
    out = [Entry(i, f, "current", sha256=f, reader="r", agency=a, year=2024) for i, (f, a) in enumerate(current)]
    out += [Entry(100 + i, f, "previous", sha256=f, reader="r", agency=a, year=2023)
            for i, (f, a) in enumerate(previous)]
    return out


def test_pairing_lists_what_it_cannot_decide() -> None:
    entries = _entries(
        [("a.pdf", "鼓楼区人民政府"), ("b.pdf", "淮安市洪泽区人民政府"), ("c.pdf", "淮安市人民政府办公室"),
         ("d.pdf", "淮安市清江浦区人民政府")],
        [("p1.pdf", "南京市鼓楼区人民政府"), ("p2.pdf", "福州市鼓楼区人民政府"), ("p3.pdf", "洪泽区人民政府"),
         ("p4.pdf", "淮安市人民政府"), ("p5.pdf", "清江浦区人民政府"), ("p6.pdf", "淮安市清江浦区政府")],
    )
    p = plan(entries, separate_previous=True)
    by_file = {e.index: e.file for e in entries}
    assert {by_file[i]: e.file for i, e in p.pairs.items()} == {"b.pdf": "p3.pdf"}
    ambiguous = {by_file[i]: (key, [c.file for c in cands]) for i, (key, cands) in p.ambiguous.items()}
    assert ambiguous == {
        "a.pdf": ("ambiguous", ["p1.pdf", "p2.pdf"]),  # which 鼓楼区?
        "d.pdf": ("several", ["p5.pdf", "p6.pdf"]),  # two different files for one agency last year
    }
    # 淮安市人民政府 has no report this year (its 办公室 is not it); 鼓楼区 is present, if unclear which
    assert [a for a, _ in p.missing] == ["淮安市人民政府"]


def test_identical_files_of_last_year_still_pair() -> None:
    entries = _entries([("a.pdf", "洪泽区人民政府")], [("p1.pdf", "洪泽区人民政府"), ("p2.pdf", "淮安市洪泽区人民政府")])
    entries[2].sha256 = entries[1].sha256  # the same bytes sent twice last year
    p = plan(entries, separate_previous=True)
    assert p.pairs[0].file == "p1.pdf" and not p.ambiguous


def test_duplicates_by_name_or_by_bytes() -> None:
    entries = _entries([("a.pdf", "洪泽区人民政府"), ("b.docx", "淮安市洪泽区人民政府"), ("c.pdf", "淮安市人民政府")], [])
    p = plan(entries, separate_previous=True)
    assert {i: [o.file for o in others] for i, others in p.duplicates.items()} == {0: ["b.docx"], 1: ["a.pdf"]}
    assert p.summed == {0, 2}


def test_the_year_under_review() -> None:
    same_folder = _entries([("a.pdf", "甲县人民政府"), ("b.pdf", "乙县人民政府")], [])
    same_folder[1].year = 2023
    p = plan(same_folder, separate_previous=False)
    assert p.year == 2024 and [e.file for e in p.rows] == ["a.pdf"] and [e.file for e in p.previous] == ["b.pdf"]
    assert plan(same_folder, separate_previous=False, year=2023).year == 2023
    roster = plan(_entries([("a.pdf", "甲县人民政府")], []), separate_previous=True, roster=["甲县", "乙县人民政府"])
    assert roster.missing == [("乙县人民政府", "应报送单位名单")]
