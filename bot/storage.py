"""The bot's database: one layer for SQLite (default, embedded) and PostgreSQL (where the disk is not kept).

`DATABASE_URL` chooses: `sqlite:///data/bot.sqlite3` (relative), `sqlite:////var/lib/bot.sqlite3` (absolute),
`sqlite:///:memory:`, or `postgresql://user:pass@host/db`. The schema carries a version; `migrate()` brings
any older database up to date in one transaction per step, so a crash mid-migration leaves the old version.
Every write commits before the call returns: an acknowledged write survives a crash.

The database can be busy or gone for a while: SQLite locked by another process, PostgreSQL restarted. Then a
call raises `DatabaseUnavailable` instead of hanging: SQLite waits at most `SQLITE_BUSY_TIMEOUT` for a lock,
PostgreSQL goes through a connection pool that replaces dead connections (a call that meets one is retried on
a fresh connection at once) and waits at most `POOL_TIMEOUT` for one. The bot calls the database through
`Database.run`, in worker threads, so a lock or a dead server never stops the event loop, and retries while
the database is unavailable, for as long as the caller can wait.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from bot.errors import OperatorError
from bot.milestones.dates import OSLO, Lead, parse_lead_list
from bot.milestones.model import Milestone
from bot.milestones.planner import DeliveryKey, Subscription
from bot.staff.weekly import SummaryKey, SummarySubscriber

DEFAULT_DATABASE_URL = "sqlite:///data/bot.sqlite3"
SQLITE_BUSY_TIMEOUT = 0.25  # seconds a SQLite call waits for another process's lock (in its thread)
POOL_TIMEOUT = 5.0  # seconds a PostgreSQL call waits for a connection (the server may be restarting)
POOL_SIZE = 4
DATABASE_THREADS = 4  # worker threads for `Database.run`
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.5, 1.0)  # between attempts of `Database.run`; then 1 s each
USER_PATIENCE = 10.0  # seconds a chat's read or edit waits for a busy database before the chat is told
QUESTION_BACKLOG = 10_000  # question-log entries kept in memory while the database is unavailable
QUESTION_LOG_RETRY = 5.0  # seconds between attempts to write them

logger = logging.getLogger("bot.storage")
T = TypeVar("T")


class StorageError(OperatorError):
    """The database cannot be opened or used; the message is meant for the operator."""


class DatabaseUnavailable(StorageError):
    """Locked by another process, or unreachable: nothing was changed, and the same call may succeed later."""


# Each step is a list of statements; the index + 1 is the schema version it leads to.
# `{id}` is the dialect's auto-increment primary key.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE questions (
            id {id},
            asked_at TEXT NOT NULL,
            text TEXT NOT NULL,
            answered BOOLEAN NOT NULL,
            top_id TEXT,
            chat_type TEXT NOT NULL
        )""",
        "CREATE INDEX questions_answered ON questions (answered)",
    ],
    [
        """CREATE TABLE subscriptions (
            chat_id {bigint} NOT NULL,
            milestone_id TEXT NOT NULL,
            leads TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, milestone_id)
        )""",
        """CREATE TABLE milestones (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            measure_id TEXT NOT NULL,
            place TEXT,
            recurrence TEXT NOT NULL,
            starts_at TEXT,
            removed BOOLEAN NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE deliveries (
            milestone_id TEXT NOT NULL,
            occurrence TEXT NOT NULL,
            lead TEXT NOT NULL,
            chat_id {bigint} NOT NULL,
            status TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (milestone_id, occurrence, lead, chat_id)
        )""",
    ],
    [
        """CREATE TABLE taught_words (
            word TEXT PRIMARY KEY,
            means TEXT NOT NULL,
            taught_by {bigint} NOT NULL,
            chat_id {bigint} NOT NULL,
            taught_at TEXT NOT NULL
        )""",
        """CREATE TABLE changes (
            id {id},
            changed_at TEXT NOT NULL,
            user_id {bigint} NOT NULL,
            chat_id {bigint} NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT
        )""",
        """CREATE TABLE summary_subscriptions (
            chat_id {bigint} PRIMARY KEY,
            user_id {bigint} NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE summary_deliveries (
            week TEXT NOT NULL,
            chat_id {bigint} NOT NULL,
            status TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (week, chat_id)
        )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
    ],
    [
        # A reminder is claimed (status 'claimed', owner, recorded_at = when claimed or renewed) before it is
        # sent, so two processes never send the same one; see `Database.claim_delivery`.
        "ALTER TABLE deliveries ADD COLUMN owner TEXT",
    ],
    [
        # The weekly summary is claimed the same way (`Database.claim_summaries`).
        "ALTER TABLE summary_deliveries ADD COLUMN owner TEXT",
    ],
]
# The logs whose entries are claimed before they are sent, with the columns of their keys.
CLAIMED_LOGS = {
    "deliveries": ("milestone_id", "occurrence", "lead", "chat_id"),
    "summary_deliveries": ("week", "chat_id"),
}


@dataclass(frozen=True)
class QuestionStat:
    label: str
    count: int


@dataclass(frozen=True)
class Actor:
    """Who made a change, and where: a partnership admin's user id (or the group an anonymous admin posted
    as) and the chat. Admins act in their role, so the change log keeps their id; the question log never does."""

    user_id: int
    chat_id: int


@dataclass(frozen=True)
class Change:
    at: datetime
    actor: Actor
    action: str  # the command's name: settdato, nymilepael, fjernmilepael, endrenavn, laer, glem
    subject: str  # the milestone's id or the taught word
    old: str | None
    new: str | None


@dataclass(frozen=True)
class TaughtWord:
    word: str  # what people type, lower-case
    means: tuple[str, ...]  # words of the agreement
    taught_by: int
    chat_id: int
    taught_at: datetime


class Database:
    """SQLite (one connection) or PostgreSQL (a pool), with the dialect's differences (placeholders, ids,
    upserts) kept inside. Thread-safe: `run` calls it from worker threads."""

    def __init__(self, url: str = DEFAULT_DATABASE_URL) -> None:
        self.url = url
        self._lock = threading.RLock()  # SQLite's one connection, used by one thread at a time
        self._local = threading.local()  # PostgreSQL: the connection of the transaction this thread is in
        self._closed = False
        self._executor = ThreadPoolExecutor(DATABASE_THREADS, thread_name_prefix="database")
        parsed = urlparse(url)
        if parsed.scheme == "sqlite":
            self.dialect = "sqlite"
            self._connection: Any = self._open_sqlite(url)
        elif parsed.scheme in {"postgres", "postgresql"}:
            self.dialect = "postgresql"
            self._pool: Any = self._open_postgresql(url)
        else:
            raise StorageError(
                f"DATABASE_URL must start with sqlite:/// or postgresql:// (got {parsed.scheme or 'nothing'!r})"
            )

    @staticmethod
    def _open_sqlite(url: str) -> sqlite3.Connection:
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise StorageError("a SQLite DATABASE_URL looks like sqlite:///data/bot.sqlite3")
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, timeout=SQLITE_BUSY_TIMEOUT
            )
            connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the SQLite database {path!r}: {exc}") from None
        return connection

    @staticmethod
    def _open_postgresql(url: str) -> Any:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise StorageError(
                "PostgreSQL needs the psycopg and psycopg-pool packages: pip install 'psycopg[binary]' psycopg-pool"
            ) from None
        host = urlparse(url).hostname or "localhost"
        try:  # one plain connection first: a wrong URL gets the server's own words, not a pool timeout
            psycopg.connect(url, autocommit=True, connect_timeout=int(POOL_TIMEOUT)).close()
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to PostgreSQL on {host}: {str(exc).strip()}") from None
        pool = ConnectionPool(
            url,
            min_size=1,
            max_size=POOL_SIZE,
            kwargs={"autocommit": True, "application_name": "partnership-bot"},
            timeout=POOL_TIMEOUT,
            open=False,
        )
        try:
            pool.open(wait=True, timeout=POOL_TIMEOUT)
        except psycopg.Error as exc:
            pool.close()
            raise StorageError(f"cannot connect to PostgreSQL on {host}: {str(exc).strip()}") from None
        return pool

    # -- statements ------------------------------------------------------------------------------------
    def _sql(self, statement: str) -> str:
        primary = "INTEGER PRIMARY KEY AUTOINCREMENT" if self.dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
        statement = statement.replace("{id}", primary).replace("{bigint}", "BIGINT")
        return statement.replace("?", "%s") if self.dialect == "postgresql" else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement (committed at once unless inside `transaction()`); rows if it returns any.
        Raises `DatabaseUnavailable` if the database is locked or unreachable."""
        sql = self._sql(statement)
        if self.dialect == "sqlite":
            with self._lock, _sqlite_errors():
                return _rows(self._connection.execute(sql, tuple(params)))
        import psycopg

        connection = getattr(self._local, "connection", None)
        if connection is not None:  # inside transaction(): its connection, no retry (the caller's all or nothing)
            with _postgresql_errors():
                return _rows(connection.execute(sql, tuple(params)))
        for attempt in range(POOL_SIZE + 1):
            used = None
            try:
                with self._pool.connection() as used:
                    return _rows(used.execute(sql, tuple(params)))
            except psycopg.OperationalError as error:
                # A pooled connection the server closed (a restart, pg_terminate_backend): the pool drops it,
                # and the statement goes once more on another. Anything else: unavailable now.
                if used is not None and used.closed and attempt < POOL_SIZE:
                    continue
                raise DatabaseUnavailable(f"PostgreSQL is unavailable: {str(error).strip()}") from error
        raise AssertionError("unreachable")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the statements inside commit together or not at all."""
        if self.dialect == "sqlite":
            with self._lock:
                with _sqlite_errors():
                    self._connection.execute("BEGIN IMMEDIATE")
                try:
                    yield
                    with _sqlite_errors():
                        self._connection.execute("COMMIT")
                except BaseException:
                    if self._connection.in_transaction:
                        self._connection.execute("ROLLBACK")
                    raise
            return
        if getattr(self._local, "connection", None) is not None:
            yield  # already inside one: the outer transaction decides
            return
        import psycopg

        for attempt in range(POOL_SIZE + 1):
            with _postgresql_errors(), self._pool.connection() as connection:
                try:
                    connection.execute("BEGIN")
                except psycopg.OperationalError:
                    if connection.closed and attempt < POOL_SIZE:
                        continue  # a connection the server closed: the pool drops it; another one
                    raise
                self._local.connection = connection
                try:
                    yield
                    connection.execute("COMMIT")
                except BaseException:
                    if not connection.closed:
                        connection.execute("ROLLBACK")
                    raise
                finally:
                    self._local.connection = None
                return

    async def run(self, call: Callable[[], T], *, patience: float, executor: Executor | None = None) -> T:
        """`call` (which uses this database) in a worker thread, so the event loop never waits for a lock or
        the network; while the database is unavailable it is tried again for up to `patience` seconds, then
        `DatabaseUnavailable` is raised. `call` must be safe to repeat (every method here is). `executor`:
        threads of the caller's own instead of the database's (questions, so that they and the database's
        other work never queue behind each other)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + patience
        attempt = 0
        while True:
            try:
                return await loop.run_in_executor(executor or self._executor, call)
            except DatabaseUnavailable:
                delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
                if loop.time() + delay > deadline:
                    raise
                attempt += 1
                await asyncio.sleep(delay)

    def close(self) -> None:
        """Close the connection or pool (again is harmless)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._executor.shutdown(wait=True)
        if self.dialect == "sqlite":
            with self._lock:
                self._connection.close()
        else:
            self._pool.close()

    # -- schema ----------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        rows = self.execute("SELECT version FROM schema_version")
        return int(rows[0][0]) if rows else 0

    def migrate(self) -> int:
        """Apply the missing migrations; returns the version reached."""
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise StorageError(
                f"the database has schema version {version}, newer than this bot knows ({len(MIGRATIONS)})"
            )
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in statements:
                    self.execute(statement)
                self.execute("DELETE FROM schema_version")
                self.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
        return len(MIGRATIONS)

    # -- the question log ------------------------------------------------------------------------------
    def log_question(
        self, text: str, answered: bool, top_id: str | None, chat_type: str, asked_at: datetime | None = None
    ) -> None:
        """Keep a question for `stats`: what was asked, not who asked it."""
        self.execute(
            "INSERT INTO questions (asked_at, text, answered, top_id, chat_type) VALUES (?, ?, ?, ?, ?)",
            ((asked_at or datetime.now(UTC)).isoformat(timespec="seconds"), text[:500], answered, top_id, chat_type),
        )

    def top_subjects(self, limit: int) -> list[QuestionStat]:
        rows = self.execute(
            "SELECT top_id, COUNT(*) AS n FROM questions WHERE answered GROUP BY top_id ORDER BY n DESC, top_id "
            "LIMIT ?",
            (limit,),
        )
        return [QuestionStat(str(row[0]), int(row[1])) for row in rows]

    def unanswered(self, limit: int) -> list[QuestionStat]:
        rows = self.execute(
            "SELECT LOWER(text) AS t, COUNT(*) AS n FROM questions WHERE NOT answered GROUP BY LOWER(text) "
            "ORDER BY n DESC, t LIMIT ?",
            (limit,),
        )
        return [QuestionStat(str(row[0]), int(row[1])) for row in rows]

    def question_count(self) -> tuple[int, int]:
        rows = self.execute("SELECT COUNT(*), SUM(CASE WHEN answered THEN 1 ELSE 0 END) FROM questions")
        return int(rows[0][0]), int(rows[0][1] or 0)

    # -- subscriptions -------------------------------------------------------------------------------------
    def subscribe(self, chat_id: int, milestone_id: str, leads: tuple[Lead, ...], now: datetime) -> None:
        """Subscribe a chat (to one milestone or ALL); subscribing again changes the lead times."""
        self.execute(
            "INSERT INTO subscriptions (chat_id, milestone_id, leads, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (chat_id, milestone_id) DO UPDATE SET leads = excluded.leads",
            (chat_id, milestone_id, ",".join(str(lead) for lead in leads), now.isoformat()),
        )

    def unsubscribe(self, chat_id: int, milestone_id: str | None = None) -> int:
        """Remove one subscription, or all of a chat's (None); how many there were."""
        if milestone_id is None:
            rows = self.execute("DELETE FROM subscriptions WHERE chat_id = ? RETURNING chat_id", (chat_id,))
        else:
            rows = self.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND milestone_id = ? RETURNING chat_id",
                (chat_id, milestone_id),
            )
        return len(rows)

    def subscriptions(self, chat_id: int | None = None) -> list[Subscription]:
        if chat_id is None:
            rows = self.execute("SELECT chat_id, milestone_id, leads, created_at FROM subscriptions")
        else:
            rows = self.execute(
                "SELECT chat_id, milestone_id, leads, created_at FROM subscriptions WHERE chat_id = ?", (chat_id,)
            )
        return [
            Subscription(int(row[0]), str(row[1]), parse_lead_list(str(row[2])), datetime.fromisoformat(str(row[3])))
            for row in rows
        ]

    def move_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its subscriptions and delivery log follow it."""
        with self.transaction():
            self.execute(
                "DELETE FROM subscriptions WHERE chat_id = ? AND milestone_id IN "
                "(SELECT milestone_id FROM subscriptions WHERE chat_id = ?)",
                (new_chat_id, old_chat_id),
            )
            self.execute("UPDATE subscriptions SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id))
            self.execute(
                "UPDATE deliveries SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS (SELECT 1 FROM deliveries d "
                "WHERE d.chat_id = ? AND d.milestone_id = deliveries.milestone_id "
                "AND d.occurrence = deliveries.occurrence AND d.lead = deliveries.lead)",
                (new_chat_id, old_chat_id, new_chat_id),
            )

    # -- the delivery log ------------------------------------------------------------------------------
    def record_delivery(self, key: DeliveryKey, status: str) -> None:
        """Log a reminder as handled without sending it (superseded); a logged reminder is never sent again."""
        milestone_id, occurrence, lead, chat_id = key
        self.execute(
            "INSERT INTO deliveries (milestone_id, occurrence, lead, chat_id, status, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (milestone_id, occurrence, lead, chat_id) DO NOTHING",
            (milestone_id, occurrence, lead, chat_id, status, _now()),
        )

    def record_deliveries(self, keys: Sequence[DeliveryKey], status: str) -> None:
        """`record_delivery` for many, in one transaction."""
        with self.transaction():
            for key in keys:
                self.record_delivery(key, status)

    def _claim(self, log: str, key: Sequence[Any], owner: str, stale_before: datetime) -> bool:
        """Claim an entry of a delivery log (`CLAIMED_LOGS`) before sending it; True if this owner may send it.

        Atomic on both databases (one INSERT … ON CONFLICT): of two processes claiming at once, one wins. A
        claim renewed before `stale_before` was left by a process that died mid-send: it is taken over. An
        entry already handled (sent, superseded, blocked, failed) is never claimed. Claiming again what this
        owner holds succeeds, so a retried call is harmless."""
        columns = ", ".join(CLAIMED_LOGS[log])
        marks = ", ".join("?" for _ in CLAIMED_LOGS[log])
        rows = self.execute(
            f"INSERT INTO {log} ({columns}, status, recorded_at, owner) VALUES ({marks}, 'claimed', ?, ?) "
            f"ON CONFLICT ({columns}) DO UPDATE SET owner = excluded.owner, recorded_at = excluded.recorded_at "
            f"WHERE {log}.status = 'claimed' AND ({log}.owner = excluded.owner OR {log}.recorded_at < ?) "
            "RETURNING owner",
            (*key, _now(), owner, _stamp(stale_before)),
        )
        return bool(rows)

    def _renew(self, log: str, owner: str) -> int:
        rows = self.execute(
            f"UPDATE {log} SET recorded_at = ? WHERE status = 'claimed' AND owner = ? RETURNING owner", (_now(), owner)
        )
        return len(rows)

    def _finish(self, log: str, key: Sequence[Any], owner: str, status: str) -> bool:
        where = " AND ".join(f"{column} = ?" for column in CLAIMED_LOGS[log])
        rows = self.execute(
            f"UPDATE {log} SET status = ?, recorded_at = ? WHERE {where} AND owner = ? "
            "AND status IN ('claimed', ?) RETURNING owner",
            (status, _now(), *key, owner, status),
        )
        return bool(rows)

    def _release(self, log: str, key: Sequence[Any], owner: str) -> None:
        where = " AND ".join(f"{column} = ?" for column in CLAIMED_LOGS[log])
        self.execute(f"DELETE FROM {log} WHERE {where} AND owner = ? AND status = 'claimed'", (*key, owner))

    def claim_delivery(self, key: DeliveryKey, owner: str, stale_before: datetime) -> bool:
        """Claim a reminder before sending it; True if this owner may send it now (see `_claim`)."""
        return self._claim("deliveries", key, owner, stale_before)

    def claim_deliveries(self, keys: Sequence[DeliveryKey], owner: str, stale_before: datetime) -> set[DeliveryKey]:
        """`claim_delivery` for many in one transaction (one round trip's worth of waiting); the ones won."""
        with self.transaction():
            return {key for key in keys if self.claim_delivery(key, owner, stale_before)}

    def renew_claims(self, owner: str) -> int:
        """Keep this owner's claims fresh while their sends are in flight; how many there are."""
        return self._renew("deliveries", owner)

    def finish_delivery(self, key: DeliveryKey, owner: str, status: str) -> bool:
        """A claimed reminder is handled (sent, blocked, failed …); False if the claim was no longer this
        owner's (it went stale and another process took it over)."""
        return self._finish("deliveries", key, owner, status)

    def release_delivery(self, key: DeliveryKey, owner: str) -> None:
        """Give a claim back (the send failed and will be tried again)."""
        self._release("deliveries", key, owner)

    def delivered(self, since: date) -> set[DeliveryKey]:
        """The handled reminders of events from `since` on (older ones can never fall due again); claims
        are not handled yet (see `claims`)."""
        rows = self.execute(
            "SELECT milestone_id, occurrence, lead, chat_id FROM deliveries WHERE occurrence >= ? "
            "AND status <> 'claimed'",
            (since.isoformat(),),
        )
        return {(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows}

    def claims(self, since: date) -> dict[DeliveryKey, tuple[str, datetime]]:
        """The claimed reminders: owner, and when the claim was made or last renewed."""
        rows = self.execute(
            "SELECT milestone_id, occurrence, lead, chat_id, owner, recorded_at FROM deliveries "
            "WHERE occurrence >= ? AND status = 'claimed'",
            (since.isoformat(),),
        )
        return {(str(r[0]), str(r[1]), str(r[2]), int(r[3])): (str(r[4]), datetime.fromisoformat(r[5])) for r in rows}

    def delivery_statuses(self) -> dict[str, int]:
        rows = self.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status")
        return {str(row[0]): int(row[1]) for row in rows}

    # -- milestone edits -------------------------------------------------------------------------------
    def save_milestone(self, milestone: Milestone) -> None:
        self.execute(
            "INSERT INTO milestones (id, title, measure_id, place, recurrence, starts_at, removed, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
            "measure_id = excluded.measure_id, place = excluded.place, recurrence = excluded.recurrence, "
            "starts_at = excluded.starts_at, removed = excluded.removed, updated_at = excluded.updated_at",
            (
                milestone.id,
                milestone.title,
                milestone.measure_id,
                milestone.place,
                milestone.recurrence,
                milestone.starts_at.isoformat() if milestone.starts_at else None,
                milestone.removed,
                datetime.now(UTC).isoformat(),
            ),
        )

    def stored_milestones(self) -> list[Milestone]:
        rows = self.execute(
            "SELECT id, title, measure_id, place, recurrence, starts_at, removed FROM milestones ORDER BY id"
        )
        return [
            Milestone(
                id=str(r[0]),
                title=str(r[1]),
                measure_id=str(r[2]),
                place=str(r[3]) if r[3] is not None else None,
                recurrence=str(r[4]),
                starts_at=datetime.fromisoformat(str(r[5])).astimezone(OSLO) if r[5] else None,
                removed=bool(r[6]),
            )
            for r in rows
        ]

    # -- staff tools: the question log by period ---------------------------------------------------------
    def question_count_between(self, start: datetime, end: datetime) -> tuple[int, int]:
        """(asked, answered) from `start` up to `end`."""
        rows = self.execute(
            "SELECT COUNT(*), SUM(CASE WHEN answered THEN 1 ELSE 0 END) FROM questions "
            "WHERE asked_at >= ? AND asked_at < ?",
            (_utc(start), _utc(end)),
        )
        return int(rows[0][0]), int(rows[0][1] or 0)

    def top_subjects_between(self, start: datetime, end: datetime, limit: int) -> list[QuestionStat]:
        rows = self.execute(
            "SELECT top_id, COUNT(*) AS n FROM questions WHERE answered AND top_id IS NOT NULL "
            "AND asked_at >= ? AND asked_at < ? GROUP BY top_id ORDER BY n DESC, top_id LIMIT ?",
            (_utc(start), _utc(end), limit),
        )
        return [QuestionStat(str(row[0]), int(row[1])) for row in rows]

    def unanswered_between(self, start: datetime | None = None, end: datetime | None = None) -> list[QuestionStat]:
        """Unanswered questions as typed, one row per exact text with its count (all time without bounds).
        Grouping case and spacing apart is the caller's: SQLite's LOWER knows only ASCII."""
        rows = self.execute(
            "SELECT text, COUNT(*) FROM questions WHERE NOT answered AND asked_at >= ? AND asked_at < ? GROUP BY text",
            (_utc(start) if start else "", _utc(end) if end else "9999"),
        )
        return [QuestionStat(str(row[0]), int(row[1])) for row in rows]

    # -- staff tools: the change log ---------------------------------------------------------------------
    def record_change(self, change: Change) -> None:
        self.execute(
            "INSERT INTO changes (changed_at, user_id, chat_id, action, subject, old_value, new_value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                _utc(change.at),
                change.actor.user_id,
                change.actor.chat_id,
                change.action,
                change.subject,
                change.old,
                change.new,
            ),
        )

    def changes(self, limit: int) -> list[Change]:
        """The latest changes, newest first."""
        rows = self.execute(
            "SELECT changed_at, user_id, chat_id, action, subject, old_value, new_value FROM changes "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            Change(
                datetime.fromisoformat(str(r[0])),
                Actor(int(r[1]), int(r[2])),
                str(r[3]),
                str(r[4]),
                None if r[5] is None else str(r[5]),
                None if r[6] is None else str(r[6]),
            )
            for r in rows
        ]

    def save_milestone_change(self, milestone: Milestone, change: Change) -> None:
        """A milestone edit and its line in the change log, together or not at all."""
        with self.transaction():
            self.save_milestone(milestone)
            self.record_change(change)

    # -- staff tools: taught words -----------------------------------------------------------------------
    def taught_words(self) -> list[TaughtWord]:
        rows = self.execute("SELECT word, means, taught_by, chat_id, taught_at FROM taught_words ORDER BY word")
        return [
            TaughtWord(
                str(r[0]),
                tuple(part for part in str(r[1]).split("|") if part),
                int(r[2]),
                int(r[3]),
                datetime.fromisoformat(str(r[4])),
            )
            for r in rows
        ]

    def teach_word(self, word: TaughtWord) -> bool:
        """Store a taught word and its change-log line together; False (nothing stored) if it is taught already."""
        with self.transaction():
            rows = self.execute(
                "INSERT INTO taught_words (word, means, taught_by, chat_id, taught_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (word) DO NOTHING RETURNING word",
                (word.word, "|".join(word.means), word.taught_by, word.chat_id, _utc(word.taught_at)),
            )
            if not rows:
                return False
            actor = Actor(word.taught_by, word.chat_id)
            self.record_change(Change(word.taught_at, actor, "laer", word.word, None, ", ".join(word.means)))
        return True

    def forget_word(self, word: str, actor: Actor, now: datetime) -> TaughtWord | None:
        """Remove a taught word and log it, together; the removed word, or None if it was not taught."""
        with self.transaction():
            rows = self.execute(
                "DELETE FROM taught_words WHERE word = ? RETURNING word, means, taught_by, chat_id, taught_at",
                (word,),
            )
            if not rows:
                return None
            r = rows[0]
            means = tuple(part for part in str(r[1]).split("|") if part)
            self.record_change(Change(now, actor, "glem", word, ", ".join(means), None))
        return TaughtWord(str(r[0]), means, int(r[2]), int(r[3]), datetime.fromisoformat(str(r[4])))

    # -- staff tools: the weekly summary -----------------------------------------------------------------
    def subscribe_summary(self, chat_id: int, user_id: int, now: datetime) -> bool:
        """Opt a private chat in; False if it already was."""
        rows = self.execute(
            "INSERT INTO summary_subscriptions (chat_id, user_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id) DO NOTHING RETURNING chat_id",
            (chat_id, user_id, _utc(now)),
        )
        return bool(rows)

    def unsubscribe_summary(self, chat_id: int) -> bool:
        rows = self.execute("DELETE FROM summary_subscriptions WHERE chat_id = ? RETURNING chat_id", (chat_id,))
        return bool(rows)

    def summary_subscribers(self) -> list[SummarySubscriber]:
        rows = self.execute("SELECT chat_id, user_id, created_at FROM summary_subscriptions ORDER BY chat_id")
        return [SummarySubscriber(int(r[0]), int(r[1]), datetime.fromisoformat(str(r[2]))) for r in rows]

    def record_summary(self, key: SummaryKey, status: str) -> None:
        """Log a weekly summary as handled without a claim; a logged one is never sent again."""
        week, chat_id = key
        self.execute(
            "INSERT INTO summary_deliveries (week, chat_id, status, recorded_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (week, chat_id) DO NOTHING",
            (week, chat_id, status, _now()),
        )

    def claim_summaries(self, keys: Sequence[SummaryKey], owner: str, stale_before: datetime) -> set[SummaryKey]:
        """Claim weekly summaries before sending them, as reminders are claimed (`_claim`), in one transaction;
        the ones this owner may send now."""
        with self.transaction():
            return {key for key in keys if self._claim("summary_deliveries", key, owner, stale_before)}

    def renew_summary_claims(self, owner: str) -> int:
        return self._renew("summary_deliveries", owner)

    def finish_summary(self, key: SummaryKey, owner: str, status: str) -> bool:
        """A claimed summary is handled (sent, revoked, blocked, failed); False if the claim was taken over."""
        return self._finish("summary_deliveries", key, owner, status)

    def release_summary(self, key: SummaryKey, owner: str) -> None:
        """Give a summary's claim back (the send failed and will be tried again)."""
        self._release("summary_deliveries", key, owner)

    def summaries_delivered(self, since_week: str) -> set[SummaryKey]:
        """The handled summaries from `since_week` on; claims are not handled yet (see `summary_claims`)."""
        rows = self.execute(
            "SELECT week, chat_id FROM summary_deliveries WHERE week >= ? AND status <> 'claimed'", (since_week,)
        )
        return {(str(r[0]), int(r[1])) for r in rows}

    def summary_claims(self, since_week: str) -> dict[SummaryKey, tuple[str, datetime]]:
        """The claimed summaries: owner, and when the claim was made or last renewed."""
        rows = self.execute(
            "SELECT week, chat_id, owner, recorded_at FROM summary_deliveries WHERE week >= ? AND status = 'claimed'",
            (since_week,),
        )
        return {(str(r[0]), int(r[1])): (str(r[2]), datetime.fromisoformat(str(r[3]))) for r in rows}

    def summary_statuses(self) -> dict[str, int]:
        rows = self.execute("SELECT status, COUNT(*) FROM summary_deliveries GROUP BY status")
        return {str(row[0]): int(row[1]) for row in rows}


def _utc(moment: datetime) -> str:
    """The question log's form of a moment (UTC, to the second), so stored times compare as text."""
    if moment.tzinfo is None:
        raise ValueError("timezone-aware datetimes only")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class QuestionLog:
    """The question log, written behind the replies so it never delays one. Best effort: while the database
    is unavailable, entries wait in memory (the newest `QUESTION_BACKLOG`) and are written when it is back;
    they are lost if the process stops before that."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._pending: deque[tuple[str, bool, str | None, str, datetime]] = deque()
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def add(self, text: str, answered: bool, top_id: str | None, chat_type: str) -> None:
        """Queue one entry (on the event loop); a background task writes it."""
        if len(self._pending) >= QUESTION_BACKLOG:
            self._pending.popleft()
            self.dropped += 1
        self._pending.append((text, answered, top_id, chat_type, datetime.now(UTC)))
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._write_all())

    async def _write_all(self, patience: float = QUESTION_LOG_RETRY, once: bool = False) -> None:
        warned = False
        while self._pending:
            batch = [self._pending.popleft() for _ in range(len(self._pending))]
            try:
                await self.database.run(lambda batch=batch: self._insert(batch), patience=patience)  # type: ignore[misc]
            except asyncio.CancelledError:
                self._pending.extendleft(reversed(batch))
                raise
            except DatabaseUnavailable as error:
                self._pending.extendleft(reversed(batch))
                while len(self._pending) > QUESTION_BACKLOG:
                    self._pending.popleft()
                    self.dropped += 1
                if not warned:
                    logger.warning("question log: %s; %d entries wait in memory", error, len(self._pending))
                    warned = True
                if once:
                    return
                await asyncio.sleep(QUESTION_LOG_RETRY)
        if warned:
            logger.warning("question log: the database is back; the waiting entries are written")

    def _insert(self, batch: list[tuple[str, bool, str | None, str, datetime]]) -> None:
        with self.database.transaction():
            for text, answered, top_id, chat_type, asked_at in batch:
                self.database.log_question(text, answered, top_id, chat_type, asked_at)

    async def close(self, patience: float = 2.0) -> None:
        """At shutdown: one last try to write what waits; says how much was lost."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        await self._write_all(patience, once=True)
        lost = self.dropped + len(self._pending)
        if lost:
            logger.warning("question log: %d entries were not written (the database was unavailable)", lost)


def _stamp(moment: datetime) -> str:
    """UTC, fixed width, so stored times compare as text on both databases."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _now() -> str:
    return _stamp(datetime.now(UTC))


def _rows(cursor: Any) -> list[Any]:
    return list(cursor.fetchall()) if cursor.description else []


@contextmanager
def _sqlite_errors() -> Iterator[None]:
    """SQLite's "database is locked" (another process writes) as `DatabaseUnavailable`."""
    try:
        yield
    except sqlite3.OperationalError as error:
        message = str(error).lower()
        if "locked" in message or "busy" in message:
            raise DatabaseUnavailable(f"the SQLite database is locked by another connection: {error}") from error
        raise


@contextmanager
def _postgresql_errors() -> Iterator[None]:
    """psycopg's connection trouble (server gone, restarting, no connection free) as `DatabaseUnavailable`."""
    import psycopg

    try:
        yield
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable(f"PostgreSQL is unavailable: {str(error).strip()}") from error


def database_errors() -> tuple[type[Exception], ...]:
    """What a `Database` call raises when the database cannot be read: ours, and sqlite3's or psycopg's own
    (a damaged file, a table gone)."""
    errors: list[type[Exception]] = [StorageError, sqlite3.Error]
    with suppress(ImportError):
        import psycopg

        errors.append(psycopg.Error)
    return tuple(errors)


def open_database(url: str) -> Database:
    """Open and migrate; raises `StorageError` with a message for the operator."""
    database = Database(url)
    try:
        database.migrate()
    except Exception as exc:  # sqlite3's, psycopg's (not imported for SQLite users) and our own
        database.close()
        raise StorageError(f"cannot prepare the database: {exc}") from None
    return database
