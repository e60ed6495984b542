"""Near-duplicates: one story re-posted 500 times is one story with 500 mentions.

MinHash over the cleaned text's syllable 3-shingles (64 hash functions, numpy), so that the share
of equal signature slots estimates the Jaccard similarity of two texts' shingle sets. Two texts
are near-duplicates when that estimate is at least :data:`THRESHOLD` (0.6: a re-post with a few
words added — "HÀ NỘI -", "Chia sẻ ngay!!!" — stays in; a different story on the same street does
not). Lookup is by locality-sensitive hashing: 16 bands of 4 slots, so only texts sharing a band
are compared. :class:`Groups` gives each text the id of the first text of its group, as items
stream in. Pure; never raises on any ``str``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np

from .normalize import clean
from .segment import syllables

PERMUTATIONS = 64
BANDS, ROWS = 16, 4
THRESHOLD = 0.6
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20261207)
_A = _rng.integers(1, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, size=PERMUTATIONS, dtype=np.uint64)


def shingles(text: str) -> set[str]:
    tokens = syllables(clean(text))
    if len(tokens) < 3:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature (64 values) of a text; None for a text with no words."""
    found = shingles(text)
    if not found:
        return None
    x = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") >> 4 for s in found),
        dtype=np.uint64,
        count=len(found),
    )
    # (a·x + b) mod p for every function and shingle; uint64 arithmetic wraps, which keeps the
    # values pseudo-random, and the minimum per function is the signature
    values = (np.outer(_A, x) + _B[:, None]) % _PRIME
    return values.min(axis=1)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


class Groups:
    """Streamed grouping: ``add(id, text)`` returns the id of the group the text joins (its own id
    when it is new)."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.buckets: list[dict[bytes, list[str]]] = [defaultdict(list) for _ in range(BANDS)]
        self.signatures: dict[str, np.ndarray] = {}
        self.group_of: dict[str, str] = {}
        self.sizes: dict[str, int] = defaultdict(int)

    def add(self, item_id: str, text: str) -> str:
        sig = signature(text)
        group = None
        keys = []
        if sig is not None:
            keys = [sig[b * ROWS : (b + 1) * ROWS].tobytes() for b in range(BANDS)]
            seen: set[str] = set()
            for band, key in enumerate(keys):
                for other in self.buckets[band].get(key, ()):
                    if other in seen:
                        continue
                    seen.add(other)
                    if similarity(sig, self.signatures[other]) >= self.threshold:
                        group = self.group_of[other]
                        break
                if group:
                    break
        group = group or item_id
        self.group_of[item_id] = group
        self.sizes[group] += 1
        if sig is not None:
            self.signatures[item_id] = sig
            for band, key in enumerate(keys):
                self.buckets[band][key].append(item_id)
        return group


def band_keys(text: str, bands: int = 8) -> list[int]:
    """Band keys for a database index: ``bands`` bands of ``64 / bands`` slots, each hashed to a
    signed 64-bit int. With 8 slots per band, two texts share a key with probability J⁸ per band
    (Jaccard 0.8: 1 − (1 − 0.17)⁸ ≈ 0.77 over 8 bands; 0.4: 0.5 %), so a shared key is taken as a
    near-duplicate without comparing signatures. Empty for a text with no words."""
    sig = signature(text)
    if sig is None:
        return []
    rows = PERMUTATIONS // bands
    keys = []
    for b in range(bands):
        digest = hashlib.blake2b(
            bytes([b]) + sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8
        ).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys
