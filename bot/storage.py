"""The bot's database: one layer for SQLite (default, embedded) and PostgreSQL (where the disk is not kept).

`DATABASE_URL` chooses: `sqlite:///data/bot.sqlite3` (relative), `sqlite:////var/lib/bot.sqlite3` (absolute),
`sqlite:///:memory:`, or `postgresql://user:pass@host/db`. The schema carries a version; `migrate()` brings
any older database up to date in one transaction per step, so a crash mid-migration leaves the old version.
Every write commits before the call returns: an acknowledged write survives a crash.

The bot calls this on its event loop, not through threads: a write (a local round trip on PostgreSQL) costs
less than a thread hop would (the README has the figures).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.errors import OperatorError
from bot.milestones.dates import OSLO, Lead, parse_lead_list
from bot.milestones.model import Milestone
from bot.milestones.planner import DeliveryKey, Subscription
from bot.staff.weekly import SummaryKey, SummarySubscriber

DEFAULT_DATABASE_URL = "sqlite:///data/bot.sqlite3"


class StorageError(OperatorError):
    """The database cannot be opened or used; the message is meant for the operator."""


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
]


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
    """A connection with the dialect's differences (placeholders, ids, upserts) kept inside."""

    def __init__(self, url: str = DEFAULT_DATABASE_URL) -> None:
        self._lock = threading.RLock()
        self._closed = False
        parsed = urlparse(url)
        if parsed.scheme == "sqlite":
            self.dialect = "sqlite"
            self._connection: Any = self._open_sqlite(url)
        elif parsed.scheme in {"postgres", "postgresql"}:
            self.dialect = "postgresql"
            self._connection = self._open_postgresql(url)
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
            connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the SQLite database {path!r}: {exc}") from None
        return connection

    @staticmethod
    def _open_postgresql(url: str) -> Any:
        try:
            import psycopg
        except ImportError:
            raise StorageError("PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'") from None
        try:
            return psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            host = urlparse(url).hostname or "localhost"
            raise StorageError(f"cannot connect to PostgreSQL on {host}: {str(exc).strip()}") from None

    # -- statements ------------------------------------------------------------------------------------
    def _sql(self, statement: str) -> str:
        primary = "INTEGER PRIMARY KEY AUTOINCREMENT" if self.dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
        statement = statement.replace("{id}", primary).replace("{bigint}", "BIGINT")
        return statement.replace("?", "%s") if self.dialect == "postgresql" else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement (committed at once unless inside `transaction()`); rows if it returns any."""
        with self._lock:
            cursor = self._connection.execute(self._sql(statement), tuple(params))
            return list(cursor.fetchall()) if cursor.description else []

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the statements inside commit together or not at all."""
        with self._lock:
            if self.dialect == "sqlite":
                self._connection.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self._connection.execute("ROLLBACK")
                    raise
                self._connection.execute("COMMIT")
            else:
                with self._connection.transaction():
                    yield

    def close(self) -> None:
        """Close the connection (again is harmless)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._connection.close()

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
    def log_question(self, text: str, answered: bool, top_id: str | None, chat_type: str) -> None:
        """Keep a question for `stats`: what was asked, not who asked it."""
        self.execute(
            "INSERT INTO questions (asked_at, text, answered, top_id, chat_type) VALUES (?, ?, ?, ?, ?)",
            (datetime.now(UTC).isoformat(timespec="seconds"), text[:500], answered, top_id, chat_type),
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
        """Log a reminder as handled (sent, superseded, blocked, failed); a logged reminder is never sent again."""
        milestone_id, occurrence, lead, chat_id = key
        self.execute(
            "INSERT INTO deliveries (milestone_id, occurrence, lead, chat_id, status, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (milestone_id, occurrence, lead, chat_id) DO NOTHING",
            (milestone_id, occurrence, lead, chat_id, status, datetime.now(UTC).isoformat()),
        )

    def delivered(self, since: date) -> set[DeliveryKey]:
        """The logged reminders of events from `since` on (older ones can never fall due again)."""
        rows = self.execute(
            "SELECT milestone_id, occurrence, lead, chat_id FROM deliveries WHERE occurrence >= ?",
            (since.isoformat(),),
        )
        return {(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows}

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
        """Log a weekly summary as handled (sent, blocked, revoked, failed); a logged one is never sent again."""
        week, chat_id = key
        self.execute(
            "INSERT INTO summary_deliveries (week, chat_id, status, recorded_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (week, chat_id) DO NOTHING",
            (week, chat_id, status, datetime.now(UTC).isoformat()),
        )

    def summaries_delivered(self, since_week: str) -> set[SummaryKey]:
        rows = self.execute("SELECT week, chat_id FROM summary_deliveries WHERE week >= ?", (since_week,))
        return {(str(r[0]), int(r[1])) for r in rows}

    def summary_statuses(self) -> dict[str, int]:
        rows = self.execute("SELECT status, COUNT(*) FROM summary_deliveries GROUP BY status")
        return {str(row[0]): int(row[1]) for row in rows}


def _utc(moment: datetime) -> str:
    """The question log's form of a moment (UTC, to the second), so stored times compare as text."""
    if moment.tzinfo is None:
        raise ValueError("timezone-aware datetimes only")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def open_database(url: str) -> Database:
    """Open and migrate; raises `StorageError` with a message for the operator."""
    database = Database(url)
    try:
        database.migrate()
    except Exception as exc:  # sqlite3's, psycopg's (not imported for SQLite users) and our own
        database.close()
        raise StorageError(f"cannot prepare the database: {exc}") from None
    return database
