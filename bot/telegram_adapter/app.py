"""The application: handlers assembled, command menus registered, and `python -m bot run`."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import commands
from bot.assistant import Assistant, load_assistant
from bot.datafile import DataFileError
from bot.milestones.dates import OSLO
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import Database, QuestionLog, StorageError, open_database
from bot.telegram_adapter import handlers
from bot.telegram_adapter.context import BotContext, BotData
from bot.telegram_adapter.limits import MessageRateLimiter
from bot.telegram_adapter.logs import configure_logging
from bot.telegram_adapter.reminders import FANOUT_CONCURRENCY, ReminderService

logger = logging.getLogger("bot")


# -- the application ---------------------------------------------------------------------------------------
async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Telegram's command menu, in Norwegian, one list for private chats and one for groups."""
    for scope, telegram_scope in (
        (commands.Scope.PRIVATE, BotCommandScopeAllPrivateChats()),
        (commands.Scope.GROUP, BotCommandScopeAllGroupChats()),
    ):
        listed = [BotCommand(c.name, c.description) for c in commands.for_scope(scope)]
        await application.bot.set_my_commands(listed, scope=telegram_scope)


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the command menus and rebuild the reminder schedule (sending what fell due while down)."""
    await register_commands(application)
    data: BotData = application.bot_data
    if data.reminders is not None:
        data.reminders.reschedule()
    logger.info("bot @%s is up", application.bot.username)


async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    data: BotData = application.bot_data
    if data.question_log is not None:
        await data.question_log.close()
    if data.database is not None:
        data.database.close()


def build_application(
    settings: Settings, assistant: Assistant, database: Database
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The python-telegram-bot application with every handler; `run_polling` or a test drives it."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.api_base_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True), tzinfo=OSLO)
        )
        # Updates at once (BOT_CONCURRENCY). More is slower: httpcore spends its time matching requests to
        # connections (measured: 256 gave 177 updates/s, 16 gave 262, 4 gave 370; see README).
        .concurrent_updates(settings.concurrency)
        .connection_pool_size(max(settings.concurrency, FANOUT_CONCURRENCY))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.rate_limit:
        builder = builder.rate_limiter(MessageRateLimiter())
    application = builder.build()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs every URL, and the URL holds the token
    data: BotData = application.bot_data
    data.assistant, data.database, data.settings = assistant, database, settings
    data.question_log = QuestionLog(database)
    if assistant.desk is not None:
        claim_timeout = timedelta(seconds=settings.claim_timeout)
        data.reminders = ReminderService(application, assistant.desk, database, assistant.clock, claim_timeout)

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE
    milestone_names = [c.name for c in commands.MILESTONE_COMMANDS]
    names = [c.name for c in commands.COMMANDS if c.name not in milestone_names] + ["help"]
    application.add_handler(CommandHandler(names, handlers.on_command, filters=new_message))
    application.add_handler(CommandHandler(milestone_names, handlers.on_milestone_command, filters=new_message))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, handlers.on_migration))
    application.add_handler(MessageHandler(private & new_message & filters.COMMAND, handlers.on_unknown_command))
    application.add_handler(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGES, handlers.on_private_text
        )
    )
    application.add_handler(
        MessageHandler(groups & new_message & filters.TEXT & ~filters.COMMAND, handlers.on_group_text)
    )
    application.add_handler(
        MessageHandler(private & new_message & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.on_private_other)
    )
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(InlineQueryHandler(handlers.on_inline_query))
    application.add_error_handler(handlers.on_error)
    return application


def run() -> int:
    """`python -m bot run`: poll Telegram until SIGTERM/SIGINT. Exit 2 on bad settings or a rejected token."""
    try:
        settings = load_settings()
        settings.require_token()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        database = open_database(settings.database_url)
        assistant = load_assistant(database)
    except (DataFileError, StorageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        asyncio.run(check_token(settings))
    except InvalidToken:
        database.close()
        print("error: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather", file=sys.stderr)
        return 2
    except (NetworkError, OSError) as error:
        database.close()
        print(f"error: cannot reach the Bot API at {settings.api_base_url}: {type(error).__name__}", file=sys.stderr)
        return 1
    asyncio.set_event_loop(asyncio.new_event_loop())  # asyncio.run closed the last one
    application = build_application(settings, assistant, database)
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=3)
    finally:
        database.close()
    return 0


async def check_token(settings: Settings) -> None:
    """One getMe before polling, so a rejected token is one clear line and exit 2, not a retry loop."""
    async with Bot(settings.require_token(), base_url=settings.api_base_url):
        pass
