"""Typed access to what every handler shares (python-telegram-bot's `ContextTypes`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from telegram.ext import (
    CallbackContext,
    ExtBot,
)

from bot.assistant import Assistant
from bot.milestones.desk import MilestoneDesk
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.storage import Database, QuestionLog
from bot.telegram_adapter.reminders import ReminderService


@dataclass
class BotData:
    """What every handler shares; filled in by `build_application`."""

    assistant: Assistant | None = None
    database: Database | None = None
    settings: Settings | None = None
    reminders: ReminderService | None = None
    staff: StaffDesk | None = None
    question_log: QuestionLog | None = None
    questions: ThreadPoolExecutor | None = None  # the search's own threads (SEARCH_THREADS)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Typed access to the shared state."""

    @property
    def assistant(self) -> Assistant:
        assert self.bot_data.assistant is not None
        return self.bot_data.assistant

    @property
    def database(self) -> Database:
        assert self.bot_data.database is not None
        return self.bot_data.database

    @property
    def desk(self) -> MilestoneDesk:
        return self.assistant.desk

    @property
    def reminders(self) -> ReminderService:
        assert self.bot_data.reminders is not None
        return self.bot_data.reminders

    @property
    def staff(self) -> StaffDesk:
        assert self.bot_data.staff is not None
        return self.bot_data.staff

    @property
    def question_log(self) -> QuestionLog:
        assert self.bot_data.question_log is not None
        return self.bot_data.question_log

    @property
    def questions(self) -> ThreadPoolExecutor:
        assert self.bot_data.questions is not None
        return self.bot_data.questions

    @property
    def settings(self) -> Settings:
        assert self.bot_data.settings is not None
        return self.bot_data.settings
