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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from assistant.editing import Draft
from assistant.errors import AssistantError

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
    owner_agency: str | None = None

    @property
    def title(self) -> str:
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
            _metadata.create_all(self.engine)
            _add_missing_columns(self.engine)
        except SQLAlchemyError:
            raise StoreError("无法打开草稿数据库，请检查数据文件夹的读写权限或数据库服务器是否可用。") from None

    # -- reading --------------------------------------------------------------------------------

    def summaries(self, *, owner_agency: str | None = None) -> list[DraftSummary]:
        """Every draft (or only those of ``owner_agency``), most recently changed first."""
        query = select(drafts_table.c.id, drafts_table.c.agency, drafts_table.c.year, drafts_table.c.revision,
                       drafts_table.c.updated_at, drafts_table.c.owner_agency)
        if owner_agency is not None:
            query = query.where(drafts_table.c.owner_agency == owner_agency)
        with self._connect() as conn:
            rows = conn.execute(query.order_by(drafts_table.c.updated_at.desc())).all()
        return [DraftSummary(r.id, r.agency, r.year, r.revision, _aware(r.updated_at), r.owner_agency) for r in rows]

    def owner(self, draft_id: str) -> str | None:
        """The agency a draft belongs to (None: a desktop draft, or one made before accounts existed)."""
        with self._connect() as conn:
            row = conn.execute(select(drafts_table.c.owner_agency).where(drafts_table.c.id == draft_id)).first()
        if row is None:
            raise DraftNotFound("找不到该草稿，可能已被删除。")
        return row.owner_agency

    def load(self, draft_id: str) -> tuple[Draft, int]:
        """A draft and the revision it was saved at."""
        with self._connect() as conn:
            row = conn.execute(
                select(drafts_table.c.data, drafts_table.c.revision).where(drafts_table.c.id == draft_id)
            ).first()
        if row is None:
            raise DraftNotFound("找不到该草稿，可能已被删除。")
        return Draft.model_validate_json(row.data), row.revision

    def history(self, draft_id: str) -> list[dict[str, Any]]:
        """The audit rows of a draft, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                select(steps_table).where(steps_table.c.draft_id == draft_id).order_by(steps_table.c.step_id)
            ).all()
        return [
            {"step": r.step_id, "at": _aware(r.at), "source": r.source, "summary": r.summary, "prompt": r.prompt,
             "changes": json.loads(r.changes), "by": r.by_user}
            for r in rows
        ]

    # -- writing --------------------------------------------------------------------------------

    def create(self, draft: Draft, *, owner_agency: str | None = None, by: str | None = None) -> int:
        """Save a new draft (belonging to ``owner_agency``, made by ``by``); its revision is 1."""
        now = datetime.now(UTC)
        with self._begin() as conn:
            conn.execute(insert(drafts_table).values(
                id=draft.id, agency=draft.report.meta.agency, year=draft.report.meta.year, revision=1,
                data=draft.model_dump_json(), created_at=now, updated_at=now, owner_agency=owner_agency,
                created_by=by))
            self._append_steps(conn, draft, 0, by)
        return 1

    def save(self, draft: Draft, revision: int, *, by: str | None = None) -> int:
        """Save ``draft`` over ``revision``; the new revision, or DraftConflict if someone saved since."""
        now = datetime.now(UTC)
        with self._begin() as conn:
            result = conn.execute(
                update(drafts_table)
                .where(drafts_table.c.id == draft.id, drafts_table.c.revision == revision)
                .values(agency=draft.report.meta.agency, year=draft.report.meta.year, revision=revision + 1,
                        data=draft.model_dump_json(), updated_at=now)
            )
            if result.rowcount == 0:
                row = conn.execute(
                    select(drafts_table.c.data, drafts_table.c.revision).where(drafts_table.c.id == draft.id)
                ).first()
                if row is None:
                    raise DraftNotFound("找不到该草稿，可能已在其他窗口被删除。")
                raise DraftConflict(
                    "此草稿已在其他窗口或由其他人修改过。",
                    latest=Draft.model_validate_json(row.data),
                    latest_revision=row.revision,
                )
            known = conn.execute(
                select(steps_table.c.step_id).where(steps_table.c.draft_id == draft.id)
                .order_by(steps_table.c.step_id.desc()).limit(1)
            ).scalar()
            self._append_steps(conn, draft, known or 0, by)
        return revision + 1

    def delete(self, draft_id: str) -> None:
        with self._begin() as conn:
            conn.execute(delete(chat_table).where(chat_table.c.draft_id == draft_id))
            conn.execute(delete(steps_table).where(steps_table.c.draft_id == draft_id))
            conn.execute(delete(drafts_table).where(drafts_table.c.id == draft_id))

    def assign(self, draft_id: str, owner_agency: str | None) -> None:
        """Give a draft to an agency (an administrator's act, e.g. for drafts made before accounts existed)."""
        with self._begin() as conn:
            done = conn.execute(update(drafts_table).where(drafts_table.c.id == draft_id)
                                .values(owner_agency=owner_agency)).rowcount
        if not done:
            raise DraftNotFound("找不到该草稿，可能已被删除。")

    # -- who did what, beyond the steps ----------------------------------------------------------

    def record_event(self, kind: str, *, by: str | None, draft_id: str | None = None, client: str | None = None,
                     detail: str = "") -> None:
        """Append one audit row (sign-in, export, account change …). Never pass a password or a hash."""
        with self._begin() as conn:
            conn.execute(insert(audit_table).values(at=datetime.now(UTC), by_user=by, kind=kind[:24],
                                                    draft_id=draft_id, client=(client or None) and client[:64],
                                                    detail=detail))

    def events(self, *, draft_id: str | None = None, by: str | None = None, kind: str | None = None,
               limit: int = 200) -> list[dict[str, Any]]:
        """Audit rows, newest first."""
        query = select(audit_table)
        if draft_id is not None:
            query = query.where(audit_table.c.draft_id == draft_id)
        if by is not None:
            query = query.where(audit_table.c.by_user == by)
        if kind is not None:
            query = query.where(audit_table.c.kind == kind)
        with self._connect() as conn:
            rows = conn.execute(query.order_by(audit_table.c.id.desc()).limit(limit)).all()
        return [{"at": _aware(r.at), "by": r.by_user, "kind": r.kind, "draft_id": r.draft_id, "client": r.client,
                 "detail": r.detail} for r in rows]

    # -- the conversation beside a draft ---------------------------------------------------------

    def add_message(self, draft_id: str, role: str, data: dict[str, Any]) -> int:
        """Append a chat message (JSON-able ``data``); its sequence number."""
        with self._begin() as conn:
            last = conn.execute(
                select(chat_table.c.seq).where(chat_table.c.draft_id == draft_id)
                .order_by(chat_table.c.seq.desc()).limit(1)
            ).scalar()
            seq = (last or 0) + 1
            conn.execute(insert(chat_table).values(draft_id=draft_id, seq=seq, at=datetime.now(UTC), role=role,
                                                   data=json.dumps(data, ensure_ascii=False)))
        return seq

    def update_message(self, draft_id: str, seq: int, data: dict[str, Any]) -> None:
        with self._begin() as conn:
            conn.execute(update(chat_table).where(chat_table.c.draft_id == draft_id, chat_table.c.seq == seq)
                         .values(data=json.dumps(data, ensure_ascii=False)))

    def messages(self, draft_id: str) -> list[tuple[int, str, dict[str, Any]]]:
        """The conversation of a draft, oldest first: (seq, role, data)."""
        with self._connect() as conn:
            rows = conn.execute(
                select(chat_table).where(chat_table.c.draft_id == draft_id).order_by(chat_table.c.seq)
            ).all()
        return [(r.seq, r.role, json.loads(r.data)) for r in rows]

    # -- files read by a batch review --------------------------------------------------------------

    def cached_read(self, sha256: str, reader: str) -> str | None:
        """What reading these bytes with this reader gave before (JSON text), if it was kept."""
        with self._connect() as conn:
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

    # -- internals ------------------------------------------------------------------------------

    def _append_steps(self, conn: Any, draft: Draft, after: int, by: str | None = None) -> None:
        rows = [
            {"draft_id": draft.id, "step_id": s.id, "at": s.at, "source": s.source, "summary": s.summary,
             "prompt": s.prompt, "changes": json.dumps([c.model_dump(mode="json") for c in s.changes],
                                                       ensure_ascii=False), "by_user": by}
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
    return value if value.tzinfo else value.replace(tzinfo=UTC)
