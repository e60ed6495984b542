"""The plan-theme classifier: any text (an activity, a post, a citizen's question) → the themes of a
given plan, each with a score.

With no labelled data it compares the text with each theme's own words: the cosine similarity of
their e5 embeddings (the theme as written in the plan, e.g. "Tuyên truyền về chuyển đổi số ...").
Once officers confirm or correct labels, each theme is also represented by the mean embedding of
the texts confirmed for it; the two are blended, the examples weighing more as they accumulate
(``n / (n + PRIOR)``). It learns from every confirmation without retraining anything heavy.
Pure; the caller passes the themes and the confirmed examples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embed import passages

PRIOR = 5  # examples at which a theme's confirmed texts weigh as much as its own words
MARGIN = 0.03  # best similarity minus the mean over the plan's other themes, for a text to be about it


@dataclass
class ThemeScore:
    key: str
    score: float  # cosine similarity to the theme
    margin: float = 0.0  # how far above the text's mean similarity to the plan's other themes

    @property
    def relevant(self) -> bool:
        """Whether the text is about this theme at all: e5-small puts unrelated Vietnamese texts at
        0.82–0.88 of any theme, so the absolute score says little; the margin over the other
        themes does (unrelated news: median 0.017, 99th percentile 0.035; texts about a theme of
        the plan: 0.03–0.1)."""
        return self.margin >= MARGIN


class ThemeClassifier:
    def __init__(self, themes: Sequence[tuple[str, str]], examples: Sequence[tuple[str, str]] = ()):
        """``themes``: (key, text) of each theme; ``examples``: (text, key) confirmed by people."""
        if not themes:
            raise ValueError("a plan without themes cannot classify")
        self.keys = [key for key, _text in themes]
        own = passages([text for _key, text in themes])
        by_theme: dict[str, list[int]] = defaultdict(list)
        known = set(self.keys)
        usable = [(text, key) for text, key in examples if key in known and text.strip()]
        vectors = passages([text for text, _key in usable]) if usable else None
        for i, (_text, key) in enumerate(usable):
            by_theme[key].append(i)
        rows = []
        for i, key in enumerate(self.keys):
            vector = own[i].astype(np.float64)
            idx = by_theme.get(key)
            if idx and vectors is not None:
                n = len(idx)
                weight = n / (n + PRIOR)
                centroid = vectors[idx].mean(axis=0)
                vector = (1 - weight) * vector + weight * centroid
            rows.append(vector / (np.linalg.norm(vector) or 1.0))
        self.matrix = np.vstack(rows)
        self.examples = len(usable)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each text to each theme, shape (texts, themes)."""
        if not texts:
            return np.zeros((0, len(self.keys)))
        return passages(list(texts)).astype(np.float64) @ self.matrix.T

    def _margin(self, row: np.ndarray, i: int) -> float:
        if len(row) < 2:
            return float(row[i])
        return float(row[i] - (row.sum() - row[i]) / (len(row) - 1))

    def rank(self, text: str, top: int = 3) -> list[ThemeScore]:
        row = self.scores([text])[0]
        order = np.argsort(-row)[:top]
        return [ThemeScore(self.keys[i], float(row[i]), self._margin(row, i)) for i in order]

    def predict(self, texts: Sequence[str]) -> list[ThemeScore]:
        s = self.scores(texts)
        return [
            ThemeScore(self.keys[int(i)], float(s[r, i]), self._margin(s[r], int(i)))
            for r, i in enumerate(s.argmax(axis=1))
        ]
