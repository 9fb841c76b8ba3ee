"""Batch review of a jurisdiction: every real report in fixtures and faithful variants of them
(tests/review_batch.py), read, paired with last year's, validated, summed and listed.

The rule ids expected of each report are in one place below: ``REAL`` holds what the real reports
themselves give (the checks are evolving: update it there), ``PLANTED`` what each variant was built
to show, asserted precisely.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assistant import cells as reg
from assistant.importing import read_bytes
from assistant.review import Review, Upload, review
from assistant.review.jurisdiction import SUMMED_CELLS, rates
from assistant.review.runners import InlineRunner
from assistant.store import DraftStore
from tests import review_batch
from tests.review_batch import comparable

# What the real reports give with their pairs (the validator's rules are evolving: update here).
REAL: dict[str, set[str]] = {
    "洪泽区2024.pdf": {"TEMPLATE-VERSION", "TEXT-TABLE", "PROBLEMS-COPIED", "PROBLEMS-FOLLOWUP"},
    "淮安市2024.pdf": {"PROBLEMS-FOLLOWUP"},  # its 五 says nothing of 2023's problems
    "自强街道2024.txt": set(),
    "自强街道2024（重新报送）.txt": set(),
}
# What each variant was built to show.
PLANTED: dict[str, set[str]] = {
    "自强街道2024.txt": {"REVIEW-DUPLICATE"},
    "自强街道2024（重新报送）.txt": {"REVIEW-DUPLICATE"},
    "永吉街道2024.docx": {"PROBLEMS-COPIED", "PROBLEMS-FOLLOWUP"},  # 五 copied word for word from 2023
    "曙光街道2024.html": {"CARRY-OVER"},
    # The blank 总计 column: one finding whose fix fills the totals from their parts, and the blanks
    # are said; the narrative's "收到…6件" agrees with the parts, so it is no contradiction.
    "桃源街道2024.docx": {"T3-ROW-TOTAL", "BLANK-NOT-ZERO"},
}
PAIRS: dict[str, str | None] = {
    "洪泽区2024.pdf": "洪泽区2023.pdf",  # "淮安市洪泽区人民政府" ↔ "洪泽区人民政府"
    "淮安市2024.pdf": "淮安市2023.html",
    "永吉街道2024.docx": "永吉街道2023.html",  # "长春市南关区永吉街道办事处" ↔ "南关区永吉街道"
    "曙光街道2024.html": "曙光街道2023.docx",
    "桃源街道2024.docx": None,
    "自强街道2024.txt": None,
    "自强街道2024（重新报送）.txt": None,
    "损坏的报告.docx": None,
}
UNREADABLE = "损坏的报告.docx"
# The reports whose tables are summed: the duplicate once, the unreadable file not at all.
SUMMED = ["洪泽区2024.pdf", "淮安市2024.pdf", "自强街道2024.txt", "永吉街道2024.docx", "曙光街道2024.html",
          "桃源街道2024.docx"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    review_batch.build(root / "2024", root / "2023")
    return root / "2024", root / "2023"


@pytest.fixture(scope="module")
def result(folders: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Review:
    store = DraftStore(f"sqlite:///{tmp_path_factory.mktemp('store') / 'review.sqlite3'}")
    return review([folders[0]], [folders[1]], store=store, runner=InlineRunner())


def rules_of(result: Review) -> dict[str, set[str]]:
    return {r.file: {f.rule for f in r.findings} for r in result.reports}


def test_each_report_gives_exactly_its_findings(result: Review) -> None:
    expected = {f: REAL.get(f, set()) | PLANTED.get(f, set()) for f in PAIRS if f != UNREADABLE}
    got = rules_of(result)
    got.pop(UNREADABLE)
    assert got == expected


def test_each_year_is_paired_and_names_the_pair(result: Review) -> None:
    assert {r.file: r.paired_with for r in result.reports} == PAIRS
    assert result.summary.year == 2024 and result.summary.previous_year == 2023
    assert result.summary.paired == 4 and result.summary.previous_reports == 5
    assert result.summary.ambiguous == []


def test_no_error_on_a_correct_real_report(result: Review) -> None:
    for name in ("淮安市2024.pdf", "自强街道2024.txt"):
        row = result.row(name)
        assert row is not None and row.errors == 0, [f.message for f in row.findings] if row else name


def test_a_broken_carry_over_names_both_columns(result: Review) -> None:
    row = result.row("曙光街道2024.html")
    assert row is not None
    carry = [f for f in row.findings if f.rule == "CARRY-OVER"]
    assert sorted(c for f in carry for c in f.cells) == ["t3.carried_over.natural", "t3.carried_over.total"]
    assert all(f.severity == "error" and "2023年报告" in f.message for f in carry)
    assert row.cross_year == 2 and row.errors == 2


def test_a_copied_section_five_gives_its_share(result: Review) -> None:
    row = result.row("永吉街道2024.docx")
    assert row is not None and row.copied and row.copied_share == 1.0
    hongze = result.row("洪泽区2024.pdf")
    assert hongze is not None and hongze.copied and hongze.copied_share == pytest.approx(0.36, abs=0.02)
    clean = result.row("淮安市2024.pdf")
    assert clean is not None and not clean.copied and clean.copied_share is not None and clean.copied_share < 0.1


def test_a_blank_total_column_is_one_finding_naming_each_row(result: Review) -> None:
    row = result.row("桃源街道2024.docx")
    assert row is not None
    totals = {c for f in row.findings if f.rule == "T3-ROW-TOTAL" for c in f.cells if c.endswith(".total")}
    rows_with_numbers = {"new", "granted", "partial", "unavailable.not_held", "processed_total"}
    assert totals == {f"t3.{r}.total" for r in rows_with_numbers}
    assert row.blank_cells == len(reg.T3_ROWS)  # the whole 总计 column, said once
    # One error for the column, whose fix fills each blank total from its parts.
    assert row.errors == 1
    [blank_totals] = [f for f in row.findings if f.rule == "T3-ROW-TOTAL"]
    assert blank_totals.fix is not None


def test_duplicates_are_listed_and_summed_once(result: Review) -> None:
    assert result.summary.duplicates == [["自强街道2024.txt", "自强街道2024（重新报送）.txt"]]
    first, second = result.row("自强街道2024.txt"), result.row("自强街道2024（重新报送）.txt")
    assert first is not None and second is not None
    assert first.summed and not second.summed
    assert "内容完全相同" in second.findings[0].message and "自强街道2024.txt" in second.findings[0].message


def test_missing_and_unreadable_units_are_listed(result: Review) -> None:
    s = result.summary
    assert [(m.agency, m.source) for m in s.missing] == [("长春市南关区民康街道办事处", "上年报告“民康街道2023.md”")]
    assert [u.file for u in s.unreadable_files] == [UNREADABLE]
    row = result.row(UNREADABLE)
    assert row is not None and not row.readable and "已损坏" in (row.error or "")
    assert result.reports[0].file == UNREADABLE  # worst first: what cannot be read at all


def test_rows_are_worst_first(result: Review) -> None:
    readable = [r for r in result.reports if r.readable]
    keys = [(-r.errors, -r.warnings) for r in readable]
    assert keys == sorted(keys)
    assert result.exit_code == 1


def _read(path: Path) -> Any:
    return read_bytes(path.read_bytes(), path.name).report


def test_tables_three_and_four_are_summed_over_the_units(result: Review, folders: tuple[Path, Path]) -> None:
    reports = [_read(folders[0] / name) for name in SUMMED]
    expected = {c: sum(int(r.cells.get(c, 0)) for r in reports) for c in SUMMED_CELLS}
    assert result.summary.totals == expected
    assert result.summary.summed == len(SUMMED)
    assert result.summary.totals["t3.new.natural"] == sum(int(r.cells["t3.new.natural"]) for r in reports)
    assert result.summary.rates == rates(expected)
    corrected = sum(expected[f"t4.{g}.corrected"] for g in ("review", "suit_direct", "suit_after_review"))
    cases = sum(expected[f"t4.{g}.total"] for g in ("review", "suit_direct", "suit_after_review"))
    assert result.summary.rates["correction_rate"] == pytest.approx(corrected / cases, abs=1e-4)


def _zip(folder: Path, *, utf8_names: bool) -> bytes:
    """The folder as a .zip; without the UTF-8 flag, names in GBK as Chinese Windows writes them."""
    out = io.BytesIO()
    names: dict[bytes, bytes] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, path in enumerate(sorted(folder.iterdir())):
            name = path.name
            if not utf8_names:  # an ASCII stand-in of the same length, swapped for the GBK bytes below
                gbk = name.encode("gbk")
                name = f"@@{i:03d}".ljust(len(gbk), "@")
                names[name.encode()] = gbk
            zf.writestr(name, path.read_bytes())
    data = out.getvalue()
    for stand_in, gbk in names.items():
        assert data.count(stand_in) == 2  # the local header and the central directory
        data = data.replace(stand_in, gbk)
    return data


def test_a_zip_gives_what_the_folder_gives(result: Review, folders: tuple[Path, Path], tmp_path: Path) -> None:
    current, previous = tmp_path / "2024.zip", tmp_path / "2023.zip"
    current.write_bytes(_zip(folders[0], utf8_names=False))
    previous.write_bytes(_zip(folders[1], utf8_names=True))
    zipped = review([current], [previous], store=DraftStore(f"sqlite:///{tmp_path / 's.sqlite3'}"),
                    runner=InlineRunner())
    assert {r.file for r in zipped.reports} == {f"2024.zip/{name}" for name in PAIRS}  # GBK names decoded
    assert comparable(zipped, "2024.zip/") == comparable(result)


def test_both_years_in_one_folder(result: Review, folders: tuple[Path, Path], tmp_path: Path) -> None:
    uploads = [Upload(p.name, p.read_bytes()) for folder in folders for p in sorted(folder.iterdir())]
    mixed = review(uploads, store=DraftStore(f"sqlite:///{tmp_path / 's.sqlite3'}"), runner=InlineRunner())
    assert {r.file: r.paired_with for r in mixed.reports} == PAIRS  # last year's files are not rows
    assert rules_of(mixed) == rules_of(result)


class CountingRunner(InlineRunner):
    def __init__(self) -> None:
        self.read: list[str] = []

    def run(self, tasks: Any, fn: Any = None) -> Any:
        for tag, name, data in tasks:
            self.read.append(name)
            yield from super().run([(tag, name, data)])


def test_a_rerun_reads_only_new_files(folders: tuple[Path, Path], tmp_path: Path) -> None:
    store = DraftStore(f"sqlite:///{tmp_path / 's.sqlite3'}")
    first = CountingRunner()
    one = review([folders[0]], [folders[1]], store=store, runner=first)
    # every file once; the duplicate's identical bytes are read once
    assert sorted(first.read) == sorted(p.name for f in folders for p in f.iterdir() if "重新报送" not in p.name)
    again = CountingRunner()
    two = review([folders[0]], [folders[1]], store=store, runner=again)
    assert again.read == []  # a reader's refusal belongs to the bytes: kept as well
    assert comparable(two) == comparable(one)
    assert one.summary.cached == 1 and two.summary.cached == two.summary.files == 13


def test_a_file_the_reader_refuses_is_a_row_not_a_stop(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") * 4)
    (folder / "表格.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    (folder / "空文件.pdf").write_bytes(b"")
    (folder / "~$锁文件.docx").write_bytes(b"junk")  # Word's lock file: not a report, not listed
    result = review([folder], store=DraftStore(f"sqlite:///{tmp_path / 's.sqlite3'}"), runner=InlineRunner())
    errors = {r.file: r.error for r in result.reports}
    assert set(errors) == {"旧格式.doc", "表格.xlsx", "空文件.pdf"}
    # a broken .doc is converted by LibreOffice when it is installed (then found not to be a report)
    assert "旧格式.doc" in (errors["旧格式.doc"] or "") and "空的" in (errors["空文件.pdf"] or "")
    assert result.exit_code == 2


def test_counts_by_severity_match_the_findings(result: Review) -> None:
    for row in result.reports:
        severities = Counter(f.severity.value for f in row.findings)
        assert (row.errors, row.warnings) == (severities["error"], severities["warning"])


def test_json_shape(result: Review) -> None:
    data = json.loads(json.dumps(result.public(), ensure_ascii=False))
    row = data["reports"][0]
    for key in ("file", "agency", "year", "edition", "cells_read", "cells_expected", "paired_with", "findings", "error"):
        assert key in row
    finding = next(f for r in data["reports"] for f in r["findings"])
    assert set(finding) == {"rule", "severity", "cells", "message", "fix"}
    assert {"year", "totals", "rates", "missing", "unreadable_files"} <= set(data["summary"])


def test_the_cache_lives_in_the_drafts_store_on_postgresql(result: Review, folders: tuple[Path, Path]) -> None:
    """An office that points NIANBAO_DB_URL at a shared PostgreSQL server keeps what was read there."""
    from tests.pgserver import temporary_postgres

    with temporary_postgres() as url:
        store = DraftStore(url)
        store.save_read("ab" * 32, "v1", '{"report": null}')
        store.save_read("ab" * 32, "v1", '{"report": 1}')  # a second save of one key keeps the first
        assert store.cached_read("ab" * 32, "v1") == '{"report": null}' and store.cached_read("ab" * 32, "v2") is None
        first = review([folders[0]], [folders[1]], store=store, runner=InlineRunner())
        again = CountingRunner()
        second = review([folders[0]], [folders[1]], store=DraftStore(url), runner=again)
    assert comparable(first) == comparable(result) == comparable(second)
    assert again.read == []
