"""Reads of the material library: the plan's materials with their use, and the theme × audience
coverage (cells with no material and no activity are flagged)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from loa.accounts.models import Membership, Role
from loa.activities.models import Activity, Audience
from loa.plans.models import TaskAssignment, Theme

from .models import Material, MaterialUse, MaterialVersion


@dataclass
class Use:
    units: int  # units that used any version
    of: int  # units with tasks in the plan ("dùng ở 37/126 xã")


def use_of(material: Material) -> Use:
    units = MaterialUse.objects.filter(version__material=material).values("unit_id").distinct().count()
    of = (
        TaskAssignment.objects.filter(task__document_id=material.document_id)
        .values("unit_id")
        .distinct()
        .count()
    )
    return Use(units, of)


def library(document) -> list[tuple[Material, MaterialVersion | None, Use]]:
    materials = list(
        Material.objects.filter(document=document).select_related("office").order_by("kind", "title")
    )
    out = []
    for m in materials:
        out.append((m, m.published(), use_of(m)))
    return out


def unit_of(user):
    """The unit a person logs uses for: their officer membership, else their office one."""
    m = (
        Membership.objects.filter(user=user, role__in=[Role.OFFICER, Role.OFFICE])
        .order_by("role")
        .select_related("unit")
        .first()
    )
    return m.unit if m else None


def coverage(document) -> dict:
    """{"themes", "audiences", "cells": {(theme id, audience code): (materials, activities)}} for the
    plan's themes × the standard audiences; a cell with neither is a gap."""
    themes = list(Theme.objects.filter(version_id=document.current_version_id).order_by("order"))
    cells: dict[tuple[int, str], list[int]] = {}
    for m in Material.objects.filter(document=document).prefetch_related("themes"):
        for t in m.themes.all():
            for a in m.audiences or []:
                cells.setdefault((t.pk, a), [0, 0])[0] += 1
    acts = Activity.objects.filter(themes__in=themes).values_list("themes", "audiences").order_by()
    for theme_id, audiences in acts.iterator():
        for a in audiences or []:
            cells.setdefault((theme_id, a), [0, 0])[1] += 1
    rows = []
    for t in themes:
        rows.append((t, [(code, *cells.get((t.pk, code), (0, 0))) for code, _label in Audience.choices]))
    return {
        "audiences": Audience.choices,
        "rows": rows,
        "gaps": sum(1 for _t, cs in rows for c in cs if not (c[1] or c[2])),
    }


def unused(document) -> list[Material]:
    used = MaterialUse.objects.filter(version__material__document=document).values("version__material_id")
    return list(Material.objects.filter(document=document).exclude(pk__in=used).annotate(n=Count("versions")))


def from_above(document, user) -> list[tuple[Material, MaterialVersion]]:
    """Published materials of the plans this plan implements (the documents it cites) that the
    person may read: a city's materials reach every commune whose plan implements the city plan."""
    from loa.plans.models import Reference
    from loa.plans.selectors import visible_documents

    parents = Reference.objects.filter(source=document, cited__in=visible_documents(user)).values("cited_id")
    out = []
    for m in (
        Material.objects.filter(document_id__in=parents)
        .select_related("office", "document")
        .order_by("title")
    ):
        version = m.published()
        if version is not None:
            out.append((m, version))
    return out
