"""Log lines that never hold the token."""

from __future__ import annotations

import logging
import sys

from bot.settings import Settings


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
    keep_the_token_out_of_library_logs()
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG, python-telegram-bot logs every update and every request whole: who wrote, their name, the
    # question. The bot's own DEBUG lines (tracebacks of failures) hold none of that, so the libraries stay
    # at INFO whatever LOG_LEVEL says.
    for library in ("telegram", "httpcore", "aiolimiter"):
        logging.getLogger(library).setLevel(max(logging.INFO, logging.getLogger().level))
    # It logs an answer that is not JSON whole, with a traceback, at ERROR; the bot says it in one line.
    logging.getLogger("telegram.request").setLevel(logging.CRITICAL)


def keep_the_token_out_of_library_logs() -> None:
    """httpx logs every request's URL at INFO, and the URL holds the token: keep it at WARNING, whether or not
    `configure_logging` ran (a bot built in-process, as the tests build it, logs through whatever is set)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
