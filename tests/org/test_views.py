import pytest
from django.test import Client
from django.urls import reverse

from loa.audit.models import AuditEntry
from loa.org.models import Unit, UnitStatus
from loa.org.services import resolve_unit

pytestmark = pytest.mark.django_db

# The project mounts these under path("don-vi/", include("loa.org.urls")); the tests mount
# them themselves so that they do not depend on the project's urls.py.
pytestmark = [pytestmark, pytest.mark.urls("tests.org.urls")]

LIST = "org:unit_confirm"


@pytest.fixture
def pending(hanoi):
    return resolve_unit("Phòng Văn hóa Thông tin xã", area=hanoi.commune).unit


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_log_in(pending):
    for response in (
        _client().get(reverse(LIST)),
        _client().post(reverse("org:unit_confirm_one", args=[pending.pk])),
        _client().post(reverse("org:unit_merge", args=[pending.pk])),
    ):
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == UnitStatus.UNCONFIRMED


def test_officers_without_the_right_get_403(pending, officer):
    client = _client(officer)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.post(reverse("org:unit_confirm_one", args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.status == UnitStatus.UNCONFIRMED


def test_staff_see_unconfirmed_units_with_their_candidates(pending, staff):
    response = _client(staff).get(reverse(LIST))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phòng Văn hóa Thông tin xã" in body
    assert "Phòng Văn hóa - Xã hội xã Hưng Đạo" in body  # a candidate
    assert reverse("org:unit_merge", args=[pending.pk]) in body
    assert "csrfmiddlewaretoken" in body


def test_the_list_costs_a_fixed_number_of_queries(hanoi, staff, django_assert_max_num_queries):
    client = _client(staff)
    resolve_unit("Thôn Một", area=hanoi.commune)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(LIST))
    for i in range(8):
        resolve_unit(f"Tổ dân phố số {i}", area=hanoi.other_commune)
        resolve_unit(f"Sở mới {i}", area=hanoi.city)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(LIST))


def test_actions_are_post_only(pending, staff):
    response = _client(staff).get(reverse("org:unit_confirm_one", args=[pending.pk]))
    assert response.status_code == 405


def test_staff_confirm_a_unit(pending, staff):
    response = _client(staff).post(reverse("org:unit_confirm_one", args=[pending.pk]), follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == UnitStatus.CONFIRMED
    assert "Đã xác nhận đơn vị" in response.content.decode()
    assert AuditEntry.objects.filter(action="org.unit.confirmed", actor=staff).exists()


def test_staff_merge_a_unit_into_a_candidate(pending, staff, hanoi):
    into = Unit.objects.get(area=hanoi.commune, standard_key="culture_society")
    response = _client(staff).post(
        reverse("org:unit_merge", args=[pending.pk]), {"into": into.pk}, follow=True
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == UnitStatus.MERGED and pending.merged_into == into
    assert "Đã gộp" in response.content.decode()
    assert AuditEntry.objects.filter(action="org.unit.merged", actor=staff).exists()


def test_merge_refuses_a_target_outside_the_units_areas(pending, staff, hanoi):
    elsewhere = Unit.objects.get(area=hanoi.other_commune, standard_key="culture_society")
    response = _client(staff).post(
        reverse("org:unit_merge", args=[pending.pk]), {"into": elsewhere.pk}, follow=True
    )
    pending.refresh_from_db()
    assert pending.status == UnitStatus.UNCONFIRMED
    assert "Hãy chọn một đơn vị" in response.content.decode()


def test_a_unit_already_handled_is_404(pending, staff):
    client = _client(staff)
    client.post(reverse("org:unit_confirm_one", args=[pending.pk]))
    assert client.post(reverse("org:unit_confirm_one", args=[pending.pk])).status_code == 404


def test_users_granted_change_unit_may_confirm(pending, unit_editor):
    response = _client(unit_editor).post(reverse("org:unit_confirm_one", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == UnitStatus.CONFIRMED
