"""The handlers: each parses an update, asks the core, and sends what the core rendered.

Nothing here decides what to say (that is `bot.assistant` and `bot.conversation`); this module only knows
Telegram: chat types, mentions, buttons, inline results, retries and errors.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from typing import TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from bot import commands, texts
from bot.assistant import Answer
from bot.conversation import command_reply, parse_command, text_reply
from bot.render import Reply
from bot.storage import USER_PATIENCE, DatabaseUnavailable
from bot.telegram_adapter.context import BotContext
from bot.telegram_adapter.retry import with_retries

logger = logging.getLogger("bot")
T = TypeVar("T")
MIGRATION_PATIENCE = 120.0  # seconds a group's move to a supergroup waits for a busy database


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
    """Keep the question for `stats` without who asked it; written behind the reply, so it never delays one."""
    if answer is None or not text.strip():
        return
    context.question_log.add(text.strip(), answer.answered, answer.top_id, chat_type)


async def off_loop(context: BotContext, call: Callable[[], T]) -> T:
    """Core work that may use the database, in the database's worker threads, so a lock or a restarting
    server never stops the event loop; `DatabaseUnavailable` after `USER_PATIENCE` seconds of retries."""
    return await context.database.run(call, patience=USER_PATIENCE)


# -- commands ----------------------------------------------------------------------------------------------
async def on_command(update: Update, context: BotContext) -> None:
    """Every command of the table in `bot.commands`; in groups the answer quotes the asker."""
    message = update.effective_message
    parsed = parse_command(message.text or "") if message else None
    if message is None or parsed is None:
        return
    name, args = parsed
    group = message.chat.type != "private"
    try:
        reply, answer = await off_loop(
            context, lambda: command_reply(context.assistant, name, args, context.bot.username)
        )
    except DatabaseUnavailable as error:
        logger.warning("command /%s: %s", name, error)
        await send(message, Reply(texts.DATABASE_NOT_READ), quote=group)
        return
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
    chat_id, now = message.chat.id, context.assistant.clock()
    try:
        reply = await off_loop(context, lambda: context.desk.run(name, chat_id, args, now))
    except DatabaseUnavailable as error:  # nothing was changed: say so, never drop it silently
        logger.warning("command /%s: %s", name, error)
        failed = texts.DATABASE_NOT_READ if name == commands.REMINDERS.name else texts.DATABASE_NOT_SAVED
        await send(message, Reply(failed), quote=not private)
        return
    await send(message, reply, quote=not private)
    if name != commands.REMINDERS.name:
        context.reminders.reschedule()


async def on_migration(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its subscriptions move to the new chat id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        old_id, new_id, database = message.chat.id, message.migrate_to_chat_id, context.database
        try:
            await database.run(lambda: database.move_chat(old_id, new_id), patience=MIGRATION_PATIENCE)
        except DatabaseUnavailable as error:  # the next reminder's ChatMigrated moves them then
            logger.error("a group became a supergroup; cannot move its subscriptions now: %s", error)
            return
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
    text = message.text
    try:
        reply, answer = await off_loop(context, lambda: text_reply(context.assistant, text))
    except DatabaseUnavailable as error:
        logger.warning("question: %s", error)
        await send(message, Reply(texts.DATABASE_NOT_READ))
        return
    await send(message, reply)
    log_question(context, answer, text, "private")


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
    try:
        reply, answer = await off_loop(context, lambda: text_reply(context.assistant, question))
    except DatabaseUnavailable as error:
        logger.warning("question: %s", error)
        await send(message, Reply(texts.DATABASE_NOT_READ), quote=True)
        return
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
    data = query.data or ""
    reply = await off_loop(context, lambda: context.assistant.on_button(data))
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
