"""Fan-out benchmark: one reminder to many chats, from `python -m bot run` against the fake Bot API server.

Rate limiter off: the bot's own overhead, as wall-clock rate and as the bot process's CPU time per message
(the second holds on a machine shared with other work, where the first does not). Rate limiter on, against a fake server that enforces Telegram's
limits (30 messages/s overall): the sustained rate, and how many 429s came back. Figures, not a test.

    .venv/bin/python tests/benchmarks/bench_fanout.py [CHATS] [CHATS_WITH_LIMITER]
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.milestones.dates import OSLO, Lead  # noqa: E402
from bot.milestones.model import Milestone  # noqa: E402
from bot.storage import open_database  # noqa: E402
from tests.fake_telegram import FakeTelegram, bot_environment, start_bot_process  # noqa: E402


def prepare(url: str, chats: int) -> None:
    now = datetime.now(OSLO)
    database = open_database(url)
    database.save_milestone(
        Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", None, "once", now + timedelta(hours=1))
    )
    with database.transaction():
        for chat_id in range(chats):
            database.subscribe(1_000_000 + chat_id, "yrkesmesse", (Lead(2, "t"),), now - timedelta(hours=3))
    database.close()


async def fan_out(chats: int, limiter: bool) -> None:
    telegram = FakeTelegram(enforce_flood_limits=limiter)
    await telegram.start()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bot.sqlite3"
        prepare(url, chats)
        environment = bot_environment(
            url, telegram, TELEGRAM_RATE_LIMIT="on" if limiter else "off", LOG_LEVEL="WARNING"
        )
        profile_to = None if limiter else os.environ.get("BENCH_PROFILE")  # profile the bot's own overhead only
        process = await start_bot_process(environment, REPO, profile_to=profile_to)
        try:

            def reminders() -> list[float]:
                return [c.at for c in telegram.sent() if "Påminnelse" in c.params["text"]]

            await telegram.wait_for(lambda: reminders(), timeout=60)
            started, cpu_started = time.monotonic(), cpu_seconds(process.pid)
            await telegram.wait_for(lambda: len(reminders()) >= chats, timeout=chats / 20 + 60)
            cpu = cpu_seconds(process.pid) - cpu_started
            times = reminders()
            elapsed = max(times) - min(times)
            too_many = sum(1 for _, description in telegram.rejected if description.startswith("Too Many"))
            print(f"rate limiter {'on ' if limiter else 'off'}: {chats} reminders in {elapsed:.1f} s = "
                  f"{(chats - 1) / elapsed:.0f} messages/s; 429s from the server: {too_many}; "
                  f"waited {time.monotonic() - started:.1f} s; bot CPU {cpu / (chats - 1) * 1e3:.2f} ms a message "
                  f"(= {(chats - 1) / cpu:.0f} messages per CPU-second)")  # fmt: skip
        finally:
            process.terminate()
            await process.wait()
            await telegram.stop()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main() -> None:
    await fan_out(int(sys.argv[1]) if len(sys.argv) > 1 else 5000, limiter=False)
    await fan_out(int(sys.argv[2]) if len(sys.argv) > 2 else 5000, limiter=True)


if __name__ == "__main__":
    asyncio.run(main())
