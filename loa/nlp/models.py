"""Text classifiers Loa trains itself, shipped as plain ``.npz`` arrays (no pickle), predicted with
numpy alone.

A model is a TF-IDF (sublinear tf, l2-normalised) over syllable or pyvi-word n-grams, optionally
joined with a weighted multilingual-e5-small embedding (:mod:`loa.nlp.embed`), and a linear layer.
``score`` is the softmax of the linear decision values: it orders predictions by confidence but
is not a calibrated probability. Training (scikit-learn) lives in :mod:`loa.nlp.train`; the
figures of the shipped models in ``make bench`` (``loa nlp eval``).

Shipped (``loa/nlp/models/``):

- ``sentiment`` — negative / neutral / positive, pyvi words 1–3 + 0.5 × e5, the accurate path;
- ``sentiment-bulk`` — the same labels from syllable 1–2-grams only, the bulk path;
- ``topic`` — the ten VNTC news topics, syllable 1–2-grams.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .normalize import clean
from .segment import syllables, words

MODELS = Path(__file__).with_name("models")
SHIPPED = ("sentiment", "sentiment-bulk", "topic")


class ModelError(Exception):
    """A model file is missing or unreadable."""


def features(text: str, analyzer: str) -> list[str]:
    """The tokens a model reads: cleaned syllables, or pyvi words of the cleaned text."""
    cleaned = clean(text)
    return words(cleaned) if analyzer == "words" else syllables(cleaned)


@dataclass
class Prediction:
    label: str
    score: float


class LinearTextModel:
    def __init__(self, path: Path):
        try:
            z = np.load(path, allow_pickle=False)
            self.vocab = {t: i for i, t in enumerate(z["vocab"].tolist())}
            self.idf = z["idf"].astype(np.float64)
            self.coef_t = z["coef_t"].astype(np.float64)
            self.coef_d = z["coef_d"].astype(np.float64)
            self.dense_w = float(z["dense_w"])
            self.intercept = z["intercept"].astype(np.float64)
            self.classes = [str(c) for c in z["classes"].tolist()]
            self.ngram = tuple(int(x) for x in z["ngram"])
            self.meta = json.loads(str(z["meta"]))
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"Không đọc được mô hình {path.name}: {exc}") from exc
        self.name = path.stem
        self.analyzer = self.meta.get("analyzer", "syllables")
        self.uses_embedding = self.coef_d.shape[0] > 0

    @staticmethod
    def save(
        path: Path, *, vocabulary: dict[str, int], idf, coef, intercept, classes, ngram, meta, dense_w=0.0
    ):
        size = len(vocabulary)
        vocab = np.empty(size, dtype=object)
        for token, i in vocabulary.items():
            vocab[i] = token
        coef = np.asarray(coef).T  # (features, classes)
        np.savez_compressed(
            path,
            vocab=vocab.astype(str),
            idf=np.asarray(idf, dtype=np.float32),
            coef_t=coef[:size].astype(np.float32),
            coef_d=coef[size:].astype(np.float32),
            dense_w=np.float32(dense_w),
            intercept=np.asarray(intercept, dtype=np.float32),
            classes=np.array(classes, dtype=str),
            ngram=np.array(ngram),
            meta=np.array(json.dumps(meta, ensure_ascii=False)),
        )

    def _row(self, tokens: list[str]) -> np.ndarray:
        lo, hi = self.ngram
        counts: dict[int, int] = {}
        for n in range(lo, hi + 1):
            for i in range(len(tokens) - n + 1):
                j = self.vocab.get(" ".join(tokens[i : i + n]))
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(self.coef_t.shape[1])
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        w = (1.0 + np.log(tf)) * self.idf[idx]
        w /= math.sqrt(float(w @ w))
        return w @ self.coef_t[idx]

    def decision(self, texts: list[str], tokens: list[list[str]] | None = None) -> np.ndarray:
        tokens = tokens if tokens is not None else [features(t, self.analyzer) for t in texts]
        out = np.vstack([self._row(t) for t in tokens]) if tokens else np.zeros((0, len(self.classes)))
        if self.uses_embedding and len(texts):
            from .embed import passages

            out = out + (self.dense_w * passages(texts)) @ self.coef_d
        return out + self.intercept

    def predict(self, texts: list[str]) -> list[Prediction]:
        if not texts:
            return []
        d = self.decision(texts)
        e = np.exp(d - d.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        best = p.argmax(axis=1)
        return [Prediction(self.classes[i], float(p[r, i])) for r, i in enumerate(best)]


@cache
def load(name: str) -> LinearTextModel:
    """A shipped model by name ("sentiment", "sentiment-bulk", "topic")."""
    path = MODELS / f"{name}.npz"
    if not path.exists():
        raise ModelError(f"Chưa có mô hình {name}: chạy `loa nlp train`.")
    return LinearTextModel(path)
