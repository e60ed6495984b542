"""The digest job: per plan and frequency, the public materials published in the last period, mailed
to confirmed subscribers whose choices they match.

- A run with nothing new is skipped (no row, no mail).
- The text is rendered once per distinct set of choices (frequency, audiences, themes), not per
  person; only the unsubscribe link differs, and it goes in the footer and the headers.
- Queueing is idempotent: one delivery row per (run, subscriber), inserted with conflicts ignored, so
  a job killed half-way and run again queues only what is missing — no duplicate, none missed.
  Sending claims rows first (marked, skip-locked), so two senders never send the same one and a
  crash after a send cannot repeat it; a send that fails is released for the next run.
- Nội bộ items never go out; no tracking pixels, no per-person links except unsubscribe/manage.
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from loa.core import crypto

from . import subscriptions
from .models import Access, DigestBody, DigestDelivery, DigestRun, Material, MaterialVersion, Subscription

BATCH = 2000


def period(frequency: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete week (Monday–Sunday) or month before ``today``."""
    if frequency == Subscription.Frequency.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    end = today - dt.timedelta(days=today.weekday() + 1)
    return end - dt.timedelta(days=6), end


def _new_items(document, start: dt.date, end: dt.date) -> list[tuple[Material, MaterialVersion]]:
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    versions = (
        MaterialVersion.objects.filter(
            material__document=document,
            material__access=Access.PUBLIC,
            status=MaterialVersion.Status.PUBLISHED,
            published_at__gte=lo,
            published_at__lt=hi,
        )
        .select_related("material")
        .prefetch_related("material__themes")
        .order_by("published_at")
    )
    return [(v.material, v) for v in versions]


def _matches(material: Material, audiences: list[str], themes: list[str]) -> bool:
    if audiences and not set(audiences) & set(material.audiences or []):
        return False
    if themes and not set(themes) & {t.label for t in material.themes.all()}:
        return False
    return True


def _render(document, items, base_url: str, start, end) -> tuple[str, str]:
    subject = f"Bản tin tuyên truyền {start:%d/%m}–{end:%d/%m/%Y}: {len(items)} tài liệu mới"
    lines = [f"{document.kind} {document.number or ''}: {document.title[:200]}".replace("  ", " "), ""]
    for material, version in items:
        lead = " ".join(p["text"] for p in version.paragraphs[:1])[:400]
        lines += [
            f"• {material.title}",
            f"  {lead}",
            f"  {base_url}{reverse('materials:public_detail', args=[material.pk])}",
            "",
        ]
    return subject, "\n".join(lines)


def reach(document) -> dict:
    """What the office may know of its digests — counts only, never who: confirmed subscribers per
    audience (and those who chose every audience), per frequency, and the digest mails sent carrying
    each material."""
    from collections import Counter

    from django.db.models import Count

    subs = Subscription.objects.filter(document=document, confirmed_at__isnull=False)
    audiences: Counter = Counter()
    everyone = 0
    for chosen in subs.values_list("audiences", flat=True):
        if chosen:
            audiences.update(chosen)
        else:
            everyone += 1
    frequencies = dict(subs.values_list("frequency").annotate(n=Count("pk")).order_by())
    sent = dict(
        DigestDelivery.objects.filter(run__document=document, sent_at__isnull=False)
        .values_list("body_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_material: Counter = Counter()
    for body_id, materials in DigestBody.objects.filter(pk__in=list(sent)).values_list("pk", "materials"):
        for material_id in materials:
            per_material[material_id] += sent[body_id]
    return {
        "subscribers": subs.count(),
        "audiences": dict(audiences),
        "everyone": everyone,
        "frequencies": frequencies,
        "materials": dict(per_material),
    }


def queue(document, frequency: str, today: dt.date | None = None, base_url: str | None = None) -> dict:
    """Queue this period's digest for every matching confirmed subscriber (idempotent)."""
    from django.conf import settings

    base_url = (base_url or settings.LOA_BASE_URL).rstrip("/")
    today = today or timezone.localdate()
    start, end = period(frequency, today)
    items = _new_items(document, start, end)
    if not items:
        return {"skipped": True, "queued": 0, "bodies": 0}
    run, _created = DigestRun.objects.get_or_create(
        document=document, frequency=frequency, period_start=start, defaults={"period_end": end}
    )
    subs = Subscription.objects.filter(document=document, frequency=frequency, confirmed_at__isnull=False)
    combos: dict[str, tuple[list, list]] = {}
    for audiences, themes in subs.values_list("audiences", "themes").distinct():
        sub = Subscription(frequency=frequency, audiences=audiences, themes=themes)
        combos[sub.choice_key] = (audiences, themes)
    bodies: dict[str, DigestBody | None] = {}
    for key, (audiences, themes) in combos.items():
        chosen = [(m, v) for m, v in items if _matches(m, audiences, themes)]
        if not chosen:
            bodies[key] = None
            continue
        subject, body = _render(document, chosen, base_url, start, end)
        bodies[key], _c = DigestBody.objects.get_or_create(
            run=run,
            choice_key=key,
            defaults={"subject": subject, "body": body, "materials": [m.pk for m, _v in chosen]},
        )
    queued = 0
    done = set(DigestDelivery.objects.filter(run=run).values_list("subscription_id", flat=True))
    batch: list[DigestDelivery] = []
    for pk, audiences, themes in subs.values_list("pk", "audiences", "themes").iterator(chunk_size=BATCH):
        if pk in done:
            continue
        body = bodies.get(Subscription(frequency=frequency, audiences=audiences, themes=themes).choice_key)
        if body is None:
            continue
        batch.append(DigestDelivery(run=run, body=body, subscription_id=pk))
        if len(batch) >= BATCH:
            with transaction.atomic():
                DigestDelivery.objects.bulk_create(batch, ignore_conflicts=True)
            queued += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            DigestDelivery.objects.bulk_create(batch, ignore_conflicts=True)
        queued += len(batch)
    return {"skipped": False, "queued": queued, "bodies": sum(1 for b in bodies.values() if b is not None)}


def send(limit: int = 500) -> int:
    """Send queued deliveries, each with its one-click unsubscribe link."""
    sent = 0
    with transaction.atomic():
        # two senders never take the same rows (PostgreSQL; SQLite has one writer anyway)
        qs = DigestDelivery.objects.filter(sent_at__isnull=True)
        from django.db import connection

        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[:limit])
        # claimed: marked now, so a crash after the send cannot send it again (at most once)
        DigestDelivery.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    rows = DigestDelivery.objects.filter(pk__in=ids).select_related("body", "subscription")
    for d in rows:
        address = crypto.decrypt(d.subscription.email)
        if not address:
            continue
        unsubscribe = subscriptions.link(d.subscription, "unsubscribe")
        manage = subscriptions.link(d.subscription, "manage")
        body = f"{d.body.body}\n--\nHủy đăng ký (một lần bấm): {unsubscribe}\nSửa, tải về hoặc xóa đăng ký: {manage}\n"
        message = EmailMessage(
            d.body.subject,
            body,
            None,
            [address],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        try:
            message.send()
        except Exception:  # a failing mailbox must not stop the others; release it for a retry
            DigestDelivery.objects.filter(pk=d.pk).update(sent_at=None)
            continue
        sent += 1
    return sent
