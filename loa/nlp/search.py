"""BM25 over words, for bulk search where the query shares words with the passage.

:class:`BM25` indexes passages (any ids) by the syllables of their cleaned text and their folded
form, so "chuyen doi so" finds "chuyển đổi số"; syllable bigrams are indexed too, so a phrase
scores above its scattered words. Okapi BM25 (k1 = 1.5, b = 0.75). Pure; numpy-free; a few
hundred thousand passages fit in memory. Where the words differ, :mod:`loa.nlp.embed` is the
other half: callers blend both (see the feedback issue's answer drafting).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .normalize import clean, fold
from .segment import syllables
from .stopwords import is_stopword

K1 = 1.5
B = 0.75


def terms(text: str) -> list[str]:
    """Folded syllables (stopwords out) and their bigrams: "Chuyển đổi số" → chuyen, doi, so,
    "chuyen doi", "doi so"."""
    tokens = [fold(t) for t in syllables(clean(text)) if not is_stopword(t)]
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


@dataclass
class Hit:
    id: Hashable
    score: float


class BM25:
    def __init__(self, passages: Iterable[tuple[Hashable, str]] = ()):
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)
        self.lengths: list[int] = []
        self.ids: list[Hashable] = []
        for passage_id, text in passages:
            self.add(passage_id, text)

    def add(self, passage_id: Hashable, text: str) -> None:
        doc = len(self.ids)
        counts = Counter(terms(text))
        self.ids.append(passage_id)
        self.lengths.append(sum(counts.values()))
        for term, n in counts.items():
            self.postings[term][doc] = n

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: str, top: int = 10) -> list[Hit]:
        if not self.ids:
            return []
        n = len(self.ids)
        average = sum(self.lengths) / n or 1.0
        scores: dict[int, float] = defaultdict(float)
        for term in set(terms(query)):
            posting = self.postings.get(term)
            if not posting:
                continue
            idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc, tf in posting.items():
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self.lengths[doc] / average))
                scores[doc] += idf * norm
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [Hit(self.ids[doc], score) for doc, score in best]
