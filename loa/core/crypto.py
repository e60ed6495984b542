"""Field-level encryption for personal data at rest (Fernet: AES-128-CBC + HMAC-SHA256).

Keys come from ``settings.LOA_FIELD_KEYS`` (newest first; the first encrypts, every key decrypts),
so a key is rotated by prepending a new one, re-encrypting (``MultiFernet.rotate``), then
removing the old one. A value that no key opens reads as ``None``, never as an error page.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ValueError("LOA_FIELD_KEYS is empty")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.LOA_FIELD_KEYS))


def encrypt(value: str) -> str:
    """The token for ``value``; the empty string stays empty (nothing to protect)."""
    if not value:
        return ""
    return _current().encrypt(value.encode()).decode()


def decrypt(token: str) -> str | None:
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def rotate(token: str) -> str:
    """The token re-encrypted under the newest key."""
    if not token:
        return ""
    return _current().rotate(token.encode()).decode()
