"""The batch review on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes
started here on free ports, reached as a supervisor would (``--scheduler`` / NIANBAO_DASK_SCHEDULER).
The result must equal the local run's; the processes are stopped whatever happens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.review import review
from assistant.review.runners import InlineRunner
from assistant.store import DraftStore
from tests import review_batch
from tests.appserver import ROOT
from tests.daskcluster import dask_cluster
from tests.review_batch import comparable


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("batch")
    review_batch.build(root / "2024", root / "2023")
    return root / "2024", root / "2023"


def test_a_dask_cluster_gives_what_the_local_run_gives(folders: tuple[Path, Path], tmp_path: Path) -> None:
    local = review([folders[0]], [folders[1]], store=DraftStore(f"sqlite:///{tmp_path / 'local.sqlite3'}"),
                   runner=InlineRunner())
    with dask_cluster(tmp_path / "dask") as address:
        on_cluster = review([folders[0]], [folders[1]], scheduler=address,
                            store=DraftStore(f"sqlite:///{tmp_path / 'cluster.sqlite3'}"))
        assert on_cluster.summary.runner == f"Dask 集群（{address}，2个线程）"
        assert comparable(on_cluster) == comparable(local)

        # The command line, pointed at the cluster by the environment, as the README shows.
        env = {**os.environ, "NIANBAO_DASK_SCHEDULER": address, "NIANBAO_DATA_DIR": str(tmp_path / "cli"),
               "PYTHONIOENCODING": "utf-8"}
        env.pop("NIANBAO_DB_URL", None)
        p = subprocess.run([sys.executable, "-m", "assistant", "review", str(folders[0]), "--previous",
                            str(folders[1]), "--json", "--quiet"], capture_output=True, text=True, env=env,
                           timeout=300, check=False, cwd=ROOT)
        assert p.returncode == 1, p.stderr
        data = json.loads(p.stdout)
        assert data["summary"]["runner"].startswith("Dask 集群") and data["summary"]["cached"] == 1
        assert [r["findings"] for r in data["reports"]] == [r["findings"] for r in local.public()["reports"]]


def test_a_scheduler_without_workers_is_said_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.errors import AssistantError

    monkeypatch.setenv("NIANBAO_DASK_TIMEOUT", "3")
    with dask_cluster(tmp_path / "dask", workers=0) as address, pytest.raises(AssistantError, match="没有可用的工作节点"):
        review([review_batch.REAL / "ziqiang-street-2024.txt"], scheduler=address,
               store=DraftStore(f"sqlite:///{tmp_path / 's.sqlite3'}"))
