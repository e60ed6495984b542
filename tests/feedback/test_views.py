"""The public pages (no login) and the office pages, through Django's test client."""

import json

import pytest
from django.urls import reverse

from loa.audit.models import AuditEntry
from loa.feedback import services
from loa.feedback.models import Answer, Submission

QUESTION = "Cho tôi hỏi thôn có phát loa truyền thanh về Nghị quyết 02 vào buổi sáng không?"


def _post(client, plan, **extra):
    data = {"kind": "question", "text": QUESTION, "name": "", "phone": "", "email": "", "website": ""}
    data.update(extra)
    return client.post(reverse("feedback:ask_plan", args=[plan.pk]), data)


@pytest.fixture
def asked(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, world["plan"], name="Trần Thị B", phone="0987654321", consent="on")
    assert response.status_code == 302 and response["Location"] == reverse("feedback:sent")
    page = client.get(response["Location"])
    code = page.context["code"]
    assert code in page.content.decode() and page["Cache-Control"].startswith("max-age=0")
    assert client.get(reverse("feedback:sent")).status_code == 302  # shown once
    return Submission.objects.get(), code


def test_a_citizen_asks_without_an_account_and_reads_the_status_by_code(world, client, asked):
    submission, code = asked
    assert submission.has_contact and submission.consent_version
    page = client.post(reverse("feedback:lookup"), {"code": code})
    assert page.status_code == 200 and "Mới nhận" in page.content.decode()
    assert code not in AuditEntry.objects.values_list("data", flat=True).__str__()
    wrong = client.post(reverse("feedback:lookup"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 404 and "Không tìm thấy" in wrong.content.decode()


def test_export_and_erase_by_code(world, client, asked):
    submission, code = asked
    exported = client.post(reverse("feedback:lookup"), {"code": code, "action": "export"})
    assert exported["Content-Type"].startswith("application/json")
    assert json.loads(exported.content)["lien_he"]["ho_ten"] == "Trần Thị B"
    not_confirmed = client.post(reverse("feedback:lookup"), {"code": code, "action": "erase"})
    assert "xác nhận" in not_confirmed.content.decode()
    assert Submission.objects.get().has_contact
    client.post(reverse("feedback:lookup"), {"code": code, "action": "erase", "confirm": "1"})
    assert not Submission.objects.get().has_contact


def test_bad_submissions_get_a_vietnamese_reason_and_the_right_status(world, client, settings):
    plan = world["plan"]
    assert _post(client, plan, text="ngắn").status_code == 400
    response = _post(client, plan, phone="0912345678")
    assert response.status_code == 400 and "đồng ý" in response.content.decode()
    bot = _post(client, plan, website="http://spam.example")
    assert bot.status_code == 400 and Submission.objects.count() == 0
    settings.LOA_FEEDBACK_PER_HOUR = 4  # the two refused attempts above count too
    assert [_post(client, plan).status_code for _ in range(3)] == [302, 302, 429]
    assert Submission.objects.count() == 2


def test_a_mislabelled_file_is_refused_by_content(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = _post(client, world["plan"], attachment=fake)
    assert response.status_code == 400 and "theo nội dung" in response.content.decode()
    assert Submission.objects.count() == 0


def test_markup_is_shown_escaped(world, client, asked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, world["plan"], text="<script>alert('x')</script> Xin hỏi về lịch tiếp dân tháng này?")
    s = Submission.objects.filter(text__contains="script").get()
    client.force_login(world["office_a"])
    page = client.get(reverse("feedback:detail", args=[s.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_units_see_only_their_own_submissions(world, client, asked):
    submission, _ = asked
    client.force_login(world["officer_b"])
    assert client.get(reverse("feedback:detail", args=[submission.pk])).status_code == 404
    assert submission.pk not in [s.pk for s in client.get(reverse("feedback:inbox")).context["page"]]
    client.force_login(world["nobody"])
    assert client.get(reverse("feedback:detail", args=[submission.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("feedback:inbox")).status_code == 302


def test_the_office_sees_contact_data_once_logged_and_answers_through_the_pages(world, client, asked):
    submission, code = asked
    client.force_login(world["office_a"])
    page = client.get(reverse("feedback:detail", args=[submission.pk]))
    assert "0987654321" not in page.content.decode() and page.context["suggestions"]
    shown = client.post(reverse("feedback:detail", args=[submission.pk]), {"action": "contact"})
    assert "0987654321" in shown.content.decode()
    assert AuditEntry.objects.filter(action="feedback.contact.viewed", actor=world["office_a"]).count() == 1
    client.post(reverse("feedback:detail", args=[submission.pk]), {"action": "ack"})
    cite = page.context["suggestions"][0][1]
    client.post(
        reverse("feedback:detail", args=[submission.pk]),
        {
            "action": "send",
            "text": "Thôn phát loa vào 6 giờ sáng thứ Hai và thứ Năm hằng tuần.",
            "cite": cite,
            "in_faq": "1",
        },
    )
    assert Answer.objects.get().state == Answer.State.AWAITING
    client.post(reverse("feedback:detail", args=[submission.pk]), {"action": "publish", "in_faq": "1"})
    assert Answer.objects.get().state == Answer.State.PUBLISHED
    client.logout()
    status = client.post(reverse("feedback:lookup"), {"code": code}).content.decode()
    assert "6 giờ sáng" in status and json.loads(cite)["section"] in status
    faq = client.get(reverse("feedback:faq", args=[world["plan"].pk]), {"q": "loa truyen thanh"})
    assert "6 giờ sáng" in faq.content.decode()
    assert services.find_by_code(code).status == "answered"


def test_an_officer_cannot_approve(world, client, asked):
    submission, _ = asked
    Submission.objects.filter(pk=submission.pk).update(unit=world["assignment"].unit)
    client.force_login(world["officer_a"])
    client.post(
        reverse("feedback:detail", args=[submission.pk]),
        {
            "action": "send",
            "text": "Thôn phát loa vào 6 giờ sáng thứ Hai hằng tuần.",
            "cite_document": "Kế hoạch xã",
        },
    )
    assert Answer.objects.get().state == Answer.State.AWAITING
    response = client.post(reverse("feedback:detail", args=[submission.pk]), {"action": "publish"})
    assert response.status_code == 403 and Answer.objects.get().state == Answer.State.AWAITING


def test_the_inbox_counts_by_unit_theme_and_kind_and_the_trail_shows_who_did_what(world, client, asked):
    submission, _ = asked
    client.force_login(world["office_a"])
    client.post(reverse("feedback:detail", args=[submission.pk]), {"action": "contact"})
    page = client.get(reverse("feedback:inbox"))
    assert page.context["figures"].received == 1 and page.context["figures"].open == 1
    titles = [b[0] for b in page.context["breakdowns"]]
    by_kind = dict((k, f.received) for k, _n, f in page.context["breakdowns"][2][1])
    assert len(titles) == 3 and by_kind == {"question": 1}
    unit_key = page.context["breakdowns"][0][1][0][0]
    filtered = client.get(reverse("feedback:inbox"), {"don_vi": unit_key})
    assert [s.pk for s in filtered.context["page"]] == [submission.pk]
    detail = client.get(reverse("feedback:detail", args=[submission.pk])).content.decode()
    assert "Xem thông tin liên hệ" in detail and "vanphong_a" in detail


def test_the_xlsx_export_keeps_hostile_text_as_text_and_has_no_contact_data(
    world, client, asked, django_capture_on_commit_callbacks
):
    import io

    import openpyxl

    hostile = "=cmd|' /C calc'!A0 <img src=x onerror=alert(1)> ‮đảo chiều"
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, world["plan"], text=hostile)
    client.force_login(world["office_a"])
    response = client.get(reverse("feedback:export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    texts = [v for v in cells if isinstance(v, str)]
    assert not any(v.startswith("=") for v in texts)
    assert any(v.startswith("'=cmd") and "<img" in v and "\u202e" not in v for v in texts)
    assert not any("Trần Thị B" in v or "0987654321" in v for v in texts)
    client.force_login(world["officer_b"])
    other = openpyxl.load_workbook(io.BytesIO(client.get(reverse("feedback:export")).content)).active
    assert other.max_row == 1  # the header only: another unit's submissions never leave


def test_unicode_tricks_sql_like_text_and_oversized_input(world, client, django_capture_on_commit_callbacks):
    plan = world["plan"]
    sql = "'; DROP TABLE feedback_submission; -- xin hỏi về lịch tiếp dân"
    tricks = "Xin\u200b hỏi\u202e về\u2066 lịch" + "a\u0301\u0302\u0303\u0304\u0305\u0306" * 50
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, plan, text=sql).status_code == 302
        assert _post(client, plan, text=tricks).status_code == 302
    stored = list(Submission.objects.order_by("pk").values_list("text", flat=True))
    assert stored[0] == sql
    assert not any(ch in stored[1] for ch in "\u200b\u202e\u2066") and len(stored[1]) < 220
    assert _post(client, plan, text="x" * 20001).status_code == 400
    assert _post(client, plan, text="Xin hỏi " * 700).status_code == 400  # over 5,000 characters
    assert Submission.objects.count() == 2


def test_the_attachment_is_checked_stored_under_a_random_name_and_shown_only_to_handlers(
    world, client, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("Nguyen Van A - CCCD.png", buffer.getvalue(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, world["plan"], attachment=photo).status_code == 302
    s = Submission.objects.get()
    assert s.attachment_type == "image/png" and "Nguyen" not in s.attachment.name
    client.force_login(world["office_a"])
    response = client.get(reverse("feedback:attachment", args=[s.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert AuditEntry.objects.filter(action="feedback.attachment.viewed").count() == 1
    client.force_login(world["officer_b"])
    assert client.get(reverse("feedback:attachment", args=[s.pk])).status_code == 404
