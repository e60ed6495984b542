"""Citizen feedback services: receive, route, group, answer with a citation, approve, erase."""

import datetime as dt
import io
import zoneinfo

import pytest
from PIL import Image

from loa.audit.models import AuditEntry
from loa.core import crypto
from loa.feedback import services
from loa.feedback.models import Answer, RoutingRule, Status, Submission
from loa.feedback.validation import Contact, Refused, check_attachment, check_contact, check_text, clean_text
from loa.org.models import Unit

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
QUESTION = (
    "Xã có tổ chức tuyên truyền về chuyển đổi số trên loa truyền thanh của thôn không, lịch phát thế nào?"
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def submitted(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission, code = services.submit(
            kind="question",
            text=QUESTION,
            document=world["plan"],
            contact=Contact(name="Nguyễn Văn A", phone="0912345678"),
            consent=True,
            now=dt.datetime(2026, 12, 11, 18, 0, tzinfo=HCM),
        )
    submission.refresh_from_db()
    return submission, code


def test_a_submission_gets_a_code_deadlines_in_working_time_and_a_unit(world, submitted):
    submission, code = submitted
    assert len(code) == 19 and code.count("-") == 3
    assert submission.receipt_hash == services.code_hash(code) and code not in submission.receipt_hash
    assert services.find_by_code(code.lower().replace("-", " ")) == submission
    # Friday 18:00: acknowledged by Monday 17:00, answered within 15 working days
    assert submission.ack_due == dt.datetime(2026, 12, 14, 17, 0, tzinfo=HCM)
    # 15 working days: 1 January 2027 is a holiday
    assert submission.answer_due == dt.datetime(2027, 1, 4, 17, 0, tzinfo=HCM)
    assert submission.unit == world["plan"].issuer
    assert submission.theme is not None and submission.theme_score is not None


def test_contact_data_is_encrypted_at_rest_and_every_view_is_logged(world, submitted):
    submission, _code = submitted
    raw = Submission.objects.values_list("contact_name", "contact_phone").get(pk=submission.pk)
    assert "Nguyễn" not in raw[0] and "0912345678" not in raw[1]
    assert crypto.decrypt(raw[1]) == "0912345678"
    shown = services.view_contact(submission=submission, actor=world["office_a"])
    assert shown["name"] == "Nguyễn Văn A"
    entry = AuditEntry.objects.get(action="feedback.contact.viewed")
    assert entry.actor == world["office_a"] and "0912345678" not in str(entry.data)


def test_contact_without_consent_is_refused_and_anonymous_is_fine(world):
    with pytest.raises(Refused, match="đồng ý"):
        services.submit(kind="idea", text=QUESTION, document=world["plan"], contact=Contact(email="a@b.vn"))
    submission, _ = services.submit(kind="idea", text=QUESTION, document=world["plan"])
    assert not submission.has_contact and submission.consent_at is None


def test_bad_text_contact_and_files_are_refused_with_a_reason():
    for bad in ["", "ngắn", "12345678901234", "x" * 5001]:
        with pytest.raises(Refused):
            check_text(bad)
    with pytest.raises(Refused, match="điện thoại"):
        check_contact(phone="12ab")
    with pytest.raises(Refused, match="thư điện tử"):
        check_contact(email="khong-phai-email")
    with pytest.raises(Refused, match="ảnh"):
        check_attachment(b"MZ\x90\x00 not a picture")
    with pytest.raises(Refused, match="hỏng"):
        check_attachment(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)  # named and signed as PNG, broken inside
    with pytest.raises(Refused, match="quá lớn"):
        check_attachment(b"%PDF-1.4" + b"0" * (6 * 1024 * 1024))
    assert check_attachment(_png()) == "image/png"


def test_hostile_unicode_is_cleaned_and_markup_kept_as_text():
    text = clean_text("Hỏi\u202e về\u200b <script>alert(1)</script> e\u0301\u0301\u0301\u0301\u0301")
    assert "\u202e" not in text and "\u200b" not in text
    assert "<script>" in text  # escaped by every template, never stripped silently
    assert len(text) < 40


def test_near_duplicates_form_one_group_with_one_answer(world, submitted, django_capture_on_commit_callbacks):
    first, _ = submitted
    with django_capture_on_commit_callbacks(execute=True):
        second, code2 = services.submit(
            kind="question", text=QUESTION + " Xin cảm ơn.", document=world["plan"]
        )
        other, _ = services.submit(
            kind="comment",
            text="Đề nghị sửa đường liên thôn bị hỏng sau mưa lớn tuần trước.",
            document=world["plan"],
        )
    second.refresh_from_db()
    other.refresh_from_db()
    assert second.group_id == first.pk and other.group_id is None
    answer = services.save_answer(
        submission=second,
        text="Xã phát trên loa truyền thanh vào 6 giờ sáng thứ Hai hằng tuần, theo Kế hoạch.",
        citations=[
            {
                "document": "Kế hoạch của UBND xã",
                "section": "Mục III.3, đoạn 1",
                "quote": "Thực hiện tuyên truyền…",
            }
        ],
        actor=world["officer_a"],
        send_for_approval=True,
    )
    assert answer.submission == first
    services.publish(answer=answer, actor=world["office_a"], in_faq=True)
    assert services.find_by_code(code2).status == Status.ANSWERED
    assert Submission.objects.get(pk=first.pk).answered_at is not None


def test_an_answer_cannot_go_for_approval_without_a_citation_or_evidence(world, submitted):
    submission, _ = submitted
    services.save_answer(
        submission=submission,
        text="Câu trả lời còn chung chung, chưa có căn cứ.",
        citations=[],
        actor=world["officer_a"],
    )
    with pytest.raises(Refused, match="trích dẫn"):
        services.save_answer(
            submission=submission,
            text="Câu trả lời còn chung chung, chưa có căn cứ.",
            citations=[],
            actor=world["officer_a"],
            send_for_approval=True,
        )
    answer = Answer.objects.get(submission=submission)
    assert answer.state == Answer.State.DRAFT
    with pytest.raises(Refused):
        services.publish(answer=answer, actor=world["office_a"])
    answer = services.save_answer(
        submission=submission,
        text="Câu trả lời có minh chứng là ảnh bảng tin của thôn.",
        citations=[],
        evidence=_png(),
        actor=world["officer_a"],
        send_for_approval=True,
    )
    assert answer.state == Answer.State.AWAITING


def test_place_and_theme_rules_route_and_a_reroute_teaches_the_classifier(
    world, django_capture_on_commit_callbacks
):
    plan = world["plan"]
    commune_unit = world["unit_b"]
    RoutingRule.objects.create(office=plan.issuer, match="place", value="Thôn Đông", unit=commune_unit)
    with django_capture_on_commit_callbacks(execute=True):
        s, _ = services.submit(
            kind="petition", text="Ở thôn Đông loa truyền thanh hỏng hai tuần nay chưa sửa.", document=plan
        )
    s.refresh_from_db()
    assert s.unit == commune_unit and "Thôn Đông" in s.route_reason
    theme = plan.current_version.themes.order_by("order").last()
    officer_unit = world["assignment"].unit
    services.reroute(submission=s, unit=officer_unit, theme=theme, actor=world["office_a"], remember=True)
    s.refresh_from_db()
    assert s.theme_confirmed and s.unit == officer_unit
    assert RoutingRule.objects.filter(match="theme", value=theme.label, unit=officer_unit).exists()
    assert AuditEntry.objects.filter(action="feedback.submission.rerouted").exists()
    best, _ = services.classify(plan, s.text)
    assert best.key == theme.label  # learned from the one confirmed example
    with django_capture_on_commit_callbacks(execute=True):
        t, _ = services.submit(kind="question", text=s.text.replace("thôn Đông", "xóm Bắc"), document=plan)
    t.refresh_from_db()
    assert t.theme == theme and t.unit == officer_unit and theme.label in t.route_reason


def test_erasure_by_code_leaves_no_personal_data_in_any_table(
    world, submitted, django_capture_on_commit_callbacks
):
    from django.apps import apps
    from django.db import connection

    submission, code = submitted
    exported = services.export_personal(services.find_by_code(code))
    assert exported["lien_he"]["dien_thoai"] == "0912345678"
    services.erase_personal(submission=submission, reason="request")
    submission.refresh_from_db()
    assert not submission.has_contact and submission.personal_erased_at
    tokens = ("Nguyễn Văn A", "0912345678")
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            text_cols = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in ("CharField", "TextField", "JSONField")
            ]
            for col in text_cols:
                for token in tokens:
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{col}" AS TEXT) LIKE %s', [f"%{token}%"]
                    )
                    assert cursor.fetchone()[0] == 0, (table, col, token)


def test_retention_erases_contact_data_a_year_after_closing(world, submitted):
    submission, _ = submitted
    Submission.objects.filter(pk=submission.pk).update(
        closed_at=dt.datetime(2025, 1, 1, tzinfo=HCM), status=Status.CLOSED
    )
    assert services.purge_expired(retention_days=365, now=dt.datetime(2026, 12, 7, tzinfo=HCM)) == 1
    assert not Submission.objects.get(pk=submission.pk).has_contact


def test_keys_rotate_for_every_encrypted_field_of_every_app(world, submitted, settings):
    from cryptography.fernet import Fernet
    from django.utils import timezone

    from loa.materials.models import Attempt, Contest, Subscription

    submission, _ = submitted
    subscriber = Subscription.objects.create(
        document=world["plan"],
        email=crypto.encrypt("ban-doc@example.vn"),
        address_key="k",
        audiences=[],
        frequency="weekly",
        consent_version="2026-12",
        requested_at=timezone.now(),
    )
    now = timezone.now()
    contest = Contest.objects.create(document=world["plan"], title="Vòng", opens_at=now, closes_at=now)
    attempt = Attempt.objects.create(
        contest=contest,
        token_hash="t" * 64,
        unit=world["assignment"].unit,
        name="Thí sinh",
        phone=crypto.encrypt("0987000111"),
        phone_key="p",
        age_band="16-30",
        started_at=now,
    )
    assert {m._meta.label for m in crypto.encrypted_models()} >= {
        "feedback.Submission",
        "feedback.IdempotentRequest",
        "materials.Subscription",
        "materials.Attempt",
    }
    old = list(settings.LOA_FIELD_KEYS)
    settings.LOA_FIELD_KEYS = [Fernet.generate_key().decode(), *old]
    assert services.rotate_keys() == 3
    settings.LOA_FIELD_KEYS = settings.LOA_FIELD_KEYS[:1]  # the old key removed: everything still opens
    assert crypto.decrypt(Submission.objects.get(pk=submission.pk).contact_phone) == "0912345678"
    assert crypto.decrypt(Subscription.objects.get(pk=subscriber.pk).email) == "ban-doc@example.vn"
    assert crypto.decrypt(Attempt.objects.get(pk=attempt.pk).phone) == "0987000111"


def test_the_throttle_counts_per_key_and_window(db):
    now = dt.datetime(2026, 12, 7, 10, 0, 30, tzinfo=HCM)
    assert all(services.throttle("ip:x", limit=3, seconds=3600, now=now) for _ in range(3))
    assert not services.throttle("ip:x", limit=3, seconds=3600, now=now)
    assert services.throttle("ip:y", limit=3, seconds=3600, now=now)
    assert services.throttle("ip:x", limit=3, seconds=3600, now=now + dt.timedelta(hours=1))


def test_units_exist_for_rules(world):
    assert Unit.objects.filter(pk=world["unit_b"].pk).exists()


def test_the_listening_desk_counts_feedback_by_theme_without_personal_data(world, submitted):
    from loa.listening.selectors import attention

    submission, _ = submitted
    rows = {a.theme.pk: a.questions for a in attention(world["plan"])}
    assert rows[submission.theme_id] == 1 and sum(rows.values()) == 1


def test_another_offices_rule_never_pulls_a_plans_submissions(world, django_capture_on_commit_callbacks):
    plan = world["plan"]
    RoutingRule.objects.create(
        office=world["unit_b"], document=plan, match="place", value="thôn", unit=world["unit_b"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        s, _ = services.submit(
            kind="petition", text="Loa truyền thanh của thôn Đông hỏng đã hai tuần.", document=plan
        )
    s.refresh_from_db()
    assert s.unit == plan.issuer
