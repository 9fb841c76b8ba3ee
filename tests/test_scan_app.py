"""The app with scans: marked numbers beside their pictures in 检查, confirmed or corrected in one click,
and a scan imported with its progress shown page by page."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.model import Report, SourceNotes, UncertainCell
from assistant.store import DraftStore, default_url
from assistant.workspace import Workspace
from tests.helpers import FIXTURES, flat_fixture

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NIANBAO_DB_URL", raising=False)
    for var in ("NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_PRESET", "NIANBAO_LLM_MODEL", "NIANBAO_LLM_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    yield app


def open_marked(at: AppTest) -> Workspace:
    report = Report.from_flat(flat_fixture("huaian-city-2024"))
    marks = {
        "t3.new.natural": UncertainCell(reason="识别把握不足（61%）", text="3001", confidence=0.61,
                                        crop=base64.b64encode(PNG).decode()),
        "t4.review.total": UncertainCell(reason="与表内合计不符：**粗体**<b>x</b>", text="351", confidence=0.99),
    }  # fmt: skip
    ws = Workspace.create(DraftStore(default_url()), report.model_copy(update={"source": SourceNotes(uncertain_cells=marks)}))
    at.query_params["draft"] = ws.draft.id
    at.run()
    at.segmented_control(key="view").set_value("检查").run()
    assert not at.exception, at.exception
    return ws


def current(ws: Workspace) -> Workspace:
    return Workspace.open(DraftStore(default_url()), ws.draft.id)


def test_marked_numbers_are_shown_beside_their_pictures_and_confirmed(at: AppTest) -> None:
    ws = open_marked(at)
    assert any("扫描件识别待确认（2）" in s.value for s in at.subheader)
    assert "扫描识别待确认 2" in " ".join(c.value for c in at.caption)
    shown = "\n".join(m.value for m in at.markdown)
    assert "本年新收" in shown and "识别为：**3001**" in shown
    assert "\\*\\*粗体\\*\\*&lt;b&gt;x&lt;/b&gt;" in "\n".join(c.value for c in at.caption)  # file text is inert
    assert len(at.get("image")) == 1  # the picture of the one mark that has one
    at.button(key=f"scan-ok-t3.new.natural-{ws.revision}").click().run()
    assert not at.exception, at.exception
    after = current(ws)
    assert list(after.report.uncertain) == ["t4.review.total"] and after.draft.steps[-1].source == "confirm"
    fix_key = f"scan-fix-t4.review.total-{after.revision}"
    at.text_input(key=fix_key).set_value("352").run()
    at.button(key=f"scan-set-t4.review.total-{after.revision}").click().run()
    final = current(ws)
    assert final.report.uncertain == {} and final.report.get("t4.review.total") == 352
    assert not [s for s in at.subheader if "扫描件识别待确认" in s.value]


def test_a_photo_of_last_years_report_prefills_with_progress(at: AppTest) -> None:
    photo = (FIXTURES / "scan" / "huaian-2024-p5-photo.jpg").read_bytes()
    at.file_uploader(key="last_year_file").upload("去年的报告.jpg", photo, "image/jpeg")
    at.run()  # read at once, in the page's own run, with a progress bar page by page
    assert not at.exception, at.exception
    assert at.get("progress"), "no progress shown while the photo was read"
    at.number_input(key="prefill_year").set_value(2025).run()
    if at.button(key="prefill").disabled:  # a photo of one table page does not say its year: confirm it
        at.checkbox(key="confirm_year").check().run()
    at.button(key="prefill").click().run()
    assert not at.exception, at.exception
    store = DraftStore(default_url())
    (summary,) = store.summaries()
    report = Workspace.open(store, summary.id).report
    assert report.get("t3.carried_over.natural") == 103 and report.get("t3.carried_over.total") == 103
    assert report.previous is not None and report.previous.get("t4.review.total") == 351
