import pytest

from loa.org.services import load_hanoi


@pytest.fixture
def hanoi(db):
    load_hanoi()


@pytest.fixture
def officer(db, django_user_model):
    return django_user_model.objects.create_user("canbo", password="mat-khau-dai-123", is_staff=True)
