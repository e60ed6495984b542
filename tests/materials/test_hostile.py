"""Hostile text in materials: HTML is escaped in pages, feeds, mails and DOCX; exports never hold a
formula; empty, binary and huge uploads are refused with a Vietnamese message and lose nothing."""

import datetime as dt
import io
import zoneinfo

import docx
import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from loa.materials import contest as rules
from loa.materials import digests, services, subscriptions
from loa.materials.models import Attempt, Contest, Material, Script, Subscription

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT = f"""ĐỀ CƯƠNG TUYÊN TRUYỀN {EVIL}
I. NỘI DUNG
Mỗi xã đăng tối thiểu 10 tin, bài/tháng {EVIL} trên cổng thông tin điện tử.
=HYPERLINK("http://evil.example","bấm vào đây")
"""


@pytest.fixture
def hostile(world):
    plan = world["plan"]
    m = services.import_material(
        document=plan,
        office=plan.issuer,
        kind="outline",
        data=TEXT.encode(),
        filename="doc.txt",
        actor=None,
        title=f"Đề cương {EVIL}",
        audiences=["thanh_nien"],
    )
    services.publish(version=m.versions.get(), actor=None)
    return m


def test_html_in_a_material_is_escaped_in_pages_feeds_mails_and_docx(client, world, hostile):
    plan = world["plan"]
    client.force_login(world["office_a"])
    for url in [
        reverse("materials:detail", args=[hostile.pk]),
        reverse("materials:library", args=[plan.pk]),
        reverse("materials:public_list", args=[plan.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url
    for name in ("materials:rss", "materials:atom"):
        feed = client.get(reverse(name, args=[plan.pk])).content
        assert b"<script>" not in feed and b"<img src=x" not in feed and b"&lt;script&gt;" in feed
    # the digest mail is plain text only: no HTML part anyone's mail reader would run
    hostile.versions.update(published_at=dt.datetime(2026, 12, 3, 9, tzinfo=HCM))
    Subscription.objects.create(
        document=plan,
        email=subscriptions.crypto.encrypt("ban-doc@example.vn"),
        address_key=subscriptions.address_key("ban-doc@example.vn"),
        audiences=[],
        frequency="weekly",
        consent_version="2026-12",
        requested_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    digests.queue(plan, "weekly", today=dt.date(2026, 12, 7))
    assert digests.send() == 1
    message = mail.outbox[-1]
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
    # DOCX: the text is text, never markup
    client.post(reverse("materials:detail", args=[hostile.pk]), {"action": "script", "limit": "180"})
    script = Script.objects.get()
    client.post(
        reverse("materials:detail", args=[hostile.pk]), {"action": "approve_script", "script": script.pk}
    )
    made = docx.Document(
        io.BytesIO(client.get(reverse("materials:script_file", args=[script.pk, "docx"])).content)
    )
    assert any("<script>" in p.text for p in made.paragraphs)  # the title, as text


def test_exports_never_hold_a_formula(client, world):
    plan = world["plan"]
    now = timezone.now()
    contest = Contest.objects.create(
        document=plan, title="Vòng", opens_at=now - dt.timedelta(days=2), closes_at=now - dt.timedelta(days=1)
    )
    Attempt.objects.create(
        contest=contest,
        token_hash="t" * 64,
        unit=world["assignment"].unit,
        name='=HYPERLINK("http://evil.example")',
        phone=rules.crypto.encrypt("0912345678"),
        phone_key="p1",
        age_band="16-30",
        drawn=[],
        started_at=contest.opens_at,
        submitted_at=contest.opens_at + dt.timedelta(minutes=3),
        correct=3,
        duration=180,
        prediction=1,
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("materials:contest_results_file", args=[contest.pk, "xlsx"])).content)
    ).active
    cell = sheet.cell(2, 2)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_empty_binary_and_huge_uploads_are_refused_and_nothing_is_lost(client, world, hostile, monkeypatch):
    plan = world["plan"]
    client.force_login(world["office_a"])
    url = reverse("materials:library", args=[plan.pk])
    before = list(Material.objects.values_list("pk", "title"))
    monkeypatch.setattr(services, "MAX_BYTES", 2_000)
    for upload, message in [
        (SimpleUploadedFile("rong.txt", b""), None),
        (SimpleUploadedFile("anh.bin", b"\x00\x01\xff" * 300), None),
        (SimpleUploadedFile("lon.txt", ("Một câu dài. " * 400).encode()), "Tệp quá lớn"),
    ]:
        response = client.post(url, {"tep": upload, "loai": "outline", "pham_vi": "public"}, follow=True)
        text = response.content.decode()
        assert response.status_code == 200 and '<li class="error">' in text
        if message:
            assert message in text
    assert list(Material.objects.values_list("pk", "title")) == before
    assert client.post(url, {"loai": "outline"}, follow=True).content.decode().count("Chưa chọn tệp") == 1
