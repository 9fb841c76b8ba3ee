"""Reading one file of a batch: the task a worker runs, here, in a process pool or on a Dask cluster.

``read_one(name, data)`` never raises: a file the reader refuses comes back with its Chinese
reason, an unexpected failure with a reason that says so (and is not cached, since it may not
recur). It goes through ``assistant.importing.read_bytes`` only, so every format the reader
handles (and scans, once it reads them) is reviewed alike.

``reader_version()`` names the code that reads: a hash of the package's source (everything but
this review package) and of the versions of the libraries that parse documents. A cached reading
is used again only for the same bytes *and* the same reader.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import assistant
from assistant.errors import AssistantError

CACHE_FORMAT = "1"  # the shape of what is cached; bump it when ReadOutcome.to_json changes
_PARSING_LIBRARIES = (
    "pdfplumber", "pdfminer.six", "pypdf", "pypdfium2", "python-docx", "lxml", "beautifulsoup4", "opencc",
    "charset-normalizer", "openpyxl", "python-calamine", "rapidocr-onnxruntime", "rapidocr", "onnxruntime",
    "opencv-python-headless", "easyofd", "pydantic",
)


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A short hash naming the reader: its source code and the parsing libraries it runs on."""
    h = hashlib.sha256(CACHE_FORMAT.encode())
    root = Path(assistant.__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in ("review", "commands"):
            continue
        h.update(rel.as_posix().encode())
        h.update(path.read_bytes())
    for dist in _PARSING_LIBRARIES:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            continue
    return h.hexdigest()[:16]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ReadOutcome:
    """What reading one file gave: the report (as its JSON) and the reader's notes, or why not.

    ``lasting``: whether the outcome belongs to the bytes (a report, or the reader's refusal) and
    may be cached; an internal error or a lost worker is tried again next time.
    """

    reader: str
    report_json: str | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    lasting: bool = True
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps(
            {"report": json.loads(self.report_json) if self.report_json else None, "notes": self.notes,
             "error": self.error, "seconds": round(self.seconds, 4)},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, reader: str, text: str) -> ReadOutcome:
        data: dict[str, Any] = json.loads(text)
        report = data.get("report")
        return cls(
            reader=reader,
            report_json=json.dumps(report, ensure_ascii=False) if report is not None else None,
            notes=list(data.get("notes") or []),
            error=data.get("error"),
            seconds=float(data.get("seconds") or 0.0),
        )


def read_one(name: str, data: bytes) -> ReadOutcome:
    """Read one file's bytes into a report; never raises."""
    from assistant.importing import read_bytes

    started = time.perf_counter()
    version = reader_version()
    try:
        result = read_bytes(data, name)
        report = result.report
        if report.source is not None and not report.source.file:
            report = report.model_copy(update={"source": report.source.model_copy(update={"file": Path(name).name})})
        outcome = ReadOutcome(version, report.model_dump_json(), list(result.notes))
    except AssistantError as e:
        outcome = ReadOutcome(version, error=e.message)
    except MemoryError:
        outcome = ReadOutcome(version, error=f"文件“{Path(name).name}”过大，读取时内存不足。", lasting=False)
    except Exception as e:  # one bad file never stops the batch: it becomes a row with its reason
        reason = f"读取文件“{Path(name).name}”时出现内部错误（{type(e).__name__}），请将该文件反馈给开发人员。"
        outcome = ReadOutcome(version, error=reason, lasting=False)
    outcome.seconds = time.perf_counter() - started
    return outcome


def lost(reason: str) -> ReadOutcome:
    """The outcome of a file whose worker died or was lost (not cached: it may read next time)."""
    return ReadOutcome(reader_version(), error=reason, lasting=False)
