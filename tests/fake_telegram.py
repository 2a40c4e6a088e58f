"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and benchmarks.

It speaks the HTTP protocol python-telegram-bot speaks (form fields, non-strings JSON-encoded), long-polls
getUpdates, records every call (uploaded files, as sendDocument's, with their bytes), and rejects what
Telegram rejects: bad HTML, text over 4096 characters (a caption over 1024), callback data over 64 bytes,
more than 50 inline results, a command menu for a chat it does not know. Faults are injected per method (429
with retry_after, 5xx, 401, a body that is not JSON), a method can answer slowly (after it took effect, as a
slow Telegram does), one chat can be held under a long 429, an update can come malformed, chats can block
the bot (403) or migrate to a supergroup, and Telegram's flood limits (30 messages/s overall, 20 a minute per
group) can be enforced.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from .html_check import telegram_html_errors, utf16_len

JSON_FIELDS = {
    "reply_markup", "results", "commands", "scope", "reply_parameters", "link_preview_options", "allowed_updates",
    "entities", "button",
}  # fmt: skip
INT_FIELDS = {"chat_id", "offset", "timeout", "limit", "message_id", "user_id", "cache_time"}


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart upload, kept whole so a test can read it back."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True  # False when the fake answered with an error


@dataclass
class FakeTelegram:
    token: str = "424242:FakeTokenForTestsOnly-not-a-real-one"  # not shaped like a real token
    bot_id: int = 4242
    username: str = "partnerbot"
    enforce_flood_limits: bool = False
    calls: list[Call] = field(default_factory=list)
    blocked_chats: set[int] = field(default_factory=set)
    migrated_chats: dict[int, int] = field(default_factory=dict)
    chat_admins: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    faults: dict[str, deque[tuple[int, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(deque))
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (method, description) of every 4xx we sent
    unknown_chats: set[int] = field(default_factory=set)  # "chat not found" (a user who never opened the bot)
    slow: dict[str, float] = field(default_factory=dict)  # method → seconds it takes to answer (after acting)
    malformed: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # method → answers not JSON
    flooded_chats: dict[int, float] = field(default_factory=dict)  # chat → monotonic time its 429 ends

    def __post_init__(self) -> None:
        self._updates: list[tuple[int, dict[str, Any]]] = []  # (sequence, update): confirmed by offset
        self._update_ids = itertools.count(1)
        self._last_update_id = 0
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._chat_types: dict[int, str] = {}
        self._sent_at: deque[float] = deque()
        self._group_sent_at: dict[int, deque[float]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self._closing = False  # set by stop(): pending and new long polls return at once
        self.acknowledged = 0  # the highest update id the bot has confirmed (getUpdates' offset - 1)
        self.port = 0

    # -- server ----------------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Release the long polls still waiting (else cleanup waits out their timeout), then shut down."""
        self._closing = True
        self._new_update.set()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized", request.match_info["method"])
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, time.monotonic())
        try:
            response = await self._respond(method, params, call)
        finally:
            self.calls.append(call)
            self._new_call.set()
            self._new_call = asyncio.Event()
        if self.slow.get(method):
            await asyncio.sleep(self.slow[method])  # done already; only the answer is late
        return response

    async def _respond(self, method: str, params: dict[str, Any], call: Call) -> web.Response:
        if self.malformed[method]:
            self.malformed[method] -= 1
            call.ok = False
            return web.Response(text='{"ok": true, "result": {"id": 4242, "is_bot"', content_type="application/json")
        if self.faults[method]:
            call.ok = False
            status, body = self.faults[method].popleft()
            self.rejected.append((method, body["description"]))
            return web.json_response(body, status=status)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            call.ok = False
            return self._error(404, "Not Found: method not found", method)
        try:
            result = await handler(params)
        except _ApiError as error:
            call.ok = False
            return self._error(error.status, error.description, method, error.parameters)
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        raw = dict(await request.post()) if request.can_read_body else dict(request.query)
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, web.FileField):
                params[key] = Upload(value.filename, value.content_type, value.file.read())
                continue
            value = str(value)
            if key in JSON_FIELDS:
                params[key] = json.loads(value)
            elif key in INT_FIELDS and value.lstrip("-").isdigit():
                params[key] = int(value)
            else:
                params[key] = value
        return params

    def _error(
        self, status: int, description: str, method: str, parameters: dict[str, Any] | None = None
    ) -> web.Response:
        self.rejected.append((method, description))
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    # -- test helpers ----------------------------------------------------------------------------------
    def inject(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """The next call of `method` fails this way (e.g. 429 with retry_after, 502)."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self.faults[method].append((status, body))

    def push(self, update: dict[str, Any]) -> int:
        update_id = self._last_update_id = next(self._update_ids)
        self._updates.append((update_id, {"update_id": update_id, **update}))
        self._new_update.set()
        return update_id

    def push_malformed(self, update: dict[str, Any], update_id: Any = "not-a-number") -> None:
        """An update whose `update_id` is not an integer; confirmed by the offset of any later update."""
        self._updates.append((next(self._update_ids), {**update, "update_id": update_id}))
        self._new_update.set()

    def flood(self, chat_id: int, seconds: float) -> None:
        """Every message to this chat is answered 429 with the time left as retry_after, for `seconds`."""
        self.flooded_chats[chat_id] = time.monotonic() + seconds

    def chat(self, chat_id: int, chat_type: str = "private", title: str = "IØR-gruppa") -> dict[str, Any]:
        self._chat_types[chat_id] = chat_type
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Kari"
        else:
            chat["title"] = title
        return chat

    @staticmethod
    def user(user_id: int, first_name: str = "Kari") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "nb"}

    def message(self, chat_id: int, text: str | None = None, *, chat_type: str = "private", user_id: int = 111,
                **extra: Any) -> dict[str, Any]:  # fmt: skip
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type),
            "from": self.user(user_id),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        return message

    def send_text(self, chat_id: int, text: str, **kwargs: Any) -> int:
        return self.push({"message": self.message(chat_id, text, **kwargs)})

    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Partnerboten", "username": self.username}

    async def ask(
        self, chat_id: int, text: str | None, *, user_id: int = 111, timeout: float = 10.0, **extra: Any
    ) -> dict[str, Any]:
        """Push a message from `user_id` to `chat_id` and return the parameters of the bot's reply to that chat.
        The chat is private for a positive id, a supergroup for a negative one, unless `chat_type` says."""
        extra.setdefault("chat_type", "private" if chat_id > 0 else "supergroup")
        start = len(self.calls)
        self.push({"message": self.message(chat_id, text, user_id=user_id, **extra)})
        return (await self._first_after(start, chat_id, "sendMessage", timeout)).params

    def all_acknowledged(self) -> bool:
        """The bot has fetched every update pushed so far (and confirmed it with getUpdates' offset)."""
        return self.acknowledged >= self._last_update_id

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[Call]:
        return [
            c
            for c in self.calls
            if c.ok and c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
        ]

    def menus(self) -> dict[tuple[Any, ...], list[str]]:
        """The command menu Telegram would show per scope, e.g. ("all_private_chats",), ("chat", 999),
        ("chat_member", -1001, 999): the last accepted setMyCommands for each."""
        menus: dict[tuple[Any, ...], list[str]] = {}
        for call in self.sent(method="setMyCommands"):
            scope = call.params.get("scope") or {"type": "default"}
            key = (scope["type"], *(scope[k] for k in ("chat_id", "user_id") if k in scope))
            menus[key] = [command["command"] for command in call.params.get("commands", [])]
        return menus

    def documents(self, chat_id: int | None = None) -> list[Upload]:
        """The files sent with sendDocument (to one chat), oldest first."""
        return [call.params["document"] for call in self.sent(chat_id, "sendDocument")]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; last calls: {[(c.method, c.params) for c in self.calls[-5:]]}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_call.wait(), min(remaining, 0.2))

    async def reply_to(self, chat_id: int, timeout: float = 10.0, method: str = "sendMessage") -> Call:
        """The first message sent to this chat after now."""
        return await self._first_after(len(self.calls), chat_id, method, timeout)

    async def _first_after(self, start: int, chat_id: int, method: str, timeout: float) -> Call:
        return await self.wait_for(
            lambda: next(
                (c for c in self.calls[start:] if c.ok and c.method == method and c.params.get("chat_id") == chat_id),
                None,
            ),
            timeout,
        )

    # -- Bot API methods -------------------------------------------------------------------------------
    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**self.bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": True}  # fmt: skip

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        for command in params.get("commands", []):
            if not 1 <= len(command["command"]) <= 32 or not command["command"].islower():
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {}
        if scope.get("type") in {"chat", "chat_administrators", "chat_member"}:
            chat_id = int(scope["chat_id"])
            if chat_id in self.unknown_chats:
                raise _ApiError(400, "Bad Request: chat not found")
            if scope["type"] == "chat_member" and chat_id > 0:
                raise _ApiError(400, "Bad Request: can't use chat_member scope in a private chat")
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        self.acknowledged = max(self.acknowledged, offset - 1)
        self._updates = [(seq, u) for seq, u in self._updates if seq >= offset]
        if not self._updates and timeout and not self._closing:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return [] if self._closing else [u for _, u in self._updates[:limit]]

    def _check_text(self, text: str | None, parse_mode: str | None) -> None:
        if not text:
            raise _ApiError(400, "Bad Request: message text is empty")
        if parse_mode == "HTML":
            errors = telegram_html_errors(text)
            if errors:
                too_long = [e for e in errors if "too long" in e]
                raise _ApiError(400, "Bad Request: message is too long" if too_long else
                                f"Bad Request: can't parse entities: {errors[0]}")  # fmt: skip
        elif utf16_len(text) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")

    @staticmethod
    def _check_markup(markup: dict[str, Any] | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _flood_check(self, chat_id: int) -> None:
        if not self.enforce_flood_limits:
            return
        now = time.monotonic()
        while self._sent_at and now - self._sent_at[0] > 1.0:
            self._sent_at.popleft()
        if len(self._sent_at) >= 30:
            raise _ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        if chat_id < 0:
            group = self._group_sent_at[chat_id]
            while group and now - group[0] > 60.0:
                group.popleft()
            if len(group) >= 20:
                raise _ApiError(429, "Too Many Requests: retry after 3", {"retry_after": 3})
            group.append(now)
        self._sent_at.append(now)

    def _target(self, chat_id: int) -> None:
        flooded_until = self.flooded_chats.get(chat_id, 0.0)
        if flooded_until > time.monotonic():
            left = max(1, round(flooded_until - time.monotonic()))
            raise _ApiError(429, f"Too Many Requests: retry after {left}", {"retry_after": left})
        if chat_id in self.migrated_chats:
            raise _ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                            {"migrate_to_chat_id": self.migrated_chats[chat_id]})  # fmt: skip
        if chat_id in self.blocked_chats:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self._target(chat_id)
        self._check_text(params.get("text"), params.get("parse_mode"))
        self._check_markup(params.get("reply_markup"))
        self._flood_check(chat_id)
        chat_type = self._chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"first_name": "Kari"} if chat_id > 0 else {"title": "G"})},
            "from": self.bot_user(),
            "text": params["text"],
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self._target(chat_id)
        document = params.get("document")
        if not isinstance(document, Upload) or not document.content:
            raise _ApiError(400, "Bad Request: there is no document in the request")
        caption = params.get("caption")
        if caption is not None:
            if params.get("parse_mode") == "HTML" and (errors := telegram_html_errors(caption)):
                raise _ApiError(400, f"Bad Request: can't parse entities: {errors[0]}")
            if len(caption) > 1024:
                raise _ApiError(400, "Bad Request: message caption is too long")
        self._flood_check(chat_id)
        message_id = next(self._message_ids)
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": self._chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")},
            "from": self.bot_user(),
            "document": {
                "file_id": f"doc{message_id}",
                "file_unique_id": f"u{message_id}",
                "file_name": document.filename,
                "mime_type": document.content_type,
                "file_size": len(document.content),
            },
            **({"caption": caption} if caption is not None else {}),
        }

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if "chat_id" in params:
            self._target(int(params["chat_id"]))
        self._check_text(params.get("text"), params.get("parse_mode"))
        self._check_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            return True
        chat_id = int(params["chat_id"])
        return {
            "message_id": int(params["message_id"]),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": self._chat_types.get(chat_id, "private")},
            "from": self.bot_user(),
            "text": params["text"],
        }

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        results = params.get("results", [])
        if len(results) > 50:
            raise _ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        for result in results:
            if not 1 <= len(result["id"].encode()) <= 64:
                raise _ApiError(400, "Bad Request: RESULT_ID_INVALID")
            content = result["input_message_content"]
            self._check_text(content.get("message_text"), content.get("parse_mode"))
        return True

    async def _api_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = int(params["chat_id"])
        if chat_id in self.unknown_chats:
            raise _ApiError(400, "Bad Request: chat not found")
        admins = self.chat_admins.get(chat_id, [])
        return [{**ADMINISTRATOR_RIGHTS, **m} if m["status"] == "administrator" else m for m in admins]

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        for member in self.chat_admins.get(chat_id, []):
            if member["user"]["id"] == user_id:
                return {**ADMINISTRATOR_RIGHTS, **member} if member["status"] == "administrator" else member
        return {"status": "member", "user": self.user(user_id)}

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True


REPO_DIR = Path(__file__).resolve().parents[1]
# The fields Telegram sends with every ChatMemberAdministrator.
ADMINISTRATOR_RIGHTS = {"can_be_edited": False, "is_anonymous": False} | dict.fromkeys(
    ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
     "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
     "can_delete_stories"), True)  # fmt: skip


def bot_environment(database_url: str, telegram: FakeTelegram | None = None, **settings: str) -> dict[str, str]:
    """The environment for `python -m bot run` against the fake server; no TELEGRAM_* setting leaks in."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment |= {"DATABASE_URL": database_url, "PYTHONPATH": str(REPO_DIR)}
    if telegram is not None:
        environment |= {"TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_API_BASE_URL": telegram.base_url}
    return environment | settings


async def start_bot_process(
    environment: dict[str, str], cwd: Path, *, profile_to: str | None = None, output: int | None = None
) -> asyncio.subprocess.Process:
    """`python -m bot run` as its own process (under cProfile if `profile_to` names a file)."""
    profile = ["-m", "cProfile", "-o", profile_to] if profile_to else []
    return await asyncio.create_subprocess_exec(
        sys.executable, *profile, "-m", "bot", "run", cwd=cwd, env=environment, stdout=output, stderr=output
    )


class _ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
