"""Text classifiers Loa trains itself, shipped as plain ``.npz`` arrays (no pickle), predicted with
numpy alone.

A model is a TF-IDF (sublinear tf, l2-normalised) over syllable or pyvi-word n-grams, optionally
joined with a weighted multilingual-e5-small embedding (:mod:`loa.nlp.embed`), and a linear layer.
``score`` is the softmax of the linear decision values: it orders predictions by confidence but
is not a calibrated probability. Training (scikit-learn) lives in :mod:`loa.nlp.train`; the
figures of the shipped models in ``make bench`` (``loa nlp eval``).

Shipped (``loa/nlp/models/``):

- ``sentiment`` — negative / neutral / positive, the accurate path: an ensemble (``sentiment.json``)
  of logistic regression on pyvi words 1–3 + e5, NB-LR on syllable 1–3 presence, and logistic
  regression on e5 alone, weighted 1 / 0.5 / 0.5 with −0.25 on neutral (chosen by 5-fold
  cross-validation on train + dev);
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
        self.binary = self.meta.get("weighting") == "binary"  # n-gram present or not (NB-LR)
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
        if not self.vocab:
            return np.zeros(self.coef_t.shape[1])
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
        if self.binary:
            return self.coef_t[idx].sum(axis=0)
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
        return _predictions(self.classes, self.decision(texts)) if texts else []


def _log_softmax(d: np.ndarray) -> np.ndarray:
    d = d - d.max(axis=1, keepdims=True)
    return d - np.log(np.exp(d).sum(axis=1, keepdims=True))


def _predictions(classes: list[str], d: np.ndarray) -> list[Prediction]:
    p = np.exp(_log_softmax(d))
    return [Prediction(classes[i], float(p[r, i])) for r, i in enumerate(p.argmax(axis=1))]


class EnsembleModel:
    """Several linear models over the same labels: the weighted sum of their log-softmax scores,
    plus a bias per class (``<name>.json`` lists the member files, weights and biases)."""

    def __init__(self, path: Path):
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
            self.members = [
                (LinearTextModel(path.with_name(m["file"])), float(m["weight"])) for m in spec["members"]
            ]
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"Không đọc được mô hình {path.name}: {exc}") from exc
        self.name = path.stem
        self.meta = spec.get("meta", {})
        self.classes = self.members[0][0].classes
        if any(m.classes != self.classes for m, _w in self.members):
            raise ModelError(f"Các thành phần của {path.name} không cùng nhãn.")
        self.bias = np.array([float(spec.get("bias", {}).get(c, 0.0)) for c in self.classes])
        self.uses_embedding = any(m.uses_embedding for m, _w in self.members)

    def decision(self, texts: list[str]) -> np.ndarray:
        total = np.zeros((len(texts), len(self.classes)))
        tokens: dict[str, list[list[str]]] = {}
        for model, weight in self.members:
            if model.analyzer not in tokens:
                tokens[model.analyzer] = [features(t, model.analyzer) for t in texts]
            total += weight * _log_softmax(model.decision(texts, tokens[model.analyzer]))
        return total + self.bias

    def predict(self, texts: list[str]) -> list[Prediction]:
        return _predictions(self.classes, self.decision(texts)) if texts else []


@cache
def load(name: str) -> LinearTextModel | EnsembleModel:
    """A shipped model by name ("sentiment", "sentiment-bulk", "topic")."""
    if (MODELS / f"{name}.json").exists():
        return EnsembleModel(MODELS / f"{name}.json")
    path = MODELS / f"{name}.npz"
    if not path.exists():
        raise ModelError(f"Chưa có mô hình {name}: chạy `loa nlp train`.")
    return LinearTextModel(path)
