"""The handlers: each parses an update, asks the core, and sends what the core rendered.

Nothing here decides what to say (that is `bot.assistant` and `bot.conversation`); this module only knows
Telegram: chat types, mentions, buttons, inline results, retries and errors.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any

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
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot import commands, texts
from bot.assistant import Answer
from bot.conversation import command_reply, parse_command, text_reply
from bot.render import Reply, first_page, pages
from bot.telegram_adapter.context import BotContext
from bot.telegram_adapter.retry import Later, seconds, uncertain, with_retries

logger = logging.getLogger("bot")


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
    for number, html_text in enumerate(split):
        last = number == len(split) - 1
        markup = keyboard(reply) if last else None
        quoted = quote and number == 0

        def call(
            html_text: str = html_text, markup: InlineKeyboardMarkup | None = markup, quoted: bool = quoted
        ) -> Any:
            return message.reply_html(html_text, reply_markup=markup, do_quote=quoted)

        try:
            await with_retries(call)
        except RetryAfter as error:
            logger.warning("Telegram holds this chat back for %.0f s; the reply waits", seconds(error.retry_after))
            for rest in [call, *(_page_call(message, reply, split, later) for later in range(number + 1, len(split)))]:
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


def _page_call(message: Message, reply: Reply, split: list[str], number: int) -> Any:
    markup = keyboard(reply) if number == len(split) - 1 else None
    return lambda: message.reply_html(split[number], reply_markup=markup)


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
        member = await with_retries(lambda: context.bot.get_chat_member(chat_id, user_id), idempotent=True)
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
    try:
        await with_retries(lambda: query.answer(), idempotent=True)
    except BadRequest as error:  # "query is too old": the spinner is gone anyway; the content still counts
        logger.info("a button press could not be acknowledged (%s); showing its content anyway", error)
    reply = context.assistant.on_button(query.data or "")
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
    articles = context.assistant.inline(inline_query.query)
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
