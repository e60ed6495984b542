"""E-mail subscriptions and digests: double opt-in by POST, one confirmation mail a day with none of
the requester's words, signed links, one-click unsubscribe, digests rendered once per choice set
and queued without duplicates."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from loa.materials import digests, services, subscriptions
from loa.materials.models import DigestBody, DigestDelivery, Subscription
from tests.materials.test_library import OUTLINE

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _link(body: str, name: str) -> str:
    return (
        re.search(r"http://[^\s]+/tai-lieu/dang-ky/" + name + r"/[^\s]+/", body).group(0).split("8000", 1)[1]
    )


def test_double_opt_in_by_post_then_manage_export_and_one_click_unsubscribe(client, world):
    plan = world["plan"]
    url = reverse("materials:subscribe", args=[plan.pk])
    response = client.post(
        url, {"email": "ba.con@example.vn", "doi_tuong": ["thanh_nien"], "tan_suat": "weekly", "website": ""}
    )
    assert response.status_code == 302 and len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert "ba.con@example.vn" in sent.to and "thanh_nien" not in sent.body
    confirm = _link(sent.body, "xac-nhan")
    sub = Subscription.objects.get()
    assert "ba.con" not in sub.email  # encrypted at rest
    client.get(confirm)
    assert Subscription.objects.get().confirmed_at is None  # a GET changes nothing
    manage = client.post(confirm)
    assert Subscription.objects.get().confirmed_at is not None
    page = client.get(manage["Location"])
    assert "Đang nhận tin" in page.content.decode()
    exported = client.post(manage["Location"], {"action": "export"})
    assert b"ba.con@example.vn" in exported.content
    # another request for the same address within a day: no second mail, same answer
    client.post(url, {"email": "ba.con@example.vn", "tan_suat": "weekly"})
    client.post(url, {"action": "resend", "email": "nobody@example.vn"})
    assert len(mail.outbox) == 1
    unsubscribe = reverse(
        "materials:sub_unsubscribe", args=[subscriptions.token(Subscription.objects.get(), "unsubscribe")]
    )
    client.get(unsubscribe)
    assert Subscription.objects.count() == 1
    assert (
        client.post(
            unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert Subscription.objects.count() == 0
    assert client.get(manage["Location"]).status_code == 404


def test_sensitive_groups_are_never_offered_and_forged_links_fail(client, world):
    with pytest.raises(subscriptions.Refused, match="nhạy cảm"):
        subscriptions.subscribe(
            document=world["plan"],
            email="a@b.vn",
            audiences=["can_bo_dang_vien"],
            themes=[],
            frequency="weekly",
        )
    page = client.get(reverse("materials:subscribe", args=[world["plan"].pk])).content.decode()
    assert "can_bo_dang_vien" not in page
    assert client.get(reverse("materials:sub_manage", args=["khong-hop-le:123"])).status_code == 404


def test_unconfirmed_requests_go_after_seven_days(world):
    subscriptions.subscribe(
        document=world["plan"], email="a@b.vn", audiences=[], themes=[], frequency="weekly"
    )
    assert subscriptions.purge_pending(now=timezone.now() + dt.timedelta(days=8)) == 1


def test_digests_skip_empty_runs_render_once_per_choice_set_and_queue_without_duplicates(world, client):
    plan = world["plan"]
    today = dt.date(2026, 12, 7)  # a Monday: last week is 30/11–6/12
    assert digests.queue(plan, "weekly", today=today)["skipped"]
    m = services.import_material(
        document=plan,
        office=plan.issuer,
        kind="outline",
        data=OUTLINE.encode(),
        filename="a.txt",
        actor=None,
        audiences=["thanh_nien"],
    )
    services.publish(version=m.versions.get(), actor=None)
    m.versions.update(published_at=dt.datetime(2026, 12, 3, 9, tzinfo=HCM))
    for i in range(30):
        Subscription.objects.create(
            document=plan,
            email=subscriptions.crypto.encrypt(f"nguoi{i}@example.vn"),
            address_key=subscriptions.address_key(f"nguoi{i}@example.vn"),
            audiences=[["thanh_nien"], [], ["hoc_sinh"]][i % 3],
            frequency="weekly",
            consent_version="2026-12",
            requested_at=timezone.now(),
            confirmed_at=timezone.now(),
        )
    first = digests.queue(plan, "weekly", today=today)
    assert first["queued"] == 20 and first["bodies"] == 2  # học sinh gets nothing this week
    again = digests.queue(plan, "weekly", today=today)
    assert again["queued"] == 0 and DigestDelivery.objects.count() == 20 and DigestBody.objects.count() == 2
    assert digests.send(limit=100) == 20
    message = mail.outbox[-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/tai-lieu/dang-ky/huy/" in message.extra_headers["List-Unsubscribe"]
    assert digests.send() == 0
    # counts per audience and per item only, for the office
    assert digests.reach(plan) == {
        "subscribers": 30,
        "audiences": {"thanh_nien": 10, "hoc_sinh": 10},
        "everyone": 10,
        "frequencies": {"weekly": 30},
        "materials": {m.pk: 20},
    }
    client.force_login(world["office_a"])
    page = client.get(reverse("materials:library", args=[plan.pk])).content.decode()
    assert "30 người đã xác nhận đăng ký" in page and 'id="digest-materials"' in page
    assert "nguoi1@example.vn" not in page


def test_the_digest_command_runs(world, capsys):
    from django.core.management import call_command

    call_command("materials", "digest")
    assert "Đã xếp hàng và gửi bản tin" in capsys.readouterr().out
