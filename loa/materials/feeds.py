"""Public pages and RSS/Atom feeds of a plan's materials, by audience and theme: public items only
(``Access.PUBLIC``, a published version), no login. Nội bộ items never appear here."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from loa.activities.models import Audience
from loa.plans.models import Document, Theme

from .models import Access, Material, MaterialVersion


def public_materials(document, audience: str = "", theme: str = ""):
    qs = (
        Material.objects.filter(
            document=document, access=Access.PUBLIC, versions__status=MaterialVersion.Status.PUBLISHED
        )
        .distinct()
        .order_by("-created_at")
    )
    if audience in Audience.values:
        qs = [m for m in qs if audience in (m.audiences or [])]
    if theme:
        ids = set(
            Theme.objects.filter(version_id=document.current_version_id, label=theme).values_list(
                "pk", flat=True
            )
        )
        qs = [m for m in qs if ids & set(m.themes.values_list("pk", flat=True))]
    return list(qs)[:100]


def _plan(pk: int) -> Document:
    return get_object_or_404(Document.objects.exclude(current_version=None), pk=pk)


def public_list(request, pk: int):
    document = _plan(pk)
    audience, theme = request.GET.get("doi_tuong", ""), request.GET.get("chu_de", "")[:30]
    context = {
        "document": document,
        "materials": public_materials(document, audience, theme),
        "audiences": Audience.choices,
        "themes": Theme.objects.filter(version_id=document.current_version_id).order_by("order"),
        "audience": audience,
        "theme": theme,
        "query": request.GET.urlencode(),
        "contests": _contests(document),
    }
    return render(request, "materials/public_list.html", context)


def _contests(document) -> list[dict]:
    """The plan's quiz rounds for the public: open ones to take part, closed ones for their results."""
    from django.utils import timezone

    from .models import Contest

    now = timezone.now()
    rows = Contest.objects.filter(document=document, opens_at__lte=now).order_by("-opens_at")[:20]
    return [{"contest": c, "open": now < c.closes_at} for c in rows]


def public_detail(request, pk: int):
    material = get_object_or_404(Material, pk=pk, access=Access.PUBLIC)
    version = material.published()
    if version is None:
        from django.http import Http404

        raise Http404
    return render(request, "materials/public_detail.html", {"m": material, "v": version})


@dataclass
class _Wanted:
    """The plan and the filters of one feed request (the Feed instance is shared by all requests)."""

    document: Document
    audience: str
    theme: str

    def __getattr__(self, name):  # title(), link() read the plan's fields
        return getattr(self.document, name)


class MaterialsFeed(Feed):
    """RSS 2.0 of a plan's public materials; ``?doi_tuong=`` and ``?chu_de=`` narrow it."""

    def get_object(self, request, pk: int):
        return _Wanted(_plan(pk), request.GET.get("doi_tuong", ""), request.GET.get("chu_de", "")[:30])

    def title(self, obj):
        return f"Tài liệu tuyên truyền: {obj.kind} {obj.number or ''} {obj.title[:120]}".replace("  ", " ")

    def link(self, obj):
        return reverse("materials:public_list", args=[obj.pk])

    def description(self, obj):
        return "Các tài liệu công khai đã phát hành của kế hoạch (Loa)."

    def items(self, obj):
        return public_materials(obj.document, obj.audience, obj.theme)[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        version = item.published()
        return " ".join(p["text"] for p in version.paragraphs[:3])[:600] if version else ""

    def item_link(self, item):
        return reverse("materials:public_detail", args=[item.pk])

    def item_pubdate(self, item):
        version = item.published()
        return version.published_at if version else item.created_at


class MaterialsAtomFeed(MaterialsFeed):
    feed_type = Atom1Feed
    subtitle = MaterialsFeed.description
