"""Sending reminders through Telegram: the JobQueue wakes the planner, the planner says what is due.

Once, not twice: every reminder is written to the delivery log right after Telegram accepts it, and the
planner never plans a logged one again. Telegram has no idempotency key, so a process killed between
Telegram's "ok" and that write repeats that message on restart; with `FANOUT_CONCURRENCY` sends in flight,
at most that many can repeat. Never lost: a send that fails on the network is not logged, so the next tick
(in a minute) or the next start sends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError
from telegram.ext import Application, CallbackContext

from bot.conversation import TERMINAL_CHAT_ID
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk
from bot.milestones.planner import Delivery, plan
from bot.storage import Database
from bot.telegram_adapter.retry import uncertain, with_retries

logger = logging.getLogger("bot.reminders")

FANOUT_CONCURRENCY = 4  # sends in flight at once; also the most that a crash can repeat
RETRY_AFTER_FAILURE = timedelta(minutes=1)
JOB_NAME = "reminders"
GONE = ("chat not found", "bot was kicked", "not enough rights", "have no rights", "user is deactivated")


class Schedule(Protocol):
    """Other messages sent on the reminders' wake-up (the weekly summary): same lock, same restart rules."""

    async def run_due(self, now: datetime) -> tuple[datetime | None, int]:
        """Send what is due; (when to wake next, how many failed and wait for a retry)."""
        ...


class ReminderService:
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        desk: MilestoneDesk,
        database: Database,
        clock: Callable[[], datetime] = lambda: datetime.now(OSLO),
    ) -> None:
        self.application = application
        self.desk = desk
        self.database = database
        self.clock = clock  # every decision is by this clock (a test moves it); only the JobQueue's sleep is real
        self.wake_at: datetime | None = None  # the pending wake-up, by `clock`
        self._lock = asyncio.Lock()
        self.schedules: list[Schedule] = []

    def reschedule(self, when: datetime | None = None) -> None:
        """Replace the pending wake-up with one at `when` (now if None): after a start or any change."""
        job_queue = self.application.job_queue
        if job_queue is None:
            raise RuntimeError("python-telegram-bot's job-queue extra is needed for reminders")
        for job in job_queue.get_jobs_by_name(JOB_NAME):
            job.schedule_removal()
        now = self.clock()
        self.wake_at = when or now
        job_queue.run_once(self._tick, when=max(0.0, (self.wake_at - now).total_seconds()), name=JOB_NAME)

    async def _tick(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        await self.plan_round()

    async def plan_round(self) -> None:
        """One planning round: send what is due, then sleep until the next reminder (or a retry, if a send
        failed). The JobQueue calls it; so may a test, after moving the clock. Rounds never overlap."""
        async with self._lock:
            now = self.clock()
            milestones = self.desk.current()
            # The terminal chat's subscriptions are its own to print (a database may be shared with it).
            subscriptions = [s for s in self.database.subscriptions() if s.chat_id != TERMINAL_CHAT_ID]
            delivered = self.database.delivered((now - timedelta(days=400)).date())
            current = plan(milestones, subscriptions, delivered, now)
            for delivery in current.superseded:
                self.database.record_delivery(delivery.key, "superseded")
            failed = await self._fan_out(current.due) if current.due else 0
            next_at = current.next_at
            for schedule in self.schedules:
                other_next_at, other_failed = await schedule.run_due(now)
                failed += other_failed
                next_at = min(filter(None, (next_at, other_next_at)), default=None)
            if failed:
                retry_at = self.clock() + RETRY_AFTER_FAILURE
                next_at = retry_at if next_at is None else min(next_at, retry_at)
            if current.due:
                logger.info("reminders: %d due, %d failed and kept for a retry", len(current.due), failed)
        if next_at is not None:
            self.reschedule(next_at)

    async def _fan_out(self, due: list[Delivery]) -> int:
        """Send with `FANOUT_CONCURRENCY` workers; the rate limiter keeps Telegram's 30/s and 20/min/group.
        Returns how many failed and wait for a retry."""
        queue = iter(due)
        failed = 0

        async def worker() -> None:
            nonlocal failed
            for delivery in queue:  # shared: each delivery goes to exactly one worker
                if not await self._deliver(delivery):
                    failed += 1

        await asyncio.gather(*(worker() for _ in range(min(FANOUT_CONCURRENCY, len(due)))))
        return failed

    async def _deliver(self, delivery: Delivery, chat_id: int | None = None) -> bool:
        """One reminder; True when it is settled (sent, or the chat is gone), False to retry later."""
        target = chat_id if chat_id is not None else delivery.chat_id
        text = self.desk.reminder_text(delivery, self.clock())
        bot = self.application.bot
        try:
            await with_retries(lambda: bot.send_message(target, text))
        except ChatMigrated as migrated:
            new_chat_id = int(migrated.new_chat_id)
            self.database.move_chat(target, new_chat_id)
            logger.info("reminders: a group became a supergroup; its subscriptions moved")
            return await self._deliver(delivery, new_chat_id)
        except Forbidden:
            self._drop_chat(delivery, target, "blocked or removed the bot")
            return True
        except BadRequest as error:
            if any(reason in str(error).lower() for reason in GONE):
                self._drop_chat(delivery, target, "is gone")
                return True
            self.database.record_delivery(_key(delivery, target), "failed")
            logger.error("reminders: Telegram refused a reminder for %s: %s", delivery.milestone.id, error)
            return True
        except (NetworkError, TelegramError) as error:
            if uncertain(error):  # it may have arrived: sending it again could repeat it, so it is not
                self.database.record_delivery(_key(delivery, target), "uncertain")
                logger.warning("reminders: a send timed out after it went out; it may have arrived, not sent again")
                return True
            logger.warning("reminders: sending failed (%s); will retry", type(error).__name__)
            return False
        self.database.record_delivery(_key(delivery, target), "sent")
        return True

    def _drop_chat(self, delivery: Delivery, chat_id: int, why: str) -> None:
        self.database.unsubscribe(chat_id)
        self.database.record_delivery(_key(delivery, chat_id), "blocked")
        logger.info("reminders: a chat %s; unsubscribed it", why)
        logger.debug("reminders: unsubscribed chat %s", chat_id)


def _key(delivery: Delivery, chat_id: int) -> tuple[str, str, str, int]:
    return (delivery.milestone.id, delivery.occurrence, str(delivery.lead), chat_id)
