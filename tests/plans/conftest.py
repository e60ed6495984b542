import pytest

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Unit
from loa.org.services import load_hanoi


@pytest.fixture
def hanoi(db):
    load_hanoi()


@pytest.fixture
def city_board(hanoi):
    return Unit.objects.get(name="Ban Tuyên giáo và Dân vận Thành ủy Hà Nội")


@pytest.fixture
def officer(db, django_user_model, city_board):
    """An officer of the city's propaganda board: the office role over the whole city."""
    user = django_user_model.objects.create_user("canbo", password="mat-khau-dai-123", is_staff=True)
    grant_role(user=user, unit=city_board, role=Role.OFFICE)
    return user
