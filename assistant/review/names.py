"""Which reports are the same agency's: agency names as published, normalised and resolved.

Published names of one agency differ from year to year: "洪泽区人民政府" one year, "淮安市洪泽区人民政府"
the next; "南关区自强街道" in a title, "长春市南关区自强街道办事处" in the preface; "政府" for "人民政府".
Two names are taken for one agency only when one *is* the other, or the other with its parent
places written out (an abbreviation that omits "淮安市"). A government's 办公室 is a department
of its own: "淮安市人民政府办公室" is never "淮安市人民政府" unless the name itself says it reports for
it (a bracketed "（代淮安市人民政府）").

An abbreviation is resolved against every full name of the batch: "鼓楼区政府" beside both
"南京市鼓楼区政府" and "福州市鼓楼区政府" is ambiguous and is listed, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.textnorm import nfkc, to_simplified

# Levels of the administrative divisions a parent place can be; "乡/镇/街道" only ever start a name.
# "州" ends a place ("恩施州") except inside a city's name ("福州市", "杭州市").
_PARENT_LEVELS = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "州(?!市)", "盟", "区", "县", "旗",
)
_LEVELS = (*_PARENT_LEVELS, "街道", "乡", "镇", "苏木")
_PLACE = re.compile(rf"[\u4e00-\u9fff]{{1,12}}?(?:{'|'.join(_LEVELS)})")
_PARENTS = re.compile(rf"(?:[\u4e00-\u9fff]{{1,12}}?(?:{'|'.join(_PARENT_LEVELS)}))+")
_ENDS_WITH_GOVERNED_PLACE = re.compile(rf"(?:{'|'.join((*_PARENT_LEVELS, '乡', '镇'))})$")
_BRACKETS = re.compile(r"[(（\[【〔]([^)）\]】〕]*)[)）\]】〕]")
_NOISE = re.compile(r"[\s\u3000·•.．、,，:：;；\"“”'‘’《》<>〈〉-]+")
_ON_BEHALF = re.compile(r"^(?:代|代表|受)?(.+?)(?:委托)?(?:发布|公开)?$")

# Short forms of department names common in titles (简称 → 全称). Data, not logic: add rows as met.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("发改委", "发展和改革委员会"),
    ("发改局", "发展和改革局"),
    ("人社局", "人力资源和社会保障局"),
    ("住建局", "住房和城乡建设局"),
    ("市监局", "市场监督管理局"),
    ("卫健委", "卫生健康委员会"),
    ("卫健局", "卫生健康局"),
    ("网信办", "网络安全和信息化委员会办公室"),
    ("国资委", "国有资产监督管理委员会"),
    ("政府办", "政府办公室"),
    ("管委会", "管理委员会"),
)


@lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """A comparison form of one written name: simplified, half-width, no spacing or punctuation,
    "人民政府" as "政府", "街道办事处" as "街道", a bare place name as its government."""
    text = to_simplified(nfkc(name))
    text = _BRACKETS.sub("", text)
    text = _NOISE.sub("", text)
    for short, full in ABBREVIATIONS:
        if text.endswith(short):
            text = text[: -len(short)] + full
    text = text.replace("人民政府", "政府")
    text = re.sub(r"街道办事处$|街道办$", "街道", text)
    if _ENDS_WITH_GOVERNED_PLACE.search(text):
        text += "政府"  # "洪泽区" in a title is the district's government
    return text


def keys(name: str) -> tuple[str, ...]:
    """Every canonical name a written name stands for: itself, and what its brackets say it reports for."""
    main = canonical(name)
    out = [main] if main else []
    for inner in _BRACKETS.findall(to_simplified(nfkc(name))):
        m = _ON_BEHALF.match(_NOISE.sub("", inner))
        if not m or not re.search(r"政府|委员会|局|办公室|街道|部|厅|署", m.group(1)):
            continue  # "（本级）", "（2024年）": a qualifier, not another name
        alias = _inherit_places(canonical(m.group(1)), main)
        if alias and alias not in out:
            out.append(alias)
    return tuple(out)


def _inherit_places(alias: str, main: str) -> str:
    """"市政府" inside "淮安市人民政府办公室（代市政府）" is 淮安市's: complete it from the main name."""
    if _starts_with_place(alias):
        return alias
    places = _leading_places(main)
    level = alias[:1]
    for i in range(len(places), 0, -1):
        if places[i - 1].endswith(level):
            return "".join(places[:i]) + alias[1:]
    return ""


def _leading_places(key: str) -> list[str]:
    out = []
    rest = key
    while m := _PLACE.match(rest):
        out.append(m.group(0))
        rest = rest[m.end() :]
    return out


def _starts_with_place(key: str) -> bool:
    """Whether a canonical name begins with a named place ("洪泽区政府", "自强街道"; not "市场监督管理局")."""
    return _PLACE.match(key) is not None


def abbreviates(short: str, full: str) -> bool:
    """Whether canonical ``short`` is canonical ``full`` with some of its parent places left out."""
    if short == full:
        return True
    if len(short) >= len(full) or not full.endswith(short) or not _starts_with_place(short):
        return False
    return bool(_PARENTS.fullmatch(full[: len(full) - len(short)]))


def same_agency(a: str, b: str) -> bool:
    """Whether two written names may be one agency (before resolving against the batch)."""
    return any(abbreviates(x, y) or abbreviates(y, x) for x in keys(a) for y in keys(b))


def bucket(key: str) -> str:
    """The shortest form a canonical name can be abbreviated to; compatible names share it."""
    while True:
        m = _PLACE.match(key)
        if not m or m.end() >= len(key):
            return key
        rest = key[m.end() :]
        if not _starts_with_place(rest):
            return key
        key = rest


def _fullest(names: set[str]) -> set[str]:
    """The names that abbreviate no other name of the set."""
    return {k for k in names if not any(k != o and abbreviates(k, o) for o in names)}


@dataclass(frozen=True)
class Identity:
    """What a written name resolves to in a batch.

    ``full``: the fullest names its forms stand for unambiguously (two reports are one agency's when
    these meet); ``ambiguous``: forms that abbreviate several full names of the batch at once.
    """

    name: str
    full: frozenset[str]
    ambiguous: frozenset[str] = frozenset()

    def meets(self, other: Identity) -> bool:
        return bool(self.full & other.full)


class Resolver:
    """Resolves the names of one batch (both years) against the fullest names the batch holds."""

    def __init__(self, names: Iterable[str]) -> None:
        self._buckets: dict[str, set[str]] = defaultdict(set)
        self._full: dict[str, set[str]] = {}
        for name in names:
            for key in keys(name):
                self._buckets[bucket(key)].add(key)

    def _full_names(self, key: str) -> set[str]:
        b = bucket(key)
        if key not in self._buckets.get(b, ()):  # a name the batch did not hold: resolve it all the same
            return {f for f in _fullest(self._buckets.get(b, set()) | {key}) if abbreviates(key, f)}
        if b not in self._full:
            self._full[b] = _fullest(self._buckets[b])
        return {f for f in self._full[b] if abbreviates(key, f)}

    def identity(self, name: str) -> Identity:
        full: set[str] = set()
        ambiguous: set[str] = set()
        for key in keys(name):
            found = self._full_names(key)
            (full if len(found) == 1 else ambiguous).update(found)
        return Identity(name, frozenset(full), frozenset(ambiguous - full))
