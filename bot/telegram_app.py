"""The Telegram adapter: each handler parses an update, asks the core, and sends what the core rendered.

Nothing here decides what to say (that is `bot.assistant` and `bot.conversation`); this module only knows
Telegram: chat types, mentions, buttons, inline results, retries and errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import commands, texts
from bot.assistant import Answer, Assistant, load_assistant
from bot.conversation import command_reply, parse_command, text_reply
from bot.datafile import DataFileError
from bot.dates import OSLO
from bot.milestone_desk import MilestoneDesk
from bot.render import Reply
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import Database, StorageError, open_database
from bot.telegram_reminders import FANOUT_CONCURRENCY, ReminderService
from bot.telegram_retry import with_retries

logger = logging.getLogger("bot")

SEND_ATTEMPTS = 3
RETRY_DELAYS = (0.5, 2.0)


@dataclass
class BotData:
    """What every handler shares; filled in by `build_application`."""

    assistant: Assistant | None = None
    database: Database | None = None
    settings: Settings | None = None
    reminders: ReminderService | None = None


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
        assert self.bot_data.assistant is not None and self.bot_data.assistant.desk is not None
        return self.bot_data.assistant.desk

    @property
    def reminders(self) -> ReminderService:
        assert self.bot_data.reminders is not None
        return self.bot_data.reminders

    @property
    def settings(self) -> Settings:
        assert self.bot_data.settings is not None
        return self.bot_data.settings


# -- sending ---------------------------------------------------------------------------------------------
def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button.text, callback_data=button.data) for button in row] for row in reply.buttons]
    )


async def send(message: Message, reply: Reply, *, quote: bool = False) -> None:
    await with_retries(lambda: message.reply_html(reply.html, reply_markup=keyboard(reply), do_quote=quote))


def log_question(context: BotContext, answer: Answer | None, text: str, chat_type: str) -> None:
    """Keep the question for `stats` without who asked it; after the reply is sent, so it never delays one."""
    if answer is None or not text.strip():
        return
    context.database.log_question(text.strip(), answer.answered, answer.top_id, chat_type)


# -- commands ----------------------------------------------------------------------------------------------
async def on_command(update: Update, context: BotContext) -> None:
    """Every command of the table in `bot.commands`; in groups the answer quotes the asker."""
    message = update.effective_message
    parsed = parse_command(message.text or "") if message else None
    if message is None or parsed is None:
        return
    name, args = parsed
    reply, answer = command_reply(context.assistant, name, args, context.bot.username)
    group = message.chat.type != "private"
    await send(message, reply, quote=group)
    log_question(context, answer, args, message.chat.type)


async def is_admin_of(chat_id: int, message: Message, context: BotContext) -> bool:
    """The creator or an administrator of `chat_id`, anonymous admins (who post as that group) included."""
    if message.sender_chat is not None and message.sender_chat.id == chat_id:
        return True
    if message.from_user is None:
        return False
    user_id = message.from_user.id
    try:
        member = await with_retries(lambda: context.bot.get_chat_member(chat_id, user_id))
    except BadRequest as error:  # the bot is not in that chat, or the chat is gone
        logger.warning("cannot look up a member of chat %s: %s", chat_id, error)
        return False
    return member.status in {"creator", "administrator"}


async def is_partnership_admin(message: Message, context: BotContext) -> bool:
    """ADMIN_USER_IDS anywhere, and the admins of the partnership's own group (PARTNERSHIP_CHAT_ID)."""
    if message.from_user is not None and message.from_user.id in context.settings.admin_user_ids:
        return True
    partnership_chat = context.settings.partnership_chat_id
    return partnership_chat is not None and await is_admin_of(partnership_chat, message, context)


async def may_run(command: commands.Command, message: Message, context: BotContext) -> bool:
    """`commands.allowed`, asking Telegram only what the decision needs."""
    if command.permission is commands.Permission.ANYONE:
        return True
    private = message.chat.type == "private"
    partnership_admin = await is_partnership_admin(message, context)
    chat_admin = (
        command.permission is commands.Permission.CHAT_ADMIN
        and not private
        and not partnership_admin
        and await is_admin_of(message.chat.id, message, context)
    )
    return commands.allowed(command, private=private, is_chat_admin=chat_admin, is_partnership_admin=partnership_admin)


async def on_milestone_command(update: Update, context: BotContext) -> None:
    """Subscriptions and milestone edits: checks who may, asks the desk, and re-plans reminders on change."""
    message = update.effective_message
    parsed = parse_command(message.text or "") if message else None
    if message is None or parsed is None:
        return
    name, args = parsed
    command = next(c for c in commands.MILESTONE_COMMANDS if c.name == name)
    private = message.chat.type == "private"
    if not await may_run(command, message, context):
        refusal = (
            texts.PARTNERSHIP_ADMIN_ONLY
            if command.permission is commands.Permission.PARTNERSHIP_ADMIN
            else (texts.ADMIN_ONLY.format(where=texts.ADMIN_ONLY_GROUP))
        )
        await send(message, Reply(refusal), quote=not private)
        return
    reply = context.desk.run(name, message.chat.id, args, context.assistant.clock())
    await send(message, reply, quote=not private)
    if name != commands.REMINDERS.name:
        context.reminders.reschedule()


async def on_migration(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its subscriptions move to the new chat id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        context.database.move_chat(message.chat.id, message.migrate_to_chat_id)
        logger.info("a group became a supergroup; its subscriptions moved")


async def on_unknown_command(update: Update, context: BotContext) -> None:
    """A command we do not have, in a private chat: say so and point to /hjelp."""
    if update.effective_message:
        await send(update.effective_message, Reply(texts.UNKNOWN_COMMAND))


# -- messages ----------------------------------------------------------------------------------------------
async def on_private_text(update: Update, context: BotContext) -> None:
    """In a private chat any text is a question (or a measure number); an edited one is answered anew."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    reply, answer = text_reply(context.assistant, message.text)
    await send(message, reply)
    log_question(context, answer, message.text, "private")


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a group message addressed to the bot (by @mention or as a reply to it); None if the
    message is not for the bot."""
    text = message.text or ""
    mention = f"@{bot_username}".lower()
    mentioned = False
    for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if (entity.type == MessageEntity.MENTION and value.lower() == mention) or (
            entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id
        ):
            mentioned = True
    replied = message.reply_to_message is not None and message.reply_to_message.from_user is not None
    replied = replied and message.reply_to_message.from_user.id == bot_id  # type: ignore[union-attr]
    if not (mentioned or replied):
        return None
    return re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE).strip(" ,:;")


async def on_group_text(update: Update, context: BotContext) -> None:
    """In a group the bot answers only a message that mentions it or replies to it; the rest is chatter."""
    message = update.effective_message
    if message is None:
        return
    question = addressed_text(message, context.bot.username, context.bot.id)
    if question is None:
        return
    if not question:
        await send(message, Reply(texts.EMPTY_QUESTION), quote=True)
        return
    reply, answer = text_reply(context.assistant, question)
    await send(message, reply, quote=True)
    log_question(context, answer, question, message.chat.type)


async def on_private_other(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice, files, locations, polls … in a private chat: a short pointer to text."""
    if update.effective_message:
        await send(update.effective_message, Reply(texts.NOT_TEXT))


# -- buttons and inline mode ------------------------------------------------------------------------------
async def on_button(update: Update, context: BotContext) -> None:
    """A button press: acknowledge it, then show what it asks for in the same message."""
    query = update.callback_query
    if query is None:
        return
    await with_retries(lambda: query.answer())
    reply = context.assistant.on_button(query.data or "")
    try:
        await with_retries(lambda: query.edit_message_text(reply.html, reply_markup=keyboard(reply)))
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return
        if query.message is not None and isinstance(query.message, Message):
            await send(query.message, reply)  # too old to edit: answer below it instead
            return
        raise


async def on_inline_query(update: Update, context: BotContext) -> None:
    """`@bot sykkel` in any chat: matching measures to pick and post; the areas for an empty query."""
    inline_query = update.inline_query
    if inline_query is None:
        return
    articles = context.assistant.inline(inline_query.query)
    results = [
        InlineQueryResultArticle(
            id=article.id,
            title=article.title,
            description=article.description,
            input_message_content=InputTextMessageContent(article.html, parse_mode=ParseMode.HTML),
        )
        for article in articles[:50]
    ]
    await with_retries(lambda: inline_query.answer(results, cache_time=60, is_personal=False))


# -- errors ------------------------------------------------------------------------------------------------
async def on_error(update: object, context: BotContext) -> None:
    """One concise line per failure, with the update id; the traceback only at DEBUG."""
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    described = str(error) if str(error).startswith(type(error).__name__) else f"{type(error).__name__}: {error}"
    logger.error("update %s failed: %s", update_id, described)
    logger.debug("details of the failure of update %s", update_id, exc_info=error)
    if isinstance(error, Forbidden | InvalidToken):
        return
    message = update.effective_message if isinstance(update, Update) else None
    if message is not None and message.chat.type == "private":
        with contextlib.suppress(TelegramError):
            await message.reply_html(texts.ERROR)


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
    if assistant.desk is not None:
        data.reminders = ReminderService(application, assistant.desk, database, assistant.clock)

    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE
    milestone_names = [c.name for c in commands.MILESTONE_COMMANDS]
    names = [c.name for c in commands.COMMANDS if c.name not in milestone_names] + ["help"]
    application.add_handler(CommandHandler(names, on_command, filters=new_message))
    application.add_handler(CommandHandler(milestone_names, on_milestone_command, filters=new_message))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration))
    application.add_handler(MessageHandler(private & new_message & filters.COMMAND, on_unknown_command))
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGES, on_private_text)
    )
    application.add_handler(MessageHandler(groups & new_message & filters.TEXT & ~filters.COMMAND, on_group_text))
    application.add_handler(
        MessageHandler(private & new_message & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_private_other)
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline_query))
    application.add_error_handler(on_error)
    return application


class MessageRateLimiter(AIORateLimiter):
    """Telegram's flood limits, kept in any window rather than on average.

    PTB's default buckets (30 overall, 20 per group) let a full bucket and its refill through together: up to
    60 messages in the first second. Here the overall bucket holds one and refills 29 times a second (never
    over 30 in a second), and a group's holds 5 and refills 15 a minute (never over 20 in a minute, with room
    for a short exchange). Only messages count against a group; looking up a member does not.
    """

    MESSAGE_METHODS = ("send", "edit", "copy", "forward")

    def __init__(self) -> None:
        super().__init__(
            overall_max_rate=1, overall_time_period=1 / 29, group_max_rate=5, group_time_period=20, max_retries=3
        )

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if not endpoint.lower().startswith(self.MESSAGE_METHODS):
            data = {key: value for key, value in data.items() if key != "chat_id"}
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


class RedactingFormatter(logging.Formatter):
    """Never lets the bot token into a log line (httpx and PTB put it in URLs)."""

    def __init__(self, secrets: list[str], fmt: str) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[token]")
        return text


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter([settings.token or ""], "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # logs every URL, token included
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


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
