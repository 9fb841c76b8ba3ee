"""The files of a batch review: folders, .zip archives and uploads, listed first, opened one at a time.

A supervisor points at a folder or a .zip (or uploads several files): every file in it is a
report to read, whatever its name or format, so that a file the reader refuses (an old .doc, a
spreadsheet sent by mistake) shows up as a row with its reason instead of disappearing. Only the
debris of file systems and archivers (``__MACOSX``, ``Thumbs.db``, Word's ``~$`` lock files,
hidden files) is left out.

Listing holds names and sizes only; a file's bytes are read when it is submitted, so memory does
not grow with the size of the batch. Archives from Chinese Windows store names in GBK without
saying so; they are decoded as such.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.errors import InputError
from assistant.reading.limits import LIMITS, too_large

Role = Literal["current", "previous"]
MAX_FILES = 100_000
# What the reader accepts; checked here too so that an oversized file is never held in memory.
MAX_BYTES: int = LIMITS.bytes  # the reading layer's one limit for a file
_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
_ZIP_FLAG_UTF8 = 0x800


@dataclass(frozen=True)
class Upload:
    """A file handed over as bytes (the app's uploads)."""

    name: str
    data: bytes


Input = str | os.PathLike[str] | Upload


@dataclass(frozen=True)
class Source:
    """One file to read: where it is, under the name the supervisor knows it by.

    ``error`` is set when the file cannot even be taken out of its folder or archive; it is then a
    row with that reason, like a file the reader refuses.
    """

    name: str
    role: Role
    size: int
    path: str | None = None  # a file on disk
    archive: int | None = None  # index of the archive (in ``Sources.archives``) holding it
    member: str | None = None  # its name inside that archive
    upload: int | None = None  # index of the upload (in ``Sources.uploads``)
    error: str | None = None


class Sources:
    """Every file of a review, listed up front; ``load`` reads one, keeping archives open meanwhile."""

    def __init__(self, current: Sequence[Input], previous: Sequence[Input] = ()) -> None:
        self.uploads: list[bytes] = []
        self.archives: list[zipfile.ZipFile] = []
        self.items: list[Source] = []
        try:
            for role, inputs in (("current", current), ("previous", previous)):
                for item in inputs:
                    self.items.extend(self._list(item, role))  # type: ignore[arg-type]
        except BaseException:
            self.close()
            raise
        if len(self.items) > MAX_FILES:
            self.close()
            raise InputError(f"一次最多审核{MAX_FILES}个文件，所给的有{len(self.items)}个。请分批审核。")

    # -- listing ----------------------------------------------------------------------------------

    def _list(self, item: Input, role: Role) -> Iterator[Source]:
        if isinstance(item, Upload):
            if _is_archive(item.name, item.data[:4]):
                yield from self._archive(io.BytesIO(item.data), item.name, role)
                return
            self.uploads.append(item.data)
            yield Source(Path(item.name).name or "上传的文件", role, len(item.data), upload=len(self.uploads) - 1)
            return
        path = Path(item)
        if not path.exists():
            raise InputError(f"找不到“{path}”。请指定存放年度报告的文件夹、.zip 压缩包或报告文件。")
        if path.is_dir():
            yield from self._folder(path, role)
        elif _is_archive(path.name, _head(path)):
            yield from self._archive(path, path.name, role)
        else:
            yield self._file(path, path.name, role)

    def _folder(self, root: Path, role: Role) -> Iterator[Source]:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not _junk(d))
            for filename in sorted(filenames):
                if _junk(filename):
                    continue
                path = Path(dirpath) / filename
                shown = path.relative_to(root).as_posix()
                if _is_archive(filename, _head(path)):
                    yield from self._archive(path, shown, role)
                else:
                    yield self._file(path, shown, role)

    def _file(self, path: Path, shown: str, role: Role) -> Source:
        try:
            size = path.stat().st_size
        except OSError as e:
            return Source(shown, role, 0, path=str(path), error=f"无法读取文件“{shown}”：{e.strerror or e}。")
        return Source(shown, role, size, path=str(path))

    def _archive(self, where: Path | io.BytesIO, shown: str, role: Role) -> Iterator[Source]:
        try:
            zf = zipfile.ZipFile(where)
            members = zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
            yield Source(shown, role, 0, error=f"压缩包“{shown}”已损坏，无法打开。请重新压缩后再试。")
            return
        self.archives.append(zf)
        index = len(self.archives) - 1
        for info in sorted(members, key=lambda i: _member_name(i)):
            name = _member_name(info)
            if info.is_dir() or any(_junk(part) for part in name.split("/")):
                continue
            source = Source(f"{shown}/{name}", role, info.file_size, archive=index, member=info.filename)
            if info.flag_bits & 0x1:
                source = Source(source.name, role, info.file_size,
                                error=f"压缩包中的文件“{name}”设置了密码，无法读取。请解除密码后重新压缩。")
            yield source

    # -- reading ----------------------------------------------------------------------------------

    def load(self, source: Source) -> bytes:
        """A file's bytes, or InputError with the Chinese reason (too large, unreadable, corrupt member)."""
        if source.error:
            raise InputError(source.error)
        if source.size > MAX_BYTES:
            raise too_large(source.name, source.size)
        if source.upload is not None:
            return self.uploads[source.upload]
        if source.path is not None:
            try:
                return Path(source.path).read_bytes()
            except OSError as e:
                raise InputError(f"无法读取文件“{source.name}”：{e.strerror or e}。") from None
        assert source.archive is not None and source.member is not None
        try:
            with self.archives[source.archive].open(source.member) as member:
                data = member.read(MAX_BYTES + 1)  # the declared size can lie: never trust it for memory
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, RuntimeError, NotImplementedError):
            raise InputError(f"压缩包中的文件“{source.name}”已损坏或无法解压。") from None
        if len(data) > MAX_BYTES:
            raise InputError(f"压缩包中的文件“{source.name}”解压后超过{MAX_BYTES // 1024 // 1024}MB，未读取。")
        return data

    def close(self) -> None:
        for zf in self.archives:
            zf.close()
        self.archives = []

    def __enter__(self) -> Sources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Source]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(4)
    except OSError:
        return b""


def _is_archive(name: str, head: bytes) -> bool:
    """A .zip to open (a .docx is a zip too, but it is a document)."""
    return name.lower().endswith(".zip") and head.startswith(b"PK")


def _junk(name: str) -> bool:
    lower = name.lower()
    return lower in _JUNK_NAMES or lower.startswith((".", "~$", "__macosx"))


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: archives from Chinese Windows use GBK without the UTF-8 flag."""
    if info.flag_bits & _ZIP_FLAG_UTF8:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename
