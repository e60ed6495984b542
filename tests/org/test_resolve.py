import pytest

from loa.audit.models import AuditEntry
from loa.org.models import Unit, UnitGroup, UnitStatus, UnitType
from loa.org.selectors import group_members
from loa.org.services import resolve_unit

pytestmark = pytest.mark.django_db


def test_it_resolves_abbreviated_and_full_names_to_the_same_body(hanoi):
    short = resolve_unit("UBND TP", area=hanoi.city)
    full = resolve_unit("Ủy ban nhân dân Thành phố", area=hanoi.city)
    assert short.unit is not None and short.unit == full.unit
    assert short.unit.name == "UBND Thành phố Hà Nội"
    assert not short.created and not full.created


def test_it_keeps_the_party_committee_of_the_peoples_committee_apart(hanoi):
    party = resolve_unit("Đảng ủy UBND Thành phố", area=hanoi.city).unit
    committee = resolve_unit("UBND Thành phố", area=hanoi.city).unit
    assert party != committee
    assert party.unit_type == UnitType.PARTY_COMMITTEE
    assert committee.unit_type == UnitType.PEOPLES_COMMITTEE


@pytest.mark.parametrize(
    "name",
    [
        "Ban Tuyên giáo và Dân vận Thành ủy",
        "Đề nghị Đảng ủy HĐND Thành phố",
        "Cơ quan Báo và phát thanh, truyen hinh Hà Nội",
        "Cơ quan báo, Phát thanh và Truyền hình Hà Nội",
        "Sở Văn hóa và Thể thao",
        "Sở Nội vụ",
    ],
)
def test_it_resolves_the_bodies_named_in_the_city_plan(hanoi, name):
    result = resolve_unit(name, area=hanoi.city, create=False)
    assert result.unit is not None and result.unit.status == UnitStatus.CONFIRMED
    assert result.unit.area == hanoi.city


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Văn phòng HĐND và UBND xã", "Văn phòng HĐND và UBND xã Hưng Đạo"),
        ("Phòng Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội xã Hưng Đạo"),
        ("Trung tâm dịch vụ tổng hợp xã", "Trung tâm dịch vụ tổng hợp xã Hưng Đạo"),
        ("TT. Đảng ủy xã", "Đảng ủy xã Hưng Đạo"),
        ("UBND xã Hưng Đạo", "UBND xã Hưng Đạo"),
    ],
)
def test_it_resolves_the_bodies_named_in_the_commune_plan(hanoi, name, expected):
    result = resolve_unit(name, area=hanoi.commune, create=False)
    assert result.unit is not None and result.unit.name == expected


def test_a_commune_plan_may_name_a_city_body(hanoi):
    result = resolve_unit("UBND Thành phố", area=hanoi.commune, create=False)
    assert result.unit.area == hanoi.city


def test_a_name_resolves_within_the_issuers_area_first(hanoi):
    mine = resolve_unit("UBND xã", area=hanoi.commune).unit
    assert mine.area == hanoi.commune
    assert resolve_unit("UBND phường", area=hanoi.other_commune).unit.area == hanoi.other_commune


@pytest.mark.parametrize(
    ("name", "area_attr"),
    [
        ("các sở, ban, ngành Thành phố", "city"),
        ("Các sở, ban, ngành TP", "city"),
        ("Đảng ủy các xã, phường", "city"),
        ("Đảng ủy các xã, phường và Đảng ủy trực thuộc Thành ủy", "city"),
        ("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội Thành phố", "city"),
        ("Trưởng các thôn", "commune"),
        ("Các Phòng, ban, đơn vị thuộc xã", "commune"),
        ("Các Thôn trên địa bàn xã", "commune"),
    ],
)
def test_group_phrases_resolve_to_groups_not_units(hanoi, name, area_attr):
    before = Unit.objects.count()
    result = resolve_unit(name, area=getattr(hanoi, area_attr))
    assert result.group is not None and result.unit is None and not result.created
    assert Unit.objects.count() == before


def test_group_members_follow_the_rule(hanoi):
    departments = resolve_unit("các sở, ban, ngành Thành phố", area=hanoi.city).group
    members = list(group_members(departments))
    assert {u.unit_type for u in members} == {UnitType.DEPARTMENT}
    assert {u.area for u in members} == {hanoi.city}
    assert any(u.name == "Sở Nội vụ Hà Nội" for u in members)

    communes = resolve_unit("Đảng ủy các xã, phường", area=hanoi.city).group
    assert {u.name for u in group_members(communes)} == {"Đảng ủy xã Hưng Đạo", "Đảng ủy phường Ba Đình"}

    subordinate = resolve_unit("Đảng ủy các xã, phường và Đảng ủy trực thuộc Thành ủy", area=hanoi.city).group
    names = {u.name for u in group_members(subordinate)}
    assert {"Đảng ủy xã Hưng Đạo", "Đảng ủy UBND Thành phố Hà Nội"} <= names
    assert "Thành ủy Hà Nội" not in names

    offices = resolve_unit("Các Phòng, ban, đơn vị thuộc xã", area=hanoi.commune).group
    office_names = {u.name for u in group_members(offices)}
    assert "Phòng Văn hóa - Xã hội xã Hưng Đạo" in office_names
    assert "Văn phòng HĐND và UBND xã Hưng Đạo" in office_names
    assert all(u.area == hanoi.commune for u in group_members(offices))


def test_village_heads_are_the_confirmed_villages_of_the_commune(hanoi, staff):
    from loa.org.services import confirm_unit

    village = resolve_unit("Thôn Đông", area=hanoi.commune).unit
    assert village.unit_type == UnitType.VILLAGE
    heads = resolve_unit("Trưởng các thôn", area=hanoi.commune).group
    assert list(group_members(heads)) == []
    confirm_unit(unit=village, actor=staff)
    assert list(group_members(heads)) == [village]


def test_an_unknown_name_creates_one_unconfirmed_unit(hanoi, staff):
    first = resolve_unit("Đề nghị Trung tâm Văn hóa - Thông tin xã;", area=hanoi.commune, actor=staff)
    second = resolve_unit("Trung tâm Văn hóa - Thông tin xã", area=hanoi.commune, actor=staff)
    assert first.created and not second.created
    assert first.unit == second.unit
    unit = first.unit
    assert unit.name == "Trung tâm Văn hóa - Thông tin xã"
    assert unit.status == UnitStatus.UNCONFIRMED
    assert unit.unit_type == UnitType.SERVICE_CENTRE
    assert unit.area == hanoi.commune
    assert unit.parent.name == "UBND xã Hưng Đạo"
    entries = AuditEntry.objects.filter(action="org.unit.created", object_id=str(unit.pk))
    assert entries.count() == 1 and entries.get().actor == staff


def test_it_creates_nothing_when_asked_not_to(hanoi):
    before = Unit.objects.count()
    result = resolve_unit("Sở Ngoại vụ", area=hanoi.city, create=False)
    assert result.unit is None and result.group is None and not result.created
    assert Unit.objects.count() == before


def test_an_unknown_plural_phrase_becomes_a_group(hanoi):
    result = resolve_unit("các cơ quan, đơn vị có liên quan", area=hanoi.city)
    assert result.group is not None and result.created
    again = resolve_unit("Các cơ quan, đơn vị có liên quan", area=hanoi.city)
    assert again.group == result.group and not again.created
    assert UnitGroup.objects.filter(pk=result.group.pk).exists()
    assert AuditEntry.objects.filter(action="org.group.created").count() == 1


def test_an_empty_name_resolves_to_nothing(hanoi):
    assert resolve_unit("  ;  ", area=hanoi.city).unit is None
