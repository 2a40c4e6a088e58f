"""Settings from the environment (and a `.env` file beside the bot, if there is one).

| variable | meaning | default |
| TELEGRAM_BOT_TOKEN | the token from BotFather | none: `run` refuses to start |
| TELEGRAM_API_BASE_URL | Bot API server, python-telegram-bot's base_url form | https://api.telegram.org/bot |
| DATABASE_URL | sqlite:///path or postgresql://… | sqlite:///data/bot.sqlite3 |
| ADMIN_USER_IDS | Telegram user ids allowed to edit milestones anywhere | none |
| PARTNERSHIP_CHAT_ID | the partnership's group: its admins may edit milestones too | none |
| TELEGRAM_RATE_LIMIT | on/off: python-telegram-bot's AIORateLimiter (off only for benchmarks) | on |
| LOG_LEVEL | DEBUG, INFO, WARNING … | INFO |
| BOT_CONCURRENCY | updates handled at once (and connections to the Bot API) | 4 |
| REMINDER_CLAIM_TIMEOUT | seconds after which a reminder claimed by a process that died is sent again | 120 |
| SEARCH_THREADS | questions answered at once, in threads of their own (not the database's) | 2 |
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from bot.errors import OperatorError
from bot.storage import DEFAULT_DATABASE_URL

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
_TOKEN_SHAPE = re.compile(r"^\d{3,12}:[A-Za-z0-9_-]{20,}$")


class SettingsError(OperatorError):
    """A setting is missing or malformed; the message names the variable."""


# Updates handled at once (the poller's window, and connections to the Bot API): enough that a burst of
# questions does not hold commands back, few enough for httpcore's pool (README, "Benchmarks").
CONCURRENCY = 8


@dataclass(frozen=True)
class Settings:
    token: str | None
    api_base_url: str
    database_url: str
    admin_user_ids: frozenset[int]
    rate_limit: bool
    log_level: str
    concurrency: int = CONCURRENCY
    partnership_chat_id: int | None = None
    claim_timeout: int = 120
    search_threads: int = 2

    def require_token(self) -> str:
        if not self.token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather and set it in the environment "
                "or in .env; without a token, try the bot with `python -m bot chat`."
            )
        if not _TOKEN_SHAPE.match(self.token):
            raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)")
        return self.token


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
    """The environment wins over `.env`; `.env` only fills what the environment leaves unset."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str, default: str = "") -> str:
        return values.get(name, "").strip() or default

    return Settings(
        token=get("TELEGRAM_BOT_TOKEN") or None,
        api_base_url=get("TELEGRAM_API_BASE_URL", DEFAULT_API_BASE_URL).rstrip("/"),
        database_url=get("DATABASE_URL", DEFAULT_DATABASE_URL),
        admin_user_ids=_user_ids(get("ADMIN_USER_IDS")),
        rate_limit=_switch("TELEGRAM_RATE_LIMIT", get("TELEGRAM_RATE_LIMIT", "on")),
        log_level=_log_level(get("LOG_LEVEL", "INFO")),
        concurrency=_concurrency(get("BOT_CONCURRENCY", str(CONCURRENCY))),
        partnership_chat_id=_chat_id(get("PARTNERSHIP_CHAT_ID")),
        claim_timeout=_claim_timeout(get("REMINDER_CLAIM_TIMEOUT", "120")),
        search_threads=_search_threads(get("SEARCH_THREADS", "2")),
    )


def _chat_id(raw: str) -> int | None:
    if not raw:
        return None
    if not re.fullmatch(r"-?\d{1,20}", raw):
        raise SettingsError(f"PARTNERSHIP_CHAT_ID must be a Telegram chat id such as -1001234567890 (got {raw!r})")
    return int(raw)


def _concurrency(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 256:
        raise SettingsError(f"BOT_CONCURRENCY must be a whole number from 1 to 256 (got {raw!r})")
    return int(raw)


def _search_threads(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise SettingsError(f"SEARCH_THREADS must be a whole number from 1 to 64 (got {raw!r})")
    return int(raw)


def _claim_timeout(raw: str) -> int:
    if not raw.isdigit() or not 3 <= int(raw) <= 86_400:
        raise SettingsError(f"REMINDER_CLAIM_TIMEOUT must be whole seconds from 3 to 86400 (got {raw!r})")
    return int(raw)


def _user_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in re.split(r"[,\s]+", raw):
        if not part:
            continue
        if not re.fullmatch(r"-?\d{1,20}", part):
            raise SettingsError(f"ADMIN_USER_IDS must be Telegram user ids separated by commas (got {part!r})")
        ids.add(int(part))
    return frozenset(ids)


def _switch(name: str, raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"on", "1", "true", "yes"}:
        return True
    if lowered in {"off", "0", "false", "no"}:
        return False
    raise SettingsError(f"{name} must be on or off (got {raw!r})")


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL (got {raw!r})")
    return level
