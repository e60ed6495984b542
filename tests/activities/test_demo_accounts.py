import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from loa.accounts.access import scope_for

pytestmark = pytest.mark.django_db


def test_demo_accounts_cover_each_role_once(world, capsys):
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert "mau.canbo.xa" in out and "mau.thanhuy" in out
    call_command("demo_accounts")
    assert "đã có" in capsys.readouterr().out
    officer = get_user_model().objects.get(username="mau.canbo.xa")
    assert list(scope_for(officer).writable_units()) == [world["assignment"].unit]
    viewer = get_user_model().objects.get(username="mau.lanhdao.xa")
    assert not scope_for(viewer).writable_units().exists() and scope_for(viewer).readable_units().exists()
