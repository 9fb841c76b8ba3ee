"""Reading in a local process pool: the same result as in one process, and a worker that dies loses
only its own file (named, not guessed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.review import review
from assistant.review.reading import ReadOutcome, read_one
from assistant.review.runners import LOST, InlineRunner, LocalPoolRunner, make_runner
from assistant.store import DraftStore
from tests import review_batch
from tests.review_batch import comparable


def crash_on_poison(name: str, data: bytes) -> ReadOutcome:
    """A reader that takes its worker down on one file, as a crash inside a PDF library would."""
    if "poison" in name:
        os._exit(3)
    return read_one(name, data)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    review_batch.build(root / "2024", root / "2023")
    return root / "2024", root / "2023"


def test_a_process_pool_gives_what_one_process_gives(folders: tuple[Path, Path], tmp_path: Path) -> None:
    inline = review([folders[0]], [folders[1]], store=DraftStore(f"sqlite:///{tmp_path / 'a.sqlite3'}"),
                    runner=InlineRunner())
    pool = LocalPoolRunner(2)
    try:
        pooled = review([folders[0]], [folders[1]], store=DraftStore(f"sqlite:///{tmp_path / 'b.sqlite3'}"),
                        runner=pool)
    finally:
        pool.close()
    assert comparable(pooled) == comparable(inline)
    assert pooled.summary.cached == inline.summary.cached == 1  # only the duplicate


def test_a_worker_that_dies_loses_only_its_file(folders: tuple[Path, Path]) -> None:
    files = sorted(folders[0].iterdir())[:5]
    tasks = [(p.name, p.name, p.read_bytes()) for p in files]
    tasks.insert(2, ("poison.pdf", "poison.pdf", b"%PDF-1.4"))
    pool = LocalPoolRunner(2)
    try:
        results = dict(pool.run(tasks, crash_on_poison))
        again = dict(pool.run(tasks[:2], crash_on_poison))  # the pool works on after the crash
    finally:
        pool.close()
    assert set(results) == {t[0] for t in tasks}
    assert results["poison.pdf"].error == LOST and not results["poison.pdf"].lasting
    for name, outcome in results.items():
        if name != "poison.pdf":
            assert outcome.error is None or "损坏" in outcome.error, (name, outcome.error)
    assert all(o.error is None or "损坏" in o.error for o in again.values())


def test_the_runner_is_chosen_by_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_DASK_SCHEDULER", raising=False)
    assert isinstance(make_runner(workers=1), InlineRunner)
    pool = make_runner(workers=3)
    assert isinstance(pool, LocalPoolRunner) and pool.workers == 3
    monkeypatch.setenv("NIANBAO_REVIEW_WORKERS", "1")
    assert isinstance(make_runner(), InlineRunner)


class _StubClient:
    """What DaskRunner asks of a cluster before sending any file, answered as a mixed cluster would."""

    def __init__(self, versions: dict[str, object]) -> None:
        self.versions = versions

    def wait_for_workers(self, n: int, timeout: float) -> None:
        pass

    def run(self, fn: object, on_error: str) -> dict[str, object]:
        return self.versions

    def nthreads(self) -> dict[str, int]:
        return dict.fromkeys(self.versions, 1)


@pytest.mark.parametrize(
    ("versions", "said"),
    [
        ({"w0": "mine", "w1": "0123456789abcdef"}, "1个工作节点上的年报助手版本与本机不同"),
        ({"w0": "mine", "w1": ModuleNotFoundError("assistant")}, "1个工作节点无法运行年报助手（ModuleNotFoundError）"),
    ],
)
def test_a_cluster_that_would_read_differently_is_refused(versions: dict[str, object], said: str) -> None:
    from assistant.review.reading import reader_version
    from assistant.review.runners import ClusterError, DaskRunner

    runner = DaskRunner.__new__(DaskRunner)
    runner.address = "tcp://stub:8786"
    runner.client = _StubClient({w: reader_version() if v == "mine" else v for w, v in versions.items()})  # type: ignore[assignment]
    with pytest.raises(ClusterError, match=said):
        runner._check(1.0)
    runner.client = _StubClient({"w0": reader_version(), "w1": reader_version()})  # type: ignore[assignment]
    assert runner._check(1.0) == 2
