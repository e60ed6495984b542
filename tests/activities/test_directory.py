import pytest
from django.urls import reverse

from loa.audit.models import AuditEntry
from loa.org.models import Unit, UnitAlias
from loa.org.services import resolve_unit

pytestmark = pytest.mark.django_db


def test_commune_office_adds_a_village_and_a_plan_then_finds_it(client, world):
    area = world["plan"].area
    client.force_login(world["office_a"])
    assert client.get(reverse("directory:area", args=[area.code])).status_code == 200
    client.post(
        reverse("directory:unit_add", args=[area.code]), {"name": "Thôn Đoài", "unit_type": "village"}
    )
    village = Unit.objects.get(area=area, name="Thôn Đoài")
    assert resolve_unit("Thôn Đoài", area=area).unit == village
    assert AuditEntry.objects.filter(action="org.unit.created", object_id=str(village.pk)).exists()


def test_rename_keeps_the_old_name_as_an_alias(client, world):
    area = world["plan"].area
    unit = world["assignment"].unit
    old = unit.name
    client.force_login(world["office_a"])
    client.post(
        reverse("directory:unit_rename", args=[unit.pk]), {"name": "Trung tâm Dịch vụ tổng hợp xã (mới)"}
    )
    unit.refresh_from_db()
    assert unit.name.endswith("(mới)")
    assert UnitAlias.objects.filter(unit=unit, name=old, area=area).exists()
    assert resolve_unit(old, area=area).unit == unit


def test_directory_is_scoped(client, world):
    area = world["plan"].area
    unit = world["assignment"].unit
    for persona, expected in [("officer_b", 404), ("nobody", 404), ("officer_a", 200), ("viewer_a", 200)]:
        client.force_login(world[persona])
        assert client.get(reverse("directory:area", args=[area.code])).status_code == expected, persona
    for persona in ["officer_a", "viewer_a", "officer_b"]:
        client.force_login(world[persona])
        response = client.post(reverse("directory:unit_rename", args=[unit.pk]), {"name": "Tên lạ"})
        assert response.status_code == 404, persona
        response = client.post(
            reverse("directory:unit_add", args=[area.code]), {"name": "X", "unit_type": "village"}
        )
        assert response.status_code == 404, persona
    client.force_login(world["city"])
    assert client.get(reverse("directory:area", args=[area.parent.code])).status_code == 200
    assert client.get(reverse("directory:home")).status_code == 200
