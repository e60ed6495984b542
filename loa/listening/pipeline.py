"""Processing of ingested items, in background tasks that scale by adding workers.

A worker claims a batch of unprocessed items (on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``,
so two workers never take the same item; a claim older than :data:`STALE` is taken again after a
crash), then gives each item: sentiment (the bulk model), the plan theme and its score (e5, once
per near-duplicate group), its near-duplicate group (MinHash band keys in :class:`ItemBand`) and
keyphrases. Surges are computed per plan once a run has nothing left to process.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from loa.nlp import models as nlp_models
from loa.nlp.dedup import band_keys
from loa.nlp.surges import Item as SeriesItem
from loa.nlp.surges import build_series, detect, keyphrases
from loa.nlp.themes import ThemeClassifier
from loa.plans.models import Theme

from .models import DayTally, Item, ItemBand, Surge

BATCH = 200
STALE = dt.timedelta(minutes=15)


def claim(limit: int = BATCH, document_id: int | None = None) -> list[int]:
    """Take up to ``limit`` unprocessed items for this worker; their ids."""
    now = timezone.now()
    free = Q(processed_at__isnull=True) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE))
    qs = Item.objects.filter(free)
    if document_id is not None:
        qs = qs.filter(document_id=document_id)
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.order_by("id").values_list("id", flat=True)[:limit])
        if ids:
            Item.objects.filter(pk__in=ids).update(claimed_at=now)
    return ids


@lru_cache(maxsize=16)
def _classifier(version_id: int) -> tuple[ThemeClassifier, dict[str, int]] | None:
    themes = list(Theme.objects.filter(version_id=version_id).order_by("order"))
    if not themes:
        return None
    return ThemeClassifier([(t.label, t.title) for t in themes]), {t.label: t.pk for t in themes}


def _lock_plan_grouping(document_ids: set[int]) -> None:
    """Serialise grouping per plan: a PostgreSQL advisory lock held to the end of the transaction
    (SQLite's IMMEDIATE transactions already take the single write lock at BEGIN)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for document_id in sorted(document_ids):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7301, document_id])


def process(ids: list[int]) -> int:
    """Label the claimed items; returns how many were processed.

    1. Without a transaction: sentiment, keyphrases and MinHash band keys of each item.
    2. One short transaction per batch, serialised per plan: each item joins the group of any
       grouped item sharing a band key (written by any worker, before or after it in id order,
       or earlier in this batch), else starts its own; band keys are written. So two workers
       taking the original and its re-post at the same moment still make one group.
    3. Without a transaction: the theme of each new group (e5, the slow part).
    4. One transaction: themes (copies take their group's), processed, the daily tally.
    """
    items = list(
        Item.objects.filter(pk__in=ids, processed_at__isnull=True).select_related("document").order_by("pk")
    )
    if not items:
        return 0
    sentiments = nlp_models.load("sentiment-bulk").predict([i.text for i in items])
    keys_of: dict[int, list[int]] = {}
    for item, sentiment in zip(items, sentiments, strict=True):
        item.sentiment, item.sentiment_score = sentiment.label, round(sentiment.score, 4)
        item.keyphrases = sorted(keyphrases(item.text))[:20]
        keys_of[item.pk] = band_keys(item.text)

    need_theme: list[Item] = []
    with transaction.atomic():
        _lock_plan_grouping({i.document_id for i in items})
        in_batch: dict[tuple[int, int], int] = {}  # (plan, band key) → group, this batch
        bands: list[ItemBand] = []
        for item in items:
            keys = keys_of[item.pk]
            group = next(
                (in_batch[(item.document_id, k)] for k in keys if (item.document_id, k) in in_batch), None
            )
            if group is None and keys:
                found = (
                    ItemBand.objects.filter(document_id=item.document_id, key__in=keys)
                    .exclude(item_id=item.pk)
                    .order_by("item_id")
                    .values_list("item__group_id", "item_id")
                    .first()
                )
                group = (found[0] or found[1]) if found else None
            item.group_id = group or item.pk
            if item.group_id == item.pk:
                need_theme.append(item)
            for k in keys:
                in_batch.setdefault((item.document_id, k), item.group_id)
            bands.extend(ItemBand(item_id=item.pk, document_id=item.document_id, key=k) for k in keys)
        ItemBand.objects.bulk_create(bands, batch_size=2000)
        Item.objects.bulk_update(
            items, ["sentiment", "sentiment_score", "keyphrases", "group"], batch_size=500
        )

    # themes: one e5 comparison per new group; copies take their group's theme
    by_version: dict[int, list[Item]] = {}
    for item in need_theme:
        if item.document.current_version_id:
            by_version.setdefault(item.document.current_version_id, []).append(item)
    for version_id, group in by_version.items():
        found = _classifier(version_id)
        if found is None:
            continue
        classifier, pks = found
        for item, score in zip(group, classifier.predict([i.text for i in group]), strict=True):
            item.theme_id = pks[score.key] if score.relevant else None
            item.theme_score = round(score.margin, 4)
    fresh = {i.pk: (i.theme_id, i.theme_score) for i in need_theme}
    leaders = {
        pk: (theme, score)
        for pk, theme, score in Item.objects.filter(
            pk__in={i.group_id for i in items if i.group_id not in fresh}
        ).values_list("pk", "theme_id", "theme_score")
    }
    leaders.update(fresh)
    now = timezone.now()
    local = timezone.get_current_timezone()
    tally: dict[tuple[int, dt.date, int, str], int] = {}
    for item in items:
        if item.group_id != item.pk and item.group_id in leaders:
            item.theme_id, item.theme_score = leaders[item.group_id]
        item.processed_at = now
        key = (
            item.document_id,
            timezone.localtime(item.published_at, local).date(),
            item.theme_id or 0,
            item.sentiment,
        )
        tally[key] = tally.get(key, 0) + 1
    with transaction.atomic():
        Item.objects.bulk_update(items, ["theme", "theme_score", "processed_at"], batch_size=500)
        add_to_tally(tally)
    return len(items)


def add_to_tally(counts: dict[tuple[int, dt.date, int, str], int]) -> None:
    """Add processed items to :class:`DayTally` (plan, local day, theme id or 0, sentiment → n).
    Items are processed once, so adding is exact; a row another worker creates at the same moment
    makes the insert fail, and the addition is retried as an update."""
    from django.db import IntegrityError
    from django.db.models import F

    for (document_id, day, theme_key, sentiment), n in counts.items():
        where = {"document_id": document_id, "day": day, "theme_key": theme_key, "sentiment": sentiment}
        if DayTally.objects.filter(**where).update(items=F("items") + n):
            continue
        try:
            with transaction.atomic():
                DayTally.objects.create(items=n, **where)
        except IntegrityError:
            DayTally.objects.filter(**where).update(items=F("items") + n)


def run(document_id: int | None = None, *, max_batches: int | None = None) -> int:
    """Claim and process until nothing is left (or ``max_batches``); then recompute surges."""
    done, batches, documents = 0, 0, set()
    while max_batches is None or batches < max_batches:
        ids = claim(document_id=document_id)
        if not ids:
            break
        documents.update(Item.objects.filter(pk__in=ids).values_list("document_id", flat=True).distinct())
        done += process(ids)
        batches += 1
    for doc in documents:
        detect_surges(doc)
    return done


HOURLY_DAYS = 21  # hour windows over the last three weeks: 14 days of history and a week to watch


def detect_surges(document_id: int) -> int:
    """Recompute the plan's surges from its processed items (themes and keyphrases as topics): by
    day over everything, and by hour over the last :data:`HOURLY_DAYS` days, so a story that
    breaks in the morning shows before the day is over."""
    rows = Item.objects.filter(document_id=document_id, processed_at__isnull=False).values_list(
        "pk", "published_at", "theme__label", "theme__title", "keyphrases"
    )
    labels: dict[str, str] = {}
    series_items = []
    local = timezone.get_current_timezone()
    for pk, published, theme_label, theme_title, phrases in rows.iterator(chunk_size=5000):
        topics = tuple(phrases or ())
        if theme_label:
            key = f"theme:{theme_label}"
            labels[key] = f"Chủ đề {theme_label}: {theme_title[:120]}"
            topics = (key, *topics)
        moment = timezone.localtime(published, local).replace(tzinfo=None)
        series_items.append(SeriesItem(str(pk), "", moment, topics))
    found: list[tuple[str, object]] = []
    for window in (Surge.Window.DAY, Surge.Window.HOUR):
        chosen = series_items
        if window == Surge.Window.HOUR and series_items:
            latest = max(i.time for i in series_items)
            chosen = [i for i in series_items if i.time >= latest - dt.timedelta(days=HOURLY_DAYS)]
        series = build_series(chosen, window)
        series.labels.update(labels)
        found.extend((window, alert) for alert in detect(series))
    with transaction.atomic():
        Surge.objects.filter(document_id=document_id).delete()
        Surge.objects.bulk_create(
            [
                Surge(
                    document_id=document_id,
                    window=window,
                    topic=a.topic[:200],
                    label=a.label[:500],
                    window_start=a.window_start.replace(tzinfo=local),
                    observed=a.observed,
                    expected=a.expected,
                    p_value=a.p_value,
                    severity=a.severity,
                    evidence=[int(x) for x in a.evidence][:1000],
                    curve=[{"window_start": w, "count": n} for w, n in a.curve],
                )
                for window, a in found
            ]
        )
    return len(found)


def rebuild_tally(document_id: int) -> int:
    """Recount a plan's :class:`DayTally` from its processed items (after items were written
    behind the pipeline's back, e.g. by the benchmark); returns the rows written. Items already
    purged are lost to the recount, so this is not for a plan with purged history."""
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    rows = (
        Item.objects.filter(document_id=document_id, processed_at__isnull=False)
        .annotate(day=TruncDate("published_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("day", "theme_id", "sentiment")
        .annotate(n=Count("id"))
    )
    merged: dict[tuple, int] = {}
    for day, theme_id, sentiment, n in rows:
        key = (day, theme_id or 0, sentiment)
        merged[key] = merged.get(key, 0) + n
    with transaction.atomic():
        DayTally.objects.filter(document_id=document_id).delete()
        DayTally.objects.bulk_create(
            [
                DayTally(document_id=document_id, day=d, theme_key=t, sentiment=s, items=n)
                for (d, t, s), n in merged.items()
            ],
            batch_size=2000,
        )
    return len(merged)
