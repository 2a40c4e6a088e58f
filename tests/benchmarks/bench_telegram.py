"""End-to-end benchmark: `python -m bot run` as its own process against the fake Bot API server in this one.

Prints updates answered per second, and the latency from an update's arrival at the fake server to the
bot's sendMessage (rate limiter off: the bot's own overhead). Figures, not a test; see README.

    .venv/bin/python tests/benchmarks/bench_telegram.py [UPDATES]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.fake_telegram import FakeTelegram, bot_environment, start_bot_process  # noqa: E402

RATES = [float(r) for r in os.environ.get("BENCH_RATES", "200").split(",")]
QUESTIONS = [case["q"] for case in yaml.safe_load((REPO / "tests/data/questions_dev.yaml").read_text("utf-8"))]


def summary(latencies: list[float]) -> str:
    latencies = sorted(latencies)
    return (
        f"p50 {statistics.median(latencies):.1f} ms, p95 {latencies[int(0.95 * len(latencies))]:.1f} ms, "
        f"max {latencies[-1]:.1f} ms"
    )


async def run_load(telegram: FakeTelegram, count: int, rate: float | None, first_chat: int) -> None:
    """Offer `count` updates (one per chat) as a burst, or at `rate` a second; wait for every answer."""
    base, answered_before = len(telegram.calls), len(telegram.sent())
    pushed: dict[int, float] = {}
    started = time.perf_counter()
    for number in range(count):
        chat_id = first_chat + number
        pushed[chat_id] = time.monotonic()
        telegram.send_text(chat_id, QUESTIONS[number % len(QUESTIONS)])
        if rate:
            await asyncio.sleep(max(0.0, started + (number + 1) / rate - time.perf_counter()))
    offered = time.perf_counter() - started
    await telegram.wait_for(lambda: len(telegram.sent()) - answered_before >= count, timeout=300)
    elapsed = time.perf_counter() - started
    answers = [c for c in telegram.calls[base:] if c.ok and c.method == "sendMessage"]
    latencies = [1000 * (c.at - pushed[c.params["chat_id"]]) for c in answers]
    label = f"burst of {count}" if rate is None else f"{count} at {count / offered:.0f} updates/s offered"
    print(f"{label}: {count / elapsed:.0f} updates/s answered; update → sendMessage {summary(latencies)}")


async def main(count: int) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    with tempfile.TemporaryDirectory() as folder:
        environment = bot_environment(
            f"sqlite:///{folder}/bot.sqlite3", telegram, TELEGRAM_RATE_LIMIT="off", LOG_LEVEL="WARNING"
        )
        process = await start_bot_process(environment, REPO, profile_to=os.environ.get("BENCH_PROFILE"))
        try:
            await telegram.wait_for(lambda: telegram.sent(method="setMyCommands"), timeout=60)
            await run_load(telegram, 200, None, 1)  # warm-up
            await run_load(telegram, count, None, 100_000)
            for number, rate in enumerate(RATES):
                await run_load(telegram, count, rate, 200_000 + number * 100_000)
            print(f"rejected by the fake server: {len(telegram.rejected)}")
        finally:
            process.terminate()
            await process.wait()
            await telegram.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
