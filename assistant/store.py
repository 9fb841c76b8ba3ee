"""Where drafts live between requests: an embedded SQLite file by default, any SQLAlchemy URL in an office.

Every change is saved at once, so a browser refresh or an app restart loses nothing. Each save
checks the revision it started from: two browser tabs on one draft cannot overwrite each other's
work silently (the second save gets ``DraftConflict`` and the caller merges or asks). The steps
of a draft's history are also kept one row each, append-only, as the audit trail.

Configuration: ``NIANBAO_DB_URL`` (e.g. ``postgresql+psycopg://user@host/nianbao``) or, by default,
``sqlite:///$NIANBAO_DATA_DIR/drafts.sqlite3`` with ``NIANBAO_DATA_DIR`` defaulting to ``~/.nianbao``.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from assistant.editing import Draft
from assistant.errors import AssistantError
from assistant.safe_text import clean, clean_data

DRAFT_VERSIONS = (1,)  # the ``report.version`` values this build reads
MESSAGE_ATTEMPTS = 50  # two writers racing for the next chat seq: each retry sees the other's row

_metadata = MetaData()

drafts_table = Table(
    "drafts",
    _metadata,
    Column("id", String(32), primary_key=True),
    Column("agency", Text, nullable=True),
    Column("year", Integer, nullable=True),
    Column("revision", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("name", Text, nullable=True),  # the clerk's name for the draft (None: agency and year)
    Column("deleted_at", DateTime(timezone=True), nullable=True),  # deleted drafts are kept for the audit
    # Office-server mode: the agency the draft belongs to (set from the creating clerk's account, never from
    # the report's text) and who created it; None on a desktop draft. Added to older databases on opening.
    Column("owner_agency", Text, nullable=True),
    Column("created_by", Text, nullable=True),
)

steps_table = Table(
    "draft_steps",
    _metadata,
    Column("draft_id", String(32), primary_key=True),
    Column("step_id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("source", String(16), nullable=False),
    Column("summary", Text, nullable=False),
    Column("prompt", String(64), nullable=True),
    Column("changes", Text, nullable=False),
    Column("by_user", Text, nullable=True),  # who applied the step (None: desktop mode)
)

chat_table = Table(
    "draft_chat",
    _metadata,
    Column("draft_id", String(32), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("role", String(16), nullable=False),
    Column("data", Text, nullable=False),
)

# Files read by a batch review, keyed by their content and the reader's version: a re-run of a
# review (the same folder next week, with three reports added) reads only what is new.
reads_table = Table(
    "review_reads",
    _metadata,
    Column("sha256", String(64), primary_key=True),
    Column("reader", String(64), primary_key=True),
    Column("data", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# Who did what beyond a draft's steps: sign-ins and their failures, exports, account changes.
audit_table = Table(
    "audit_log",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by_user", Text, nullable=True),
    Column("kind", String(24), nullable=False),
    Column("draft_id", String(32), nullable=True),
    Column("client", String(64), nullable=True),
    Column("detail", Text, nullable=False),
)


class StoreError(AssistantError):
    """The drafts database cannot be reached or written."""


class DraftNotFound(StoreError):
    pass


class BrokenDraft(StoreError):
    """A stored draft that cannot be read: damaged data or a version this build does not know."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full: nothing was saved."""


class CorruptDatabase(StoreError):
    """The database file is damaged (not a database, or a malformed page)."""


class DraftConflict(StoreError):
    """The draft was saved elsewhere (another tab or user) since it was loaded."""

    def __init__(self, message: str, *, latest: Draft, latest_revision: int) -> None:
        super().__init__(message)
        self.latest = latest
        self.latest_revision = latest_revision


@dataclass(frozen=True)
class DraftSummary:
    id: str
    agency: str | None
    year: int | None
    revision: int
    updated_at: datetime
    readable: bool = True  # False: the row itself is damaged; listed so the clerk knows it is there
    name: str | None = None
    owner_agency: str | None = None

    @property
    def title(self) -> str:
        if not self.readable:
            return f"（无法读取的草稿 {self.id}）"
        if self.name:
            return self.name
        agency = self.agency or "（未填写机关名称）"
        return f"{agency} · {self.year or '年度未定'}年度"


def default_url() -> str:
    if url := os.environ.get("NIANBAO_DB_URL"):
        return url
    data_dir = Path(os.environ.get("NIANBAO_DATA_DIR") or Path.home() / ".nianbao")
    return f"sqlite:///{data_dir / 'drafts.sqlite3'}"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets a second browser tab read while the first writes; the timeout rides out a busy writer.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class DraftStore:
    """Drafts and their history in one database."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            path = Path(self.url.removeprefix("sqlite:///"))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                message = f"无法创建数据文件夹“{path.parent}”：{e.strerror}。请检查 NIANBAO_DATA_DIR 设置。"
                raise StoreError(message) from None
        try:
            self.engine = create_engine(self.url, future=True)
        except (SQLAlchemyError, ModuleNotFoundError) as e:
            raise StoreError(f"数据库地址无法使用：{type(e).__name__}。请检查 NIANBAO_DB_URL 设置。") from None
        if self.engine.dialect.name == "sqlite":
            _sqlite_pragmas(self.engine)
        try:
            with self._guard("打开"):
                _metadata.create_all(self.engine)
                _add_missing_columns(self.engine)
        except StoreError as e:
            if isinstance(e, CorruptDatabase):
                raise
            raise StoreError("无法打开草稿数据库，请检查数据文件夹的读写权限或数据库服务器是否可用。"
                             f"（{e.message}）") from None

    # -- reading --------------------------------------------------------------------------------

    def summaries(self, *, owner_agency: str | None = None) -> list[DraftSummary]:
        """Every draft not deleted (or only those of ``owner_agency``), most recently changed first; a
        damaged row is listed as unreadable, not an error."""
        columns = (drafts_table.c.id, drafts_table.c.agency, drafts_table.c.year, drafts_table.c.revision,
                   drafts_table.c.updated_at, drafts_table.c.name, drafts_table.c.owner_agency)
        live: list[ColumnElement[bool]] = [drafts_table.c.deleted_at.is_(None)]
        if owner_agency is not None:
            live.append(drafts_table.c.owner_agency == owner_agency)
        with self._guard("读取"), self._connect() as conn:
            try:
                rows = conn.execute(select(*columns).where(*live).order_by(drafts_table.c.updated_at.desc())).all()
                return [_summary(r) for r in rows]
            except (ValueError, TypeError, OverflowError):
                pass  # a value the driver cannot convert (a damaged row): read the rows one by one
            ids = conn.execute(select(drafts_table.c.id).where(*live)).scalars().all()
            found = []
            for draft_id in ids:
                try:
                    row = conn.execute(select(*columns).where(drafts_table.c.id == draft_id)).one()
                    found.append(_summary(row))
                except (ValueError, TypeError, OverflowError):
                    found.append(DraftSummary(draft_id, None, None, 0, datetime.fromtimestamp(0, UTC), False,
                                              owner_agency=owner_agency))
        return sorted(found, key=lambda s: s.updated_at, reverse=True)

    def owner(self, draft_id: str) -> str | None:
        """The agency a draft belongs to (None: a desktop draft, or one made before accounts existed)."""
        with self._guard("读取"), self._connect() as conn:
            row = conn.execute(select(drafts_table.c.owner_agency)
                               .where(drafts_table.c.id == draft_id, drafts_table.c.deleted_at.is_(None))).first()
        if row is None:
            raise DraftNotFound("找不到该草稿，可能已被删除。")
        return row.owner_agency if isinstance(row.owner_agency, str) else None

    def load(self, draft_id: str) -> tuple[Draft, int]:
        """A draft and the revision it was saved at; BrokenDraft when its row cannot be read."""
        with self._guard("读取"), self._connect() as conn:
            try:
                row = conn.execute(
                    select(drafts_table.c.data, drafts_table.c.revision)
                    .where(drafts_table.c.id == draft_id, drafts_table.c.deleted_at.is_(None))
                ).first()
            except (ValueError, TypeError, OverflowError):
                raise _broken(draft_id) from None
        if row is None:
            raise DraftNotFound("找不到该草稿，可能已被删除。")
        return _parse_draft(draft_id, row.data), int(row.revision)

    def history(self, draft_id: str) -> list[dict[str, Any]]:
        """The audit rows of a draft, oldest first."""
        with self._guard("读取"), self._connect() as conn:
            rows = conn.execute(
                select(steps_table).where(steps_table.c.draft_id == draft_id).order_by(steps_table.c.step_id)
            ).all()
        return [
            {"step": r.step_id, "at": _aware(r.at), "source": r.source, "summary": r.summary, "prompt": r.prompt,
             "changes": _json_or(r.changes, []), "by": r.by_user}
            for r in rows
        ]

    # -- writing --------------------------------------------------------------------------------

    def create(self, draft: Draft, *, owner_agency: str | None = None, by: str | None = None) -> int:
        """Save a new draft (belonging to ``owner_agency``, made by ``by``); its revision is 1."""
        now = datetime.now(UTC)
        with self._guard("保存"), self._begin() as conn:
            conn.execute(insert(drafts_table).values(
                id=draft.id, agency=_text(draft.report.meta.agency), year=draft.report.meta.year, revision=1,
                data=draft_json(draft), created_at=now, updated_at=now, owner_agency=_text(owner_agency),
                created_by=_text(by)))
            self._append_steps(conn, draft, 0, by)
        return 1

    def save(self, draft: Draft, revision: int, *, by: str | None = None) -> int:
        """Save ``draft`` over ``revision``; the new revision, or DraftConflict if someone saved since."""
        now = datetime.now(UTC)
        with self._guard("保存"), self._begin() as conn:
            result = conn.execute(
                update(drafts_table)
                .where(drafts_table.c.id == draft.id, drafts_table.c.revision == revision,
                       drafts_table.c.deleted_at.is_(None))
                .values(agency=_text(draft.report.meta.agency), year=draft.report.meta.year, revision=revision + 1,
                        data=draft_json(draft), updated_at=now)
            )
            if result.rowcount == 0:
                row = conn.execute(
                    select(drafts_table.c.data, drafts_table.c.revision, drafts_table.c.deleted_at)
                    .where(drafts_table.c.id == draft.id)
                ).first()
                if row is None or row.deleted_at is not None:
                    raise DraftNotFound("找不到该草稿，可能已在其他窗口被删除。")
                raise DraftConflict(
                    "此草稿已在其他窗口或由其他人修改过。",
                    latest=_parse_draft(draft.id, row.data),
                    latest_revision=int(row.revision),
                )
            known = conn.execute(
                select(steps_table.c.step_id).where(steps_table.c.draft_id == draft.id)
                .order_by(steps_table.c.step_id.desc()).limit(1)
            ).scalar()
            self._append_steps(conn, draft, known or 0, by)
        return revision + 1

    def rename(self, draft_id: str, name: str | None, *, by: str | None = None) -> None:
        """Give a draft the clerk's name (None or blank: back to agency and year); recorded as an event."""
        name = _text((name or "").strip()) or None
        if name is not None and len(name) > 100:
            raise StoreError("草稿名称过长（不超过100个字）。")
        with self._guard("保存"), self._begin() as conn:
            result = conn.execute(update(drafts_table)
                                  .where(drafts_table.c.id == draft_id, drafts_table.c.deleted_at.is_(None))
                                  .values(name=name))
            if result.rowcount == 0:
                raise DraftNotFound("找不到该草稿，可能已被删除。")
            self._add_event(conn, "rename", by=by, draft_id=draft_id,
                            detail=f"重命名为“{name}”" if name else "恢复默认名称")

    def delete(self, draft_id: str, *, by: str | None = None) -> None:
        """Take a draft off the list. Its data, steps and conversation stay, with the deletion, for the audit."""
        with self._guard("删除"), self._begin() as conn:
            row = conn.execute(select(drafts_table.c.agency, drafts_table.c.year, drafts_table.c.name)
                               .where(drafts_table.c.id == draft_id, drafts_table.c.deleted_at.is_(None))).first()
            if row is None:
                raise DraftNotFound("找不到该草稿，可能已被删除。")
            conn.execute(update(drafts_table).where(drafts_table.c.id == draft_id)
                         .values(deleted_at=datetime.now(UTC)))
            title = DraftSummary(draft_id, row.agency, row.year, 0, datetime.now(UTC), name=row.name).title
            self._add_event(conn, "delete", by=by, draft_id=draft_id, detail=f"删除草稿“{title}”")

    def purge(self, draft_id: str) -> None:
        """Remove a draft and every row about it (for tests and administrators; the app never does)."""
        with self._guard("删除"), self._begin() as conn:
            for table in (chat_table, steps_table, audit_table):
                conn.execute(delete(table).where(table.c.draft_id == draft_id))
            conn.execute(delete(drafts_table).where(drafts_table.c.id == draft_id))

    def assign(self, draft_id: str, owner_agency: str | None) -> None:
        """Give a draft to an agency (an administrator's act, e.g. for drafts made before accounts existed)."""
        with self._guard("保存"), self._begin() as conn:
            done = conn.execute(update(drafts_table).where(drafts_table.c.id == draft_id)
                                .values(owner_agency=_text(owner_agency))).rowcount
        if not done:
            raise DraftNotFound("找不到该草稿，可能已被删除。")

    # -- who did what, beyond the steps ----------------------------------------------------------

    def record_event(self, kind: str, *, by: str | None, draft_id: str | None = None, client: str | None = None,
                     detail: str = "") -> None:
        """Append one audit row (sign-in, export, account change …). Never pass a password or a hash."""
        with self._guard("保存"), self._begin() as conn:
            self._add_event(conn, kind, by=by, draft_id=draft_id, client=client, detail=detail)

    def events(self, *, draft_id: str | None = None, by: str | None = None, kind: str | None = None,
               limit: int = 200) -> list[dict[str, Any]]:
        """Audit rows (a draft renamed or deleted, a sign-in, an export, an account change), newest first."""
        query = select(audit_table)
        if draft_id is not None:
            query = query.where(audit_table.c.draft_id == draft_id)
        if by is not None:
            query = query.where(audit_table.c.by_user == by)
        if kind is not None:
            query = query.where(audit_table.c.kind == kind)
        with self._guard("读取"), self._connect() as conn:
            rows = conn.execute(query.order_by(audit_table.c.id.desc()).limit(limit)).all()
        return [{"at": _aware(r.at), "by": r.by_user, "kind": r.kind, "draft_id": r.draft_id, "client": r.client,
                 "detail": r.detail} for r in rows]

    # -- the conversation beside a draft ---------------------------------------------------------

    def add_message(self, draft_id: str, role: str, data: dict[str, Any]) -> int:
        """Append a chat message (JSON-able ``data``); its sequence number.

        The next seq is taken inside the INSERT itself (``INSERT … SELECT max(seq)+1``), so no
        writer can read a number another writer is about to use. Two writers that still meet
        (PostgreSQL's read committed, SQLite's stale snapshot) get a unique-key or busy error, and
        the loser retries with the other's row in view: no message is lost.
        """
        text, role = _data_json(data), _text(role) or "assistant"
        for attempt in range(MESSAGE_ATTEMPTS):
            now = datetime.now(UTC)
            next_seq = (select(func.coalesce(func.max(chat_table.c.seq), 0) + 1)
                        .where(chat_table.c.draft_id == draft_id).scalar_subquery())
            try:
                with self._begin() as conn:
                    seq = conn.execute(insert(chat_table).from_select(
                        ["draft_id", "seq", "at", "role", "data"],
                        select(literal(draft_id, String), next_seq, literal(now, DateTime(timezone=True)),
                               literal(role, String), literal(text, Text))).returning(chat_table.c.seq)).scalar_one()
                return int(seq)
            except (IntegrityError, OperationalError) as e:
                if isinstance(e, OperationalError) and not _busy(e):
                    raise self._explain(e, "保存对话") from None
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
            except SQLAlchemyError as e:
                raise self._explain(e, "保存对话") from None
        raise StoreError("对话记录正被频繁写入，本条消息没有保存，请稍后重试。")

    def update_message(self, draft_id: str, seq: int, data: dict[str, Any],
                       expected: dict[str, Any] | None = None) -> bool:
        """Replace a message's data; with ``expected``, only if the row still holds exactly that
        (compare-and-set: two tabs deciding on one proposal cannot both win). True when written."""
        where = [chat_table.c.draft_id == draft_id, chat_table.c.seq == seq]
        if expected is not None:
            where.append(chat_table.c.data == _data_json(expected))
        with self._guard("保存对话"), self._begin() as conn:
            result = conn.execute(update(chat_table).where(*where).values(data=_data_json(data)))
        return bool(result.rowcount)

    def messages(self, draft_id: str) -> list[tuple[int, str, dict[str, Any]]]:
        """The conversation of a draft, oldest first: (seq, role, data). A damaged row reads as an
        error message saying so."""
        with self._guard("读取"), self._connect() as conn:
            rows = conn.execute(
                select(chat_table.c.seq, chat_table.c.role, chat_table.c.data)
                .where(chat_table.c.draft_id == draft_id).order_by(chat_table.c.seq)
            ).all()
        unreadable = {"text": "（此条对话记录已损坏，无法显示。）", "error": True}
        return [(int(r.seq), str(r.role), _json_or(r.data, unreadable)) for r in rows]

    # -- files read by a batch review --------------------------------------------------------------

    def cached_read(self, sha256: str, reader: str) -> str | None:
        """What reading these bytes with this reader gave before (JSON text), if it was kept."""
        with self._guard("读取"), self._connect() as conn:
            return conn.execute(
                select(reads_table.c.data).where(reads_table.c.sha256 == sha256, reads_table.c.reader == reader)
            ).scalar()

    def save_read(self, sha256: str, reader: str, data: str) -> None:
        """Keep what reading these bytes gave; a second save of the same key keeps the first."""
        try:
            with self._begin() as conn:
                conn.execute(insert(reads_table).values(sha256=sha256, reader=reader, data=data,
                                                        created_at=datetime.now(UTC)))
        except IntegrityError:
            pass  # read twice at once (two reviews of one folder): either copy will do
        except SQLAlchemyError as e:
            raise self._explain(e, "保存审核缓存") from None

    # -- internals ------------------------------------------------------------------------------

    def _add_event(self, conn: Any, kind: str, *, by: str | None, draft_id: str | None = None,
                   client: str | None = None, detail: str = "") -> None:
        conn.execute(insert(audit_table).values(at=datetime.now(UTC), by_user=_text(by), kind=kind[:24],
                                                draft_id=draft_id, client=(client or None) and client[:64],
                                                detail=clean(detail)))

    def _append_steps(self, conn: Any, draft: Draft, after: int, by: str | None = None) -> None:
        rows = [
            {"draft_id": draft.id, "step_id": s.id, "at": s.at, "source": s.source, "summary": clean(s.summary),
             "prompt": _text(s.prompt), "changes": _data_json([c.model_dump(mode="json") for c in s.changes]),
             "by_user": _text(by)}
            for s in draft.steps if s.id > after
        ]
        if rows:
            conn.execute(insert(steps_table), rows)

    def _connect(self) -> Any:
        try:
            return self.engine.connect()
        except OperationalError:
            raise StoreError("无法连接草稿数据库，请检查数据文件夹或数据库服务器。") from None

    def _begin(self) -> Any:
        try:
            return self.engine.begin()
        except OperationalError:
            raise StoreError("无法写入草稿数据库，请检查数据文件夹或数据库服务器。") from None

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Database errors as Chinese StoreErrors that say what happened and what to do; never English."""
        try:
            yield
        except SQLAlchemyError as e:
            raise self._explain(e, doing) from None

    def _explain(self, error: SQLAlchemyError, doing: str) -> StoreError:
        text = str(getattr(error, "orig", None) or error).lower()
        unsaved = "本次修改没有保存，页面上输入的内容仍保留，可稍后再次保存。" if doing.startswith("保存") else ""
        where = self._where()
        if "disk is full" in text or "no space left" in text or "could not extend file" in text \
                or "disk full" in text:
            return StoreFull(f"磁盘空间已满，{unsaved or '操作没有完成。'}请清理存放草稿的磁盘（{where}）后重试。")
        if "disk i/o" in text:
            return StoreFull(f"读写草稿数据库时磁盘出错（可能磁盘已满或故障），{unsaved or '操作没有完成。'}"
                             f"请检查存放草稿的磁盘（{where}）后重试。")
        if "not a database" in text or "malformed" in text or "file is encrypted" in text \
                or (isinstance(error, DatabaseError) and "corrupt" in text):
            return CorruptDatabase(
                f"草稿数据库文件“{where}”已损坏，无法{doing}。请关闭年报助手，把该文件改名备份"
                "（例如在文件名后加 .bak），再重新打开，将新建一个空的草稿库；如有备份，可用备份文件替换它。")
        if "readonly" in text or "read-only" in text or "permission denied" in text:
            return StoreError(f"草稿数据库（{where}）是只读的，无法{doing}。{unsaved}请检查数据文件夹的写入权限。")
        if _busy(error):
            return StoreError(f"草稿数据库正忙（其他窗口或用户正在保存），无法{doing}。{unsaved}请稍后重试。")
        if isinstance(error, OperationalError):
            return StoreError(f"无法连接草稿数据库（{where}），无法{doing}。{unsaved}"
                              "请检查数据文件夹或数据库服务器。")
        return StoreError(f"草稿数据库出错（{type(error).__name__}），无法{doing}。{unsaved}请稍后重试。")

    def _where(self) -> str:
        """The database as a clerk or an administrator finds it: the file, or the server without password."""
        if self.url.startswith("sqlite:///"):
            return self.url.removeprefix("sqlite:///")
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:
            return "数据库服务器"


def _busy(error: SQLAlchemyError) -> bool:
    text = str(getattr(error, "orig", None) or error).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text or "deadlock" in text


def _summary(row: Any) -> DraftSummary:
    year = row.year if isinstance(row.year, int) else None
    return DraftSummary(str(row.id), row.agency if isinstance(row.agency, str) else None, year, int(row.revision),
                        _aware(row.updated_at), name=row.name if isinstance(row.name, str) else None,
                        owner_agency=row.owner_agency if isinstance(row.owner_agency, str) else None)


def _broken(draft_id: str, detail: str = "数据已损坏") -> BrokenDraft:
    return BrokenDraft(f"草稿 {draft_id} 无法打开：{detail}。其他草稿不受影响；请返回草稿列表，"
                       "新建草稿或打开其他草稿（如有导出的 .json 文件，可用它重新预填）。")


def _parse_draft(draft_id: str, data: Any) -> Draft:
    """A stored draft row read strictly; BrokenDraft (Chinese) for damage or an unknown version."""
    try:
        raw = json.loads(data)
    except (TypeError, ValueError, RecursionError):
        raise _broken(draft_id) from None
    version = raw.get("report", {}).get("version", 1) if isinstance(raw, dict) and \
        isinstance(raw.get("report", {}), dict) else None
    if version not in DRAFT_VERSIONS:
        shown = version if isinstance(version, int | str) and len(str(version)) < 12 else "未知"
        raise _broken(draft_id, f"它由其他版本的年报助手保存（数据版本 {shown}），本版本无法读取")
    try:
        return Draft.model_validate(raw)
    except (ValidationError, ValueError, TypeError, RecursionError):
        raise _broken(draft_id) from None


def draft_json(draft: Draft) -> str:
    """A draft as stored: its JSON, with any unstorable character (lone surrogate, NUL) replaced."""
    try:
        return draft.model_dump_json()
    except PydanticSerializationError:  # a lone surrogate in some text cannot be encoded
        return json.dumps(clean_data(draft.model_dump(mode="json")), ensure_ascii=False)


def storable(draft: Draft) -> Draft:
    """``draft`` itself when it can be stored as it is, else a copy with unstorable characters replaced."""
    try:
        draft.model_dump_json()
        return draft
    except PydanticSerializationError:
        return Draft.model_validate_json(draft_json(draft))


def _data_json(data: Any) -> str:
    return json.dumps(clean_data(data), ensure_ascii=False, default=str)


def _json_or(text: Any, fallback: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return fallback


def _text(value: str | None) -> str | None:
    return None if value is None else clean(value)


def _add_missing_columns(engine: Engine) -> None:
    """A database made by an older version gets the nullable columns added since (no data is moved)."""
    from sqlalchemy import inspect, text

    inspector = inspect(engine)
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        for table in _metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}"))


def _aware(value: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError("not a datetime")
    return value if value.tzinfo else value.replace(tzinfo=UTC)
