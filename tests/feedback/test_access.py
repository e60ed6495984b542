"""The permission matrix, extended to feedback: a unit never sees another unit's submissions or
contact data; viewers read but never see contact data; only offices re-route, approve, edit rules."""

import pytest
from django.urls import reverse

from loa.feedback import services
from loa.feedback.models import Submission
from loa.feedback.validation import Contact

pytestmark = pytest.mark.django_db

PERSONAS = ["officer_a", "officer_b", "office_a", "viewer_a", "city", "nobody"]
# the submission is routed to commune A's service centre (officer_a's unit)
DETAIL = {"officer_a": 200, "officer_b": 404, "office_a": 200, "viewer_a": 200, "city": 200, "nobody": 404}
CONTACT = {
    "officer_a": True,
    "officer_b": False,
    "office_a": True,
    "viewer_a": False,
    "city": True,
    "nobody": False,
}
RULES = {"officer_a": 404, "officer_b": 404, "office_a": 200, "viewer_a": 404, "city": 200, "nobody": 404}


@pytest.fixture
def routed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        s, _ = services.submit(
            kind="question",
            text="Xin hỏi trung tâm dịch vụ tổng hợp xã phát loa truyền thanh lúc mấy giờ?",
            document=world["plan"],
            contact=Contact(name="Phạm Thị D", phone="0909000111"),
            consent=True,
        )
    Submission.objects.filter(pk=s.pk).update(unit=world["assignment"].unit)
    return Submission.objects.get(pk=s.pk)


@pytest.mark.parametrize("persona", PERSONAS)
def test_feedback_access_matrix(client, world, routed, persona):
    client.force_login(world[persona])
    detail = reverse("feedback:detail", args=[routed.pk])
    assert client.get(detail).status_code == DETAIL[persona]
    listed = [s.pk for s in client.get(reverse("feedback:inbox")).context["page"]]
    assert (routed.pk in listed) == (DETAIL[persona] == 200)
    shown = client.post(detail, {"action": "contact"})
    assert ("0909000111" in shown.content.decode()) == CONTACT[persona], persona
    assert client.get(reverse("feedback:rules")).status_code == RULES[persona]
    if persona in ("officer_a", "viewer_a"):
        assert client.post(detail, {"action": "reroute", "unit": world["unit_b"].pk}).status_code == 403
        assert Submission.objects.get(pk=routed.pk).unit == world["assignment"].unit


def test_an_office_adds_a_place_rule_on_its_page(client, world):
    client.force_login(world["office_a"])
    response = client.post(
        reverse("feedback:rules"),
        {"match": "place", "value": "Thôn Đoài", "unit": world["assignment"].unit.pk},
    )
    assert response.status_code == 302
    page = client.get(reverse("feedback:rules")).content.decode()
    assert "Thôn Đoài" in page
