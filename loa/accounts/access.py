"""Scope: which units a person may read and which they may change. Every view, API handler, export
and background job asks here; nothing else decides visibility.

- system admin (superuser): everything;
- office: its unit, every unit in its unit's area and the areas below (a city board sees every commune);
- unit officer: its own unit;
- viewer: like office, read-only.
"""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from loa.org.models import Unit
from loa.org.selectors import subtree_q

from .models import Membership, Role


class Scope:
    """What one person may read and write. The unit ids are computed once and reused, so pages and
    exports filter on a plain id list instead of repeating the area-tree conditions (PostgreSQL
    plans those badly inside nested sub-queries)."""

    def __init__(self, *, all: bool, read_q: Q, write_q: Q, manages_plans: bool):
        self.all = all
        self.read_q = read_q
        self.write_q = write_q
        self.manages_plans = manages_plans
        self._read_ids: list[int] | None = None
        self._write_ids: list[int] | None = None

    def readable_ids(self) -> list[int]:
        if self._read_ids is None:
            self._read_ids = list(Unit.objects.filter(self.read_q).values_list("pk", flat=True))
        return self._read_ids

    def writable_ids(self) -> list[int]:
        if self._write_ids is None:
            self._write_ids = list(Unit.objects.filter(self.write_q).values_list("pk", flat=True))
        return self._write_ids

    def readable_units(self) -> QuerySet[Unit]:
        return Unit.objects.all() if self.all else units_by_ids(self.readable_ids())

    def writable_units(self) -> QuerySet[Unit]:
        return Unit.objects.all() if self.all else units_by_ids(self.writable_ids())

    def can_read_unit(self, unit: Unit) -> bool:
        return self.all or unit.pk in self.readable_ids()

    def can_write_unit(self, unit: Unit) -> bool:
        return self.all or unit.pk in self.writable_ids()


_NOTHING = Q(pk__in=[])
_LONG_LIST = 200


def units_by_ids(ids: list[int]) -> QuerySet[Unit]:
    """The units with these ids. On PostgreSQL a long id list goes as one array parameter,
    ``IN (SELECT unnest(%s))``: a literal ``IN (3,000 values)`` costs the planner tens of
    milliseconds per query (it estimates each value), and a city office's pages run a dozen."""
    if len(ids) > _LONG_LIST and connection.vendor == "postgresql":
        return Unit.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids),)))
    return Unit.objects.filter(pk__in=ids)


def _subtree_of(unit: Unit) -> Q:
    q = Q(pk=unit.pk)
    if unit.area_id:
        q |= subtree_q(unit.area, "area")
    return q


def scope_for(user) -> Scope:
    """The person's scope, computed once per request (cached on the user object)."""
    cached = getattr(user, "_loa_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        scope = Scope(all=False, read_q=_NOTHING, write_q=_NOTHING, manages_plans=False)
    elif user.is_superuser:
        scope = Scope(all=True, read_q=Q(), write_q=Q(), manages_plans=True)
    else:
        read_q, write_q, manages = _NOTHING, _NOTHING, False
        for m in Membership.objects.filter(user=user).select_related("unit__area"):
            if m.role in (Role.OFFICE, Role.VIEWER):
                read_q |= _subtree_of(m.unit)
            if m.role == Role.OFFICE:
                write_q |= _subtree_of(m.unit)
                manages = True
            if m.role == Role.OFFICER:
                read_q |= Q(pk=m.unit_id)
                write_q |= Q(pk=m.unit_id)
        scope = Scope(all=False, read_q=read_q, write_q=write_q, manages_plans=manages)
    try:
        user._loa_scope = scope
    except AttributeError:
        pass
    return scope


def office_unit(user, document=None) -> Unit | None:
    """The unit a person with the office role works for (their first office membership); a superuser
    without one acts for ``document``'s issuer. None when the person manages nothing."""
    membership = (
        Membership.objects.filter(user=user, role=Role.OFFICE)
        .select_related("unit__area", "unit__parent")
        .first()
    )
    if membership is not None:
        return membership.unit
    return document.issuer if (document is not None and user.is_superuser) else None
