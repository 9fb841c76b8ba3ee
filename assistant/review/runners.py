"""Where the files of a batch are read: in this process, in a local process pool, or on a Dask cluster.

All three take the same tasks (``read_one(name, data)``) and yield results as they finish. Only a
bounded number of tasks is in flight at once (twice the workers), so the bytes waiting to be read
do not grow with the batch. A worker that dies (a crash inside a PDF library, the out-of-memory
killer) loses the files it held, not the batch: a local pool is started again and the files that
were in flight are read once more, each alone, so that the one that kills its worker is named.
On a cluster, Dask reschedules lost tasks itself; a task that keeps losing its worker comes back
as that file's error.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from assistant.errors import AssistantError
from assistant.review.reading import ReadOutcome, lost, read_one, reader_version

Task = tuple[Any, str, bytes]  # (tag, name, data)
ReadFn = Callable[[str, bytes], ReadOutcome]
LOST = "读取该文件时处理进程意外退出（文件可能过大或结构异常），已跳过。"
SCHEDULER_ENV = "NIANBAO_DASK_SCHEDULER"
TIMEOUT_ENV = "NIANBAO_DASK_TIMEOUT"  # seconds to reach the scheduler and hear from a worker
WORKERS_ENV = "NIANBAO_REVIEW_WORKERS"


class ClusterError(AssistantError):
    """The Dask cluster cannot be used (unreachable, no workers, workers without 年报助手)."""


class Runner(Protocol):
    name: str
    workers: int

    def run(self, tasks: Iterable[Task], fn: ReadFn = read_one) -> Iterator[tuple[Any, ReadOutcome]]: ...

    def close(self) -> None: ...


def default_workers() -> int:
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, os.cpu_count() or 1)


class InlineRunner:
    """Reads in this process, one file after another (one worker, or a single file)."""

    name = "本机（单进程）"
    workers = 1

    def run(self, tasks: Iterable[Task], fn: ReadFn = read_one) -> Iterator[tuple[Any, ReadOutcome]]:
        for tag, name, data in tasks:
            yield tag, fn(name, data)

    def close(self) -> None:
        pass


class LocalPoolRunner:
    """A pool of worker processes on this machine (spawned: safe inside the app's threads)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self.name = f"本机（{self.workers}个进程）"
        self._context = multiprocessing.get_context("spawn")
        self._pool: ProcessPoolExecutor | None = None

    def _fresh(self, workers: int | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers or self.workers, mp_context=self._context)

    def run(self, tasks: Iterable[Task], fn: ReadFn = read_one) -> Iterator[tuple[Any, ReadOutcome]]:
        window = 2 * self.workers
        pending: dict[Future[ReadOutcome], Task] = {}
        suspects: list[Task] = []
        source = iter(tasks)
        exhausted = False
        self._pool = self._pool or self._fresh()
        while True:
            while not exhausted and len(pending) < window:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                pending[self._pool.submit(fn, task[1], task[2])] = task
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task = pending.pop(future)
                try:
                    yield task[0], future.result()
                except BrokenProcessPool:
                    broken = True
                    suspects.append(task)
            if broken:
                # Every file still in flight went down with the pool: read each again alone.
                suspects.extend(pending.values())
                pending.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                yield from self._isolated(suspects, fn)
                suspects = []
                self._pool = self._fresh()

    def _isolated(self, tasks: list[Task], fn: ReadFn) -> Iterator[tuple[Any, ReadOutcome]]:
        pool = self._fresh(1)
        try:
            for tag, name, data in tasks:
                try:
                    yield tag, pool.submit(fn, name, data).result()
                except BrokenProcessPool:
                    yield tag, lost(LOST)
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._fresh(1)
        finally:
            pool.shutdown(wait=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskRunner:
    """An existing Dask distributed cluster, reached through its scheduler (``tcp://HOST:8786``).

    Every worker needs 年报助手 installed (the same version as here: the reader version is compared
    before any file is sent). Workers are best started with ``--nthreads 1``: reading is CPU-bound.
    """

    def __init__(self, address: str, *, timeout: float | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError("未安装 Dask（dask[distributed]），无法使用集群。请先安装后再试。") from None
        self.address = address
        if timeout is None:
            configured = os.environ.get(TIMEOUT_ENV, "").strip()
            timeout = float(configured) if configured.replace(".", "", 1).isdigit() else 20.0
        try:
            self.client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise ClusterError(
                f"无法连接 Dask 调度器“{address}”：{e}。请检查地址和端口，以及调度器是否已启动。"
            ) from None
        try:
            self.workers = self._check(timeout)
        except BaseException:
            self.client.close()
            raise
        self.name = f"Dask 集群（{address}，{self.workers}个线程）"

    def _check(self, timeout: float) -> int:
        """The cluster's worker threads, once every worker has shown it runs the same reader as here."""
        from distributed import TimeoutError as DaskTimeout

        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (TimeoutError, DaskTimeout):
            raise ClusterError(
                f"Dask 调度器“{self.address}”上没有可用的工作节点（worker）。请先启动工作节点。"
            ) from None
        try:
            versions = self.client.run(reader_version, on_error="return")  # on every worker
        except Exception as e:
            versions = {"?": e}
        broken = [v for v in versions.values() if isinstance(v, BaseException)]
        if broken:
            raise ClusterError(
                f"Dask 集群有{len(broken)}个工作节点无法运行年报助手（{type(broken[0]).__name__}）。"
                "请在每个工作节点上安装与本机相同版本的年报助手。"
            )
        differ = [v for v in versions.values() if v != reader_version()]
        if differ:
            raise ClusterError(
                f"Dask 集群有{len(differ)}个工作节点上的年报助手版本与本机不同，读取结果可能不一致。"
                "请在每个工作节点上安装与本机相同的版本。"
            )
        return max(1, sum(self.client.nthreads().values()))

    def run(self, tasks: Iterable[Task], fn: ReadFn = read_one) -> Iterator[tuple[Any, ReadOutcome]]:
        from distributed import as_completed

        window = 2 * self.workers
        tags: dict[Any, Task] = {}  # future key → task
        flowing = as_completed(loop=self.client.loop)
        in_flight = 0
        source = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and in_flight < window:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                data: Any = task[2]
                if len(data) > 1_000_000:  # large bytes travel on their own, not inside the task graph
                    data = self.client.scatter(data, hash=False)
                future = self.client.submit(fn, task[1], data, pure=False)
                tags[future.key] = task
                flowing.add(future)
                in_flight += 1
            if in_flight == 0:
                break
            future = next(flowing)
            in_flight -= 1
            task = tags.pop(future.key)
            if future.status == "finished":
                yield task[0], future.result()
            else:
                yield task[0], lost(LOST)
            future.release()

    def close(self) -> None:
        self.client.close()


def make_runner(*, scheduler: str | None = None, workers: int | None = None) -> Runner:
    """The runner for a batch: the cluster named (or in NIANBAO_DASK_SCHEDULER), else a local pool
    (its processes start on the first file not already read), else this process for one worker."""
    address = scheduler or os.environ.get(SCHEDULER_ENV, "").strip() or None
    if address:
        return DaskRunner(address)
    count = workers or default_workers()
    return InlineRunner() if count <= 1 else LocalPoolRunner(count)
