import datetime as dt

import pytest
from django.urls import reverse

from loa.activities.services import record_activity

pytestmark = pytest.mark.django_db


def test_office_sees_changes_made_in_its_scope_only(client, world):
    a = world["assignment"]
    record_activity(
        actor=world["officer_a"],
        unit=a.unit,
        date=dt.date(2026, 6, 1),
        channel="web_portal",
        form="tin",
        title="Tin trên cổng",
        tasks=[a.task],
    )
    client.force_login(world["office_a"])
    html = client.get(reverse("audit_log:list")).content.decode()
    assert "activities.activity.recorded" in html and "canbo_a" in html
    client.force_login(world["officer_a"])
    assert client.get(reverse("audit_log:list")).status_code == 404
    client.force_login(world["city"])
    assert (
        "activities.activity.recorded"
        in client.get(reverse("audit_log:list") + "?ma=activities").content.decode()
    )
