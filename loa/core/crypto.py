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


def encrypted_models():
    """Every model that declares ``ENCRYPTED_FIELDS`` (the names of its encrypted text fields)."""
    from django.apps import apps

    return [m for m in apps.get_models() if getattr(m, "ENCRYPTED_FIELDS", ())]


def rotate_all(batch: int = 500) -> dict[str, int]:
    """Re-encrypt every declared encrypted field of every model under the newest key (after a new key
    is put first in ``LOA_FIELD_KEYS``); returns the rows rewritten per model, and under
    ``"unreadable"`` the rows left as they are because no key opens one of their fields (they read
    as ``None`` anyway). Rows whose fields are all empty are skipped; each row is saved alone, so a
    run stopped half-way is simply run again."""
    from django.db.models import Q

    done: dict[str, int] = {"unreadable": 0}
    for model in encrypted_models():
        fields = list(model.ENCRYPTED_FIELDS)
        nonempty = Q()
        for name in fields:
            nonempty |= ~Q(**{name: ""})
        n = 0
        for row in model.objects.filter(nonempty).only("pk", *fields).iterator(chunk_size=batch):
            try:
                for name in fields:
                    setattr(row, name, rotate(getattr(row, name)))
            except InvalidToken:
                done["unreadable"] += 1
                continue
            row.save(update_fields=fields)
            n += 1
        done[model._meta.label] = n
    return done
