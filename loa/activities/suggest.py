"""Suggest a plan's themes for an activity by word overlap: explainable, no model.

In: the activity's text and the candidate themes as (id, text). Out: (id, score, shared words),
best first. Words are folded (no diacritics, lowercase) syllables and syllable pairs; common
function words are ignored. Score = shared weight / sqrt(len(activity) * len(theme)) on the
bags of pairs and syllables, with rarer words weighing more (idf over the candidate themes).
"""

import math
import re
import unicodedata
from collections import Counter

_STOP = set(
    "va cua cac cho voi la co trong tren ve de duoc nhung mot nay khi tai tu den theo tinh nhu thi ma o "
    "tuyen truyen thong tin ke hoach thuc hien nghi quyet to chuc cong tac ve viec nham".split()
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def terms(text: str) -> Counter:
    words = [w for w in re.findall(r"[a-z0-9]+", _fold(text))]
    bag: Counter = Counter(w for w in words if w not in _STOP and len(w) > 1)
    bag.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if not (a in _STOP and b in _STOP))
    return bag


def suggest_themes(text: str, themes: list[tuple[int, str]], *, limit: int = 3, min_score: float = 0.08):
    query = terms(text)
    if not query or not themes:
        return []
    bags = [(tid, terms(t)) for tid, t in themes]
    df: Counter = Counter()
    for _, bag in bags:
        df.update(set(bag))
    n = len(bags)
    results = []
    for tid, bag in bags:
        shared = set(query) & set(bag)
        if not shared:
            continue
        weight = sum(math.log(1 + n / df[w]) * min(query[w], bag[w]) for w in shared)
        norm = math.sqrt(sum(query.values()) * sum(bag.values()))
        score = weight / norm if norm else 0.0
        if score >= min_score:
            words = sorted((w for w in shared if " " in w), key=lambda w: -df[w])[:5] or sorted(shared)[:5]
            results.append((tid, round(score, 3), words))
    results.sort(key=lambda r: -r[1])
    return results[:limit]
