"""Subscribing to a plan's public materials by e-mail, without an account.

- Double opt-in: the mailed link opens a page where one POST confirms; a GET changes nothing.
  Unconfirmed requests are deleted after 7 days. At most one confirmation mail per address per
  24 hours, and nothing the requester typed goes into it (only Loa's own words and the link).
- Every link is signed (``django.core.signing``): confirm, manage, export, erase, unsubscribe. Every
  digest mail has a one-click unsubscribe link and ``List-Unsubscribe-Post``.
- "Gửi lại liên kết" answers the same whether or not the address exists.
- No tracking pixels, no per-person clicks. The address is encrypted at rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.audit.services import log_action
from loa.core import crypto
from loa.core.errors import Refused
from loa.docparse.audiences import email_subscribable

from .models import Subscription

CONSENT_VERSION = "2026-12"
SALT = "loa.materials.subscription"
PENDING_DAYS = 7
MAIL_GAP = dt.timedelta(hours=24)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,24}$")

# activity audience codes (loa.activities.models.Audience) → the standard groups' keys, to refuse
# sensitive groups; codes not listed here are general publics
_AUDIENCE_KEYS = {"can_bo_dang_vien": "dang-vien"}


def address_key(email: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def subscribable(code: str) -> bool:
    key = _AUDIENCE_KEYS.get(code)
    return key is None or email_subscribable(key)


def token(subscription: Subscription, purpose: str) -> str:
    return signing.dumps({"s": subscription.pk, "p": purpose}, salt=SALT)


def read_token(value: str, purpose: str, max_age: int | None = None) -> Subscription | None:
    try:
        data = signing.loads(value, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if data.get("p") != purpose:
        return None
    return Subscription.objects.filter(pk=data.get("s")).first()


def link(subscription: Subscription, purpose: str) -> str:
    name = {
        "confirm": "materials:sub_confirm",
        "manage": "materials:sub_manage",
        "unsubscribe": "materials:sub_unsubscribe",
    }[purpose]
    return settings.LOA_BASE_URL.rstrip("/") + reverse(name, args=[token(subscription, purpose)])


def _send_confirmation(subscription: Subscription, email: str, now) -> bool:
    if subscription.last_mail_at and now - subscription.last_mail_at < MAIL_GAP:
        return False
    body = _(
        "Có yêu cầu đăng ký nhận tin về kế hoạch tuyên truyền gửi tới địa chỉ này.\n"
        "Nếu đúng là bạn, mở liên kết sau và bấm nút Xác nhận:\n%(link)s\n\n"
        "Nếu không phải bạn, bỏ qua thư này; yêu cầu sẽ tự xóa sau %(days)d ngày."
    ) % {"link": link(subscription, "confirm"), "days": PENDING_DAYS}
    EmailMessage(_("Xác nhận đăng ký nhận tin (Loa)"), body, None, [email]).send()
    subscription.last_mail_at = now
    subscription.save(update_fields=["last_mail_at"])
    return True


def subscribe(
    *, document, email: str, audiences: list[str], themes: list[str], frequency: str, now=None
) -> None:
    """Record a pending request and mail the confirmation link (at most once a day per address).
    Answers the same whatever the address's state, so the page reveals nothing."""
    now = now or timezone.now()
    email = (email or "").strip()
    if not _EMAIL.match(email):
        raise Refused(_("Địa chỉ thư điện tử không hợp lệ."))
    if any(not subscribable(a) for a in audiences):
        raise Refused(_("Nhóm đối tượng nhạy cảm không mở cho đăng ký nhận thư."))
    if frequency not in Subscription.Frequency.values:
        raise Refused(_("Tần suất không hợp lệ."))
    key = address_key(email)
    with transaction.atomic():
        sub, created = Subscription.objects.select_for_update().get_or_create(
            document=document,
            address_key=key,
            defaults={
                "email": crypto.encrypt(email),
                "audiences": sorted(set(audiences)),
                "themes": sorted(set(themes)),
                "frequency": frequency,
                "consent_version": CONSENT_VERSION,
                "requested_at": now,
            },
        )
        if sub.confirmed_at is None:
            if not created:  # a new request replaces the pending choices
                sub.audiences, sub.themes, sub.frequency = (
                    sorted(set(audiences)),
                    sorted(set(themes)),
                    frequency,
                )
                sub.save(update_fields=["audiences", "themes", "frequency"])
            _send_confirmation(sub, email, now)
        log_action("materials.subscription.requested", sub, data={"created": created})


def confirm(subscription: Subscription, now=None) -> Subscription:
    now = now or timezone.now()
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
        log_action("materials.subscription.confirmed", subscription)
    return subscription


def resend_link(*, document, email: str, now=None) -> None:
    """Mail the manage link to a confirmed address (the confirm link to a pending one); say
    nothing about whether the address exists."""
    now = now or timezone.now()
    sub = Subscription.objects.filter(document=document, address_key=address_key(email or "")).first()
    if sub is None:
        return
    if sub.confirmed_at is None:
        _send_confirmation(sub, crypto.decrypt(sub.email) or "", now)
        return
    if sub.last_mail_at and now - sub.last_mail_at < MAIL_GAP:
        return
    body = _("Liên kết quản lý đăng ký nhận tin của bạn (sửa, tải về, xóa):\n%(link)s") % {
        "link": link(sub, "manage")
    }
    EmailMessage(_("Quản lý đăng ký nhận tin (Loa)"), body, None, [crypto.decrypt(sub.email) or ""]).send()
    sub.last_mail_at = now
    sub.save(update_fields=["last_mail_at"])


def export(subscription: Subscription) -> dict:
    return {
        "thu_dien_tu": crypto.decrypt(subscription.email),
        "doi_tuong": subscription.audiences,
        "chu_de": subscription.themes,
        "tan_suat": subscription.frequency,
        "dang_ky_luc": subscription.requested_at.isoformat(),
        "xac_nhan_luc": subscription.confirmed_at.isoformat() if subscription.confirmed_at else None,
        "phien_ban_noi_dung_dong_y": subscription.consent_version,
    }


def erase(subscription: Subscription) -> None:
    log_action("materials.subscription.erased", subscription)
    subscription.delete()


def purge_pending(now=None) -> int:
    now = now or timezone.now()
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, requested_at__lt=now - dt.timedelta(days=PENDING_DAYS)
    ).delete()
    return deleted
