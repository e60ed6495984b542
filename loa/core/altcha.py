"""Self-hosted proof of work for public forms, compatible with the ALTCHA protocol (no third-party
captcha, nothing leaves the server), and a fallback that needs no JavaScript. No Django here.

Proof of work: the server draws a secret ``number`` ≤ ``maxnumber`` and a salt that carries its expiry
(``<random>?expires=<unix time>&``), and sends ``challenge = SHA-256(salt + number)`` signed with an
HMAC. The salt must have exactly that shape and end with ``&``: otherwise the first digits of the number
could be moved onto the salt's expiry (the same hash, a proof that never expires). The browser (``loa/static/loa/altcha.js``) tries numbers until the hash matches and sends back
``base64(JSON{algorithm, challenge, number, salt, signature})``. Checking costs the server one HMAC and
one hash; finding the number costs the client ``maxnumber / 2`` hashes on average.

Fallback without JavaScript: a number of three digits written in words ("bốn trăm hai mươi bảy") that
the person types as digits. The form carries the salt (expiry and issue time) and an HMAC of salt and
number; an answer sooner than ``min_seconds`` after the form was made is refused (a form filled by a
machine is fast).

Both give back a :class:`Proof` — an identifier and the expiry — that the caller keeps until the
expiry to make each proof single-use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass

ALGORITHM = "SHA-256"
MAX_PAYLOAD = 2_000
MAX_TTL = 86_400  # no proof is good for longer than a day, whatever its salt says
_SALT = re.compile(r"[0-9a-f]{24}\?expires=([0-9]{1,12})&")
_WORDS_SALT = re.compile(r"[0-9a-f]{24}\?expires=([0-9]{1,12})&issued=([0-9]{1,12})&")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Proof:
    id: str  # what makes it single-use
    expires: int  # unix time; keep the id until then


class Invalid(ValueError):
    """A proof that does not hold; ``reason`` is a short code (malformed, expired, forged, wrong, early)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _salt(ttl: int, now: float, **extra: int) -> str:
    params = "".join(f"{k}={v}&" for k, v in {"expires": int(now + ttl), **extra}.items())
    return f"{secrets.token_hex(12)}?{params}"


def _expiry(expires: int, now: float) -> None:
    if expires < now:
        raise Invalid("expired")
    if expires > now + MAX_TTL:
        raise Invalid("forged")


def challenge(key: bytes, *, max_number: int, ttl: int = 1800, now: float | None = None) -> dict:
    """A new challenge as the ALTCHA widget expects it."""
    now = time.time() if now is None else now
    salt = _salt(ttl, now)
    number = secrets.randbelow(max_number + 1)
    digest = _sha(salt + str(number))
    return {
        "algorithm": ALGORITHM,
        "challenge": digest,
        "maxnumber": max_number,
        "salt": salt,
        "signature": _sign(key, digest),
    }


def solve(data: dict) -> int | None:
    """What the browser does (for tests and benchmarks): the number whose hash is the challenge."""
    for n in range(int(data["maxnumber"]) + 1):
        if _sha(data["salt"] + str(n)) == data["challenge"]:
            return n
    return None


def payload(data: dict, number: int) -> str:
    """The browser's answer: base64 of the JSON the server checks."""
    keys = ("algorithm", "challenge", "salt", "signature")
    return base64.b64encode(json.dumps({**{k: data[k] for k in keys}, "number": number}).encode()).decode()


def verify(key: bytes, value: str, *, now: float | None = None) -> Proof:
    """Check a solved challenge; returns its identifier (the challenge hash) and expiry."""
    now = time.time() if now is None else now
    if not value or len(value) > MAX_PAYLOAD:
        raise Invalid("malformed")
    try:
        data = json.loads(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError, RecursionError):
        raise Invalid("malformed") from None
    if not isinstance(data, dict):
        raise Invalid("malformed")
    salt, digest, signature, number = (data.get(k) for k in ("salt", "challenge", "signature", "number"))
    if (
        data.get("algorithm") != ALGORITHM
        or not all(isinstance(v, str) for v in (salt, digest, signature))
        or not isinstance(number, int)
        or isinstance(number, bool)
        or number < 0
    ):
        raise Invalid("malformed")
    shape = _SALT.fullmatch(salt)
    if shape is None or not _HEX64.fullmatch(digest) or not _HEX64.fullmatch(signature):
        raise Invalid("malformed")
    if not hmac.compare_digest(_sign(key, digest), signature):
        raise Invalid("forged")
    _expiry(int(shape.group(1)), now)
    if not hmac.compare_digest(_sha(salt + str(number)), digest):
        raise Invalid("wrong")
    return Proof(digest, int(shape.group(1)))


def words_challenge(key: bytes, *, ttl: int = 1800, now: float | None = None) -> dict:
    """The fallback without JavaScript: ``number`` (100–999) to be shown in words, and the signed salt
    the form carries (the number itself is never in the form)."""
    now = time.time() if now is None else now
    salt = _salt(ttl, now, issued=int(now))
    number = 100 + secrets.randbelow(900)
    return {"salt": salt, "number": number, "signature": _sign(key, f"words:{salt}:{number}")}


def verify_words(
    key: bytes, *, salt: str, signature: str, answer: str, min_seconds: int = 3, now: float | None = None
) -> Proof:
    """Check the typed number; returns an identifier (a hash of the salt) and the expiry."""
    now = time.time() if now is None else now
    shape = _WORDS_SALT.fullmatch(salt or "")
    if shape is None or not _HEX64.fullmatch(signature or ""):
        raise Invalid("malformed")
    digits = "".join(ch for ch in answer or "" if not ch.isspace())
    if not re.fullmatch(r"[0-9]{1,6}", digits):
        raise Invalid("wrong")
    if not hmac.compare_digest(_sign(key, f"words:{salt}:{int(digits)}"), signature):
        raise Invalid("wrong")  # a wrong number and a forged signature look the same
    expires, issued = int(shape.group(1)), int(shape.group(2))
    _expiry(expires, now)
    if now - issued < min_seconds:
        raise Invalid("early")
    return Proof(_sha("words:" + salt), expires)
