"""Writes of the listening desk: ingest an export or pasted text, mark a claim, purge old items."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.audit.services import log_action

from .models import Claim, Item, Source
from .readers import Export

ERRORS_KEPT = 200
PARAPHRASE = 0.92  # e5 cosine at which another group may say the same thing (a person confirms)


def ingest(
    *, document, office, export: Export, actor, kind: str = "", name: str = "", source: Source | None = None
) -> Source:
    """Store the rows of an export (idempotent: an item already stored for the plan, by link or by
    time and text, is counted as a duplicate, not stored twice) and queue their processing. A new
    source is made, or the rows are added to ``source`` (a feed fetched again)."""
    from .tasks import process_items

    keys = [row.key for row in export.items]
    errors = [{"row": r, "message": m} for r, m in export.errors[:ERRORS_KEPT]]
    with transaction.atomic():
        if source is None:
            source = Source.objects.create(
                document=document,
                office=office,
                kind=kind,
                name=name[:255],
                rows=export.rows,
                errors=errors,
                created_by=actor,
            )
            created_before = duplicates_before = stripped_before = 0
        else:
            source = Source.objects.select_for_update().get(pk=source.pk)
            source.rows += export.rows
            source.errors = errors or source.errors
            created_before, duplicates_before = source.created, source.duplicates
            stripped_before = source.stripped
        existing = set()
        for i in range(0, len(keys), 5000):
            existing |= set(
                Item.objects.filter(document=document, key__in=keys[i : i + 5000]).values_list(
                    "key", flat=True
                )
            )
        fresh, seen = [], set()
        for row in export.items:
            if row.key in existing or row.key in seen:
                continue
            seen.add(row.key)
            fresh.append(
                Item(
                    source=source,
                    document=document,
                    key=row.key,
                    text=row.text,
                    published_at=row.published_at,
                    platform=row.platform,
                    link=row.link,
                    likes=row.likes,
                    shares=row.shares,
                    comments=row.comments,
                    views=row.views,
                )
            )
        Item.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
        source.created = created_before + len(fresh)
        source.duplicates = duplicates_before + len(export.items) - len(fresh)
        source.stripped = stripped_before + sum(row.stripped for row in export.items)
        source.save(update_fields=["rows", "errors", "created", "duplicates", "stripped"])
        log_action(
            "listening.source.ingested",
            source,
            actor=actor,
            data={"rows": export.rows, "created": source.created, "errors": len(export.errors)},
        )
        if fresh:
            transaction.on_commit(lambda: process_items.enqueue(document.pk))
    return source


def add_feed(*, document, office, url: str, actor) -> Source:
    """Follow a feed: it is fetched now (by the next poll) and then every 30 minutes."""
    from .feeds import FeedError, fetch_feed

    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise ValidationError(_("Địa chỉ nguồn tin phải bắt đầu bằng http:// hoặc https://."))
    if Source.objects.filter(document=document, kind=Source.Kind.FEED, url=url).exists():
        raise ValidationError(_("Nguồn tin này đã được theo dõi."))
    try:
        export = fetch_feed(url)
    except FeedError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        source = Source.objects.create(
            document=document, office=office, kind=Source.Kind.FEED, name=url[:255], url=url, created_by=actor
        )
        source = ingest(document=document, office=office, export=export, source=source, actor=actor)
        now = timezone.now()
        source.last_fetched_at, source.next_fetch_at = now, now + dt.timedelta(minutes=30)
        source.save(update_fields=["last_fetched_at", "next_fetch_at"])
    return source


def mark_claim(*, claim: Claim, status: str, official_link: str = "", answer=None, actor) -> Claim:
    if status not in Claim.Status.values:
        raise ValidationError(_("Kết luận không hợp lệ."))
    official_link = (official_link or "").strip()
    if official_link and not official_link.startswith(("http://", "https://")):
        raise ValidationError(_("Đường dẫn thông tin chính thức phải bắt đầu bằng http:// hoặc https://."))
    with transaction.atomic():
        claim.status = status
        claim.official_link = official_link[:1000]
        if answer is not None:
            claim.answer = answer
        if (claim.official_link or claim.answer_id) and claim.answered_at is None:
            claim.answered_at = timezone.now()
        claim.save()
        log_action("listening.claim.marked", claim, actor=actor, data={"status": status})
    return claim


def open_claim(*, item: Item, summary: str, actor) -> Claim:
    leader = item.group or item
    summary = (summary or leader.text).strip()[:500]
    if not summary:
        raise ValidationError(_("Hãy tóm tắt nội dung cần xác minh."))
    first = leader.copies.order_by("published_at").values_list("published_at", flat=True).first()
    claim, _created = Claim.objects.get_or_create(
        group=leader,
        defaults={
            "document_id": leader.document_id,
            "summary": summary,
            "first_seen": min(filter(None, [first, leader.published_at])),
            "created_by": actor,
        },
    )
    log_action("listening.claim.opened", claim, actor=actor, data={"item": item.pk})
    return claim


def claim_items(claim: Claim):
    """The items of a claim: its group and the groups joined to it."""
    return Item.objects.filter(group_id__in=[claim.group_id, *claim.joined])


def similar_groups(claim: Claim, limit: int = 8, window_days: int = 14) -> list[tuple[Item, float]]:
    """Groups that may assert the same thing in other words: BM25 over the first items of the
    groups seen within ``window_days`` of the claim picks 40 candidates, e5 keeps those at cosine
    ≥ :data:`PARAPHRASE` to the claim's summary. A person decides whether to join them."""
    from loa.nlp.embed import passages
    from loa.nlp.search import BM25

    window = dt.timedelta(days=window_days)
    leaders = list(
        Item.objects.filter(
            document_id=claim.document_id,
            group_id=models.F("pk"),
            published_at__gte=claim.first_seen - window,
            published_at__lte=claim.first_seen + window,
        )
        .exclude(pk__in=[claim.group_id, *claim.joined])
        .order_by("-published_at")[:3000]
    )
    if not leaders:
        return []
    by_id = {item.pk: item for item in leaders}
    index = BM25((item.pk, item.text) for item in leaders)
    candidates = [by_id[hit.id] for hit in index.search(claim.summary, top=40)]
    if not candidates:
        return []
    vectors = passages([claim.summary] + [item.text for item in candidates])
    scores = vectors[1:] @ vectors[0]
    ranked = sorted(zip(candidates, scores.tolist(), strict=True), key=lambda pair: -pair[1])
    return [(item, score) for item, score in ranked if score >= PARAPHRASE][:limit]


def join_groups(*, claim: Claim, item_ids: list[int], actor) -> Claim:
    leaders = set(
        Item.objects.filter(document_id=claim.document_id, pk__in=item_ids).values_list("group_id", flat=True)
    )
    leaders.discard(None)
    leaders.discard(claim.group_id)
    with transaction.atomic():
        claim.joined = sorted(set(claim.joined) | leaders)
        claim.save(update_fields=["joined"])
        log_action("listening.claim.joined", claim, actor=actor, data={"groups": sorted(leaders)})
    return claim


def claim_mentions(claim: Claim) -> dict[str, int]:
    """Mentions of a claim (its groups' items) in the 7 days before and after it was answered."""
    items = claim_items(claim)
    if claim.answered_at is None:
        return {"total": items.count()}
    week = dt.timedelta(days=7)
    return {
        "total": items.count(),
        "before": items.filter(
            published_at__gte=claim.answered_at - week, published_at__lt=claim.answered_at
        ).count(),
        "after": items.filter(
            published_at__gte=claim.answered_at, published_at__lt=claim.answered_at + week
        ).count(),
    }


def purge(now: dt.datetime | None = None) -> int:
    """Delete raw items older than the retention period; surges and claims stay."""
    days = getattr(settings, "LOA_LISTENING_RETENTION_DAYS", 365)
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = Item.objects.filter(published_at__lt=cutoff).exclude(claim__isnull=False)
    deleted, _detail = old.delete()
    return deleted
