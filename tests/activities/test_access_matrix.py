"""Roles × own unit / other unit / parent unit, for every page of execution and plans."""

import datetime as dt

import pytest
from django.urls import reverse

from loa.activities.models import Activity
from loa.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

READ = {"officer_a": 200, "office_a": 200, "viewer_a": 200, "city": 200, "officer_b": 404, "nobody": 404}
WRITE = {"officer_a": 200, "office_a": 200, "viewer_a": 404, "city": 200, "officer_b": 404, "nobody": 404}
IMPORT = {"officer_a": 403, "office_a": 200, "viewer_a": 403, "city": 200, "officer_b": 403, "nobody": 403}


def urls(world):
    pk = world["assignment"].pk
    return [
        (reverse("activities:assignment", args=[pk]), "get", READ),
        (reverse("plans:detail", args=[world["plan"].pk]), "get", READ),
        (reverse("activities:plan_dashboard", args=[world["plan"].pk]), "get", READ),
        (reverse("activities:plan_ranking_export", args=[world["plan"].pk, "csv"]), "get", READ),
        (reverse("activities:activity_new", args=[pk]), "get", WRITE),
        (reverse("activities:theme_suggestions", args=[pk]) + "?text=văn hóa", "get", WRITE),
        (reverse("plans:upload"), "get", IMPORT),
    ]


@pytest.mark.parametrize("persona", sorted(READ))
def test_access_matrix(client, world, persona):
    client.force_login(world[persona])
    for url, method, expected in urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == expected[persona], (persona, url, response.status_code)


@pytest.mark.parametrize("persona", sorted(WRITE))
def test_recording_an_activity_follows_write_scope(client, world, persona):
    client.force_login(world[persona])
    url = reverse("activities:activity_new", args=[world["assignment"].pk])
    data = {
        "title": "Tin bài về Nghị quyết 02",
        "date": "2026-06-02",
        "channel": "social_media",
        "form": "tin",
        "quantity": 3,
    }
    response = client.post(url, data)
    if WRITE[persona] == 200:
        assert response.status_code == 302
        assert Activity.objects.filter(unit=world["assignment"].unit, quantity=3).count() == 1
        assert AuditEntry.objects.filter(action="activities.activity.recorded").exists()
    else:
        assert response.status_code == 404
        assert not Activity.objects.exists()


@pytest.mark.parametrize("persona", sorted(WRITE))
def test_marking_done_follows_write_scope(client, world, persona):
    client.force_login(world[persona])
    pk = world["assignment"].pk
    response = client.post(reverse("activities:assignment_complete", args=[pk]), {"note": "Đã thực hiện"})
    world["assignment"].refresh_from_db()
    assert (world["assignment"].done_at is not None) == (WRITE[persona] == 200)
    assert response.status_code == (302 if WRITE[persona] == 200 else 404)


def test_task_list_shows_only_own_units_tasks(client, world):
    client.force_login(world["officer_b"])
    assert (
        world["assignment"].task.text[:40] not in client.get(reverse("activities:my_tasks")).content.decode()
    )
    client.force_login(world["officer_a"])
    html = client.get(reverse("activities:my_tasks")).content.decode()
    assert "Ghi nhận hoạt động" in html and "10 tin, bài/tháng" in html


def test_plan_list_is_scoped(client, world):
    client.force_login(world["officer_b"])
    assert world["plan"].title[:30] not in client.get(reverse("plans:list")).content.decode()
    client.force_login(world["viewer_a"])
    assert world["plan"].title[:30] in client.get(reverse("plans:list")).content.decode()


def test_task_list_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    from loa.activities.services import record_activity

    a = world["assignment"]
    for day in range(1, 20):
        record_activity(
            actor=None,
            unit=a.unit,
            date=dt.date(2026, 6, day),
            channel="social_media",
            form="tin",
            title=f"Tin {day}",
            tasks=[a.task],
        )
    client.force_login(world["city"])
    # session, user, roles, unit ids, page count, assignments, tasks, plans, quotas, quota forms,
    # task tallies, quota sums, calendar units: the same for 1 task or 3,000
    with django_assert_max_num_queries(15):
        assert client.get(reverse("activities:my_tasks")).status_code == 200


@pytest.mark.parametrize("persona", sorted(READ))
def test_comments_follow_read_scope(client, world, persona):
    client.force_login(world[persona])
    pk = world["assignment"].pk
    response = client.post(
        reverse("activities:assignment_comment", args=[pk]), {"text": "Đề nghị bổ sung minh chứng"}
    )
    assert response.status_code == (302 if READ[persona] == 200 else 404)
    assert world["assignment"].comments.count() == (1 if READ[persona] == 200 else 0)
    if READ[persona] == 200:
        html = client.get(reverse("activities:assignment", args=[pk])).content.decode()
        assert "Đề nghị bổ sung minh chứng" in html
        assert AuditEntry.objects.filter(action="plans.task.commented").exists()
