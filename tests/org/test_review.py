import pytest
from django.core.exceptions import ValidationError

from loa.audit.models import AuditEntry
from loa.org.models import Unit, UnitAlias, UnitStatus
from loa.org.selectors import area_subtree_codes, unit_candidates
from loa.org.services import add_alias, canonical, confirm_unit, merge_unit, resolve_unit

pytestmark = pytest.mark.django_db


def _audit(code, obj):
    return AuditEntry.objects.filter(action=code, object_type="org.unit", object_id=str(obj.pk))


def test_confirm_marks_the_unit_and_writes_an_audit_entry(hanoi, staff):
    unit = resolve_unit("Trường Mầm non Hưng Đạo", area=hanoi.commune).unit
    confirmed = confirm_unit(unit=unit, actor=staff)
    assert confirmed.status == UnitStatus.CONFIRMED
    assert _audit("org.unit.confirmed", unit).get().actor == staff
    assert confirm_unit(unit=unit, actor=staff).status == UnitStatus.CONFIRMED  # no-op
    assert _audit("org.unit.confirmed", unit).count() == 1


def test_confirm_refuses_a_second_body_of_the_same_name(hanoi, staff):
    existing = Unit.objects.get(area=hanoi.commune, standard_key="culture_society")
    twin = Unit.objects.create(
        name="Phòng Văn hóa - Xã hội", area=hanoi.commune, normalized_name="phong van hoa xa hoi"
    )
    with pytest.raises(ValidationError) as exc:
        confirm_unit(unit=twin, actor=staff)
    assert existing.name in exc.value.messages[0]
    twin.refresh_from_db()
    assert twin.status == UnitStatus.UNCONFIRMED


def test_merge_moves_the_name_as_an_alias_and_sets_merged_into(hanoi, staff):
    typo = resolve_unit("Phòng Văn hoá Xã hội xã Hưng Đạo (cũ)", area=hanoi.commune).unit
    add_alias(unit=typo, name="Phòng VHXH cũ", actor=staff)
    into = Unit.objects.get(area=hanoi.commune, standard_key="culture_society")

    result = merge_unit(unit=typo, into=into, actor=staff)

    typo.refresh_from_db()
    assert result == into
    assert typo.status == UnitStatus.MERGED and typo.merged_into == into
    assert canonical(typo) == into
    assert set(UnitAlias.objects.filter(unit=into).values_list("name", flat=True)) >= {
        "Phòng Văn hoá Xã hội xã Hưng Đạo (cũ)",
        "Phòng VHXH cũ",
    }
    assert not UnitAlias.objects.filter(unit=typo).exists()
    entry = _audit("org.unit.merged", typo).get()
    assert entry.actor == staff and entry.data["into"] == into.pk
    assert _audit("org.alias.added", typo).count() == 1
    # The same spelling now resolves to the body it was merged into.
    again = resolve_unit("Phòng Văn hoá Xã hội xã Hưng Đạo (cũ)", area=hanoi.commune)
    assert again.unit == into and not again.created


def test_merge_follows_chains_and_refuses_self(hanoi, staff):
    a = resolve_unit("Thôn Đông A", area=hanoi.commune).unit
    b = resolve_unit("Thôn Đông B", area=hanoi.commune).unit
    c = resolve_unit("Thôn Đông", area=hanoi.commune).unit
    confirm_unit(unit=c, actor=staff)
    merge_unit(unit=a, into=b, actor=staff)
    merge_unit(unit=b, into=c, actor=staff)
    a.refresh_from_db()
    assert a.merged_into == c  # earlier merges move along
    assert canonical(a) == c
    with pytest.raises(ValidationError):
        merge_unit(unit=c, into=c, actor=staff)
    with pytest.raises(ValidationError):
        merge_unit(unit=a, into=c, actor=staff)


def test_add_alias_is_idempotent_and_refuses_another_units_name(hanoi, staff):
    unit = Unit.objects.get(area=hanoi.city, standard_key="dept_culture_sports")
    alias = add_alias(unit=unit, name="Sở VH&TT Thủ đô", actor=staff)
    assert alias.name == "Sở VH&TT Thủ đô" and alias.area == hanoi.city
    assert add_alias(unit=unit, name="Sở Văn hóa và Thể thao Thủ đô", actor=staff) == alias
    assert _audit("org.alias.added", unit).count() == 1
    assert resolve_unit("Sở VH-TT Thủ đô", area=hanoi.city).unit == unit
    with pytest.raises(ValidationError):
        add_alias(unit=unit, name="Sở Nội vụ", actor=staff)


def test_candidates_are_confirmed_units_with_similar_names_nearby(hanoi):
    unit = resolve_unit("Phòng Văn hóa Thông tin xã", area=hanoi.commune).unit
    candidates = unit_candidates(unit)
    assert candidates and candidates[0].name == "Phòng Văn hóa - Xã hội xã Hưng Đạo"
    assert all(c.status == UnitStatus.CONFIRMED for c in candidates)
    assert {c.area_id for c in candidates} <= {hanoi.commune.pk, hanoi.city.pk, hanoi.nation.pk}
    assert len(unit_candidates(unit, limit=2)) <= 2


def test_area_subtree_codes(hanoi):
    codes = area_subtree_codes(hanoi.city)
    assert "01" in codes and hanoi.commune.code in codes and len(codes) == 127
    assert area_subtree_codes(hanoi.commune) == [hanoi.commune.code]
    assert len(area_subtree_codes(hanoi.nation)) == 128


def test_find_area_by_code_or_name(hanoi):
    from loa.org.selectors import find_area

    assert find_area("01") == hanoi.city
    assert find_area("Hà Nội") == hanoi.city
    assert find_area("xã Hưng Đạo") == hanoi.commune
    assert find_area("Hưng Đạo", within=hanoi.city) == hanoi.commune
    assert find_area("Ba Đình", within=hanoi.commune) is None
    assert find_area("Atlantis") is None
