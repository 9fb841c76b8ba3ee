"""The 审核 page through AppTest: from the start page, upload a .zip and last year's files, read them in
the process pool with a progress bar, filter the overview, open one report beside its tables, export."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import review_batch

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    review_batch.build(root / "2024", root / "2023")
    return root / "2024", root / "2023"


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))
    for var in ("NIANBAO_DB_URL", "NIANBAO_DASK_SCHEDULER", "NIANBAO_LLM_BASE_URL", "NIANBAO_LLM_PRESET"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NIANBAO_REVIEW_WORKERS", "2")
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    yield app


def _zip(folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, p.name)
    return out.getvalue()


def _texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in at.get(kind))


def test_review_page_end_to_end(at: AppTest, folders: tuple[Path, Path]) -> None:
    at.button(key="open-review").click().run()
    assert at.query_params["page"] == "review"
    assert at.title[0].value == "批量审核"
    assert at.button(key="run-review").disabled  # nothing uploaded yet

    at.file_uploader(key="review_current").set_value([("2024.zip", _zip(folders[0]), "application/zip")])
    at.file_uploader(key="review_previous").set_value(
        [(p.name, p.read_bytes(), "application/octet-stream") for p in sorted(folders[1].iterdir())])
    at.run()
    at.button(key="run-review").click().run()
    assert not at.exception, at.exception

    metrics = {m.label: m.value for m in at.metric}
    assert metrics["本年度报告"] == "8" and metrics["有错误"] == "2" and metrics["无法读取"] == "1"
    assert metrics["已配对上年报告"] == "4" and metrics["纠错率"].endswith("%")
    markdown = _texts(at, "markdown")
    assert "长春市南关区民康街道办事处" in markdown and "损坏的报告" in markdown
    assert "本机（2个进程）" in _texts(at, "caption")

    table = at.dataframe[0].value
    assert len(table) == 8 and list(table["状态"])[:2] == ["无法读取", "有错误"]
    at.selectbox(key="review_status").set_value("有错误").run()
    assert sorted(at.dataframe[0].value["机关"]) == sorted(
        ["长春市南关区曙光街道办事处", "长春市南关区桃源街道办事处"])
    at.selectbox(key="review_status").set_value("全部")
    at.text_input(key="review_filter").set_value("曙光").run()
    assert list(at.dataframe[0].value["文件"]) == ["2024.zip/曙光街道2024.html"]

    labels = at.selectbox(key="review_pick").options
    pick = next(i for i, label in enumerate(labels) if "曙光" in label)
    at.selectbox(key="review_pick").set_value(pick).run()
    assert not at.exception, at.exception
    errors = _texts(at, "error")
    assert errors.count("CARRY") == 2 and "上年结转" in errors
    grid = at.dataframe[1].value  # table 三 beside the findings, read-only, as the clerk sees it
    assert grid.loc["二、上年结转", "自然人"] == 2
    assert str(grid.loc["二、上年结转", "校验"]).startswith("✘")  # a short reason, as in the clerk's table

    keys = {b.key for b in at.get("download_button")}
    assert {"review-download-xlsx", "review-download-html"} <= keys

    at.button(key="close-review").click().run()
    assert "page" not in at.query_params and at.title[0].value == "年报助手"


def test_an_unreadable_only_batch_is_shown_not_raised(at: AppTest) -> None:
    at.button(key="open-review").click().run()
    at.file_uploader(key="review_current").set_value([("坏的.docx", b"PK\x03\x04 broken", "application/octet-stream")])
    at.run()
    at.button(key="run-review").click().run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["无法读取"] == "1"
    assert "已损坏" in _texts(at, "markdown")
