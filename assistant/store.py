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
from sqlalchemy.exc import OperationalError, SQLAlchemyError

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
    Column("name", Text, nullable=True),  # the clerk's name for the draft (None: agency and year)
    Column("deleted_at", DateTime(timezone=True), nullable=True),  # deleted drafts are kept for the audit
)

# Added after the first release: a database made before gets them on opening (see _add_missing_columns).
_LATER_COLUMNS = ("name", "deleted_at")

# What happened to a draft as a whole (renamed, deleted), append-only beside its steps.
events_table = Table(
    "draft_events",
    _metadata,
    Column("draft_id", String(32), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("summary", Text, nullable=False),
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
    name: str | None = None

    @property
    def title(self) -> str:
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
            _metadata.create_all(self.engine)
            _add_missing_columns(self.engine)
        except SQLAlchemyError:
            raise StoreError("无法打开草稿数据库，请检查数据文件夹的读写权限或数据库服务器是否可用。") from None

    # -- reading --------------------------------------------------------------------------------

    def summaries(self) -> list[DraftSummary]:
        """Every draft, most recently changed first."""
        with self._connect() as conn:
            rows = conn.execute(
                select(drafts_table.c.id, drafts_table.c.agency, drafts_table.c.year, drafts_table.c.revision,
                       drafts_table.c.updated_at, drafts_table.c.name)
                .where(drafts_table.c.deleted_at.is_(None)).order_by(drafts_table.c.updated_at.desc())
            ).all()
        return [DraftSummary(r.id, r.agency, r.year, r.revision, _aware(r.updated_at), r.name) for r in rows]

    def load(self, draft_id: str) -> tuple[Draft, int]:
        """A draft and the revision it was saved at."""
        with self._connect() as conn:
            row = conn.execute(
                select(drafts_table.c.data, drafts_table.c.revision)
                .where(drafts_table.c.id == draft_id, drafts_table.c.deleted_at.is_(None))
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
             "changes": json.loads(r.changes)}
            for r in rows
        ]

    # -- writing --------------------------------------------------------------------------------

    def create(self, draft: Draft) -> int:
        """Save a new draft; its revision is 1."""
        now = datetime.now(UTC)
        with self._begin() as conn:
            conn.execute(insert(drafts_table).values(
                id=draft.id, agency=draft.report.meta.agency, year=draft.report.meta.year, revision=1,
                data=draft.model_dump_json(), created_at=now, updated_at=now))
            self._append_steps(conn, draft, 0)
        return 1

    def save(self, draft: Draft, revision: int) -> int:
        """Save ``draft`` over ``revision``; the new revision, or DraftConflict if someone saved since."""
        now = datetime.now(UTC)
        with self._begin() as conn:
            result = conn.execute(
                update(drafts_table)
                .where(drafts_table.c.id == draft.id, drafts_table.c.revision == revision,
                       drafts_table.c.deleted_at.is_(None))
                .values(agency=draft.report.meta.agency, year=draft.report.meta.year, revision=revision + 1,
                        data=draft.model_dump_json(), updated_at=now)
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
                    latest=Draft.model_validate_json(row.data),
                    latest_revision=row.revision,
                )
            known = conn.execute(
                select(steps_table.c.step_id).where(steps_table.c.draft_id == draft.id)
                .order_by(steps_table.c.step_id.desc()).limit(1)
            ).scalar()
            self._append_steps(conn, draft, known or 0)
        return revision + 1

    def rename(self, draft_id: str, name: str | None) -> None:
        """Give a draft the clerk's name (None or blank: back to agency and year); recorded as an event."""
        name = (name or "").strip() or None
        if name is not None and len(name) > 100:
            raise StoreError("草稿名称过长（不超过100个字）。")
        with self._begin() as conn:
            result = conn.execute(update(drafts_table)
                                  .where(drafts_table.c.id == draft_id, drafts_table.c.deleted_at.is_(None))
                                  .values(name=name))
            if result.rowcount == 0:
                raise DraftNotFound("找不到该草稿，可能已被删除。")
            self._add_event(conn, draft_id, "rename", f"重命名为“{name}”" if name else "恢复默认名称")

    def delete(self, draft_id: str) -> None:
        """Take a draft off the list. Its data, steps and conversation stay, with the deletion, for the audit."""
        with self._begin() as conn:
            row = conn.execute(select(drafts_table.c.agency, drafts_table.c.year, drafts_table.c.name)
                               .where(drafts_table.c.id == draft_id, drafts_table.c.deleted_at.is_(None))).first()
            if row is None:
                raise DraftNotFound("找不到该草稿，可能已被删除。")
            conn.execute(update(drafts_table).where(drafts_table.c.id == draft_id)
                         .values(deleted_at=datetime.now(UTC)))
            title = DraftSummary(draft_id, row.agency, row.year, 0, datetime.now(UTC), row.name).title
            self._add_event(conn, draft_id, "delete", f"删除草稿“{title}”")

    def purge(self, draft_id: str) -> None:
        """Remove a draft and every row about it (for tests and administrators; the app never does)."""
        with self._begin() as conn:
            for table in (chat_table, steps_table, events_table):
                conn.execute(delete(table).where(table.c.draft_id == draft_id))
            conn.execute(delete(drafts_table).where(drafts_table.c.id == draft_id))

    def events(self, draft_id: str) -> list[dict[str, Any]]:
        """What happened to a draft as a whole (renamed, deleted), oldest first."""
        with self._connect() as conn:
            rows = conn.execute(select(events_table).where(events_table.c.draft_id == draft_id)
                                .order_by(events_table.c.seq)).all()
        return [{"seq": r.seq, "at": _aware(r.at), "kind": r.kind, "summary": r.summary} for r in rows]

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

    # -- internals ------------------------------------------------------------------------------

    def _add_event(self, conn: Any, draft_id: str, kind: str, summary: str) -> None:
        last = conn.execute(select(events_table.c.seq).where(events_table.c.draft_id == draft_id)
                            .order_by(events_table.c.seq.desc()).limit(1)).scalar()
        conn.execute(insert(events_table).values(draft_id=draft_id, seq=(last or 0) + 1, at=datetime.now(UTC),
                                                 kind=kind, summary=summary))

    def _append_steps(self, conn: Any, draft: Draft, after: int) -> None:
        rows = [
            {"draft_id": draft.id, "step_id": s.id, "at": s.at, "source": s.source, "summary": s.summary,
             "prompt": s.prompt, "changes": json.dumps([c.model_dump(mode="json") for c in s.changes],
                                                       ensure_ascii=False)}
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
    """Columns added after a database was made (``_LATER_COLUMNS``), added to it: nullable, no data moved."""
    from sqlalchemy import inspect, text

    present = {c["name"] for c in inspect(engine).get_columns("drafts")}
    with engine.begin() as conn:
        for name in _LATER_COLUMNS:
            if name not in present:
                column = drafts_table.c[name]
                kind = column.type.compile(dialect=engine.dialect)
                conn.execute(text(f"ALTER TABLE drafts ADD COLUMN {name} {kind}"))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
