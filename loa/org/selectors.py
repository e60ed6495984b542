"""Reads of areas, units and groups. Each function owns its query shape."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet

from .models import Area, AreaLevel, MemberLevel, Unit, UnitAlias, UnitGroup, UnitGroupAlias, UnitStatus
from .text import name_key

# Central > province > commune: an area has at most this many levels below it.
AREA_DEPTH = 3

# Villages are not administrative units after 2025: a village sits in its commune's area.
_AREA_LEVEL_OF_MEMBERS = {
    MemberLevel.PROVINCE: AreaLevel.PROVINCE,
    MemberLevel.COMMUNE: AreaLevel.COMMUNE,
    MemberLevel.VILLAGE: AreaLevel.COMMUNE,
}

# Words that say little about which body a name denotes, left out of overlap scores.
_WEAK_TOKENS = frozenset({"va", "cac", "cua", "thuoc", "tren", "dia", "ban", "ha", "noi"})


def area_chain(area: Area | None) -> list[Area]:
    """The area, then its parent, up to the nation: where a name written in ``area`` is looked up."""
    chain: list[Area] = []
    seen: set[int] = set()
    current = area
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.parent if current.parent_id else None
    return chain


def subtree_q(area: Area, field: str = "") -> Q:
    """A filter for rows whose area (``field``, e.g. "area"; none for Area itself) is ``area`` or below."""
    q = Q(**{field or "pk": area.pk})
    path = field
    for _ in range(AREA_DEPTH - 1):
        path = f"{path}__parent" if path else "parent"
        q |= Q(**{path: area.pk})
    return q


def area_subtree_codes(area: Area) -> list[str]:
    """Codes of ``area`` and every area below it."""
    return list(Area.objects.filter(subtree_q(area)).order_by("code").values_list("code", flat=True))


def find_area(query: str, *, within: Area | None = None) -> Area | None:
    """An area by code ("01", "09931") or name ("Thành phố Hà Nội", "Hà Nội", "xã Hưng Đạo").

    ``within`` limits the search to an area's subtree. None when nothing or several match.
    """
    query = query.strip()
    areas = Area.objects.filter(subtree_q(within)) if within is not None else Area.objects.all()
    found = areas.filter(code=query).first()
    if found is not None:
        return found
    key = name_key(query)
    matches = [
        a
        for a in areas.only("pk", "code", "name", "short_name")
        if key in (name_key(a.name), name_key(a.short_name))
    ]
    if len(matches) != 1:
        return None
    return Area.objects.get(pk=matches[0].pk)


def unconfirmed_units() -> QuerySet[Unit]:
    """Units created from plans that nobody has confirmed or merged yet, newest first."""
    return (
        Unit.objects.filter(status=UnitStatus.UNCONFIRMED)
        .select_related("area__parent__parent")
        .order_by("-created_at", "-id")
    )


def merge_targets(unit: Unit) -> QuerySet[Unit]:
    """Confirmed units ``unit`` may be merged into: in its area or an area above."""
    chain_ids = [a.pk for a in area_chain(unit.area)]
    return (
        Unit.objects.filter(status=UnitStatus.CONFIRMED, area_id__in=chain_ids)
        .exclude(pk=unit.pk)
        .select_related("area")
    )


def _key_tokens(key: str) -> set[str]:
    return {t for t in key.split() if t not in _WEAK_TOKENS}


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def candidates_for_units(units: Sequence[Unit], limit: int = 5) -> dict[int, list[Unit]]:
    """For each unit, up to ``limit`` confirmed units with similar names in its area or above.

    Fixed cost: two queries whatever the number of units (areas must be loaded with their
    parents, as ``unconfirmed_units`` does). Each returned unit carries ``match_score``.
    """
    chains = {u.pk: area_chain(u.area) for u in units}
    area_ids = {a.pk for chain in chains.values() for a in chain}
    if not area_ids:
        return {u.pk: [] for u in units}
    pool = list(
        Unit.objects.filter(status=UnitStatus.CONFIRMED, area_id__in=area_ids)
        .select_related("area")
        .prefetch_related("aliases")
    )
    keys_by_unit: dict[int, list[set[str]]] = {}
    for candidate in pool:
        keys = [_key_tokens(candidate.normalized_name)]
        keys += [_key_tokens(alias.normalized_name) for alias in candidate.aliases.all()]
        keys_by_unit[candidate.pk] = keys
    result: dict[int, list[Unit]] = {}
    for unit in units:
        depth = {a.pk: i for i, a in enumerate(chains[unit.pk])}
        wanted = _key_tokens(unit.normalized_name)
        scored = []
        for candidate in pool:
            if candidate.area_id not in depth or candidate.pk == unit.pk:
                continue
            score = max(_overlap(wanted, keys) for keys in keys_by_unit[candidate.pk])
            if score > 0:
                scored.append((-score, depth[candidate.area_id], candidate.name, candidate.pk, candidate))
        scored.sort(key=lambda row: row[:4])
        picked = []
        for neg_score, *_rest, candidate in scored[:limit]:
            candidate.match_score = round(-neg_score, 2)
            picked.append(candidate)
        result[unit.pk] = picked
    return result


def unit_candidates(unit: Unit, limit: int = 5) -> list[Unit]:
    """Confirmed units in the same area or above whose names share words with ``unit``'s."""
    return candidates_for_units([unit], limit=limit)[unit.pk]


def group_members(group: UnitGroup) -> QuerySet[Unit]:
    """Confirmed units matching the group's rule, within the subtree of its area."""
    qs = Unit.objects.filter(status=UnitStatus.CONFIRMED).filter(subtree_q(group.area, "area"))
    if group.member_type:
        qs = qs.filter(unit_type=group.member_type)
    if group.member_level:
        qs = qs.filter(area__level=_AREA_LEVEL_OF_MEMBERS[MemberLevel(group.member_level)])
    if group.member_parent_id:
        qs = qs.filter(parent_id=group.member_parent_id)
    return qs.select_related("area").order_by("area__code", "name", "id")


def find_group(key: str, chain: Iterable[Area]) -> UnitGroup | None:
    """The group named ``key`` (a ``name_key``) in the nearest area of ``chain``."""
    order = {a.pk: i for i, a in enumerate(chain)}
    if not order or not key:
        return None
    found: list[tuple[int, int, UnitGroup]] = []
    for group in UnitGroup.objects.filter(area_id__in=order, normalized_name=key).select_related("area"):
        found.append((order[group.area_id], 0, group))
    for alias in UnitGroupAlias.objects.filter(area_id__in=order, normalized_name=key).select_related(
        "group__area"
    ):
        found.append((order[alias.area_id], 1, alias.group))
    if not found:
        return None
    found.sort(key=lambda row: (row[0], row[1], row[2].pk))
    return found[0][2]


def find_unit(key: str, chain: Iterable[Area]) -> Unit | None:
    """The unit named ``key`` (a ``name_key``) in the nearest area of ``chain``.

    A unit's own name beats an alias in the same area; a confirmed unit beats an unconfirmed
    one. Merged units are found through the aliases they left on the unit they went into.
    """
    order = {a.pk: i for i, a in enumerate(chain)}
    if not order or not key:
        return None
    found: list[tuple[int, int, int, Unit]] = []
    units = Unit.objects.filter(area_id__in=order, normalized_name=key).exclude(status=UnitStatus.MERGED)
    for unit in units:
        found.append((order[unit.area_id], 0, unit.status != UnitStatus.CONFIRMED, unit))
    for alias in UnitAlias.objects.filter(area_id__in=order, normalized_name=key).select_related("unit"):
        found.append((order[alias.area_id], 1, alias.unit.status != UnitStatus.CONFIRMED, alias.unit))
    if not found:
        return None
    found.sort(key=lambda row: (row[0], row[1], row[2], row[3].pk))
    return found[0][3]


def within_area(units, code: str | None):
    """``units`` narrowed to the subtree of the area with this code (``?dia_ban=``), and the area;
    no code: ``units`` unchanged and None. An unknown code raises ``Area.DoesNotExist``."""
    if not code:
        return units, None
    area = Area.objects.get(code=code)
    return units.filter(subtree_q(area, "area")), area
