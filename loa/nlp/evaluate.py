"""``loa nlp eval``: the shipped models on the official test splits, and the two segmentation paths.

Prints, per model and test set: accuracy, weighted-F1, macro-F1, per-class F1 and texts per
second on one core (``OMP_NUM_THREADS=1`` is set by ``make bench``; the figure is the whole
path: clean, tokens, embedding where used, linear layer). Test rows are only ever predicted here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import models
from .normalize import clean
from .segment import syllables, words
from .train import DATA, aivivn, uit_vsfc, vntc


@dataclass
class Score:
    model: str
    test_set: str
    rows: int
    accuracy: float
    weighted_f1: float
    macro_f1: float
    per_class: dict[str, float]
    texts_per_second: float

    def line(self) -> str:
        per = ", ".join(f"{k} {v:.1f}" for k, v in self.per_class.items())
        return (
            f"| {self.model} | {self.test_set} | {self.rows:,} | {self.accuracy:.1f} | {self.weighted_f1:.1f} | "
            f"{self.macro_f1:.1f} | {per} | {self.texts_per_second:,.0f} |"
        )


def _score(name, test_set, truth, predicted, seconds) -> Score:
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(truth))
    per = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    return Score(
        name,
        test_set,
        len(truth),
        100 * accuracy_score(truth, predicted),
        100 * f1_score(truth, predicted, average="weighted", zero_division=0),
        100 * f1_score(truth, predicted, labels=labels, average="macro", zero_division=0),
        {label: 100 * float(v) for label, v in zip(labels, per, strict=True)},
        len(truth) / seconds if seconds else 0.0,
    )


def _timed_decision(model, texts):
    t0 = time.perf_counter()
    d = model.decision(texts)
    return d, time.perf_counter() - t0


def evaluate(data: Path = DATA, *, limit: int | None = None, log=print) -> list[Score]:
    scores = []
    u = uit_vsfc(data)
    texts, truth = u["test"]
    if limit:
        texts, truth = texts[:limit], truth[:limit]
    a = aivivn(data)
    a_texts, a_truth = a["test"]
    if limit:
        a_texts, a_truth = a_texts[:limit], a_truth[:limit]
    for name in ("sentiment", "sentiment-bulk"):
        model = models.load(name)
        d, seconds = _timed_decision(model, texts)
        scores.append(_score(name, "UIT-VSFC test", truth, [model.classes[i] for i in d.argmax(1)], seconds))
        log(scores[-1].line())
        # out of domain, binary: the higher of the positive and negative scores
        d, seconds = _timed_decision(model, a_texts)
        pos, neg = model.classes.index("positive"), model.classes.index("negative")
        predicted = np.where(d[:, pos] >= d[:, neg], "positive", "negative").tolist()
        scores.append(_score(name, "AIVIVN 2019 (20 %, out of domain)", a_truth, predicted, seconds))
        log(scores[-1].line())
    v = vntc(data)
    texts, truth = v["test"]
    if limit:
        texts, truth = texts[:limit], truth[:limit]
    model = models.load("topic")
    d, seconds = _timed_decision(model, texts)
    scores.append(
        _score(
            "topic",
            "VNTC subset test (1,000 of 50,373)",
            truth,
            [model.classes[i] for i in d.argmax(1)],
            seconds,
        )
    )
    log(scores[-1].line())
    log("Tokenising UIT-VSFC dev sentences, texts/s:")
    segmentation_speed(u["dev"][0], log=log)
    return scores


def segmentation_speed(texts: list[str], log=print) -> dict[str, float]:
    """Texts per second of the two token paths on the same cleaned texts."""
    cleaned = [clean(t) for t in texts]
    out = {}
    for name, fn in (("syllables (regex)", syllables), ("pyvi words (CRF)", words)):
        fn(cleaned[0])
        t0 = time.perf_counter()
        for t in cleaned:
            fn(t)
        out[name] = len(cleaned) / (time.perf_counter() - t0)
        log(f"  {name}: {out[name]:,.0f} texts/s")
    return out
