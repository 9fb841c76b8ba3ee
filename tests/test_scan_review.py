"""Numbers read from a scan that the clerk must confirm: which are marked, and how a mark goes.

No OCR runs here: a Word report's grids are given the confidence and picture a scan's slots carry,
so the marking rules, the confirmation, undo and prefill are checked in milliseconds.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import editing
from assistant.changes import Change
from assistant.importing.assemble import assemble
from assistant.model import Report, SourceNotes, UncertainCell
from assistant.prefill import prefill
from assistant.reading.document import Document, Grid, Slot
from assistant.reading.docx import read_docx
from assistant.store import DraftStore
from assistant.workspace import Workspace
from tests.helpers import FIXTURES, flat_fixture

DOCX = FIXTURES / "import" / "filled-template-2021.docx"
PNG = b"\x89PNG\r\n\x1a\n" + b"picture"


def scanned(doc: Document, changed: dict[tuple[str, int], tuple[str, float]] | None = None) -> Document:
    """The document as if read by OCR: every slot sure of itself, except the ``changed`` ones.

    ``changed`` maps (words of a row label, index of the value in that row) → (text read, confidence).
    """
    changed = changed or {}
    for block in doc.blocks:
        if not isinstance(block, Grid):
            continue
        for r, row in enumerate(block.slots):
            labels = "".join(s.text for s in row if s is not None and not s.text.strip().isdigit())
            values: list[Slot] = []
            for c, slot in enumerate(row):
                if slot is None or slot.row != r or slot.col != c:
                    continue
                if slot.text.strip().isdigit():
                    values.append(slot)
            for i, slot in enumerate(values):
                text, confidence = next(
                    (v for (words, k), v in changed.items() if words in labels and k == i), (slot.text, 0.99)
                )
                new = replace(slot, text=text, confidence=confidence, crop_png=PNG)
                for rr, rrow in enumerate(block.slots):
                    for cc, s in enumerate(rrow):
                        if s is slot:
                            block.slots[rr][cc] = new
    return doc


def read(changed: dict[tuple[str, int], tuple[str, float]] | None = None) -> Report:
    doc = scanned(read_docx(DOCX.read_bytes(), DOCX.name), changed)
    report, _notes, _where = assemble(doc, DOCX.name, "pdf-scan")
    return report


def test_a_reading_the_recogniser_doubts_is_marked_with_its_picture() -> None:
    report = read({("属于国家秘密", 0): ("0", 0.42)})
    assert list(report.uncertain) == ["t3.denied.state_secret.natural"]
    mark = report.uncertain["t3.denied.state_secret.natural"]
    assert mark.reason == "识别把握不足（42%）" and mark.text == "0" and mark.confidence == 0.42
    assert base64.b64decode(mark.crop or "") == PNG
    assert report.get("t3.denied.state_secret.natural") == 0  # read as printed; the clerk decides


def test_a_misreading_the_arithmetic_contradicts_is_the_cell_its_row_and_column_share() -> None:
    clean = read()
    assert clean.uncertain == {}
    granted = clean.get("t3.granted.natural")
    assert isinstance(granted, int)
    report = read({("予以公开", 0): (str(granted + 3), 0.97)})  # a confident misreading
    assert report.get("t3.granted.natural") == granted + 3
    assert list(report.uncertain) == ["t3.granted.natural"]
    assert "与表内合计不符" in report.uncertain["t3.granted.natural"].reason


def test_documents_with_a_text_layer_are_never_marked() -> None:
    report, _notes, _where = assemble(read_docx(DOCX.read_bytes(), DOCX.name), DOCX.name, "docx")
    assert report.source is not None and report.source.uncertain_cells == {}


def marked() -> Report:
    report = Report.from_flat(flat_fixture("huaian-city-2024"))
    marks = {
        "t3.new.natural": UncertainCell(reason="识别把握不足（61%）", text="3001", confidence=0.61),
        "t4.review.total": UncertainCell(reason="与表内合计不符", text="351", confidence=0.99),
    }
    return report.model_copy(update={"source": SourceNotes(uncertain_cells=marks)})


def test_confirming_takes_the_mark_away_as_a_recorded_step_that_can_be_undone() -> None:
    draft = editing.start(marked())
    confirmed = editing.confirm(draft, ["t3.new.natural", "t2.rules.issued"])  # a cell without a mark is ignored
    assert list(confirmed.report.uncertain) == ["t4.review.total"]
    step = confirmed.steps[-1]
    assert step.source == "confirm" and "本年新收" in step.summary
    assert [(c.cell, c.old, c.new) for c in step.changes] == [("t3.new.natural", 3001, 3001)]
    assert confirmed.report.get("t3.new.natural") == 3001
    undone = editing.undo(confirmed)
    assert set(undone.report.uncertain) == {"t3.new.natural", "t4.review.total"}
    assert list(editing.redo(undone).report.uncertain) == ["t4.review.total"]
    assert editing.confirm(confirmed, ["t3.new.natural"]) is confirmed  # nothing left to confirm: no step


def test_the_clerks_correction_takes_the_mark_away_and_undo_brings_both_back() -> None:
    draft = editing.start(marked())
    fixed = editing.apply(draft, [Change(cell="t3.new.natural", value=3002, evidence="手工填写")], source="edit")
    assert fixed.report.get("t3.new.natural") == 3002 and "t3.new.natural" not in fixed.report.uncertain
    undone = editing.undo(fixed)
    assert undone.report.get("t3.new.natural") == 3001 and "t3.new.natural" in undone.report.uncertain


def test_the_workspace_saves_a_confirmation(tmp_path: Path) -> None:
    store = DraftStore(f"sqlite:///{tmp_path / 'drafts.sqlite3'}")
    ws = Workspace.create(store, marked())
    assert ws.confirm_cells(["t4.review.total"])
    again = Workspace.open(store, ws.draft.id)
    assert list(again.report.uncertain) == ["t3.new.natural"]
    assert again.draft.steps[-1].source == "confirm"
    assert store.history(ws.draft.id)[-1]["source"] == "confirm"


def test_prefill_keeps_the_mark_of_a_carried_over_number() -> None:
    last = Report.from_flat(flat_fixture("huaian-city-2024"))
    mark = UncertainCell(reason="识别把握不足（55%）", text="103", confidence=0.55)
    last = last.model_copy(update={"source": SourceNotes(uncertain_cells={"t3.carried_forward.natural": mark})})
    draft = prefill(last, 2025)
    assert list(draft.uncertain) == ["t3.carried_over.natural"]
    assert draft.uncertain["t3.carried_over.natural"].reason.startswith("上年报告（扫描件）")


def test_marks_name_known_cells_and_keep_their_pictures_small() -> None:
    with pytest.raises(ValidationError):
        SourceNotes(uncertain_cells={"t9.nothing": UncertainCell(reason="x")})
    with pytest.raises(ValidationError):
        UncertainCell(reason="x", crop="A" * 50_000)
