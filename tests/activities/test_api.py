"""The HTTP API: key authentication, the roles × units matrix for every endpoint, idempotent pushes,
Vietnamese errors and readable Vietnamese JSON, and the OpenAPI docs."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from loa.accounts.models import ApiToken
from loa.accounts.tokens import authenticate_token, create_token, revoke_token
from loa.activities.models import Activity
from loa.activities.services import record_activity
from loa.audit.models import AuditEntry
from loa.plans.models import TaskAssignment, Theme

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.activities.api_urls")]

PERSONAS = ["officer_a", "office_a", "viewer_a", "city", "officer_b", "nobody"]
CAN_WRITE_A = {"officer_a", "office_a", "city"}
CAN_READ_A = {"officer_a", "office_a", "viewer_a", "city"}
TASK_REFUSED = "Nhiệm vụ được chọn không được giao cho đơn vị này."


def bearer(user) -> dict:
    _, raw = create_token(user=user, name="Hệ thống tòa soạn", actor=None)
    return {"Authorization": f"Bearer {raw}"}


def body(world, **extra) -> dict:
    a = world["assignment"]
    data = {
        "unit": a.unit_id,
        "date": timezone.localdate().isoformat(),
        "channel": "social_media",
        "form": "tin",
        "quantity": 2,
        "title": "Tin bài về Nghị quyết 02 của Thành ủy",
        "link": "https://hungdao.hanoi.gov.vn/tin-bai/1",
        "tasks": [a.task_id],
        "audiences": ["thanh_nien"],
        "views": 1200,
    }
    return data | extra


def post(client, headers, data):
    return client.post("/api/activities/", data, content_type="application/json", headers=headers)


def activity_of_a(world, **extra) -> Activity:
    a = world["assignment"]
    fields = {
        "actor": None,
        "unit": a.unit,
        "date": dt.date(2026, 6, 2),
        "channel": "social_media",
        "form": "tin",
        "title": "Phóng sự về đường làng ngõ xóm",
        "tasks": [a.task],
    }
    return record_activity(**(fields | extra))


# Authentication


def test_it_authenticates_with_a_bearer_key(client, world):
    token, raw = create_token(user=world["officer_a"], name="Tòa soạn", actor=world["city"])
    assert token.key_hash != raw and len(token.key_hash) == 64 and raw.startswith(token.prefix)
    response = client.get("/api/activities/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    entry = AuditEntry.objects.get(action="accounts.token.created")
    assert entry.actor == world["city"] and raw not in json.dumps(entry.data)


@pytest.mark.parametrize("header", [None, "Bearer khong-ton-tai", "Basic abc", "Bearer "])
def test_it_answers_401_without_a_valid_key(client, world, header):
    headers = {"Authorization": header} if header else {}
    assert client.get("/api/activities/", headers=headers).status_code == 401
    assert post(client, headers, body(world)).status_code == 401
    assert client.get("/api/tasks/", headers=headers).status_code == 401
    assert not Activity.objects.exists()


def test_it_refuses_a_revoked_key(client, world):
    token, raw = create_token(user=world["officer_a"], name="Tòa soạn", actor=None)
    revoke_token(token=token, actor=world["city"])
    revoke_token(token=token, actor=world["city"])  # twice is harmless
    assert client.get("/api/activities/", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert AuditEntry.objects.filter(action="accounts.token.revoked").count() == 1


def test_it_refuses_the_key_of_a_deactivated_person(client, world):
    headers = bearer(world["officer_a"])
    world["officer_a"].is_active = False
    world["officer_a"].save()
    assert client.get("/api/activities/", headers=headers).status_code == 401


def test_it_records_last_use_at_most_once_a_minute(world, django_assert_num_queries):
    token, raw = create_token(user=world["officer_a"], name="Tòa soạn", actor=None)
    recent = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    with django_assert_num_queries(1):
        assert authenticate_token(raw) == world["officer_a"]
    token.refresh_from_db()
    assert token.last_used_at == recent
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent - dt.timedelta(minutes=1))
    assert authenticate_token(raw) == world["officer_a"]
    token.refresh_from_db()
    assert token.last_used_at > recent


def test_the_session_works_with_csrf_for_the_browsable_docs(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["officer_a"])
    assert browser.get("/api/activities/").status_code == 200
    assert post(browser, {}, body(world)).status_code == 403  # no CSRF token
    assert post(browser, bearer(world["officer_a"]), body(world)).status_code == 201  # a key needs none


# Permission matrix


@pytest.mark.parametrize("persona", PERSONAS)
def test_creating_follows_write_scope(client, world, persona):
    response = post(client, bearer(world[persona]), body(world))
    if persona in CAN_WRITE_A:
        assert response.status_code == 201, response.content
        activity = Activity.objects.get()
        assert response.json()["id"] == activity.pk
        assert activity.created_by == world[persona] and list(activity.tasks.all()) == [world["task"]]
        assert activity.audiences == ["thanh_nien"] and activity.channel == "social_media"
        assert AuditEntry.objects.filter(action="activities.activity.recorded", actor=world[persona]).exists()
    else:
        assert response.status_code == 404
        assert not Activity.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_follows_read_scope(client, world, persona):
    activity = activity_of_a(world)
    headers = bearer(world[persona])
    listed = client.get("/api/activities/", headers=headers)
    detail = client.get(f"/api/activities/{activity.pk}", headers=headers)
    assert listed.status_code == 200
    ids = [item["id"] for item in listed.json()["items"]]
    if persona in CAN_READ_A:
        assert ids == [activity.pk] and listed.json()["count"] == 1
        assert detail.status_code == 200 and detail.json()["tasks"] == [world["task"].pk]
    else:
        assert ids == [] and listed.json()["count"] == 0
        assert detail.status_code == 404


def test_officer_b_sees_own_activities_but_none_of_unit_a(client, world):
    activity_of_a(world)
    own = record_activity(
        actor=None,
        unit=world["unit_b"],
        date=dt.date(2026, 6, 3),
        channel="meeting",
        form="hoi_nghi",
        title="Hội nghị phường",
    )
    headers = bearer(world["officer_b"])
    assert [i["id"] for i in client.get("/api/activities/", headers=headers).json()["items"]] == [own.pk]
    unit_a = world["assignment"].unit_id
    assert client.get(f"/api/activities/?unit={unit_a}", headers=headers).json()["items"] == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_task_list_shows_own_assignments_with_progress(client, world, persona):
    activity_of_a(world, date=timezone.localdate(), quantity=3)
    response = client.get("/api/tasks/", headers=bearer(world[persona]))
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["items"]}
    assert (world["assignment"].pk in rows) == (persona in CAN_WRITE_A)
    if persona in CAN_WRITE_A:
        row = rows[world["assignment"].pk]
        assert row["status"] == "in_progress" and row["status_label"] == "đang thực hiện"
        assert row["unit_name"] == "Trung tâm dịch vụ tổng hợp xã Hưng Đạo"
        (kpi,) = row["kpis"]
        assert kpi["label"] == "≥ 10 tin, bài/tháng" and kpi["done"] == 3 and kpi["percent"] == 30


def test_task_list_can_include_units_one_only_reads(client, world):
    headers = bearer(world["viewer_a"])
    assert client.get("/api/tasks/", headers=headers).json()["count"] == 0
    rows = client.get("/api/tasks/?writable=false", headers=headers).json()["items"]
    assert world["assignment"].pk in {row["id"] for row in rows}
    rows = client.get("/api/tasks/?writable=false", headers=bearer(world["officer_b"])).json()["items"]
    assert world["assignment"].pk not in {row["id"] for row in rows}


# Behaviour of the endpoints


def test_pushing_the_same_external_id_twice_returns_the_stored_activity(client, world):
    headers = bearer(world["officer_a"])
    first = post(client, headers, body(world, external_id="toasoan-2026-0001"))
    again = post(client, headers, body(world, external_id="toasoan-2026-0001", title="Tiêu đề đã sửa"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["title"] == "Tin bài về Nghị quyết 02 của Thành ủy"
    assert Activity.objects.count() == 1
    assert post(client, headers, body(world, external_id="toasoan-2026-0002")).status_code == 201
    assert post(client, headers, body(world)).status_code == 201  # no external_id: no deduplication
    assert Activity.objects.count() == 3


def test_a_simultaneous_duplicate_push_returns_the_stored_activity(client, world, monkeypatch):
    import loa.activities.api as handlers

    def racing(**fields):  # another request stores the same external_id first
        record_activity(**fields)
        return record_activity(**fields)

    monkeypatch.setattr(handlers, "record_activity", racing)
    response = post(client, bearer(world["officer_a"]), body(world, external_id="toasoan-9"))
    assert response.status_code == 200 and response.json()["external_id"] == "toasoan-9"
    assert Activity.objects.count() == 1


def test_an_external_id_of_another_unit_is_not_revealed(client, world):
    activity_of_a(world, external_id="toasoan-1")
    response = post(
        client,
        bearer(world["officer_b"]),
        body(world, unit=world["unit_b"].pk, tasks=[], external_id="toasoan-1"),
    )
    assert response.status_code == 201
    assert Activity.objects.filter(external_id="toasoan-1").count() == 2


def test_it_rejects_a_task_of_another_unit_in_vietnamese(client, world):
    other = TaskAssignment.objects.exclude(task__assignments__unit=world["assignment"].unit).first()
    headers = bearer(world["officer_a"])
    for tasks in ([other.task_id], [10**9]):
        response = post(client, headers, body(world, tasks=tasks))
        assert response.status_code == 422
        assert response.json() == {"detail": TASK_REFUSED}
        assert TASK_REFUSED in response.content.decode()
    assert not Activity.objects.exists()


def test_it_rejects_a_theme_of_another_plan_and_a_blank_title(client, world):
    headers = bearer(world["officer_a"])
    response = post(client, headers, body(world, themes=[10**9]))
    assert response.json() == {"detail": "Chủ đề được chọn không thuộc kế hoạch mà đơn vị thực hiện."}
    response = post(client, headers, body(world, title="   "))
    assert (response.status_code, response.json()) == (422, {"detail": "Hoạt động cần có tiêu đề."})
    theme = Theme.objects.filter(version=world["plan"].current_version).first()
    response = post(client, headers, body(world, themes=[theme.pk]))
    assert response.status_code == 201 and response.json()["themes"] == [theme.pk]


@pytest.mark.parametrize(
    "change",
    [{"channel": "fax"}, {"form": "thu"}, {"quantity": 0}, {"audiences": ["ai_do"]}, {"date": "2/6"}],
)
def test_it_validates_the_body(client, world, change):
    response = post(client, bearer(world["officer_a"]), body(world, **change))
    assert response.status_code == 422
    assert not Activity.objects.exists()


def test_json_keeps_vietnamese_readable(client, world):
    response = post(client, bearer(world["officer_a"]), body(world))
    text = response.content.decode()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        "Tin bài về Nghị quyết 02 của Thành ủy" in text and "Trung tâm dịch vụ tổng hợp xã Hưng Đạo" in text
    )
    assert "\\u" not in text
    assert response.json()["channel_label"] == "Mạng xã hội, nền tảng số"
    assert response.json()["form_label"] == "Tin"


def test_list_filters_and_pages(client, world):
    a = world["assignment"]
    for day in range(1, 8):
        activity_of_a(world, date=dt.date(2026, 6, day), title=f"Tin ngày {day}")
    activity_of_a(world, date=dt.date(2026, 6, 9), tasks=[], title="Không gắn nhiệm vụ")
    headers = bearer(world["city"])

    def titles(query):
        return [i["title"] for i in client.get(f"/api/activities/?{query}", headers=headers).json()["items"]]

    assert titles("date_from=2026-06-03&date_to=2026-06-04") == ["Tin ngày 4", "Tin ngày 3"]
    assert "Không gắn nhiệm vụ" not in titles(f"task={a.task_id}") and len(titles(f"task={a.task_id}")) == 7
    assert titles(f"unit={world['unit_b'].pk}") == []
    page = client.get("/api/activities/?limit=2&offset=1", headers=headers).json()
    assert page["count"] == 8 and [i["title"] for i in page["items"]] == ["Tin ngày 7", "Tin ngày 6"]
    assert client.get("/api/activities/?limit=501", headers=headers).status_code == 422


def test_list_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for day in range(1, 21):
        activity_of_a(world, date=dt.date(2026, 6, day))
    headers = bearer(world["officer_a"])
    # key, last use, memberships, scope unit ids, count, page, tasks, themes
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/activities/", headers=headers).json()["items"]) == 20


# Documentation


def test_openapi_docs_are_served(client, world):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    spec = schema.json()
    assert {"/api/activities/", "/api/activities/{activity_id}", "/api/tasks/"} <= set(spec["paths"])
    assert {"TokenAuth", "BrowserSessionAuth"} & set(spec["components"]["securitySchemes"])


# Admin


@pytest.mark.urls("loa.urls")
def test_admin_creates_a_key_shows_it_once_and_revokes_it(client, world, django_user_model):
    admin_user = django_user_model.objects.create_superuser("quantri", password="mat-khau-dai-123")
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/apitoken/add/", {"user": world["officer_a"].pk, "name": "Tòa soạn"}, follow=True
    )
    token = ApiToken.objects.get()
    (message,) = [str(m) for m in response.context["messages"] if "chỉ hiển thị một lần" in str(m)]
    raw = message.rsplit(": ", 1)[1]
    assert authenticate_token(raw) == world["officer_a"] and token.prefix == raw[:8]
    assert AuditEntry.objects.get(action="accounts.token.created").actor == admin_user
    assert client.get(f"/admin/accounts/apitoken/{token.pk}/change/").status_code == 200
    assert raw not in client.get("/admin/accounts/apitoken/").content.decode()
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert authenticate_token(raw) is None
    assert AuditEntry.objects.get(action="accounts.token.revoked").actor == admin_user


def test_api_docs_are_served_without_a_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "jsdelivr" not in html and "cdn" not in html.lower()
