import pytest
from django.contrib.auth import get_user_model

from loa.audit.models import AuditEntry
from loa.audit.services import log_action

pytestmark = pytest.mark.django_db


def test_it_records_code_object_actor_and_data():
    user = get_user_model().objects.create_user("canbo", password="x")
    entry = log_action("accounts.user.created", user, actor=user, data={"tên": "Cán bộ"})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "accounts.user.created"
    assert stored.object_type == "auth.user"
    assert stored.object_id == str(user.pk)
    assert stored.actor == user
    assert stored.data == {"tên": "Cán bộ"}


def test_it_drops_anonymous_actor():
    from django.contrib.auth.models import AnonymousUser

    entry = log_action("plans.plan.viewed", None, actor=AnonymousUser())
    assert entry.actor is None
    assert entry.object_type == ""
