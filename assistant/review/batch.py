"""A batch review from start to end: list the files, read them (in parallel, skipping what was read
before), pair the years, validate each report with last year's, and sum the jurisdiction.

Phase one reads: every file's bytes are hashed; a file read before by the same reader is taken
from the store, identical files are read once, the rest go to the runner (this process, a local
pool, or a Dask cluster). What comes back is kept in the store (the drafts database), and only a
few facts of each file stay in memory (its name, agency, year, hash).

Phase two checks, one report at a time: the report and last year's are loaded from the store,
validated, turned into a row and added to the sums, then dropped. Memory holds the rows and the
sums, never every report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.errors import InputError
from assistant.model import Report
from assistant.review import overview
from assistant.review.jurisdiction import Totals
from assistant.review.pairing import Entry, Plan, plan
from assistant.review.progress import Progress, ProgressFn
from assistant.review.reading import ReadOutcome, content_hash, reader_version
from assistant.review.results import Missing, Review, Row, Summary, Unreadable
from assistant.review.runners import Runner, Task, make_runner
from assistant.review.sources import Input, Sources
from assistant.store import DraftStore


def review(
    current: Sequence[Input],
    previous: Sequence[Input] = (),
    *,
    store: DraftStore | None = None,
    runner: Runner | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    year: int | None = None,
    roster: Sequence[str] = (),
    progress: ProgressFn | None = None,
) -> Review:
    """Review this year's reports in ``current`` (folders, .zip files, files or uploads), with last
    year's in ``previous`` or among them. ``runner`` (or ``scheduler``/``workers``) says where files
    are read; ``store`` keeps what was read (the default drafts database)."""
    started = time.monotonic()
    store = store or DraftStore()
    own_runner = runner is None
    with Sources(current, previous) as sources:
        runner = runner or make_runner(scheduler=scheduler, workers=workers)
        try:
            entries = _read_all(sources, store, runner, progress)
        finally:
            if own_runner:
                runner.close()
    the_plan = plan(entries, separate_previous=bool(previous), year=year, roster=list(roster))
    rows, totals = _check_all(the_plan, store, progress)
    summary = _summary(entries, the_plan, rows, totals, runner.name, time.monotonic() - started)
    return Review(reports=rows, summary=summary)


# ---------------------------------------------------------------------------------------------
# Phase one: reading


def _read_all(sources: Sources, store: DraftStore, runner: Runner, progress: ProgressFn | None) -> list[Entry]:
    version = reader_version()
    state = Progress(total=len(sources))
    entries: list[Entry] = []
    waiting: dict[str, list[Entry]] = {}  # hash → files with these bytes, read once
    known: dict[str, Entry] = {}  # hash → the first file with these bytes already read

    def finish(entry: Entry) -> None:
        state.done += 1
        state.failed += not entry.readable
        state.cached += entry.cached
        if progress:
            progress(state)

    def tasks() -> Iterator[Task]:
        for index, source in enumerate(sources):
            entry = Entry(index, source.name, source.role)
            entries.append(entry)
            try:
                data = sources.load(source)
            except InputError as e:
                entry.error = e.message
                finish(entry)
                continue
            sha = entry.sha256 = content_hash(data)
            if sha in waiting:
                waiting[sha].append(entry)
                continue
            if sha in known:
                _copy(known[sha], entry)
                finish(entry)
                continue
            cached = store.cached_read(sha, version)
            if cached is not None:
                _learn(entry, ReadOutcome.from_json(version, cached), cached=True)
                known[sha] = entry
                finish(entry)
                continue
            waiting[sha] = [entry]
            state.mark_read_started()
            yield sha, source.name, data

    if progress:
        progress(state)
    for sha, outcome in runner.run(tasks()):
        if outcome.lasting:
            store.save_read(sha, outcome.reader, outcome.to_json())
        first, *same = waiting.pop(sha)
        _learn(first, outcome, cached=False)
        if outcome.lasting:
            known[sha] = first
        finish(first)
        for entry in same:
            _copy(first, entry)
            finish(entry)
    return entries


def _learn(entry: Entry, outcome: ReadOutcome, *, cached: bool) -> None:
    entry.reader = outcome.reader
    entry.cached = cached
    entry.error = outcome.error
    if outcome.report_json:
        meta: dict[str, Any] = json.loads(outcome.report_json).get("meta") or {}
        entry.agency = meta.get("agency")
        entry.year = meta.get("year")
    elif entry.error is None:
        entry.error = "未能读出报告内容。"


def _copy(first: Entry, entry: Entry) -> None:
    entry.reader, entry.agency, entry.year, entry.error = first.reader, first.agency, first.year, first.error
    entry.cached = True


# ---------------------------------------------------------------------------------------------
# Phase two: checking


def load(store: DraftStore, sha256: str, reader: str) -> tuple[Report, list[str]]:
    """A report read earlier (and its reader's notes), from the store."""
    text = store.cached_read(sha256, reader)
    if text is None:
        raise InputError("该报告的读取结果已不在缓存中，请重新审核。")
    data = json.loads(text)
    if data.get("report") is None:
        raise InputError(data.get("error") or "未能读出报告内容。")
    return Report.model_validate(data["report"]), list(data.get("notes") or [])


def _check_all(p: Plan, store: DraftStore, progress: ProgressFn | None) -> tuple[list[Row], Totals]:
    totals = Totals()
    rows: list[Row] = []
    state = Progress(total=len(p.rows), stage="核对")
    for entry in p.rows:
        rows.append(_check(entry, p, store, totals))
        state.done += 1
        state.failed += not entry.readable
        if progress and (state.done % 25 == 0 or state.done == state.total):
            progress(state)
    rows.sort(key=Row.sort_key)
    return rows, totals


def _check(entry: Entry, p: Plan, store: DraftStore, totals: Totals) -> Row:
    if not entry.readable or entry.sha256 is None or entry.reader is None:
        return overview.unreadable_row(entry)
    try:
        report, notes = load(store, entry.sha256, entry.reader)
    except InputError as e:
        entry.error = e.message
        return overview.unreadable_row(entry)
    previous: Report | None = None
    pair = p.pairs.get(entry.index)
    if pair is not None and pair.sha256 and pair.reader:
        try:
            previous, _ = load(store, pair.sha256, pair.reader)
        except InputError:
            previous = None
    row = overview.report_row(entry, report, notes, p, previous)
    if row.summed and p.in_year(entry):
        totals.add(report)
    else:
        row.summed = False
    return row


def _summary(entries: list[Entry], p: Plan, rows: list[Row], totals: Totals, runner: str, seconds: float) -> Summary:
    years: dict[str, int] = {}
    for e in entries:
        if e.readable:
            key = str(e.year) if e.year else "未知"
            years[key] = years.get(key, 0) + 1
    by_index = {e.index: e for e in p.rows}
    groups = {tuple(sorted([by_index[i].file, *(o.file for o in others)])) for i, others in p.duplicates.items()}
    return Summary(
        year=p.year,
        previous_year=p.year - 1 if p.year else None,
        files=len(entries),
        reports=len(rows),
        readable=sum(1 for r in rows if r.readable),
        unreadable=sum(1 for r in rows if not r.readable),
        previous_reports=len(p.previous),
        paired=sum(1 for r in rows if r.paired_with),
        with_errors=sum(1 for r in rows if r.errors),
        with_warnings=sum(1 for r in rows if r.warnings),
        errors=sum(r.errors for r in rows),
        warnings=sum(r.warnings for r in rows),
        cached=sum(1 for e in entries if e.cached),
        summed=totals.reports,
        incomplete=totals.incomplete,
        years=dict(sorted(years.items())),
        missing=[Missing(agency=a, source=s) for a, s in p.missing],
        unreadable_files=[Unreadable(file=e.file, role="本年" if e.role == "current" else "上年", error=e.error or "")
                          for e in entries if not e.readable],
        ambiguous=sorted(by_index[i].file for i in p.ambiguous),
        duplicates=sorted(list(g) for g in groups),
        ignored_previous=[e.file for e in p.ignored_previous if e.readable],
        totals=dict(totals.sums) if totals.reports else {},
        rates=totals.rates(),
        runner=runner,
        seconds=round(seconds, 2),
    )
