"""Questions in threads of their own (SEARCH_THREADS), beside the database's: neither waits for the other.

End to end against the fake Bot API: every worker thread of one kind is held busy by the test (a task that
waits for an event), and the other kind of update is still answered; released, the held ones are answered too.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from bot.storage import DATABASE_THREADS

from .conftest import RunningBot


def hold(executor: object, count: int, release: threading.Event) -> list[Future[bool]]:
    """`count` tasks that occupy `count` threads of `executor` until `release` is set."""
    started = threading.Barrier(count + 1)

    def busy() -> bool:
        started.wait()
        return release.wait(60)

    tasks = [executor.submit(busy) for _ in range(count)]  # type: ignore[attr-defined]
    started.wait(10)  # every thread is taken
    return tasks


async def text_of_reply(running: RunningBot, chat_id: int, text: str) -> str:
    return str((await running.telegram.ask(chat_id, text, user_id=chat_id, timeout=20))["text"])


async def test_a_question_is_answered_while_every_database_thread_is_busy(running: RunningBot) -> None:
    release = threading.Event()
    held = hold(running.database._executor, DATABASE_THREADS, release)
    try:
        reply = await text_of_reply(running, 111, "hva sier avtalen om sykkel?")
        assert "3.8" in reply  # searched and answered while the database's threads were all taken
    finally:
        release.set()
    assert all(task.result(10) for task in held)
    assert "abonnerer ikke" in await text_of_reply(running, 222, "/varsler")  # and the database serves again


async def test_database_work_is_answered_while_every_search_thread_is_busy(running: RunningBot) -> None:
    release = threading.Event()
    questions = running.application.bot_data.questions
    held = hold(questions, running.application.bot_data.settings.search_threads, release)
    try:
        reply = await text_of_reply(running, 333, "/varsler")  # a database read, not a search
        assert "abonnerer ikke" in reply
    finally:
        release.set()
    assert all(task.result(10) for task in held)
    assert "lærling" in (await text_of_reply(running, 444, "lærlingplasser")).lower()  # and questions again
