"""Reads for reports: who issues a report, and the period asked for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from loa.accounts.access import scope_for
from loa.accounts.models import Membership, Role
from loa.activities.selectors import period_bounds
from loa.docgen import Signature
from loa.org.models import Area, Unit, UnitStatus, UnitType
from loa.org.selectors import subtree_q
from loa.plans.models import Document

from .builder import Narrative
from .models import ReportRound, ReportSection, RoundLevel
from .render import Letterhead, place_name

MAX_DAYS = 366


def parse_period(start: str | None, end: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period from ISO dates ("2026-06-01"), a month ("2026-06" as start alone), or this month."""
    if not start and not end:
        return period_bounds(today, "month")
    try:
        if start and len(start) == 7 and not end:
            return period_bounds(dt.date.fromisoformat(start + "-01"), "month")
        first = dt.date.fromisoformat(start or "")
        last = dt.date.fromisoformat(end or "")
    except ValueError as exc:
        raise ValidationError(_("Ngày không hợp lệ: cần dạng năm-tháng-ngày, ví dụ 2026-06-30.")) from exc
    if last < first:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if (last - first).days >= MAX_DAYS:
        raise ValidationError(_("Một báo cáo tính tối đa 366 ngày."))
    return first, last


def letterhead_for(document: Document, user=None, unit=None) -> Letterhead:
    """The issuing body is ``unit``, else the person's office unit, else the plan's issuer; the
    signature block is the plan's own when the same body reports on its plan."""
    if unit is None and user is not None and getattr(user, "is_authenticated", False):
        membership = (
            Membership.objects.filter(user=user, role=Role.OFFICE)
            .select_related("unit__area", "unit__parent")
            .first()
        )
        unit = membership.unit if membership else None
    if unit is None:
        unit = document.issuer
    if unit is None:
        return Letterhead(issuer=document.issuer_name or _("CƠ QUAN BÁO CÁO"), place=document.place)
    # People's committees and councils and Party committees head their documents alone (Nghị định
    # 30/2020: no managing body line); a department or board shows the body above it.
    alone = unit.unit_type in (UnitType.PEOPLES_COMMITTEE, UnitType.PEOPLES_COUNCIL, UnitType.PARTY_COMMITTEE)
    head = Letterhead(
        issuer=unit.name,
        issuer_parent=unit.parent.name if unit.parent_id and not alone else "",
        place=place_name(unit.area.name) if unit.area_id else "",
    )
    if unit.pk == document.issuer_id and document.current_version_id:
        signer = (document.current_version.parsed or {}).get("signer") or {}
        authority = [a for part in (signer.get("authority") or "").split(" / ") if (a := part.strip())]
        head.signature = Signature(
            authority=authority[0] if authority else "",
            deputy=authority[1] if len(authority) > 1 else "",
            position=signer.get("position") or "",
            name=signer.get("name") or "",
        )
    return head


# --- rounds and sections ----------------------------------------------------------------------


def office_unit_for(user, document: Document):
    """The unit an office person reports for (``accounts.access.office_unit``)."""
    from loa.accounts.access import office_unit

    return office_unit(user, document)


_COMPILER_TYPES = [UnitType.PEOPLES_COMMITTEE, UnitType.PARTY_COMMITTEE]


def area_compilers(office: Unit, area_ids: set[int]) -> dict[int, int]:
    """{area id: compiling unit id} for each area directly below the office's area that contains
    one of ``area_ids`` (the areas of the units asked). The compiling unit of an area is the one
    whose people have the office role there, else its People's Committee, else its Party committee,
    else the first unit of the area by name."""
    if office.area_id is None:
        return {}
    parents = dict(Area.objects.values_list("pk", "parent_id"))
    below: set[int] = set()
    for area_id in area_ids:
        seen = 0
        while area_id is not None and parents.get(area_id) != office.area_id and seen < 10:
            area_id, seen = parents.get(area_id), seen + 1
        if area_id is not None and parents.get(area_id) == office.area_id:
            below.add(area_id)
    if not below:
        return {}
    offices = set(
        Membership.objects.filter(role=Role.OFFICE, unit__area_id__in=below).values_list("unit_id", flat=True)
    )
    candidates = Unit.objects.filter(area_id__in=below, status=UnitStatus.CONFIRMED).values_list(
        "pk", "area_id", "unit_type", "name"
    )

    def rank(row):
        pk, _area, unit_type, name = row
        if pk in offices:
            return (0, name)
        if unit_type in _COMPILER_TYPES:
            return (1 + _COMPILER_TYPES.index(unit_type), name)
        return (9, name)

    chosen: dict[int, int] = {}
    for row in sorted(candidates, key=rank):
        chosen.setdefault(row[1], row[0])
    return chosen


def section_units(section: ReportSection) -> QuerySet[Unit]:
    """The units a section reports for: the whole area of an area section, else its own unit."""
    if section.area_id:
        return Unit.objects.filter(subtree_q(section.area, "area"))
    return Unit.objects.filter(pk=section.unit_id)


def round_units(round_: ReportRound) -> QuerySet[Unit]:
    """The units the round's report counts: every unit asked, or every unit of the office's area."""
    if round_.level == RoundLevel.AREAS and round_.office.area_id:
        return Unit.objects.filter(subtree_q(round_.office.area, "area"))
    return Unit.objects.filter(report_sections__round=round_)


def rounds_for_user(user) -> QuerySet[ReportRound]:
    """Rounds whose collecting office the person may read."""
    units = scope_for(user).readable_units()
    return ReportRound.objects.filter(office__in=units).select_related("document", "office")


def get_round_for_user(user, pk: int) -> ReportRound:
    return get_object_or_404(rounds_for_user(user), pk=pk)


def can_manage_round(user, round_: ReportRound) -> bool:
    return scope_for(user).can_write_unit(round_.office) and scope_for(user).manages_plans


def sections_for_user(user) -> QuerySet[ReportSection]:
    """Sections the person writes: those of the units they may change, newest round first."""
    units = scope_for(user).writable_units()
    return (
        ReportSection.objects.filter(unit__in=units)
        .select_related("round__document", "round__office", "unit")
        .order_by("submitted_at", "-round__end", "unit__name")
    )


def get_section_for_user(user, pk: int, *, writable: bool = False) -> ReportSection:
    scope = scope_for(user)
    units = scope.writable_units() if writable else scope.readable_units()
    qs = ReportSection.objects.filter(unit__in=units).select_related(
        "round__document", "round__office", "unit__area", "area"
    )
    return get_object_or_404(qs, pk=pk)


@dataclass
class AreaStatus:
    area: str
    total: int
    submitted: int


def round_status(round_: ReportRound) -> tuple[int, int, list[AreaStatus]]:
    """(sections, submitted, per area) in one query."""
    area = "area__name" if round_.level == RoundLevel.AREAS else "unit__area__name"
    rows = (
        round_.sections.order_by()
        .values_list(area)
        .annotate(total=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False)))
    )
    areas = sorted(
        (AreaStatus(name or "—", t, s) for name, t, s in rows), key=lambda a: (a.submitted - a.total, a.area)
    )
    return sum(a.total for a in areas), sum(a.submitted for a in areas), areas


def narratives_of(round_: ReportRound) -> list[Narrative]:
    """The submitted sections' words, by area; an area section speaks for its whole area."""
    out = []
    for s in (
        round_.sections.filter(submitted_at__isnull=False)
        .select_related("unit__area", "area")
        .order_by("area__name", "unit__area__name", "unit__name")
    ):
        area = s.area or s.unit.area
        unit = f"{s.unit.name} (báo cáo chung của địa bàn)" if s.area_id else s.unit.name
        out.append(Narrative(unit, area.name if area else "", s.assessment, s.difficulties, s.proposals))
    return out
