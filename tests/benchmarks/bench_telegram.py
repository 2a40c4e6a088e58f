"""End-to-end benchmark: `python -m bot run` as its own process against the fake Bot API server in this one.

Prints, with the rate limiter off (the bot's own overhead):
- start-up: from the process's start to its first getUpdates at the fake server, and to its first answer to a
  question (which waits for the semantic layer), with the vector cache (SEARCH_CACHE_DIR) cold, then warm;
- questions answered per second (every message a question that reaches the search), as a burst and at a
  steady rate, with the latency from an update's arrival at the fake server to the bot's sendMessage;
- other updates (commands that do not search) per second, as a burst and at the steady rates of BENCH_RATES;
- the other updates' latency at a steady BENCH_MIXED_RATES[0]/s alone, then with questions arriving beside
  them at BENCH_MIXED_RATES[1]/s;
- the bot's resident memory (VmRSS, and its peak VmHWM) after it has answered all of that.
The questions repeat (the dev and calibration sets, 247, over and over), so after the first round their vectors
come from the search's cache of recent questions; BENCH_QUERY_CACHE=0 starts the bot without it (every
question embedded). BENCH_PROFILE=/tmp/prof profiles each start of the bot to /tmp/prof.1, /tmp/prof.2.
Figures, not a test; see README.

    .venv/bin/python tests/benchmarks/bench_telegram.py [UPDATES] [QUESTIONS]
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

from tests.fake_telegram import Call, FakeTelegram, bot_environment, start_bot_process  # noqa: E402

RATES = [float(r) for r in os.environ.get("BENCH_RATES", "200").split(",")]
QUESTION_RATES = [float(r) for r in os.environ.get("BENCH_QUESTION_RATES", "50").split(",")]
MIXED_RATES = [float(r) for r in os.environ.get("BENCH_MIXED_RATES", "100,20").split(",")]
QUESTIONS = [
    case["q"]
    for name in ("questions_dev.yaml", "questions_calibration.yaml")
    for case in yaml.safe_load((REPO / "tests/data" / name).read_text("utf-8"))
]
# Updates that do not reach the search: commands answered from the agreement or the database.
OTHERS = ["/start", "/hjelp", "/om", "/tiltak 3.2", "/milepaeler", "/varsler"]


def summary(latencies: list[float]) -> str:
    latencies = sorted(latencies)
    return (
        f"p50 {statistics.median(latencies):.1f} ms, p95 {latencies[int(0.95 * len(latencies))]:.1f} ms, "
        f"max {latencies[-1]:.1f} ms"
    )


def answered(telegram: FakeTelegram, base: int, chats: range) -> list[Call]:
    """The bot's answers since call `base` to the chats of one load (another may run beside it)."""
    return [c for c in telegram.calls[base:] if c.ok and c.method == "sendMessage" and c.params["chat_id"] in chats]


async def run_load(
    telegram: FakeTelegram, texts: list[str], count: int, rate: float | None, first_chat: int, kind: str
) -> None:
    """Offer `count` updates (one per chat) as a burst, or at `rate` a second; wait for every answer."""
    base = len(telegram.calls)
    chats = range(first_chat, first_chat + count)
    pushed: dict[int, float] = {}
    cpu = cpu_seconds()
    started = time.perf_counter()
    for number in range(count):
        chat_id = first_chat + number
        pushed[chat_id] = time.monotonic()
        telegram.send_text(chat_id, texts[number % len(texts)])
        if rate:
            await asyncio.sleep(max(0.0, started + (number + 1) / rate - time.perf_counter()))
    offered = time.perf_counter() - started
    await telegram.wait_for(lambda: len(answered(telegram, base, chats)) >= count, timeout=600)
    elapsed = time.perf_counter() - started
    answers = answered(telegram, base, chats)
    latencies = [1000 * (c.at - pushed[c.params["chat_id"]]) for c in answers]
    label = f"burst of {count}" if rate is None else f"{count} at {count / offered:.0f}/s offered"
    unit = kind.split()[0]
    used = [after - before for before, after in zip(cpu, cpu_seconds(), strict=True)]
    print(f"{kind}, {label}: {count / elapsed:.1f} {unit}/s answered; update → sendMessage {summary(latencies)}; "
          f"CPU of the bot {used[0] / elapsed:.2f}, of this process (fake server, load) {used[1] / elapsed:.2f} cores")  # fmt: skip


bot_pid: list[int] = []  # the running bot's process, for its CPU time


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user and system) used so far by the bot's process and by this one."""
    ticks = os.sysconf("SC_CLK_TCK")
    bot = 0.0
    if bot_pid:
        fields = Path(f"/proc/{bot_pid[-1]}/stat").read_text().rsplit(")", 1)[1].split()
        bot = (int(fields[11]) + int(fields[12])) / ticks
    own = os.times()
    return bot, own.user + own.system


starts: list[str] = []


async def start(telegram: FakeTelegram, environment: dict[str, str], label: str) -> asyncio.subprocess.Process:
    """Start the bot; print the time to its first getUpdates and to its first answer to a question."""
    first_call = len(telegram.calls)
    started = time.monotonic()
    profile = os.environ.get("BENCH_PROFILE")
    starts.append(label)
    process = await start_bot_process(environment, REPO, profile_to=f"{profile}.{len(starts)}" if profile else None)
    bot_pid.append(process.pid)
    await telegram.wait_for(lambda: any(c.method == "setMyCommands" for c in telegram.calls[first_call:]), timeout=60)
    chat_id = 10_000_000 + first_call
    await telegram.ask(chat_id, QUESTIONS[0], timeout=60)
    answered = time.monotonic()
    # The previous process's last long poll is recorded when it ends: count only calls made since this start.
    polled = min(c.at for c in telegram.calls[first_call:] if c.method == "getUpdates" and c.at >= started)
    print(f"start-up, {label}: first getUpdates after {1000 * (polled - started):.0f} ms, "
          f"first answer to a question after {1000 * (answered - started):.0f} ms")  # fmt: skip
    return process


def memory(pid: int) -> str:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    rss, peak = (int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))
    return f"VmRSS {rss:.0f} MB, VmHWM {peak:.0f} MB"


async def main(count: int, questions: int) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    with tempfile.TemporaryDirectory() as folder:
        environment = bot_environment(
            f"sqlite:///{folder}/bot.sqlite3",
            telegram,
            TELEGRAM_RATE_LIMIT="off",
            LOG_LEVEL="WARNING",
            SEARCH_CACHE_DIR=f"{folder}/vectors",  # empty: the first start embeds the agreement
        )
        if "BENCH_QUERY_CACHE" in os.environ:
            environment["SEARCH_QUERY_CACHE"] = os.environ["BENCH_QUERY_CACHE"]
        process = await start(telegram, environment, "vector cache cold")
        try:
            await run_load(telegram, QUESTIONS, 50, None, 1, "questions")  # warm-up
            await run_load(telegram, OTHERS, 200, None, 1_000, "updates")  # warm-up
            await run_load(telegram, QUESTIONS, questions, None, 100_000, "questions")
            for number, rate in enumerate(QUESTION_RATES):
                await run_load(telegram, QUESTIONS, questions, rate, 200_000 + number * 100_000, "questions")
            await run_load(telegram, OTHERS, count, None, 1_000_000, "updates")
            for number, rate in enumerate(RATES):
                await run_load(telegram, OTHERS, count, rate, 2_000_000 + number * 100_000, "updates")
            others, questions_beside = MIXED_RATES
            mixed = int(others * 10)  # ten seconds of each
            await run_load(telegram, OTHERS, mixed, others, 3_000_000, "updates alone")
            await asyncio.gather(
                run_load(telegram, OTHERS, mixed, others, 3_100_000, "updates with questions beside them"),
                run_load(telegram, QUESTIONS, int(questions_beside * 10), questions_beside, 3_200_000, "questions"),
            )
            print(f"memory of `python -m bot run` after all of that: {memory(process.pid)}")
        finally:
            process.terminate()
            await process.wait()
        process = await start(telegram, environment, "vector cache warm")
        process.terminate()
        await process.wait()
        print(f"rejected by the fake server: {len(telegram.rejected)}")
        await telegram.stop()


if __name__ == "__main__":
    arguments = [int(argument) for argument in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [2000, 500][len(arguments) :])))
