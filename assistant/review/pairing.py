"""Which year a batch reviews, which of its files are last year's, who is paired with whom.

The year under review is the one most of this year's files report (with last year's files given
apart), or the latest year found (when both years share one folder); ``year`` overrides both.
A report is paired with last year's report of the same agency (see ``names``): one candidate, or
several copies of one same file, is a pair; anything else is listed, never guessed. Two reports
of one agency for the year under review are duplicates: the first (by file name) is summed.
A unit is missing when last year's batch (or the roster) has it and this year's has no report of it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from assistant.review.names import Identity, Resolver, bucket, keys, same_agency


@dataclass
class Entry:
    """What phase one learnt of a file: enough to pair and list it, nothing more."""

    index: int
    file: str
    role: Literal["current", "previous"]
    sha256: str | None = None
    reader: str | None = None
    agency: str | None = None
    year: int | None = None
    error: str | None = None
    cached: bool = False

    @property
    def readable(self) -> bool:
        return self.error is None


@dataclass
class Plan:
    year: int | None
    rows: list[Entry]
    previous: list[Entry]
    ignored_previous: list[Entry] = field(default_factory=list)
    pairs: dict[int, Entry] = field(default_factory=dict)  # row index → last year's entry
    ambiguous: dict[int, tuple[str, list[Entry]]] = field(default_factory=dict)  # row → (key, candidates)
    duplicates: dict[int, list[Entry]] = field(default_factory=dict)  # row → the others of its group
    summed: set[int] = field(default_factory=set)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (agency, where it was expected from)

    def in_year(self, entry: Entry) -> bool:
        return entry.readable and self.year is not None and entry.year == self.year


def review_year(entries: list[Entry], *, separate_previous: bool, year: int | None = None) -> int | None:
    if year is not None:
        return year
    years = Counter(e.year for e in entries if e.role == "current" and e.readable and e.year)
    if not years:
        return None
    if separate_previous:
        top = max(years.values())
        return max(y for y, n in years.items() if n == top)
    return max(years)


def plan(entries: list[Entry], *, separate_previous: bool, year: int | None = None,
         roster: list[str] | None = None) -> Plan:
    target = review_year(entries, separate_previous=separate_previous, year=year)
    prev_year = target - 1 if target else None
    rows: list[Entry] = []
    previous: list[Entry] = []
    ignored: list[Entry] = []
    for e in entries:
        if e.role == "previous":
            (previous if e.readable and e.year == prev_year else ignored).append(e)
        elif not separate_previous and e.readable and prev_year and e.year == prev_year:
            previous.append(e)  # last year's report in the same folder: reference, not under review
        else:
            rows.append(e)
    p = Plan(target, rows, previous, ignored)
    names = [e.agency for e in (*rows, *previous) if e.agency and e.readable] + list(roster or ())
    resolver = Resolver(names)
    current = [e for e in rows if p.in_year(e)]
    identities = {e.index: resolver.identity(e.agency) for e in current if e.agency}
    _duplicates(p, current, identities)
    _pairs(p, current, identities, resolver)
    _missing(p, current, identities, resolver, roster or [])
    return p


def _duplicates(p: Plan, current: list[Entry], identities: dict[int, Identity]) -> None:
    """Reports of one agency (or the very same bytes) for the year under review, grouped."""
    parent = {e.index: e.index for e in current}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[str, int] = {}
    for e in current:
        for key in [f"sha:{e.sha256}", *(f"name:{n}" for n in identities.get(e.index, Identity("", frozenset())).full)]:
            if key in by_key:
                parent[root(e.index)] = root(by_key[key])
            else:
                by_key[key] = e.index
    groups: dict[int, list[Entry]] = defaultdict(list)
    for e in current:
        groups[root(e.index)].append(e)
    for members in groups.values():
        members.sort(key=lambda e: e.file)
        p.summed.add(members[0].index)
        if len(members) > 1:
            for e in members:
                p.duplicates[e.index] = [o for o in members if o is not e]


def _by_bucket(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Entries by the short form of their names: only names in one bucket can be one agency."""
    index: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.agency:
            for key in keys(e.agency):
                index[bucket(key)].append(e)
    return index


def _near(index: dict[str, list[Entry]], name: str) -> list[Entry]:
    return list({o.index: o for key in keys(name) for o in index.get(bucket(key), [])}.values())


def _pairs(p: Plan, current: list[Entry], identities: dict[int, Identity], resolver: Resolver) -> None:
    by_bucket = _by_bucket(p.previous)
    prev_identity = {e.index: resolver.identity(e.agency) for e in p.previous if e.agency}
    for e in current:
        if not e.agency:
            continue
        mine = identities[e.index]
        near = _near(by_bucket, e.agency)
        same = sorted((o for o in near if mine.meets(prev_identity[o.index])), key=lambda o: o.file)
        if same and len({o.sha256 for o in same}) == 1:
            p.pairs[e.index] = same[0]
        elif same:
            p.ambiguous[e.index] = ("several", same)
        else:
            candidates = sorted((o for o in near if same_agency(e.agency, o.agency or "")),
                                key=lambda o: o.file)
            if candidates:
                p.ambiguous[e.index] = ("ambiguous", candidates)


def _missing(p: Plan, current: list[Entry], identities: dict[int, Identity], resolver: Resolver,
             roster: list[str]) -> None:
    by_bucket = _by_bucket(current)

    def present(name: str) -> bool:
        theirs = resolver.identity(name)
        return any(theirs.meets(identities[e.index]) or same_agency(name, e.agency or "")
                   for e in _near(by_bucket, name))

    seen: set[str] = set()
    for e in sorted(p.previous, key=lambda e: e.file):
        if e.agency and not present(e.agency):
            full = min(resolver.identity(e.agency).full or {e.agency})
            if full not in seen:
                seen.add(full)
                p.missing.append((e.agency, f"上年报告“{e.file}”"))
    for name in roster:
        if not present(name):
            full = min(resolver.identity(name).full or {name})
            if full not in seen:
                seen.add(full)
                p.missing.append((name, "应报送单位名单"))
