"""Sending reminders through Telegram: the JobQueue wakes the planner, the planner says what is due.

Never stopped: a round that fails (the database locked or gone, the network) is logged in one line and tried
again after `RETRY_AFTER_ERROR`; the job never dies.

Once, not twice, even with two processes on one database (an overlapping redeploy): every reminder is
claimed in the database (this process's `owner` id and the time) before it is sent, and only the process
whose claim succeeded sends it; after Telegram accepts it the claim becomes "sent", and the planner never
plans a sent one again. While a send is in flight its claim is renewed every `claim_timeout / 3`; a claim
not renewed for `claim_timeout` (`REMINDER_CLAIM_TIMEOUT`, default 120 s) was left by a process that died,
and is taken over. Telegram has no idempotency key, so a process killed between Telegram's "ok" and that
write repeats that message once the claim times out; with `FANOUT_CONCURRENCY` sends in flight, at most that
many can repeat. Never lost: a send that fails on the network gives its claim back, so the next tick (in a
minute) or the next start sends it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import uuid
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError
from telegram.ext import Application, CallbackContext

from bot.conversation import TERMINAL_CHAT_ID
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk
from bot.milestones.planner import Delivery, DeliveryKey, plan
from bot.storage import Database, DatabaseUnavailable
from bot.telegram_adapter.retry import uncertain, with_retries

logger = logging.getLogger("bot.reminders")

FANOUT_CONCURRENCY = 4  # sends in flight at once; also the most that a crash can repeat
CLAIM_BATCH = 16  # reminders a worker claims at once (one database call); a crash delays the unsent ones
RETRY_AFTER_FAILURE = timedelta(minutes=1)
RETRY_AFTER_ERROR = timedelta(seconds=10)  # a round that failed (database, network) runs again this soon
CLAIM_TIMEOUT = timedelta(seconds=120)
ROUND_PATIENCE = 5.0  # seconds a round's database call waits for a busy database before the round fails
FINISH_PATIENCE = 600.0  # seconds a sent reminder's "sent" keeps being retried (else it repeats after the claim)
JOB_NAME = "reminders"
GONE = ("chat not found", "bot was kicked", "not enough rights", "have no rights", "user is deactivated")


class Schedule(Protocol):
    """Other messages sent on the reminders' wake-up (the weekly summary): same lock, same restart rules."""

    async def run_due(self, now: datetime) -> tuple[datetime | None, int]:
        """Send what is due; (when to wake next, how many failed and wait for a retry)."""
        ...


def process_owner() -> str:
    """This process's name on its claims: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()[:40]}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


class ReminderService:
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        desk: MilestoneDesk,
        database: Database,
        clock: Callable[[], datetime] = lambda: datetime.now(OSLO),
        claim_timeout: timedelta = CLAIM_TIMEOUT,
    ) -> None:
        self.application = application
        self.desk = desk
        self.database = database
        self.clock = clock  # every decision is by this clock (a test moves it); only the JobQueue's sleep is real
        self.wake_at: datetime | None = None  # the pending wake-up, by `clock`
        self._lock = asyncio.Lock()
        self.schedules: list[Schedule] = []
        self.retry_after = RETRY_AFTER_FAILURE
        self.retry_after_error = RETRY_AFTER_ERROR
        self.claim_timeout = claim_timeout
        self.owner = process_owner()
        self._again = False

    def reschedule(self, when: datetime | None = None) -> None:
        """Replace the pending wake-up with one at `when` (now if None): after a start or any change."""
        job_queue = self.application.job_queue
        if job_queue is None:
            raise RuntimeError("python-telegram-bot's job-queue extra is needed for reminders")
        if when is None and self._lock.locked():
            self._again = True  # a change during a round: that round plans once more when it ends
        for job in job_queue.get_jobs_by_name(JOB_NAME):
            job.schedule_removal()
        now = self.clock()
        self.wake_at = when or now
        job_queue.run_once(self._tick, when=max(0.0, (self.wake_at - now).total_seconds()), name=JOB_NAME)

    async def _tick(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        await self.plan_round()

    async def plan_round(self) -> None:
        """One planning round: send what is due, then sleep until the next reminder (or a retry, if something
        failed). The JobQueue calls it; so may a test, after moving the clock. Rounds never overlap. Never
        raises: a failed round is logged and tried again after `retry_after_error`."""
        async with self._lock:
            self._again = False
            try:
                next_at = await self._round()
            except Exception as error:
                logger.error(
                    "reminders: this round failed (%s); trying again in %d s",
                    _describe(error),
                    self.retry_after_error.total_seconds(),
                )
                next_at = self.clock() + self.retry_after_error
            if self._again:
                next_at = self.clock()
        if next_at is not None:
            self.reschedule(next_at)

    async def _round(self) -> datetime | None:
        database = self.database
        now = self.clock()
        since = (now - timedelta(days=400)).date()
        milestones = await database.run(self.desk.current, patience=ROUND_PATIENCE)
        # The terminal chat's subscriptions are its own to print (a database may be shared with it).
        every = await database.run(database.subscriptions, patience=ROUND_PATIENCE)
        subscriptions = [s for s in every if s.chat_id != TERMINAL_CHAT_ID]
        handled = await database.run(lambda: database.delivered(since), patience=ROUND_PATIENCE)
        claims = await database.run(lambda: database.claims(since), patience=ROUND_PATIENCE)
        stale_before = datetime.now(UTC) - self.claim_timeout  # claims are stamped by the shared wall clock
        live = {key: at for key, (_, at) in claims.items() if at >= stale_before}
        current = plan(milestones, subscriptions, handled | set(live), now)
        if current.superseded:
            keys = [delivery.key for delivery in current.superseded]
            await database.run(lambda: database.record_deliveries(keys, "superseded"), patience=ROUND_PATIENCE)
        failed = await self._fan_out(current.due) if current.due else 0
        next_at = current.next_at
        for schedule in self.schedules:
            other_next_at, other_failed = await schedule.run_due(now)
            failed += other_failed
            next_at = min(filter(None, (next_at, other_next_at)), default=None)
        if failed:
            retry_at = self.clock() + self.retry_after
            next_at = retry_at if next_at is None else min(next_at, retry_at)
        if live:  # another process is sending these; look again when its claims would go stale
            expiry = min(live.values()) + self.claim_timeout - datetime.now(UTC) + timedelta(seconds=1)
            look_again = self.clock() + max(expiry, timedelta(seconds=1))
            next_at = look_again if next_at is None else min(next_at, look_again)
        if current.due:
            logger.info("reminders: %d due, %d failed and kept for a retry", len(current.due), failed)
        return next_at

    async def _fan_out(self, due: list[Delivery]) -> int:
        """Send with `FANOUT_CONCURRENCY` workers; the rate limiter keeps Telegram's 30/s and 20/min/group.
        Returns how many failed and wait for a retry; raises `DatabaseUnavailable` (after the sends in flight
        are settled) if reminders could not be claimed or logged. Claims are renewed while it runs."""
        queue = iter(due)
        failed = 0
        stop: list[BaseException] = []

        async def worker() -> None:
            nonlocal failed
            while batch := list(itertools.islice(queue, CLAIM_BATCH)):  # shared: each goes to one worker
                if stop:
                    failed += len(batch)
                    continue
                try:
                    claimed = await self._claim([delivery.key for delivery in batch])
                except DatabaseUnavailable as error:  # the rest waits for the next round
                    stop.append(error)
                    failed += len(batch)
                    continue
                for delivery in batch:
                    try:
                        if delivery.key in claimed and not await self._deliver(delivery):
                            failed += 1
                    except DatabaseUnavailable as error:
                        stop.append(error)
                        failed += 1

        renewing = asyncio.get_running_loop().create_task(self._renew_claims())
        try:
            await asyncio.gather(*(worker() for _ in range(min(FANOUT_CONCURRENCY, len(due)))))
        finally:
            renewing.cancel()
            with suppress(asyncio.CancelledError):
                await renewing
        if stop:  # the database is in trouble: the round fails and runs again soon
            raise stop[0]
        return failed

    async def _claim(self, keys: list[DeliveryKey]) -> set[DeliveryKey]:
        stale_before = datetime.now(UTC) - self.claim_timeout
        return await self.database.run(
            lambda: self.database.claim_deliveries(keys, self.owner, stale_before), patience=ROUND_PATIENCE
        )

    async def _renew_claims(self) -> None:
        """While sends are in flight, keep this process's claims fresh so no other process takes them over."""
        while True:
            await asyncio.sleep(self.claim_timeout.total_seconds() / 3)
            try:
                await self.database.run(lambda: self.database.renew_claims(self.owner), patience=ROUND_PATIENCE)
            except DatabaseUnavailable as error:
                logger.warning("reminders: cannot renew claims (%s)", _describe(error))

    async def _finish(self, key: DeliveryKey, status: str) -> None:
        """Settle a claimed reminder; after a send this must not be lost, so it is retried for long."""
        try:
            mine = await self.database.run(
                lambda: self.database.finish_delivery(key, self.owner, status), patience=FINISH_PATIENCE
            )
        except DatabaseUnavailable as error:
            logger.error("reminders: cannot log a reminder as %s (%s); it may repeat", status, _describe(error))
            return
        if not mine:
            logger.warning("reminders: a claim went stale before its reminder was logged as %s", status)

    async def _deliver(self, delivery: Delivery, chat_id: int | None = None) -> bool:
        """One claimed reminder; True when it is settled (sent, or the chat is gone), False to retry later."""
        target = chat_id if chat_id is not None else delivery.chat_id
        key = _key(delivery, target)
        text = self.desk.reminder_text(delivery, self.clock())
        bot = self.application.bot
        try:
            await with_retries(lambda: bot.send_message(target, text))
        except ChatMigrated as migrated:
            new_chat_id = int(migrated.new_chat_id)
            await self.database.run(lambda: self.database.move_chat(target, new_chat_id), patience=FINISH_PATIENCE)
            logger.info("reminders: a group became a supergroup; its subscriptions moved")
            if not await self._claim([_key(delivery, new_chat_id)]):  # the claim moves with the log
                return True
            return await self._deliver(delivery, new_chat_id)
        except Forbidden:
            await self._drop_chat(key, target, "blocked or removed the bot")
            return True
        except BadRequest as error:
            if any(reason in str(error).lower() for reason in GONE):
                await self._drop_chat(key, target, "is gone")
                return True
            await self._finish(key, "failed")
            logger.error("reminders: Telegram refused a reminder for %s: %s", delivery.milestone.id, error)
            return True
        except (NetworkError, TelegramError) as error:
            if uncertain(error):  # it may have arrived: sending it again could repeat it, so it is not
                await self._finish(key, "uncertain")
                logger.warning("reminders: a send timed out after it went out; it may have arrived, not sent again")
                return True
            logger.warning("reminders: sending failed (%s); will retry", type(error).__name__)
            with suppress(DatabaseUnavailable):  # if it cannot be given back, it goes stale and is retried
                await self.database.run(
                    lambda: self.database.release_delivery(key, self.owner), patience=ROUND_PATIENCE
                )
            return False
        await self._finish(key, "sent")
        return True

    async def _drop_chat(self, key: DeliveryKey, chat_id: int, why: str) -> None:
        await self.database.run(lambda: self.database.unsubscribe(chat_id), patience=FINISH_PATIENCE)
        await self._finish(key, "blocked")
        logger.info("reminders: a chat %s; unsubscribed it", why)
        logger.debug("reminders: unsubscribed chat %s", chat_id)


def _describe(error: BaseException) -> str:
    return str(error) if str(error).startswith(type(error).__name__) else f"{type(error).__name__}: {error}"


def _key(delivery: Delivery, chat_id: int) -> tuple[str, str, str, int]:
    return (delivery.milestone.id, delivery.occurrence, str(delivery.lead), chat_id)
