"""The application: handlers assembled, command menus registered, and `python -m bot run`."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    BotCommandScopeChatMember,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError
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
from bot.milestones.dates import OSLO
from bot.settings import Settings, SettingsError, load_settings
from bot.staff.desk import StaffDesk
from bot.storage import Database, open_database
from bot.telegram_adapter import handlers
from bot.telegram_adapter.context import BotContext, BotData
from bot.telegram_adapter.limits import MessageRateLimiter
from bot.telegram_adapter.logs import configure_logging, keep_the_token_out_of_library_logs
from bot.telegram_adapter.reminders import FANOUT_CONCURRENCY, ReminderService
from bot.telegram_adapter.summaries import SummaryService

logger = logging.getLogger("bot")


# -- the application ---------------------------------------------------------------------------------------
async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Telegram's command menus, in Norwegian: each lists what the people it is shown to may use
    (`commands.offered`). Everyone in private chats; group members, and group admins (subscriptions); the
    partnership's admins also in their own private chats (ADMIN_USER_IDS, and the admins of
    PARTNERSHIP_CHAT_ID as they are at start-up) and in the partnership's group. Telegram shows the narrowest
    scope that applies."""
    private, group = commands.Scope.PRIVATE, commands.Scope.GROUP
    settings = application.bot_data.settings
    menus: list[tuple[BotCommandScope, list[commands.Command]]] = [
        (BotCommandScopeAllPrivateChats(), commands.offered(private, chat_admin=True, partnership_admin=False)),
        (BotCommandScopeAllGroupChats(), commands.offered(group, chat_admin=False, partnership_admin=False)),
        (BotCommandScopeAllChatAdministrators(), commands.offered(group, chat_admin=True, partnership_admin=False)),
    ]
    admin_private = commands.offered(private, chat_admin=True, partnership_admin=True)
    admin_group = commands.offered(group, chat_admin=True, partnership_admin=True)
    listed_admins = set(settings.admin_user_ids) if settings else set()
    partnership_chat = settings.partnership_chat_id if settings else None
    admin_ids = set(listed_admins)
    if partnership_chat is not None:
        admin_ids |= await _admins_of(application, partnership_chat)
        menus.append((BotCommandScopeChatAdministrators(partnership_chat), admin_group))
        menus += [
            (BotCommandScopeChatMember(partnership_chat, user_id), admin_group) for user_id in sorted(listed_admins)
        ]
    menus += [(BotCommandScopeChat(user_id), admin_private) for user_id in sorted(admin_ids)]
    for scope, offered in menus:
        listed = [BotCommand(c.name, c.description) for c in offered]
        try:
            await application.bot.set_my_commands(listed, scope=scope)
        except BadRequest as error:  # an admin who never opened a chat with the bot: "chat not found"
            logger.warning("no command menu for scope %s: %s", scope.type, error)


async def _admins_of(application: Application[Any, Any, Any, Any, Any, Any], chat_id: int) -> set[int]:
    """The people (not bots) who administer the partnership's group; none if the bot cannot see it."""
    try:
        members = await application.bot.get_chat_administrators(chat_id)
    except BadRequest as error:
        logger.warning("cannot list the admins of PARTNERSHIP_CHAT_ID: %s", error)
        return set()
    return {member.user.id for member in members if not member.user.is_bot}


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the command menus and rebuild the reminder schedule (sending what fell due while down)."""
    await register_commands(application)
    data: BotData = application.bot_data
    if data.reminders is not None:
        data.reminders.reschedule()
    logger.info("bot @%s is up", application.bot.username)


async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    data: BotData = application.bot_data
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
        # connections (the figures are in the README).
        .concurrent_updates(settings.concurrency)
        .connection_pool_size(max(settings.concurrency, FANOUT_CONCURRENCY))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.rate_limit:
        builder = builder.rate_limiter(MessageRateLimiter())
    application = builder.build()
    keep_the_token_out_of_library_logs()
    data: BotData = application.bot_data
    data.assistant, data.database, data.settings = assistant, database, settings
    data.staff = StaffDesk(assistant, database)
    data.reminders = ReminderService(application, assistant.desk, database, assistant.clock)
    data.reminders.schedules.append(SummaryService(application, data.staff, database, settings, assistant.clock))

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE

    def ascii_names(group: tuple[commands.Command, ...]) -> list[str]:
        """Names and aliases python-telegram-bot can match; "/søk" and "/milepæler" reach on_unknown_command."""
        return [name for c in group for name in (c.name, *c.aliases) if name.isascii()]

    milestone_names = ascii_names(commands.MILESTONE_COMMANDS)
    staff_names = ascii_names(commands.STAFF_COMMANDS)
    own_handler = (*commands.MILESTONE_COMMANDS, *commands.STAFF_COMMANDS, commands.CALENDAR)
    names = ascii_names(tuple(c for c in commands.COMMANDS if c not in own_handler))
    application.add_handler(CommandHandler(names, handlers.on_command, filters=new_message))
    application.add_handler(CommandHandler(milestone_names, handlers.on_milestone_command, filters=new_message))
    application.add_handler(CommandHandler(staff_names, handlers.on_staff_command, filters=new_message))
    application.add_handler(CommandHandler(commands.CALENDAR.name, handlers.on_calendar_command, filters=new_message))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, handlers.on_migration))
    application.add_handler(MessageHandler(new_message & filters.COMMAND, handlers.on_unknown_command))
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
    """`python -m bot run`: poll Telegram until SIGTERM/SIGINT. Bad settings, broken data, no database or a
    rejected token raise `OperatorError` (the CLI prints it and exits 2); an unreachable Bot API exits 1."""
    settings = load_settings()
    settings.require_token()
    configure_logging(settings)
    database = open_database(settings.database_url)
    assistant = load_assistant(database)
    try:
        asyncio.run(check_token(settings))
    except InvalidToken:
        database.close()
        raise SettingsError("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather") from None
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
