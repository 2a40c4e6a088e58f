"""The weekly summary (/statistikk ukentlig), sent on the reminders' wake-up with the same rules.

On time: the planner (`bot.staff.weekly`) names Monday 09:00 Oslo as the next wake-up. Once, even with two
processes on one database: each summary is claimed in its log under (Monday, chat) before it is sent, as the
reminders are (this process's owner id, renewed while the sends are in flight), and only the process whose
claim succeeded sends it; after Telegram accepts it the claim becomes "sent", and a sent one is never planned
again. A claim not renewed for the claim timeout (`REMINDER_CLAIM_TIMEOUT`) was left by a process that died
before or while sending: it is taken over, so that summary goes out late rather than never. Not lost: a send
that fails on the network gives its claim back, so the next tick (a minute later) or the next start sends it.
An admin who is no longer one gets nothing more: the subscription is dropped at the next send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import Application

from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.weekly import SummaryDue, plan_summaries, this_monday
from bot.storage import Database, DatabaseUnavailable
from bot.telegram_adapter.handlers import is_partnership_admin_id, keyboard
from bot.telegram_adapter.reminders import CLAIM_TIMEOUT, FINISH_PATIENCE, GONE, ROUND_PATIENCE, process_owner
from bot.telegram_adapter.retry import with_retries

logger = logging.getLogger("bot.reminders")
T = TypeVar("T")


class SummaryService:
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        staff: StaffDesk,
        database: Database,
        settings: Settings,
        clock: Callable[[], datetime],
        owner: str | None = None,
        claim_timeout: timedelta = CLAIM_TIMEOUT,
    ) -> None:
        self.application = application
        self.staff = staff
        self.database = database
        self.settings = settings
        self.clock = clock
        self.owner = owner or process_owner()  # the reminders' owner id: one name per process on its claims
        self.claim_timeout = claim_timeout

    async def run_due(self, now: datetime) -> tuple[datetime | None, int]:
        """Send this week's summaries not yet sent and not being sent by another process; (when to look
        again: the next Monday 09:00, or sooner when another process's claim would go stale; how many failed)."""
        since_week = (this_monday(now) - timedelta(days=7)).isoformat()
        database = self.database
        subscribers = await self._db(database.summary_subscribers)
        handled = await self._db(lambda: database.summaries_delivered(since_week))
        claims = await self._db(lambda: database.summary_claims(since_week))
        stale_before = datetime.now(UTC) - self.claim_timeout  # claims are stamped by the shared wall clock
        live = {key: at for key, (_, at) in claims.items() if at >= stale_before}
        current = plan_summaries(subscribers, handled | set(live), now)
        failed = 0
        if current.due:
            keys = [due.key for due in current.due]
            claimed = await self._db(lambda: database.claim_summaries(keys, self.owner, stale_before))
            renewing = asyncio.get_running_loop().create_task(self._renew_claims())
            try:
                for due in current.due:
                    if due.key in claimed and not await self._deliver(due):
                        failed += 1
            finally:
                renewing.cancel()
                with suppress(asyncio.CancelledError):
                    await renewing
            logger.info(
                "weekly summary: %d due, %d sent by another process, %d failed and kept for a retry",
                len(current.due),
                len(current.due) - len(claimed),
                failed,
            )
        next_at = current.next_at
        if live:  # another process is sending these; look again when its claims would go stale
            expiry = min(live.values()) + self.claim_timeout - datetime.now(UTC) + timedelta(seconds=1)
            look_again = self.clock() + max(expiry, timedelta(seconds=1))
            next_at = look_again if next_at is None else min(next_at, look_again)
        return next_at, failed

    async def _deliver(self, due: SummaryDue) -> bool:
        """One claimed summary; True when settled (sent, or no longer wanted), False to retry later."""
        bot = self.application.bot
        try:
            if not await is_partnership_admin_id(bot, self.settings, due.user_id):
                await self._settle(due, "revoked", unsubscribe=True)
                logger.info("weekly summary: a subscriber is no longer a partnership admin; unsubscribed")
                return True
            reply = await self._db(lambda: self.staff.weekly_summary(due.monday))
            await with_retries(lambda: bot.send_message(due.chat_id, reply.html, reply_markup=keyboard(reply)))
        except Forbidden:
            await self._drop(due, "blocked or removed the bot")
            return True
        except BadRequest as error:
            if any(reason in str(error).lower() for reason in GONE):
                await self._drop(due, "is gone")
                return True
            await self._settle(due, "failed")
            logger.error("weekly summary: Telegram refused it: %s", error)
            return True
        except (NetworkError, TelegramError) as error:
            logger.warning("weekly summary: sending failed (%s); will retry", type(error).__name__)
            with suppress(DatabaseUnavailable):  # if it cannot be given back, it goes stale and is retried
                await self._db(lambda: self.database.release_summary(due.key, self.owner))
            return False
        await self._settle(due, "sent")
        return True

    async def _db(self, call: Callable[[], T]) -> T:
        """Database work in the database's worker threads, as the reminders' rounds do it."""
        return await self.database.run(call, patience=ROUND_PATIENCE)

    async def _renew_claims(self) -> None:
        """While summaries are being sent, keep this process's claims on them fresh (as the reminders do)."""
        while True:
            await asyncio.sleep(self.claim_timeout.total_seconds() / 3)
            try:
                await self._db(lambda: self.database.renew_summary_claims(self.owner))
            except DatabaseUnavailable as error:
                logger.warning("weekly summary: cannot renew claims (%s)", error)

    async def _settle(self, due: SummaryDue, status: str, *, unsubscribe: bool = False) -> None:
        """Settle a claimed summary; after a send this must not be lost, so it is retried for long."""

        def write() -> bool:
            with self.database.transaction():
                if unsubscribe:
                    self.database.unsubscribe_summary(due.chat_id)
                return self.database.finish_summary(due.key, self.owner, status)

        try:
            mine = await self.database.run(write, patience=FINISH_PATIENCE)
        except DatabaseUnavailable as error:
            logger.error("weekly summary: cannot log it as %s (%s); it may repeat", status, error)
            return
        if not mine:
            logger.warning("weekly summary: a claim went stale before it was logged as %s", status)

    async def _drop(self, due: SummaryDue, why: str) -> None:
        await self._settle(due, "blocked", unsubscribe=True)
        logger.info("weekly summary: a chat %s; unsubscribed it", why)
