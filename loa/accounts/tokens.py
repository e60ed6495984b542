"""API keys: create one (the plain key is returned once and never stored), revoke one, and find the
person behind a presented key. Only the SHA-256 of a key is kept, so a key is looked up by its hash:
the comparison happens inside a unique-index lookup on a value the caller cannot steer."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from loa.audit.services import log_action

from .models import ApiToken

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, user, name: str, actor) -> tuple[ApiToken, str]:
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name.strip(), key_hash=_hash(raw), prefix=raw[:8])
        log_action(
            "accounts.token.created",
            token,
            actor=actor,
            data={"user": user.pk, "name": token.name, "prefix": token.prefix},
        )
    return token, raw


def revoke_token(*, token: ApiToken, actor) -> None:
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(
            "accounts.token.revoked", token, actor=actor, data={"user": token.user_id, "prefix": token.prefix}
        )


def authenticate_token(raw: str):
    """The active user owning the (unrevoked) key ``raw``, or None."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
