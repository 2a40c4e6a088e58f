"""Errors whose message is for the operator: a broken data file, a bad setting, a database that cannot be used.

They all end the same way: `python -m bot` prints `error: <message>` (English, one line, never a traceback)
and exits with `bot.cli.USAGE_ERROR`, as for bad usage.
"""

from __future__ import annotations


class OperatorError(Exception):
    """Something the operator must fix before trying again; the message says what, and where."""
