import pytest
from django.core.management import call_command

from loa.audit.models import AuditEntry
from loa.org.models import Area, AreaLevel, Unit, UnitAlias, UnitGroup, UnitStatus
from loa.org.services import find_province, load_areas, load_hanoi, load_standard_units

pytestmark = pytest.mark.django_db


def _counts():
    return (Area.objects.count(), Unit.objects.count(), UnitAlias.objects.count(), UnitGroup.objects.count())


def test_it_loads_hanoi_and_its_126_communes_idempotently():
    first = load_hanoi()
    counts = _counts()
    second = load_hanoi()

    city = Area.objects.get(name="Thành phố Hà Nội")
    assert city.level == AreaLevel.PROVINCE and city.short_name == "Hà Nội"
    assert city.parent.code == "VN"
    assert Area.objects.filter(parent=city, level=AreaLevel.COMMUNE).count() == 126
    assert first.areas == 128  # nation + city + 126 communes and wards
    assert first.units_created == first.units > 126 * 10
    assert second.units_created == second.aliases_created == second.groups_created == 0
    assert second.units == first.units
    assert _counts() == counts


def test_it_finds_hanoi_by_name_not_by_a_hard_coded_code():
    assert find_province("Hà Nội").name == "Thành phố Hà Nội"
    assert find_province("thanh pho ha noi").name == "Thành phố Hà Nội"
    with pytest.raises(ValueError):
        find_province("Atlantis")


def test_it_loads_areas_only_for_the_provinces_asked():
    assert load_areas(province_codes=["01"]) == 128
    assert load_areas(province_codes=["1"]) == 128
    assert Area.objects.filter(level=AreaLevel.PROVINCE).count() == 1


def test_it_gives_each_standard_body_a_parent(hanoi):
    commune_party = Unit.objects.get(area=hanoi.commune, standard_key="party_committee")
    city_party = Unit.objects.get(area=hanoi.city, standard_key="party_committee")
    assert commune_party.name == "Đảng ủy xã Hưng Đạo"
    assert commune_party.parent == city_party
    assert city_party.name == "Thành ủy Hà Nội"
    culture = Unit.objects.get(area=hanoi.commune, standard_key="culture_society")
    assert culture.parent.name == "UBND xã Hưng Đạo"
    assert culture.status == UnitStatus.CONFIRMED


def test_it_loads_the_bodies_of_a_ward_and_of_a_commune_differently(hanoi):
    commune_keys = set(Unit.objects.filter(area=hanoi.commune).values_list("standard_key", flat=True))
    ward_keys = set(Unit.objects.filter(area=hanoi.other_commune).values_list("standard_key", flat=True))
    assert "economy" in commune_keys and "economy_infrastructure" not in commune_keys
    assert "economy_infrastructure" in ward_keys and "economy" not in ward_keys
    assert (
        Unit.objects.get(area=hanoi.other_commune, standard_key="peoples_committee").name
        == "UBND phường Ba Đình"
    )


def test_load_standard_units_is_idempotent_and_audited(hanoi, staff):
    before = _counts()
    assert load_standard_units(area=hanoi.commune, actor=staff) == 0
    assert _counts() == before
    assert AuditEntry.objects.filter(action="org.units.loaded", object_id=str(hanoi.commune.pk)).count() == 1


def test_the_command_prints_what_it_loaded_in_vietnamese():
    from io import StringIO

    out = StringIO()
    call_command("load_units", stdout=out)
    assert "128 đơn vị hành chính" in out.getvalue()
    out = StringIO()
    call_command("load_units", stdout=out)
    assert "(0 mới" in out.getvalue()
