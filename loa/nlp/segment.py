"""Tokens of Vietnamese text: syllables and n-grams for bulk work, pyvi words for accuracy.

Vietnamese writes one syllable per space-separated token; a word is one to four syllables
("chuyển đổi số" = "chuyển_đổi" + "số"). Two paths, measured in the README (``make bench``):

- :func:`syllables` + :func:`ngrams`: a regular expression, no model — the bulk path; syllable
  bigrams stand in for most two-syllable words.
- :func:`words`: pyvi's CRF segmenter (its model ships inside the PyPI package, nothing is
  downloaded), joining the syllables of a word with "_". Slower; used where accuracy counts.

Both take any ``str`` and never raise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

_TOKEN = re.compile(r"\w+", re.UNICODE)


def syllables(text: str) -> list[str]:
    """The syllables (and numbers, tokens such as ``emo_pos``) of a text, in order; punctuation dropped."""
    return _TOKEN.findall(text or "")


def ngrams(tokens: Sequence[str], n_max: int = 2, n_min: int = 1) -> list[str]:
    """Every n-gram of ``tokens`` for n in [n_min, n_max], joined with spaces."""
    out: list[str] = []
    for n in range(max(1, n_min), n_max + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


@cache
def _pyvi():
    from pyvi import ViTokenizer

    return ViTokenizer


def words(text: str) -> list[str]:
    """pyvi's words: syllables of one word joined by "_" ("chuyển_đổi", "số"); punctuation dropped."""
    if not text or not text.strip():
        return []
    try:
        joined = _pyvi().tokenize(text)
    except Exception:  # noqa: BLE001 — pyvi fails on odd input (lone surrogates...): fall back
        return syllables(text)
    return [w for w in joined.split() if _TOKEN.search(w)]
