"""The handlers: each parses an update, asks the core, and sends what the core rendered.

Nothing here decides what to say (that is `bot.assistant` and `bot.conversation`); this module only knows
Telegram: chat types, mentions, buttons, inline results, retries and errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot import callbacks, commands, texts
from bot.assistant import Answer
from bot.conversation import command_reply, parse_command, text_reply
from bot.milestones.desk import CalendarFile
from bot.render import Reply, first_page, pages, printable
from bot.settings import Settings
from bot.storage import USER_PATIENCE, Actor, DatabaseUnavailable
from bot.telegram_adapter.context import BotContext
from bot.telegram_adapter.retry import Later, seconds, uncertain, with_retries

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


_LATER = Later()  # replies Telegram asked to hold back (a long 429 for their chat); `app` closes it


async def send(message: Message, reply: Reply, *, quote: bool = False) -> None:
    """The reply, as many messages as Telegram's length limit needs (the buttons under the last one).

    A send that timed out after it went out is not sent again: it may well have arrived, and a repeated
    answer (or a "Beklager" after a good one) is worse than a late one. A long 429 for this chat holds the
    rest of the reply back in the background, so the handler (and every other chat) goes on.
    """
    split = pages(reply.html)
    calls = [_page_call(message, reply, split, number, quote=quote and number == 0) for number in range(len(split))]
    for number, call in enumerate(calls):
        try:
            await with_retries(call)
        except RetryAfter as error:
            logger.warning("Telegram holds this chat back for %.0f s; the reply waits", seconds(error.retry_after))
            for rest in calls[number:]:
                _LATER.send(seconds(error.retry_after), rest)
            return
        except TelegramError as error:
            if uncertain(error):
                logger.warning("a reply timed out after it was sent; it may have arrived, so it is not sent again")
                return
            raise


async def close() -> None:
    """At shutdown: give up the replies still held back, so a long 429 never delays stopping."""
    await _LATER.close()


def _page_call(message: Message, reply: Reply, split: list[str], number: int, *, quote: bool) -> Any:
    """Sending page `number` of a reply; the buttons go under the last page."""
    markup = keyboard(reply) if number == len(split) - 1 else None
    return lambda: message.reply_html(split[number], reply_markup=markup, do_quote=quote)


async def send_calendar(
    context: BotContext, chat_id: int, result: CalendarFile | Reply, *, quote: Message | None = None
) -> None:
    """An .ics file the core made (sendDocument), or the core's message when there is nothing to put in one.
    By chat id, not as a reply: a button pressed weeks later comes with an inaccessible message."""
    replying = ReplyParameters(quote.message_id) if quote is not None else None
    if isinstance(result, Reply):
        await with_retries(
            lambda: context.bot.send_message(
                chat_id, result.html, reply_markup=keyboard(result), reply_parameters=replying
            )
        )
        return
    await with_retries(
        lambda: context.bot.send_document(
            chat_id, result.content, filename=result.filename, caption=result.caption, reply_parameters=replying
        )
    )


def log_question(context: BotContext, answer: Answer | None, text: str, chat_type: str) -> None:
    """Keep the question for `stats` without who asked it; written behind the reply, so it never delays one."""
    text = " ".join(printable(text).split())  # as the answer read it: no control characters in the statistics
    if answer is None or not answer.question or not text:  # a greeting or a pointer is not a question
        return
    context.question_log.add(text, answer.answered, answer.top_id, chat_type)


async def off_loop(context: BotContext, call: Callable[[], T]) -> T:
    """Core work that may use the database, in the database's worker threads, so a lock or a restarting
    server never stops the event loop; `DatabaseUnavailable` after `USER_PATIENCE` seconds of retries."""
    return await context.database.run(call, patience=USER_PATIENCE)


async def searching(context: BotContext, call: Callable[[], T]) -> T:
    """Core work that searches (a question; it may read the database too) in the search's own threads
    (SEARCH_THREADS): questions and the database's other work never queue behind each other, and the event
    loop never waits for a question's embedding. Retried like `off_loop` while the database is unavailable."""
    return await context.database.run(call, patience=USER_PATIENCE, executor=context.questions)


# -- commands ----------------------------------------------------------------------------------------------
def parsed_command(update: Update) -> tuple[Message, str, str] | None:
    """The message, the command's name and its arguments; None for an update that holds no command."""
    message = update.effective_message
    parsed = parse_command(message.text or "") if message else None
    if message is None or parsed is None:
        return None
    return message, *parsed


async def on_command(update: Update, context: BotContext) -> None:
    """Every command of the table in `bot.commands`; in groups the answer quotes the asker."""
    command_message = parsed_command(update)
    if command_message is None:
        return
    message, name, args = command_message
    group = message.chat.type != "private"
    if name in (commands.HELP.name, "help"):
        admin = await is_partnership_admin(message, context)
        reply = context.assistant.help(context.bot.username, private=not group, admin=admin)
        await send(message, reply, quote=group)
        return
    run = searching if commands.resolve(name) is commands.SEARCH else off_loop
    try:
        reply, answer = await run(
            context, lambda: command_reply(context.assistant, name, args, context.bot.username, message.chat.id)
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
    return message.from_user is not None and await is_member_admin(context.bot, chat_id, message.from_user.id)


async def is_member_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    """The user is the creator or an administrator of `chat_id` (False if the bot cannot look: not in it)."""
    try:
        member = await with_retries(lambda: bot.get_chat_member(chat_id, user_id), idempotent=True)
    except BadRequest as error:  # the bot is not in that chat, or the chat is gone
        logger.warning("cannot look up a member of chat %s: %s", chat_id, error)
        return False
    return member.status in {"creator", "administrator"}


async def is_partnership_admin_id(bot: Bot, settings: Settings, user_id: int) -> bool:
    """A user (not a message): in ADMIN_USER_IDS, or the creator or an administrator of PARTNERSHIP_CHAT_ID.
    For a button press and for the weekly summary, which have no message of the user's to go by."""
    if user_id in settings.admin_user_ids:
        return True
    chat_id = settings.partnership_chat_id
    return chat_id is not None and await is_member_admin(bot, chat_id, user_id)


def actor_of(message: Message) -> Actor:
    """Who made a change, for the change log: the user, or the group an anonymous admin posted as."""
    if message.sender_chat is not None:
        return Actor(message.sender_chat.id, message.chat.id)
    return Actor(message.from_user.id if message.from_user else 0, message.chat.id)


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
    command_message = parsed_command(update)
    if command_message is None:
        return
    message, name, args = command_message
    command = commands.resolve(name)
    if command is None or command not in commands.MILESTONE_COMMANDS:
        return
    private = message.chat.type == "private"
    if not await may_run(command, message, context):
        refusal = (
            texts.PARTNERSHIP_ADMIN_ONLY
            if command.permission is commands.Permission.PARTNERSHIP_ADMIN
            else (texts.ADMIN_ONLY.format(where=texts.ADMIN_ONLY_GROUP))
        )
        await send(message, Reply(refusal), quote=not private)
        return
    chat_id, now, actor = message.chat.id, context.assistant.clock(), actor_of(message)
    try:
        reply = await off_loop(context, lambda: context.desk.run(command.name, chat_id, args, now, actor))
    except DatabaseUnavailable as error:  # nothing was changed: say so, never drop it silently
        logger.warning("command /%s: %s", command.name, error)
        failed = texts.DATABASE_NOT_READ if command is commands.REMINDERS else texts.DATABASE_NOT_SAVED
        await send(message, Reply(failed), quote=not private)
        return
    await send(message, reply, quote=not private)
    if command is not commands.REMINDERS:
        context.reminders.reschedule()


async def on_calendar_command(update: Update, context: BotContext) -> None:
    """/kalender: every dated milestone in one .ics file, alarms as this chat's subscriptions."""
    message = update.effective_message
    if message is None:
        return
    chat_id, now = message.chat.id, context.assistant.clock()
    try:
        result: CalendarFile | Reply = await off_loop(context, lambda: context.desk.calendar(now, chat_id))
    except DatabaseUnavailable as error:
        logger.warning("command /kalender: %s", error)
        result = Reply(texts.DATABASE_NOT_READ)
    await send_calendar(context, chat_id, result, quote=message if message.chat.type != "private" else None)


async def on_staff_command(update: Update, context: BotContext) -> None:
    """Statistics, taught words and the change log: partnership admins only; some in a private chat only, where
    a group answers "only in a private chat" and shows nothing."""
    command_message = parsed_command(update)
    if command_message is None:
        return
    message, name, args = command_message
    command = next(c for c in commands.STAFF_COMMANDS if c.name == name)
    private = message.chat.type == "private"
    if not private and commands.Scope.GROUP not in command.scopes:
        await send(message, Reply(texts.PRIVATE_ONLY), quote=True)
        return
    if not await may_run(command, message, context):
        await send(message, Reply(texts.STAFF_ONLY), quote=not private)
        return
    actor, now = actor_of(message), context.assistant.clock()
    try:
        reply = await off_loop(context, lambda: context.staff.run(name, args, actor, now))
    except DatabaseUnavailable as error:  # nothing was changed: say so, never drop it silently
        logger.warning("command /%s: %s", name, error)
        await send(message, Reply(texts.DATABASE_NOT_SAVED), quote=not private)
        return
    await send(message, reply, quote=not private)
    if name == commands.STATISTICS.name:
        context.reminders.reschedule()  # the weekly summary may have been switched on or off


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
    """A command Telegram's menu cannot hold ("/milepæler", "/søk": its names are ASCII) is run by its alias;
    one we do not have gets a pointer to /hjelp in a private chat, and nothing in a group (it may be another
    bot's)."""
    message = update.effective_message
    if message is None:
        return
    parsed = parse_command(message.text or "", context.bot.username)
    command = commands.resolve(parsed[0]) if parsed else None
    private = message.chat.type == "private"
    if command is None:
        if private:
            await send(message, Reply(texts.UNKNOWN_COMMAND))
        return
    if command in commands.MILESTONE_COMMANDS:
        await on_milestone_command(update, context)
    elif command in commands.STAFF_COMMANDS:
        await on_staff_command(update, context)
    elif command is commands.CALENDAR:
        await on_calendar_command(update, context)
    else:
        await on_command(update, context)


# -- messages ----------------------------------------------------------------------------------------------
async def on_private_text(update: Update, context: BotContext) -> None:
    """In a private chat any text is a question (or a measure number); an edited one is answered anew."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    text = message.text
    try:
        reply, answer = await searching(context, lambda: text_reply(context.assistant, text, context.bot.username))
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
        reply, answer = await searching(context, lambda: text_reply(context.assistant, question, context.bot.username))
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
    try:
        await with_retries(lambda: query.answer(), idempotent=True)
    except BadRequest as error:  # "query is too old": the spinner is gone anyway; the content still counts
        logger.info("a button press could not be acknowledged (%s); showing its content anyway", error)
    data = query.data or ""
    action = callbacks.parse(data)
    if isinstance(action, callbacks.AddToCalendar):  # a file below the list, which stays as it is
        if query.message is not None:
            chat_id, now, milestone_id = query.message.chat.id, context.assistant.clock(), action.milestone_id
            try:
                result = await off_loop(context, lambda: context.desk.calendar(now, chat_id, milestone_id))
            except DatabaseUnavailable as error:
                logger.warning("calendar button: %s", error)
                result = Reply(texts.DATABASE_NOT_READ)
            await send_calendar(context, chat_id, result)
        return
    try:
        if isinstance(action, callbacks.StatisticsPage):  # admins only, in a private chat only
            private = query.message is not None and query.message.chat.type == "private"
            allowed = private and await is_partnership_admin_id(context.bot, context.settings, query.from_user.id)
            reply = (
                await off_loop(context, lambda: context.staff.statistics_page(data))
                if allowed
                else Reply(texts.STAFF_ONLY)
            )
        else:
            run = searching if isinstance(action, callbacks.MoreForQuery) else off_loop  # "more" searches again
            reply = await run(context, lambda: context.assistant.on_button(data))
    except DatabaseUnavailable as error:
        logger.warning("button: %s", error)
        reply = Reply(texts.DATABASE_NOT_READ)
    split = pages(reply.html)
    first = Reply(split[0], reply.buttons if len(split) == 1 else ())
    try:
        await with_retries(lambda: query.edit_message_text(first.html, reply_markup=keyboard(first)), idempotent=True)
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return
        if query.message is not None and isinstance(query.message, Message):
            await send(query.message, reply)  # too old to edit: answer below it instead
            return
        raise
    if len(split) > 1 and isinstance(query.message, Message):  # the rest below it
        await send(query.message, Reply("\n".join(split[1:]), reply.buttons))


async def on_inline_query(update: Update, context: BotContext) -> None:
    """`@bot sykkel` in any chat: matching measures to pick and post; the areas for an empty query."""
    inline_query = update.inline_query
    if inline_query is None:
        return
    query = inline_query.query  # searched in the search's threads: an embedding must not stop the event loop
    articles = await asyncio.get_running_loop().run_in_executor(context.questions, context.assistant.inline, query)
    results = [
        InlineQueryResultArticle(
            id=article.id,
            title=article.title,
            description=article.description,
            input_message_content=InputTextMessageContent(first_page(article.html), parse_mode=ParseMode.HTML),
        )
        for article in articles[:50]
    ]
    await with_retries(lambda: inline_query.answer(results, cache_time=60, is_personal=False), idempotent=True)


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
