from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from loa.org.models import Area
from loa.org.services import load_areas, load_standard_units

HANOI_CODE = "01"


@dataclass
class Hanoi:
    nation: Area
    city: Area
    commune: Area  # Xã Hưng Đạo, the issuer of the commune seed plan
    other_commune: Area  # Phường Ba Đình


@pytest.fixture
def hanoi(db) -> Hanoi:
    """Hà Nội's areas, with the usual bodies of the nation, the city and two of its communes."""
    load_areas(province_codes=[HANOI_CODE])
    nation = Area.objects.get(code="VN")
    city = Area.objects.get(code=HANOI_CODE)
    commune = Area.objects.get(parent=city, name="Xã Hưng Đạo")
    other = Area.objects.get(parent=city, name="Phường Ba Đình")
    for area in (nation, city, commune, other):
        load_standard_units(area=area)
    return Hanoi(nation=nation, city=city, commune=commune, other_commune=other)


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("vanphong", password="x", is_staff=True)


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("canbo", password="x")


@pytest.fixture
def unit_editor(db):
    user = get_user_model().objects.create_user("bientap", password="x")
    user.user_permissions.add(Permission.objects.get(codename="change_unit", content_type__app_label="org"))
    return user
