"""The application: handlers assembled, command menus registered, and `python -m bot run`.

`python -m bot run` polls with its own loop (`Poller`) instead of python-telegram-bot's Updater, which
acknowledges every update it has fetched on its next getUpdates, handled or not, so a kill lost them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import ssl
import sys
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
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
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, NetworkError, TelegramError
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
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot import commands
from bot.assistant import Assistant, load_assistant
from bot.milestones.dates import OSLO
from bot.settings import Settings, SettingsError, load_settings
from bot.staff.desk import StaffDesk
from bot.storage import Database, QuestionLog, open_database
from bot.telegram_adapter import handlers
from bot.telegram_adapter.context import BotContext, BotData
from bot.telegram_adapter.limits import MessageRateLimiter
from bot.telegram_adapter.logs import configure_logging, keep_the_token_out_of_library_logs
from bot.telegram_adapter.reminders import FANOUT_CONCURRENCY, ReminderService
from bot.telegram_adapter.retry import with_retries
from bot.telegram_adapter.summaries import SummaryService

logger = logging.getLogger("bot")
# getUpdates is called through `do_api_request` to see each update raw (one malformed update must not take
# the whole batch with it); python-telegram-bot would warn that `get_updates` exists.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning)


@dataclass(frozen=True)
class Timeouts:
    """Seconds. Telegram answers most calls in well under a second but now and then takes 10 s or more;
    python-telegram-bot's default of 5 s read a slow "ok" as a failure and sent the answer again."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0
    long_poll: float = 10.0  # how long one getUpdates waits for news; the read timeout comes on top


TIMEOUTS = Timeouts()
STOP_GRACE = 3.0  # seconds a stop waits for the updates being handled; the rest are handled after a restart
ALLOWED_UPDATES = list(Update.ALL_TYPES)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client of the Bot API: httpx makes one per client otherwise, reading the CA
    bundle each time (four clients at start-up, a twentieth of a second each here)."""
    return httpx.create_ssl_context()


def bot_api_request(pool_size: int, timeouts: Timeouts | None = None) -> HTTPXRequest:
    """python-telegram-bot's HTTP client for the Bot API, with the shared TLS context; python-telegram-bot's
    own timeouts where `timeouts` is None."""
    if timeouts is None:
        return HTTPXRequest(pool_size, httpx_kwargs={"verify": _tls()})
    return HTTPXRequest(
        pool_size,
        read_timeout=timeouts.read,
        write_timeout=timeouts.write,
        connect_timeout=timeouts.connect,
        pool_timeout=timeouts.pool,
        httpx_kwargs={"verify": _tls()},
    )


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
    if data.questions is not None:
        data.questions.shutdown(wait=False, cancel_futures=True)
    if data.question_log is not None:
        await data.question_log.close()
    if data.database is not None:
        data.database.close()


def build_application(
    settings: Settings, assistant: Assistant, database: Database, timeouts: Timeouts = TIMEOUTS
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The python-telegram-bot application with every handler; a `Poller` (or a test) feeds it updates."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .updater(None)  # `Poller` fetches and acknowledges
        .token(settings.require_token())
        .base_url(settings.api_base_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True), tzinfo=OSLO)
        )
        # Updates are handled BOT_CONCURRENCY at once (the `Poller`'s batch). More is slower: httpcore spends
        # its time matching requests to connections (measured: 256 gave 177 updates/s, 16 gave 262; README).
        .request(bot_api_request(max(settings.concurrency, FANOUT_CONCURRENCY), timeouts))
        .get_updates_request(bot_api_request(1, timeouts))
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
    data.question_log = QuestionLog(database)
    # Questions in threads of their own: a question is mostly its embedding (the model releases the GIL), and
    # in the database's threads a burst of them held back every command behind it (README, "Benchmarks").
    data.questions = ThreadPoolExecutor(settings.search_threads, thread_name_prefix="search")
    claim_timeout = timedelta(seconds=settings.claim_timeout)
    data.reminders = ReminderService(application, assistant.desk, database, assistant.clock, claim_timeout)
    data.reminders.schedules.append(
        SummaryService(
            application, data.staff, database, settings, assistant.clock, data.reminders.owner, claim_timeout
        )
    )

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


# -- polling -----------------------------------------------------------------------------------------------
class PollingStopped(Exception):
    """Polling cannot go on (the token was revoked, or something no retry will mend)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Poller:
    """getUpdates in a window of `batch` updates handled at once; an update is acknowledged only once it and
    every update before it are handled.

    Telegram keeps an update until a getUpdates asks for a higher offset, and answers every getUpdates with
    the oldest updates it keeps. So while updates are being handled, the next getUpdates asks from the oldest
    unfinished one, without waiting: it gets the updates in hand again (skipped here) and new ones to start as
    soon as half the window is free, so the search threads never wait for the slowest question of a batch. A
    process killed mid-window gets the unacknowledged updates again after a restart: no update is lost, and at
    most 2 × `batch` (BOT_CONCURRENCY) are handled twice (those finished after the oldest unfinished one; the
    window never spans more). Network trouble and 5xx are retried with a growing pause; a 401 (token revoked)
    stops polling for good, and so does an error no retry can mend, so that the process exits instead of
    living on deaf. An update that cannot be read is skipped with one log line.
    """

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        batch: int,
        long_poll: float = TIMEOUTS.long_poll,
        allowed_updates: Sequence[str] = ALLOWED_UPDATES,
    ) -> None:
        self.application = application
        self.batch = batch
        self.long_poll = long_poll
        self.allowed_updates = list(allowed_updates)
        self.offset: int | None = None  # every update below this is handled (what getUpdates acknowledges)
        self._next: int | None = None  # above every update seen
        self._running: dict[int, asyncio.Task[None]] = {}
        self._finished: set[int] = set()  # handled, at or above `offset`
        self._stopping = asyncio.Event()
        self._skipped: set[str] = set()

    def stop(self) -> None:
        self._stopping.set()

    def _span(self) -> int:
        """Updates fetched and not yet acknowledged: running, or finished after the oldest running one."""
        return len(self._running) + len(self._finished)

    def _room(self) -> int:
        """How many new updates to fetch now: none until half the window is free, and never so many that
        more than 2 × batch would be handled twice after a kill."""
        free = min(self.batch - len(self._running), 2 * self.batch - self._span())
        return free if free >= max(1, self.batch // 2) or not self._running else 0

    async def run(self) -> None:
        """Poll until `stop`; raises `PollingStopped` when polling cannot go on."""
        failures = 0
        fresh = True  # the last getUpdates brought new updates (else wait for one in hand to finish first)
        while not self._stopping.is_set():
            await self._until_room(wait_for_one=not fresh)
            if self._stopping.is_set():
                break
            try:
                raw = await self._until_stopped(self._fetch(0 if self._running else self.long_poll))
            except (InvalidToken, EndPointNotFound) as error:  # 401 or 404 (`do_api_request` names it the latter)
                reason = error.__cause__ if isinstance(error, EndPointNotFound) and error.__cause__ else error
                raise PollingStopped(f"Telegram rejected TELEGRAM_BOT_TOKEN while polling ({reason})", 2) from None
            except TelegramError as error:  # network, 5xx, 409, 429, a reply that is not JSON
                failures += 1
                pause = min(30.0, 0.5 * 2**failures)
                logger.warning("getUpdates failed (%s); trying again in %.0f s", _describe(error), pause)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)
                continue
            except Exception as error:
                raise PollingStopped(f"polling failed and cannot go on: {_describe(error)}", 1) from error
            if raw is None:
                break
            failures = 0
            updates = self._read(raw)
            for update in updates:
                self._start(update)
            self._advance()
            fresh = bool(updates)
        await self._finish()
        await self._acknowledge()

    async def _until_room(self, *, wait_for_one: bool) -> None:
        """Wait until `_room` allows a fetch (and, after a getUpdates that brought nothing new, until one update
        in hand is handled, so that polling does not spin), or `stop`."""
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            while self._running and (wait_for_one or not self._room()) and not stopping.done():
                await asyncio.wait({*self._running.values(), stopping}, return_when=asyncio.FIRST_COMPLETED)
                wait_for_one = False
        finally:
            stopping.cancel()

    async def _until_stopped(self, call: Any) -> Any:
        """The call's result, or None as soon as `stop` is called (the long poll is abandoned)."""
        fetch = asyncio.ensure_future(call)
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if fetch.done():
            stopping.cancel()
            return fetch.result()
        fetch.cancel()
        with contextlib.suppress(asyncio.CancelledError, TelegramError):
            await fetch
        return None

    async def _fetch(self, long_poll: float) -> Any:
        limit = min(100, self._span() + self._room())  # the updates in hand come first again
        data: dict[str, Any] = {"timeout": long_poll, "limit": limit, "allowed_updates": self.allowed_updates}
        if self.offset is not None:
            data["offset"] = self.offset
        bot = self.application.bot
        read_timeout = (bot.request.read_timeout or TIMEOUTS.read) + long_poll  # as `get_updates` computes it
        return await bot.do_api_request("getUpdates", api_kwargs=data, read_timeout=read_timeout)

    def _read(self, raw: Any) -> list[Update]:
        """The new updates of one answer (those in hand skipped); one that is not a Bot API update is skipped
        with one log line."""
        if not isinstance(raw, list):
            logger.warning("getUpdates answered something that is not a list of updates; ignored")
            return []
        updates = []
        for item in raw:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                key = repr(update_id)[:40]
                if key not in self._skipped:
                    self._skipped.add(key)
                    logger.warning("skipped an update whose update_id is not an integer (%s)", type(update_id).__name__)
                continue
            if update_id < (self.offset or 0) or update_id in self._running or update_id in self._finished:
                continue
            self._next = max(self._next or 0, update_id + 1)
            try:
                updates.append(Update.de_json(item, self.application.bot))
            except Exception as error:
                logger.warning("skipped update %d: it cannot be read (%s)", update_id, _describe(error))
                self._finished.add(update_id)
        return updates

    def _start(self, update: Update) -> None:
        task = asyncio.ensure_future(self.application.process_update(update))
        self._running[update.update_id] = task
        task.add_done_callback(lambda _: self._done(update.update_id))

    def _done(self, update_id: int) -> None:
        if self._running.pop(update_id, None) is not None:
            self._finished.add(update_id)
            self._advance()

    def _advance(self) -> None:
        """Move `offset` past every update handled with none unfinished before it."""
        if self._next is None:
            return
        self.offset = min(self._running, default=self._next)
        self._finished = {update_id for update_id in self._finished if update_id >= self.offset}

    async def _finish(self) -> None:
        """On `stop`, wait `STOP_GRACE` for the updates being handled, then give up the rest (not acknowledged:
        they come again after the restart)."""
        tasks = dict(self._running)
        if tasks:
            await asyncio.wait(tasks.values(), timeout=STOP_GRACE)
        unfinished = sorted(update_id for update_id, task in tasks.items() if not task.done())
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
        if unfinished:
            self.offset = unfinished[0]
            logger.warning(
                "stopping: %d updates not handled; Telegram sends them again after a restart", len(unfinished)
            )

    async def _acknowledge(self) -> None:
        """Tell Telegram what was handled, so a restart does not handle it again."""
        if self.offset is None:
            return
        with contextlib.suppress(TelegramError, OSError, TimeoutError):
            data = {"offset": self.offset, "limit": 1, "timeout": 0}
            await asyncio.wait_for(self.application.bot.do_api_request("getUpdates", api_kwargs=data), STOP_GRACE)


def _describe(error: BaseException) -> str:
    text = str(error)
    return text if text.startswith(type(error).__name__) else f"{type(error).__name__}: {text}"


async def serve(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> int:
    """Run until SIGTERM/SIGINT (exit 0) or until polling stops for good (exit 1 or 2, within seconds)."""
    loop = asyncio.get_running_loop()
    poller = Poller(application, settings.concurrency)
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, poller.stop)
    exit_code = 0
    await application.initialize()
    try:
        await with_retries(lambda: application.bot.delete_webhook(), idempotent=True)  # polling needs none set
        await post_init(application)
        await application.start()
        try:
            await poller.run()
        except PollingStopped as error:
            logger.critical("%s; exiting so the process manager restarts the bot or alerts", error)
            print(f"error: {error}", file=sys.stderr)
            exit_code = error.exit_code
        finally:
            await handlers.close()
            await application.stop()
    finally:
        await application.shutdown()
        await post_shutdown(application)
    return exit_code


def run() -> int:
    """`python -m bot run`: poll Telegram until SIGTERM/SIGINT. Bad settings, broken data, no database or a
    rejected token raise `OperatorError` (the CLI prints it and exits 2); an unreachable Bot API, or polling
    that stops for good, exits 1."""
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
    except (TelegramError, KeyError, TypeError, ValueError) as error:  # an answer that is not the Bot API's
        database.close()
        print(
            f"error: the Bot API at {settings.api_base_url} answered getMe with something that is not a Bot API "
            f"reply ({_describe(error)})",
            file=sys.stderr,
        )
        return 1

    async def main() -> int:
        return await serve(build_application(settings, assistant, database), settings)

    try:
        return asyncio.run(main())
    finally:
        database.close()


async def check_token(settings: Settings) -> None:
    """One getMe before polling, so a rejected token is one clear line and exit 2, not a retry loop."""
    request, polling = bot_api_request(256), bot_api_request(1)  # python-telegram-bot's defaults for a `Bot`
    async with Bot(
        settings.require_token(), base_url=settings.api_base_url, request=request, get_updates_request=polling
    ):
        pass
