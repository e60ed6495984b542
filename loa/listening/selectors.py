"""Reads of the listening desk: who may use it, the figures of a plan's desk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.http import Http404

from loa.accounts.access import office_unit, scope_for
from loa.activities.models import ThemeTally
from loa.nlp.themes import MARGIN
from loa.plans import selectors as plan_selectors
from loa.plans.models import Theme

from .models import Claim, DayTally, Item, Source, Surge


def desk_for_user(user, pk: int):
    """(plan, office unit) for a person who may use the plan's desk (office role), else 404."""
    document = plan_selectors.get_document_for_user(user, pk)
    if not scope_for(user).manages_plans:
        raise Http404
    office = office_unit(user, document)
    if office is None:
        raise Http404
    return document, office


@dataclass
class ThemeAttention:
    theme: Theme
    items: int
    share: float  # of the public's items with a theme
    activities: int
    activity_share: float  # of the units' activities tagged with a theme
    questions: int = 0  # citizens' questions and comments routed to the theme (loa.feedback): counts only


def attention(document) -> list[ThemeAttention]:
    """Per theme: the public's items and the units' activities, each as a share — "we post about
    X, people ask about Y". Read from the daily tally, not from the items."""
    if not document.current_version_id:
        return []
    themes = list(Theme.objects.filter(version_id=document.current_version_id).order_by("order"))
    items = dict(
        DayTally.objects.filter(document=document, theme_key__in=[t.pk for t in themes])
        .order_by()
        .values_list("theme_key")
        .annotate(n=Sum("items"))
    )
    acts = dict(
        ThemeTally.objects.filter(theme__in=themes)
        .order_by()
        .values_list("theme_id")
        .annotate(n=Sum("activities"))
    )
    from loa.feedback.selectors import counts_by_theme

    questions = counts_by_theme(document)
    total_items, total_acts = sum(items.values()) or 1, sum(acts.values()) or 1
    return [
        ThemeAttention(
            t,
            items.get(t.pk, 0),
            items.get(t.pk, 0) / total_items,
            acts.get(t.pk, 0),
            acts.get(t.pk, 0) / total_acts,
            questions.get(t.pk, 0),
        )
        for t in themes
    ]


def sentiment_by_week(document, weeks: int = 12) -> list[dict]:
    """The last ``weeks`` weeks of the plan's processed items by sentiment, from the daily tally."""
    last = DayTally.objects.filter(document=document).order_by("-day").values_list("day", flat=True).first()
    if last is None:
        return []
    first = last - dt.timedelta(days=last.weekday()) - dt.timedelta(weeks=weeks - 1)
    by_week: dict[dt.date, dict] = {}
    rows = (
        DayTally.objects.filter(document=document, day__gte=first)
        .order_by()
        .values_list("day", "sentiment")
        .annotate(n=Sum("items"))
    )
    for day, sentiment, n in rows:
        week = day - dt.timedelta(days=day.weekday())
        row = by_week.setdefault(week, {"week": week, "total": 0, "negative": 0, "neutral": 0, "positive": 0})
        row["total"] += n
        if sentiment in row:
            row[sentiment] += n
    return [by_week[w] for w in sorted(by_week)]


def desk(document) -> dict:
    # totals from the sources (every new item is counted there once) and the few waiting items
    total = Source.objects.filter(document=document).aggregate(n=Sum("created"))["n"] or 0
    waiting = Item.objects.filter(document=document, processed_at__isnull=True).count()
    return {
        "total": total,
        "processed": max(0, total - waiting),
        "sources": Source.objects.filter(document=document)[:20],
        "surges": Surge.objects.filter(document=document).order_by("-window_start", "p_value")[:30],
        "claims": Claim.objects.filter(document=document).select_related("group")[:30],
        "attention": attention(document),
        "weeks": sentiment_by_week(document),
        "theme_min": MARGIN,
    }


def bars(values: list[int], *, width: int = 420, height: int = 80) -> list[dict]:
    """SVG bar geometry for a small chart drawn in the template (no JavaScript)."""
    if not values:
        return []
    top = max(values) or 1
    step = width / len(values)
    return [
        {
            "x": round(i * step, 1),
            "w": round(max(1.0, step - 2), 1),
            "h": round(height * v / top, 1),
            "y": round(height - height * v / top, 1),
            "v": v,
        }
        for i, v in enumerate(values)
    ]


def items_filtered(document, params) -> tuple[list[Item], dict]:
    """Items behind a number: ?chu_de=<theme label>, ?ngay=YYYY-MM-DD, ?nhom=<group id>,
    ?diem_nong=<surge id>, ?sac_thai=negative|neutral|positive."""
    qs = Item.objects.filter(document=document).select_related("theme")
    shown = {}
    if label := params.get("chu_de"):
        qs = qs.filter(theme__label=label, theme__version_id=document.current_version_id)
        shown["chu_de"] = label
    if day := params.get("ngay"):
        try:
            d = dt.date.fromisoformat(day)
        except ValueError:
            d = None
        if d:  # a local-day range on the (plan, time) index, not a cast of every row
            from django.utils import timezone

            start = timezone.make_aware(dt.datetime.combine(d, dt.time()))
            qs = qs.filter(published_at__gte=start, published_at__lt=start + dt.timedelta(days=1))
            shown["ngay"] = d
    if group := params.get("nhom"):
        if group.isdigit():
            qs = qs.filter(group_id=int(group))
            shown["nhom"] = group
    if surge := params.get("diem_nong"):
        s = Surge.objects.filter(document=document, pk=surge).first() if surge.isdecimal() else None
        if s:
            qs = qs.filter(pk__in=s.evidence)
            shown["diem_nong"] = s
    if (claim_id := params.get("luan_dieu", "")).isdigit():
        claim = Claim.objects.filter(document=document, pk=int(claim_id)).first()
        if claim:
            qs = qs.filter(group_id__in=[claim.group_id, *claim.joined])
            shown["luan_dieu"] = claim.summary[:80]
    if sentiment := params.get("sac_thai"):
        qs = qs.filter(sentiment=sentiment)
        shown["sac_thai"] = sentiment
    return list(qs.order_by("-published_at")[:200]), shown


BUCKETS = {
    "gio": ("hour", dt.timedelta(hours=1)),
    "ngay": ("day", dt.timedelta(days=1)),
    "tuan": ("week", dt.timedelta(weeks=1)),
}


@dataclass
class Trend:
    title: str
    bucket: str
    rows: list[dict]  # {"start": datetime, "total", "negative", "neutral", "positive"}
    forecast: list[dict]  # {"day": date, "mean", "low", "high"} — daily buckets only


def topic_items(document, *, theme_label: str = "", phrase: str = "", group: int | None = None):
    """A topic's items: a theme of the plan, a story (a near-duplicate group, by its first item's id)
    or a keyphrase (by its words in the text)."""
    qs = Item.objects.filter(document=document)
    if group is not None:
        return qs.filter(group_id=group)
    if theme_label:
        return qs.filter(theme__label=theme_label, theme__version_id=document.current_version_id)
    return qs.filter(text__icontains=phrase) if phrase else qs.none()


def trend(
    document,
    *,
    theme_label: str = "",
    phrase: str = "",
    group: int | None = None,
    bucket: str = "ngay",
    days: int = 90,
) -> Trend:
    """Volume and sentiment of a topic per hour, day or week over the last ``days`` of its items,
    with a 7-day forecast (loa.nlp.forecast) when counted by day."""
    from django.db.models.functions import Trunc
    from django.utils import timezone

    from loa.nlp.forecast import forecast

    kind, step = BUCKETS.get(bucket, BUCKETS["ngay"])
    items = topic_items(document, theme_label=theme_label, phrase=phrase, group=group)
    last = items.order_by("-published_at").values_list("published_at", flat=True).first()
    if last is None:
        return Trend(theme_label or phrase, bucket, [], [])
    span = dt.timedelta(days=min(days, 7) if kind == "hour" else days)
    rows = list(
        items.filter(published_at__gt=last - span)
        .annotate(start=Trunc("published_at", kind, tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("start")
        .annotate(
            total=Count("id"),
            negative=Count("id", filter=Q(sentiment="negative")),
            neutral=Count("id", filter=Q(sentiment="neutral")),
            positive=Count("id", filter=Q(sentiment="positive")),
        )
        .order_by("start")
    )
    # fill the empty buckets so the curve and the forecast see the zeros
    filled, by_start = [], {r["start"]: r for r in rows}
    if rows:
        current = rows[0]["start"]
        while current <= rows[-1]["start"]:
            filled.append(
                by_start.get(
                    current, {"start": current, "total": 0, "negative": 0, "neutral": 0, "positive": 0}
                )
            )
            current = timezone.localtime(current + step) if kind != "hour" else current + step
            if kind != "hour":  # back to local midnight across DST-free Asia/Ho_Chi_Minh
                current = current.replace(hour=0, minute=0, second=0, microsecond=0)
    ahead = []
    if kind == "day" and filled:
        f = forecast([r["total"] for r in filled], 7)
        first = filled[-1]["start"]
        ahead = [
            {"day": (first + dt.timedelta(days=i + 1)).date(), "mean": m, "low": lo, "high": hi}
            for i, (m, lo, hi) in enumerate(zip(f.mean, f.low, f.high, strict=True))
        ]
    return Trend(theme_label or phrase, bucket, filled, ahead)
