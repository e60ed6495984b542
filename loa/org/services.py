"""Writes of areas, units, aliases and groups. Each public function is one transaction.

Places come from ``vietnam-provinces``; the usual bodies per level come from the versioned
``data/unit_types.json``; names written in plans are matched with ``resolve_unit``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from loa.audit.services import log_action

from .models import (
    Area,
    AreaLevel,
    Unit,
    UnitAlias,
    UnitGroup,
    UnitGroupAlias,
    UnitStatus,
    UnitType,
)
from .selectors import area_chain, find_group, find_unit
from .text import clean_name, fold, guess_unit_type, is_group_phrase, name_key

DATA_FILE = Path(__file__).resolve().parent / "data" / "unit_types.json"
NATION_CODE = "VN"
NATION_NAME = "Việt Nam"
HANOI = "Hà Nội"

# Where a body created from a plan most likely belongs, by its type: a standard unit of the
# same area (its ``standard_key``).
_PARENT_BY_TYPE = {
    UnitType.DEPARTMENT: "peoples_committee",
    UnitType.SERVICE_CENTRE: "peoples_committee",
    UnitType.SCHOOL: "peoples_committee",
    UnitType.VILLAGE: "peoples_committee",
    UnitType.OFFICE: "peoples_committee",
    UnitType.PARTY_BOARD: "party_committee",
    UnitType.FRONT_ORG: "front",
}


@dataclass(frozen=True)
class ResolvedUnit:
    """What a name in a plan denotes: one unit, a group of units, or nothing."""

    unit: Unit | None = None
    group: UnitGroup | None = None
    created: bool = False


@dataclass(frozen=True)
class LoadResult:
    """What a loader wrote (``*_created``) and how many rows are now in its scope."""

    areas: int
    units: int
    units_created: int
    aliases_created: int
    groups_created: int
    version: str


# --------------------------------------------------------------------------- data file


@cache
def standard_data() -> dict[str, Any]:
    """The versioned list of usual bodies and groups per level (read once, on first use)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _words(area: Area, data: dict[str, Any]) -> dict[str, str] | None:
    key = "central" if area.level == AreaLevel.CENTRAL else area.division_type
    words = data["words"].get(key)
    if words is None:
        return None
    return {**words, "name": area.short_name or area.name}


def _render(template: str, words: dict[str, str]) -> str:
    return " ".join(template.format_map(words).split())


def _applies(spec: dict[str, Any], area: Area) -> bool:
    if "division_types" in spec and area.division_type not in spec["division_types"]:
        return False
    if "codenames" in spec and area.codename not in spec["codenames"]:
        return False
    return not ("except_codenames" in spec and area.codename in spec["except_codenames"])


# --------------------------------------------------------------------------- areas


def _province_code(code: Any) -> int:
    return int(getattr(code, "value", code))


def _short_place_name(name: str, prefix: str) -> str:
    if prefix and fold(name).startswith(fold(prefix) + " "):
        return name[len(prefix) :].strip()
    return name


def _area_rows(province_codes: Iterable[Any] | None) -> list[dict[str, Any]]:
    from vietnam_provinces import Province, Ward

    words = standard_data()["words"]
    wanted = None if province_codes is None else {_province_code(c) for c in province_codes}
    provinces = [p for p in Province.iter_all() if wanted is None or p.code.value in wanted]
    if wanted is not None and len(provinces) != len(wanted):
        known = {p.code.value for p in provinces}
        raise ValueError(f"unknown province codes: {sorted(wanted - known)}")
    rows: list[dict[str, Any]] = [
        {
            "code": NATION_CODE,
            "name": NATION_NAME,
            "short_name": NATION_NAME,
            "level": AreaLevel.CENTRAL,
            "division_type": "",
            "codename": "viet_nam",
            "parent": None,
        }
    ]
    province_codes_wanted = {p.code.value for p in provinces}
    wards_by_province: dict[int, list[Any]] = {}
    for ward in Ward.iter_all():
        if ward.province_code.value in province_codes_wanted:
            wards_by_province.setdefault(ward.province_code.value, []).append(ward)
    for province in sorted(provinces, key=lambda p: p.code.value):
        code = f"{province.code.value:02d}"
        division = str(province.division_type.value)
        prefix = words.get(division, {}).get("prefix", "")
        rows.append(
            {
                "code": code,
                "name": province.name,
                "short_name": _short_place_name(province.name, prefix),
                "level": AreaLevel.PROVINCE,
                "division_type": division,
                "codename": province.codename,
                "parent": NATION_CODE,
            }
        )
        for ward in sorted(wards_by_province.get(province.code.value, []), key=lambda w: w.code.value):
            division = str(ward.division_type.value)
            prefix = words.get(division, {}).get("prefix", "")
            rows.append(
                {
                    "code": f"{ward.code.value:05d}",
                    "name": ward.name,
                    "short_name": _short_place_name(ward.name, prefix),
                    "level": AreaLevel.COMMUNE,
                    "division_type": division,
                    "codename": ward.codename,
                    "parent": code,
                }
            )
    return rows


def _upsert_areas(rows: list[dict[str, Any]]) -> int:
    """Create or update areas by code, parents first (rows are ordered that way). Returns created."""
    fields = ["name", "short_name", "level", "division_type", "codename", "parent_id"]
    existing = {a.code: a for a in Area.objects.filter(code__in=[r["code"] for r in rows])}
    created = 0
    for level in (AreaLevel.CENTRAL, AreaLevel.PROVINCE, AreaLevel.COMMUNE):
        ids = {code: area.pk for code, area in existing.items()}
        to_create, to_update = [], []
        for row in rows:
            if row["level"] != level:
                continue
            values = {k: row[k] for k in fields if k != "parent_id"}
            values["parent_id"] = ids[row["parent"]] if row["parent"] else None
            area = existing.get(row["code"])
            if area is None:
                to_create.append(Area(code=row["code"], **values))
            elif any(getattr(area, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(area, k, v)
                to_update.append(area)
        Area.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Area.objects.bulk_update(to_update, fields, batch_size=500)
        created += len(to_create)
        if to_create:
            existing.update({a.code: a for a in Area.objects.filter(code__in=[a.code for a in to_create])})
    return created


def load_areas(*, province_codes: list[str] | None = None) -> int:
    """Load the nation, provinces and their communes/wards from ``vietnam-provinces``.

    ``province_codes``: codes such as "01" (or 1); all 34 provinces when None. Idempotent
    (matched by code). Returns the number of areas in scope, created or already there.
    """
    rows = _area_rows(province_codes)
    with transaction.atomic():
        created = _upsert_areas(rows)
        if created:
            root = Area.objects.get(code=NATION_CODE)
            log_action("org.areas.loaded", root, data={"areas": len(rows), "created": created})
    return len(rows)


def find_province(name: str) -> Any:
    """The ``vietnam_provinces.Province`` named ``name`` ("Hà Nội", "Thành phố Hà Nội", "ha noi")."""
    from vietnam_provinces import Province

    words = standard_data()["words"]
    key = name_key(name)
    for province in Province.iter_all():
        prefix = words.get(str(province.division_type.value), {}).get("prefix", "")
        if key in (name_key(province.name), name_key(_short_place_name(province.name, prefix))):
            return province
    raise ValueError(f"no province named {name!r} in vietnam-provinces")


# --------------------------------------------------------------------------- standard units


@dataclass
class _Counts:
    units: int = 0
    units_created: int = 0
    aliases_created: int = 0
    groups_created: int = 0


def _ensure_standard(areas: list[Area]) -> _Counts:
    """Create the usual bodies, aliases and groups of ``areas`` (parents before children)."""
    data = standard_data()
    counts = _Counts()
    area_ids = {a.pk for a in areas} | {a.parent_id for a in areas if a.parent_id}

    units = list(Unit.objects.filter(area_id__in=area_ids))
    by_std: dict[tuple[int, str], Unit] = {(u.area_id, u.standard_key): u for u in units if u.standard_key}
    by_key: dict[tuple[int, str], Unit] = {(u.area_id, u.normalized_name): u for u in units}
    by_pk = {u.pk: u for u in units}
    alias_keys: dict[tuple[int, str], int] = dict(
        ((a, k), u)
        for a, k, u in UnitAlias.objects.filter(area_id__in=area_ids).values_list(
            "area_id", "normalized_name", "unit_id"
        )
    )

    planned: list[tuple[Area, dict[str, Any], dict[str, str], Unit]] = []
    new_units: list[Unit] = []
    promoted: list[Unit] = []
    for area in areas:
        words = _words(area, data)
        level = data["levels"].get(area.level)
        if words is None or level is None:
            continue
        for spec in level["units"]:
            if not _applies(spec, area):
                continue
            name = _render(spec["name"], words)
            key = name_key(name)
            unit = by_std.get((area.pk, spec["key"])) or by_key.get((area.pk, key))
            if unit is None and (area.pk, key) in alias_keys:
                unit = by_pk.get(alias_keys[(area.pk, key)])
            if unit is None:
                unit = Unit(
                    name=name,
                    short_name=_render(spec.get("short_name", ""), words),
                    unit_type=spec["unit_type"],
                    area=area,
                    status=UnitStatus.CONFIRMED,
                    normalized_name=key,
                    standard_key=spec["key"],
                )
                new_units.append(unit)
            elif unit.status == UnitStatus.MERGED:
                continue  # someone merged it away on purpose: leave it
            elif unit.status != UnitStatus.CONFIRMED or not unit.standard_key:
                unit.status = UnitStatus.CONFIRMED
                unit.standard_key = unit.standard_key or spec["key"]
                promoted.append(unit)
            by_std[(area.pk, spec["key"])] = unit
            by_key[(area.pk, key)] = unit
            planned.append((area, spec, words, unit))

    def lookup(area: Area, ref: str | None) -> Unit | None:
        if not ref:
            return None
        if ref.startswith("^"):
            return by_std.get((area.parent_id, ref[1:])) if area.parent_id else None
        return by_std.get((area.pk, ref))

    # Parents are set before insertion, in waves: a unit goes in once its parent has a pk.
    parent_of: dict[int, Unit] = {}
    with_parent: list[Unit] = []
    for area, spec, _unused, unit in planned:
        parent = lookup(area, spec.get("parent"))
        if parent is None or parent is unit or unit.parent_id is not None:
            continue
        if unit.pk is None:
            parent_of[id(unit)] = parent
        else:
            with_parent.append(unit)
            unit.parent = parent
    pending = new_units
    while pending:
        ready = [u for u in pending if id(u) not in parent_of or parent_of[id(u)].pk is not None]
        if not ready:  # a cycle in the data file: insert the rest without parents
            ready = pending
        for unit in ready:
            parent = parent_of.get(id(unit))
            if parent is not None and parent.pk is not None:
                unit.parent = parent
        Unit.objects.bulk_create(ready, batch_size=500)
        pending = [u for u in pending if u.pk is None]
    if promoted:
        Unit.objects.bulk_update(promoted, ["status", "standard_key"], batch_size=500)
    # Existing units whose parent is loaded only now (a city loaded after its communes).
    for unit in with_parent:
        if unit.parent.pk is not None:
            Unit.objects.filter(pk=unit.pk).update(parent=unit.parent)
    counts.units_created = len(new_units)
    counts.units = len(planned)

    new_aliases: list[UnitAlias] = []
    for area, spec, words, unit in planned:
        for template in spec.get("aliases", []):
            alias = _render(template, words)
            key = name_key(alias)
            if not key or key == unit.normalized_name or (area.pk, key) in alias_keys:
                continue
            other = by_key.get((area.pk, key))
            if other is not None and other.pk != unit.pk:
                continue  # another body of this area is called that
            alias_keys[(area.pk, key)] = unit.pk
            new_aliases.append(UnitAlias(unit=unit, name=alias, normalized_name=key, area=area))
    UnitAlias.objects.bulk_create(new_aliases, batch_size=500)
    counts.aliases_created = len(new_aliases)

    counts.groups_created = _ensure_standard_groups(areas, data, lookup)
    return counts


def _ensure_standard_groups(areas: list[Area], data: dict[str, Any], lookup) -> int:
    ids = [a.pk for a in areas]
    groups = list(UnitGroup.objects.filter(area_id__in=ids))
    by_std = {(g.area_id, g.standard_key): g for g in groups if g.standard_key}
    by_key = {(g.area_id, g.normalized_name): g for g in groups}
    alias_keys = set(UnitGroupAlias.objects.filter(area_id__in=ids).values_list("area_id", "normalized_name"))
    planned: list[tuple[Area, dict[str, Any], dict[str, str], UnitGroup]] = []
    new_groups: list[UnitGroup] = []
    for area in areas:
        words = _words(area, data)
        level = data["levels"].get(area.level)
        if words is None or level is None:
            continue
        for spec in level.get("groups", []):
            if not _applies(spec, area):
                continue
            name = _render(spec["name"], words)
            key = name_key(name)
            group = by_std.get((area.pk, spec["key"])) or by_key.get((area.pk, key))
            if group is None:
                parent = lookup(area, spec.get("member_parent"))
                group = UnitGroup(
                    name=name,
                    normalized_name=key,
                    area=area,
                    member_type=spec.get("member_type", ""),
                    member_level=spec.get("member_level", ""),
                    member_parent=parent,
                    description=spec.get("description", ""),
                    standard_key=spec["key"],
                )
                new_groups.append(group)
            by_key[(area.pk, key)] = group
            planned.append((area, spec, words, group))
    UnitGroup.objects.bulk_create(new_groups, batch_size=500)
    new_aliases = []
    for area, spec, words, group in planned:
        for template in spec.get("aliases", []):
            alias = _render(template, words)
            key = name_key(alias)
            if not key or key == group.normalized_name or (area.pk, key) in alias_keys:
                continue
            if (area.pk, key) in by_key:
                continue
            alias_keys.add((area.pk, key))
            new_aliases.append(UnitGroupAlias(group=group, name=alias, normalized_name=key, area=area))
    UnitGroupAlias.objects.bulk_create(new_aliases, batch_size=500)
    return len(new_groups)


def load_standard_units(*, area: Area, actor=None) -> int:
    """Create the usual bodies of ``area`` (confirmed), their aliases and groups. Idempotent.

    Bodies whose parent sits in the area above (a commune's Đảng ủy under the city's Thành
    ủy) get it when that area's bodies are loaded first. Returns the number of units created.
    """
    with transaction.atomic():
        counts = _ensure_standard([area])
        if counts.units_created or counts.aliases_created or counts.groups_created:
            log_action(
                "org.units.loaded",
                area,
                actor=actor,
                data={**counts.__dict__, "version": standard_data()["version"]},
            )
    return counts.units_created


def load_province(*, name: str, actor=None) -> LoadResult:
    """Areas of one province (by name) and the usual bodies of the nation, it and its communes."""
    province = find_province(name)
    code = f"{province.code.value:02d}"
    areas_in_scope = load_areas(province_codes=[code])
    with transaction.atomic():
        root = Area.objects.get(code=NATION_CODE)
        city = Area.objects.get(code=code)
        communes = list(Area.objects.filter(parent=city).order_by("code"))
        counts = _ensure_standard([root, city, *communes])
        result = LoadResult(
            areas=areas_in_scope,
            units=counts.units,
            units_created=counts.units_created,
            aliases_created=counts.aliases_created,
            groups_created=counts.groups_created,
            version=standard_data()["version"],
        )
        if counts.units_created or counts.aliases_created or counts.groups_created:
            log_action("org.units.loaded", city, actor=actor, data=result.__dict__)
    return result


def load_hanoi(*, actor=None) -> LoadResult:
    """Hà Nội's areas (the city and its 126 communes/wards) and their usual bodies. Idempotent."""
    return load_province(name=HANOI, actor=actor)


# --------------------------------------------------------------------------- resolution


def canonical(unit: Unit | None) -> Unit | None:
    """The unit a merged unit went into (following the chain); the unit itself otherwise."""
    seen: set[int] = set()
    while unit is not None and unit.merged_into_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.merged_into
    return unit


def _standard_parent(area: Area, unit_type: str) -> Unit | None:
    key = _PARENT_BY_TYPE.get(UnitType(unit_type)) if unit_type in UnitType.values else None
    if key is None:
        return None
    return Unit.objects.filter(area=area, standard_key=key, status=UnitStatus.CONFIRMED).first()


def resolve_unit(name: str, *, area: Area, actor=None, create: bool = True) -> ResolvedUnit:
    """Match a name written in a plan issued in ``area`` to a group or a unit.

    Groups first ("các sở, ban, ngành Thành phố", "Trưởng các thôn"), then units by name or
    alias in ``area`` and then in the areas above it, abbreviations expanded both ways
    ("UBND TP" = "Ủy ban nhân dân Thành phố"). When nothing matches and ``create`` is set, an
    unconfirmed unit (or, for a phrase starting with "các", a group) is created in ``area``.
    """
    cleaned = clean_name(name)
    key = name_key(cleaned)
    if not key:
        return ResolvedUnit()
    chain = area_chain(area)
    group = find_group(key, chain)
    if group is not None:
        return ResolvedUnit(group=group)
    if is_group_phrase(cleaned):
        if not create:
            return ResolvedUnit()
        with transaction.atomic():
            group, created = UnitGroup.objects.get_or_create(
                area=area,
                normalized_name=key,
                defaults={
                    "name": cleaned[:300],
                    "member_type": guess_unit_type(cleaned),
                    "description": _("Tạo tự động từ kế hoạch; cần kiểm tra quy tắc thành viên."),
                },
            )
            if created:
                log_action("org.group.created", group, actor=actor, data={"name": cleaned, "source": name})
        return ResolvedUnit(group=group, created=created)
    unit = find_unit(key, chain)
    if unit is not None:
        return ResolvedUnit(unit=canonical(unit))
    if not create:
        return ResolvedUnit()
    unit_type = guess_unit_type(cleaned)
    with transaction.atomic():
        unit = Unit.objects.create(
            name=cleaned[:300],
            unit_type=unit_type,
            area=area,
            parent=_standard_parent(area, unit_type),
            status=UnitStatus.UNCONFIRMED,
            normalized_name=key,
        )
        log_action(
            "org.unit.created",
            unit,
            actor=actor,
            data={"name": unit.name, "source": name, "area": area.code, "unit_type": unit_type},
        )
    return ResolvedUnit(unit=unit, created=True)


# --------------------------------------------------------------------------- review


def _same_name_elsewhere(unit: Unit) -> Unit | None:
    """A confirmed unit of the same area already called what ``unit`` is called."""
    if unit.area_id is None:
        return None
    same = (
        Unit.objects.filter(
            area_id=unit.area_id, normalized_name=unit.normalized_name, status=UnitStatus.CONFIRMED
        )
        .exclude(pk=unit.pk)
        .first()
    )
    if same is not None:
        return same
    alias = (
        UnitAlias.objects.filter(area_id=unit.area_id, normalized_name=unit.normalized_name)
        .exclude(unit_id=unit.pk)
        .select_related("unit")
        .first()
    )
    return alias.unit if alias is not None else None


def confirm_unit(*, unit: Unit, actor) -> Unit:
    """Mark a unit created from a plan as a real body. Refused when its area already has one
    of that name (merge instead) or when it was merged."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.status == UnitStatus.MERGED:
            raise ValidationError(_("Đơn vị này đã được gộp vào đơn vị khác."), code="merged")
        if unit.status == UnitStatus.CONFIRMED:
            return unit
        same = _same_name_elsewhere(unit)
        if same is not None:
            raise ValidationError(
                _("Địa bàn này đã có đơn vị “%(name)s”; hãy gộp vào đơn vị đó.") % {"name": same.name},
                code="duplicate",
            )
        unit.status = UnitStatus.CONFIRMED
        unit.save(update_fields=["status"])
        log_action("org.unit.confirmed", unit, actor=actor, data={"name": unit.name})
    return unit


def merge_unit(*, unit: Unit, into: Unit, actor) -> Unit:
    """Merge ``unit`` into ``into``: ``unit`` becomes merged, its name and aliases now name
    ``into``, references to it (children, earlier merges, groups) move. Returns ``into``."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        into = canonical(Unit.objects.get(pk=into.pk))
        if into is None or into.pk == unit.pk:
            raise ValidationError(_("Không thể gộp một đơn vị vào chính nó."), code="self")
        if unit.status == UnitStatus.MERGED:
            raise ValidationError(_("Đơn vị này đã được gộp vào đơn vị khác."), code="merged")
        UnitAlias.objects.filter(unit=unit).update(unit=into)
        Unit.objects.filter(merged_into=unit).update(merged_into=into)
        Unit.objects.filter(parent=unit).exclude(pk=into.pk).update(parent=into)
        UnitGroup.objects.filter(member_parent=unit).update(member_parent=into)
        alias = None
        same_as_into = unit.area_id == into.area_id and unit.normalized_name == into.normalized_name
        if unit.area_id is not None and not same_as_into:
            alias, _created = UnitAlias.objects.get_or_create(
                area_id=unit.area_id,
                normalized_name=unit.normalized_name,
                defaults={"unit": into, "name": unit.name},
            )
        unit.status = UnitStatus.MERGED
        unit.merged_into = into
        unit.save(update_fields=["status", "merged_into"])
        log_action(
            "org.unit.merged",
            unit,
            actor=actor,
            data={
                "name": unit.name,
                "into": into.pk,
                "into_name": into.name,
                "alias": alias.name if alias is not None and alias.unit_id == into.pk else None,
            },
        )
    return into


def add_alias(*, unit: Unit, name: str, actor, area: Area | None = None) -> UnitAlias:
    """Record another spelling of ``unit``, resolved within ``area`` (the unit's area by default)."""
    unit = canonical(unit)
    area = area or unit.area
    cleaned = clean_name(name)
    key = name_key(cleaned)
    if area is None or not key:
        raise ValidationError(_("Tên gọi khác cần có nội dung và địa bàn."), code="invalid")
    with transaction.atomic():
        existing = UnitAlias.objects.select_related("unit").filter(area=area, normalized_name=key).first()
        if existing is not None:
            if existing.unit_id == unit.pk:
                return existing
            raise ValidationError(
                _("Tên gọi “%(alias)s” đã dùng cho đơn vị “%(name)s”.")
                % {"alias": cleaned, "name": existing.unit.name},
                code="taken",
            )
        other = (
            Unit.objects.filter(area=area, normalized_name=key)
            .exclude(pk=unit.pk)
            .exclude(status=UnitStatus.MERGED)
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("Tên gọi “%(alias)s” đã dùng cho đơn vị “%(name)s”.")
                % {"alias": cleaned, "name": other.name},
                code="taken",
            )
        alias = UnitAlias.objects.create(unit=unit, name=cleaned[:300], normalized_name=key, area=area)
        log_action("org.alias.added", unit, actor=actor, data={"alias": alias.name, "area": area.code})
    return alias


def create_unit(*, area: Area, name: str, unit_type: str, actor, parent: Unit | None = None) -> Unit:
    """Add a body to an area (e.g. the villages a commune has). Refused when the area already has one of that name."""
    cleaned = clean_name(name)
    key = name_key(cleaned)
    if not key:
        raise ValidationError(_("Tên đơn vị không được để trống."), code="invalid")
    with transaction.atomic():
        if (
            Unit.objects.filter(area=area, normalized_name=key).exclude(status=UnitStatus.MERGED).exists()
            or UnitAlias.objects.filter(area=area, normalized_name=key).exists()
        ):
            raise ValidationError(
                _("Địa bàn này đã có đơn vị “%(name)s”.") % {"name": cleaned}, code="duplicate"
            )
        unit = Unit.objects.create(
            name=cleaned[:300],
            unit_type=unit_type,
            area=area,
            parent=parent,
            status=UnitStatus.CONFIRMED,
            normalized_name=key,
        )
        log_action(
            "org.unit.created", unit, actor=actor, data={"name": unit.name, "area": area.code, "by": "hand"}
        )
    return unit


def rename_unit(*, unit: Unit, name: str, actor) -> Unit:
    """Rename a body; the old name stays as an alias so plans that use it still find the unit."""
    cleaned = clean_name(name)
    key = name_key(cleaned)
    if not key:
        raise ValidationError(_("Tên đơn vị không được để trống."), code="invalid")
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if key == unit.normalized_name:
            return unit
        clash = Unit.objects.filter(area=unit.area, normalized_name=key).exclude(pk=unit.pk)
        if clash.exclude(status=UnitStatus.MERGED).exists():
            raise ValidationError(
                _("Địa bàn này đã có đơn vị “%(name)s”.") % {"name": cleaned}, code="duplicate"
            )
        before = unit.name
        if unit.area_id:
            UnitAlias.objects.get_or_create(
                area_id=unit.area_id,
                normalized_name=unit.normalized_name,
                defaults={"unit": unit, "name": before},
            )
        unit.name, unit.normalized_name = cleaned[:300], key
        unit.save(update_fields=["name", "normalized_name"])
        log_action(
            "org.unit.renamed",
            unit,
            actor=actor,
            data={"before": {"name": before}, "after": {"name": unit.name}},
        )
    return unit
