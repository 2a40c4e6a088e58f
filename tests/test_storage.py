"""The same storage tests on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone
from bot.milestones.planner import ALL, DeliveryKey
from bot.storage import MIGRATIONS, Database, DatabaseUnavailable, StorageError, open_database

from .storage_urls import database_url

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=OSLO)


def test_migrations_reach_the_latest_version_and_are_idempotent(database: Database) -> None:
    assert database.schema_version() == len(MIGRATIONS)
    assert database.migrate() == len(MIGRATIONS)


def test_a_newer_database_is_refused(database: Database) -> None:
    database.execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS) + 1,))
    with pytest.raises(StorageError, match="newer than this bot knows"):
        database.migrate()


def test_subscriptions_round_trip(database: Database) -> None:
    database.subscribe(-100, ALL, (Lead(14, "d"), Lead(1, "d")), NOW)
    database.subscribe(7, "yrkesmesse", (Lead(2, "t"),), NOW)
    database.subscribe(7, "yrkesmesse", (Lead(30, "m"),), NOW)  # again: new lead times
    found = {(s.chat_id, s.milestone_id): s for s in database.subscriptions()}
    assert found[(7, "yrkesmesse")].leads == (Lead(30, "m"),)
    assert found[(-100, ALL)].leads == (Lead(14, "d"), Lead(1, "d")) and found[(-100, ALL)].since == NOW
    assert database.unsubscribe(7, "fagbrevseremoni") == 0
    assert database.unsubscribe(7) == 1
    assert [s.chat_id for s in database.subscriptions()] == [-100]


def test_big_chat_ids(database: Database) -> None:
    database.subscribe(-1001234567890123, ALL, (Lead(1, "d"),), NOW)
    assert database.subscriptions(-1001234567890123)[0].chat_id == -1001234567890123


def test_move_chat_keeps_subscriptions_and_the_log(database: Database) -> None:
    database.subscribe(-5, ALL, (Lead(1, "d"),), NOW)
    database.record_delivery(("yrkesmesse", "2027-10-14", "1d", -5), "sent")
    database.move_chat(-5, -1005)
    assert [s.chat_id for s in database.subscriptions()] == [-1005]
    assert database.delivered(date(2027, 1, 1)) == {("yrkesmesse", "2027-10-14", "1d", -1005)}


def test_delivery_log_is_write_once(database: Database) -> None:
    key = ("yrkesmesse", "2027-10-14", "14d", 42)
    database.record_delivery(key, "sent")
    database.record_delivery(key, "failed")  # a second write never changes the first
    assert database.delivered(date(2027, 10, 1)) == {key}
    assert database.delivered(date(2027, 10, 15)) == set()
    assert database.delivery_statuses() == {"sent": 1}


def test_milestone_edits(database: Database) -> None:
    starts = datetime(2027, 10, 14, 9, 0, tzinfo=OSLO)
    database.save_milestone(Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", "Indre Østfold", "yearly", starts))
    database.save_milestone(Milestone("karrieredag", "Karrieredag", "1.7", removed=True))
    stored = {m.id: m for m in database.stored_milestones()}
    assert stored["yrkesmesse"].starts_at == starts and stored["yrkesmesse"].place == "Indre Østfold"
    assert stored["karrieredag"].removed and stored["karrieredag"].starts_at is None


def test_a_failed_transaction_leaves_nothing(database: Database) -> None:
    database.subscribe(1, ALL, (Lead(1, "d"),), NOW)
    with pytest.raises(RuntimeError), database.transaction():
        database.execute("DELETE FROM subscriptions")
        raise RuntimeError("crash in the middle")
    assert len(database.subscriptions()) == 1


def test_question_log_and_stats(database: Database) -> None:
    for text, answered, top in [("sykkel", True, "3.2"), ("Sykkel", True, "3.2"), ("buss", True, "3.4"),
                                ("legevakt", False, None), ("Legevakt", False, None)]:  # fmt: skip
        database.log_question(text, answered, top, "private")
    assert database.question_count() == (5, 3)
    assert [(s.label, s.count) for s in database.top_subjects(5)] == [("3.2", 2), ("3.4", 1)]
    assert [(s.label, s.count) for s in database.unanswered(5)] == [("legevakt", 2)]


def test_acknowledged_writes_survive_a_new_connection(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    first = open_database(url)
    first.subscribe(9, ALL, (Lead(1, "d"),), NOW)  # no close: as if the process died here
    second = open_database(url)
    assert [s.chat_id for s in second.subscriptions()] == [9]


@pytest.mark.parametrize(
    ("url", "problem"),
    [("mysql://x", "must start with sqlite:/// or postgresql://"), ("sqlite://", "looks like sqlite:///"),
     ("postgresql://nobody@127.0.0.1:1/none", "cannot connect to PostgreSQL")],
)  # fmt: skip
def test_bad_database_urls_get_a_clear_message(url: str, problem: str) -> None:
    with pytest.raises(StorageError, match=problem):
        open_database(url)


def test_summary_subscriptions_and_their_delivery_log(database: Database) -> None:
    assert database.subscribe_summary(999, 999, NOW) and not database.subscribe_summary(999, 999, NOW)
    database.subscribe_summary(501, 501, NOW)
    assert [(s.chat_id, s.user_id, s.since) for s in database.summary_subscribers()] == [
        (501, 501, NOW),
        (999, 999, NOW),
    ]
    database.record_summary(("2027-01-11", 999), "sent")
    database.record_summary(("2027-01-11", 999), "failed")  # logged once: the first status stands
    database.record_summary(("2027-01-04", 501), "sent")
    assert database.summaries_delivered("2027-01-05") == {("2027-01-11", 999)}
    assert database.summary_statuses() == {"sent": 2}
    assert database.unsubscribe_summary(501) and not database.unsubscribe_summary(501)


def test_a_taught_word_and_its_change_log_line_are_stored_together(database: Database) -> None:
    from bot.storage import Actor, TaughtWord

    word = TaughtWord("sparkesykkel", ("transportformer", "sykkel"), 999, -1001, NOW)
    assert database.teach_word(word)
    assert not database.teach_word(TaughtWord("sparkesykkel", ("buss",), 5, 5, NOW))  # taught: nothing stored
    assert database.taught_words() == [word]
    assert [(c.action, c.new) for c in database.changes(5)] == [("laer", "transportformer, sykkel")]
    database.execute("DROP TABLE changes")  # the log line cannot be written: the word must not be stored either
    with pytest.raises(Exception, match="changes"):
        database.teach_word(TaughtWord("ladestasjon", ("miljøvennlig",), 999, 999, NOW))
    with pytest.raises(Exception, match="changes"):
        database.forget_word("sparkesykkel", Actor(999, 999), NOW)
    assert database.taught_words() == [word]


def test_question_counts_by_period(database: Database) -> None:
    for day, answered in ((1, True), (2, False), (3, True), (20, False)):
        at = datetime(2027, 1, day, 12, 0, tzinfo=OSLO).astimezone(UTC).isoformat(timespec="seconds")
        database.execute(
            "INSERT INTO questions (asked_at, text, answered, top_id, chat_type) VALUES (?, 'x', ?, '3.2', 'private')",
            (at, answered),
        )
    start, end = datetime(2027, 1, 1, tzinfo=OSLO), datetime(2027, 1, 4, tzinfo=OSLO)
    assert database.question_count_between(start, end) == (3, 2)
    assert [(s.label, s.count) for s in database.top_subjects_between(start, end, 5)] == [("3.2", 2)]
    assert [(s.label, s.count) for s in database.unanswered_between(start, end)] == [("x", 1)]
    assert [(s.label, s.count) for s in database.unanswered_between()] == [("x", 2)]


# -- claims: two processes never send the same reminder ------------------------------------------------------
KEY = ("yrkesmesse", "2027-10-14", "1d", 42)


def test_a_claim_is_won_once_and_settled_by_its_owner(database: Database) -> None:
    fresh = datetime.now(OSLO) - timedelta(minutes=2)  # claims renewed after this are live
    assert database.claim_delivery(KEY, "a", fresh)
    assert not database.claim_delivery(KEY, "b", fresh)  # a live claim of another process
    assert database.claim_delivery(KEY, "a", fresh)  # the same owner again (a retried call): harmless
    assert KEY in database.claims(date(2027, 1, 1)) and database.delivered(date(2027, 1, 1)) == set()
    assert not database.finish_delivery(KEY, "b", "sent")  # not b's to settle
    assert database.finish_delivery(KEY, "a", "sent")
    assert database.delivered(date(2027, 1, 1)) == {KEY} and database.claims(date(2027, 1, 1)) == {}
    assert not database.claim_delivery(KEY, "b", datetime.now(OSLO) + timedelta(days=1))  # sent: never again


def test_a_stale_claim_is_taken_over_and_a_released_one_is_free(database: Database) -> None:
    assert database.claim_delivery(KEY, "dead", datetime.now(OSLO))
    assert not database.claim_delivery(KEY, "b", datetime.now(OSLO) - timedelta(minutes=2))  # still live
    assert database.claim_delivery(KEY, "b", datetime.now(OSLO) + timedelta(seconds=1))  # stale: taken over
    assert not database.finish_delivery(KEY, "dead", "sent")  # the old owner lost it
    assert database.renew_claims("b") == 1
    database.release_delivery(KEY, "b")
    assert database.claims(date(2027, 1, 1)) == {}
    assert database.claim_delivery(KEY, "c", datetime.now(OSLO) - timedelta(minutes=2))


def test_concurrent_claims_from_two_connections_have_one_winner_each(
    database: Database, request: pytest.FixtureRequest
) -> None:
    """Two Database objects (as two processes would have), four threads each, racing for the same 300 keys."""
    other = Database(database.url)
    keys = [("yrkesmesse", "2027-10-14", "1d", chat) for chat in range(300)]
    fresh = datetime.now(OSLO) - timedelta(minutes=2)
    won: dict[str, list[DeliveryKey]] = {}
    barrier = threading.Barrier(8)

    def race(db: Database, owner: str) -> None:
        barrier.wait()
        mine = []
        for key in keys:
            for _ in range(200):  # SQLite: a lock held by the other side is retried, as `Database.run` would
                try:
                    if db.claim_delivery(key, owner, fresh):
                        mine.append(key)
                    break
                except DatabaseUnavailable:
                    continue
        won[owner] = mine

    threads = [
        threading.Thread(target=race, args=(db, f"{name}{n}")) for name, db in (("a", database), ("b", other))
        for n in range(4)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    winners = Counter(key for mine in won.values() for key in mine)
    assert sorted(winners) == sorted(keys) and set(winners.values()) == {1}
    print(f"{request.node.callspec.id}: claims won per thread {sorted(len(m) for m in won.values())}")


def test_weekly_summaries_are_claimed_as_reminders_are(database: Database) -> None:
    """The summary log has the reminders' claims: one winner, taken over when stale, settled by its owner,
    given back after a failed send; a claimed summary is not yet delivered."""
    key, other = ("2027-01-11", 999), ("2027-01-11", 501)
    fresh = datetime.now(OSLO) - timedelta(minutes=2)
    assert database.claim_summaries([key, other], "a", fresh) == {key, other}
    assert database.claim_summaries([key, other], "b", fresh) == set()  # live claims of another process
    assert database.summaries_delivered("2027-01-04") == set()
    assert set(database.summary_claims("2027-01-04")) == {key, other}
    assert not database.finish_summary(key, "b", "sent") and database.finish_summary(key, "a", "sent")
    assert database.summaries_delivered("2027-01-04") == {key}
    assert database.claim_summaries([key], "b", datetime.now(OSLO) + timedelta(days=1)) == set()  # sent: never again
    assert database.renew_summary_claims("a") == 1 and database.renew_claims("a") == 0  # the reminders' are apart
    assert database.claim_summaries([other], "b", datetime.now(OSLO) + timedelta(seconds=1)) == {other}  # stale
    assert not database.finish_summary(other, "a", "sent")  # the dead owner lost it
    database.release_summary(other, "b")
    assert database.summary_claims("2027-01-04") == {} and database.summary_statuses() == {"sent": 1}


# -- the database busy or gone -------------------------------------------------------------------------------
def hold_write_lock(path: Path) -> subprocess.Popen[str]:
    """Another process holding SQLite's write lock (BEGIN IMMEDIATE) until its stdin is closed."""
    script = (
        "import sqlite3, sys\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\nsys.stdin.read()\nc.execute('COMMIT')\n"
    )
    locker = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    return locker


def release(locker: subprocess.Popen[str]) -> None:
    assert locker.stdin is not None
    locker.stdin.close()
    locker.wait(10)


async def test_sqlite_locked_by_another_process_reads_go_on_and_writes_wait_or_say_so(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    database.subscribe(1, ALL, (Lead(1, "d"),), NOW)
    locker = hold_write_lock(tmp_path / "bot.sqlite3")
    try:
        assert [s.chat_id for s in database.subscriptions()] == [1]  # a read needs no lock
        with pytest.raises(DatabaseUnavailable):  # a write says so at once instead of hanging
            database.subscribe(2, ALL, (Lead(1, "d"),), NOW)
        with pytest.raises(DatabaseUnavailable):  # and through `run`, once its patience is spent
            await database.run(lambda: database.subscribe(2, ALL, (Lead(1, "d"),), NOW), patience=0.5)
        attempts = []

        def subscribe() -> None:
            attempts.append(1)
            if len(attempts) == 3:  # released while `run` is retrying: the write goes through
                release(locker)
            database.subscribe(2, ALL, (Lead(1, "d"),), NOW)

        await database.run(subscribe, patience=60)
        assert len(attempts) >= 3
    finally:
        if locker.poll() is None:
            release(locker)
    assert sorted(s.chat_id for s in database.subscriptions()) == [1, 2]
    database.close()


def test_postgresql_terminated_connections_are_replaced(tmp_path: Path) -> None:
    """A server restart, as the bot's connections see it: every backend of the bot terminated."""
    with database_url("postgresql", tmp_path) as url:
        database = open_database(url)
        database.subscribe(1, ALL, (Lead(1, "d"),), NOW)
        terminated = terminate_bot_backends()
        assert terminated >= 1
        database.subscribe(2, ALL, (Lead(1, "d"),), NOW)  # the next call succeeds, on a new connection
        assert sorted(s.chat_id for s in database.subscriptions()) == [1, 2]
        terminate_bot_backends()
        with database.transaction():  # a transaction too
            database.subscribe(3, ALL, (Lead(1, "d"),), NOW)
        terminate_bot_backends()
        assert sorted(s.chat_id for s in database.subscriptions()) == [1, 2, 3]
        database.close()


def terminate_bot_backends() -> int:
    import psycopg

    from .storage_urls import POSTGRES_URL

    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'partnership-bot' "
            "AND pid <> pg_backend_pid() AND datname = current_database()"
        ).fetchall()
    return len(rows)
