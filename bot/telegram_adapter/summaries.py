"""The weekly summary (/statistikk ukentlig), sent on the reminders' wake-up with the same rules.

On time: the planner (`bot.staff.weekly`) names Monday 09:00 Oslo as the next wake-up. Once: each summary is
logged under (Monday, chat) right after Telegram accepts it, and a logged one is never planned again. Not lost:
a send that fails on the network is not logged, so the next tick (a minute later) or the next start sends it.
An admin who is no longer one gets nothing more: the subscription is dropped at the next send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import Application

from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.weekly import SummaryDue, plan_summaries, this_monday
from bot.storage import Database
from bot.telegram_adapter.handlers import is_partnership_admin_id, keyboard
from bot.telegram_adapter.reminders import FINISH_PATIENCE, GONE, ROUND_PATIENCE
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
    ) -> None:
        self.application = application
        self.staff = staff
        self.database = database
        self.settings = settings
        self.clock = clock

    async def run_due(self, now: datetime) -> tuple[datetime | None, int]:
        """Send this week's summaries not yet sent; (the next Monday 09:00, how many failed)."""
        since_week = (this_monday(now) - timedelta(days=7)).isoformat()
        database = self.database
        subscribers = await self._db(database.summary_subscribers)
        delivered = await self._db(lambda: database.summaries_delivered(since_week))
        current = plan_summaries(subscribers, delivered, now)
        failed = 0
        for due in current.due:
            if not await self._deliver(due):
                failed += 1
        if current.due:
            logger.info("weekly summary: %d due, %d failed and kept for a retry", len(current.due), failed)
        return current.next_at, failed

    async def _deliver(self, due: SummaryDue) -> bool:
        """One summary; True when settled (sent, or no longer wanted), False to retry later."""
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
            return False
        await self._settle(due, "sent")
        return True

    async def _db(self, call: Callable[[], T]) -> T:
        """Database work in the database's worker threads, as the reminders' rounds do it."""
        return await self.database.run(call, patience=ROUND_PATIENCE)

    async def _settle(self, due: SummaryDue, status: str, *, unsubscribe: bool = False) -> None:
        def write() -> None:
            if unsubscribe:
                self.database.unsubscribe_summary(due.chat_id)
            self.database.record_summary(due.key, status)

        await self.database.run(write, patience=FINISH_PATIENCE)

    async def _drop(self, due: SummaryDue, why: str) -> None:
        await self._settle(due, "blocked", unsubscribe=True)
        logger.info("weekly summary: a chat %s; unsubscribed it", why)
