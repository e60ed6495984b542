"""Writes for citizen feedback: receive, route, acknowledge, answer, approve, erase.

Every write logs an audit entry without personal data. Contact details go through
:mod:`loa.core.crypto` and are read back only by :func:`view_contact`, which logs the view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.audit.services import log_action
from loa.core import crypto, worktime
from loa.nlp.normalize import fold
from loa.org.models import Unit
from loa.plans.models import Document, Theme

from .models import (
    Answer,
    Dialogue,
    IdempotentRequest,
    Kind,
    ResponsePolicy,
    RoutingRule,
    Status,
    Submission,
    Throttle,
)
from .validation import Contact, Refused, check_attachment, check_text, clean_text, extension

CONSENT_VERSION = "2026-12"
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone
_CODE_LENGTH = 16  # 31^16 ≈ 2^79
# e5 cosine at which two questions are taken as the same question (paraphrases 0.96–0.99; questions
# on the same subject that ask different things 0.88–0.92)
SAME_QUESTION = 0.95


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def code_hash(code: str) -> str:
    raw = re.sub(r"[^A-Z0-9]", "", (code or "").upper())
    return hashlib.sha256(raw.encode()).hexdigest()


def find_by_code(code: str) -> Submission | None:
    if len(re.sub(r"[^A-Za-z0-9]", "", code or "")) != _CODE_LENGTH:
        return None
    return (
        Submission.objects.select_related("document", "unit", "theme")
        .filter(receipt_hash=code_hash(code))
        .first()
    )


_POLICIES: dict[str, tuple[float, ResponsePolicy]] = {}
_POLICY_TTL = 60.0  # seconds: an edit in the admin reaches every server process within a minute


def policy_for(kind: str) -> ResponsePolicy:
    import time

    cached = _POLICIES.get(kind)
    if cached is not None and time.monotonic() - cached[0] < _POLICY_TTL:
        return cached[1]
    policy, _created = ResponsePolicy.objects.get_or_create(kind=kind)
    _POLICIES[kind] = (time.monotonic(), policy)
    return policy


def deadlines(kind: str, received_at: dt.datetime, urgent: bool) -> tuple[dt.datetime, dt.datetime]:
    policy = policy_for(kind)
    hours = policy.urgent_ack_hours if urgent else policy.ack_hours
    return worktime.add_working_hours(received_at, hours), worktime.add_working_days(
        received_at, policy.answer_days
    )


def client_key(request) -> str:
    """The requester's address, keyed with the installation's secret: rate limits count it, the
    database never sees it."""
    import hmac

    from django.conf import settings

    ip = request.META.get("REMOTE_ADDR", "")
    return "ip:" + hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def throttle(key: str, *, limit: int, seconds: int, now: dt.datetime | None = None) -> bool:
    """Count one request for ``key`` (hashed here); False when the key is over ``limit`` in the
    current window of ``seconds``. Shared by every process through the database, in one statement
    (an upsert returning the new count: no row lock held across statements)."""
    from django.db import connection

    now = now or timezone.now()
    digest = hashlib.sha256(key.encode()).hexdigest()
    epoch = int(now.timestamp()) // seconds * seconds
    window = connection.ops.adapt_datetimefield_value(dt.datetime.fromtimestamp(epoch, tz=dt.UTC))
    table = connection.ops.quote_name(Throttle._meta.db_table)
    column = connection.ops.quote_name("window")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, {column}, count) VALUES (%s, %s, 1) "
            f"ON CONFLICT (key, {column}) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [digest, window],
        )
        count = cursor.fetchone()[0]
    if secrets.randbelow(500) == 0:  # now and then, forget old windows
        Throttle.objects.filter(window__lt=now - dt.timedelta(days=1)).delete()
    return count <= limit


def submit(
    *,
    kind: str,
    text: str,
    document: Document | None = None,
    addressed_to: Unit | None = None,
    contact: Contact | None = None,
    consent: bool = False,
    attachment: bytes | None = None,
    channel: str = "web",
    dialogue: Dialogue | None = None,
    now: dt.datetime | None = None,
) -> tuple[Submission, str]:
    """Receive one submission; returns it and its receipt code (shown once, never stored)."""
    if kind not in Kind.values:
        raise Refused(_("Loại ý kiến không hợp lệ."))
    if dialogue is not None:
        if not dialogue.questions_open:
            raise Refused(_("Buổi đối thoại này đã ngừng nhận câu hỏi."))
        document, addressed_to = dialogue.document, dialogue.unit
    if document is None and addressed_to is None:
        raise Refused(_("Chưa chọn kế hoạch hoặc đơn vị nhận ý kiến."))
    text = check_text(text)
    contact = contact or Contact()
    if contact and not consent:
        raise Refused(
            _(
                "Bạn đã để lại thông tin liên hệ: xin đánh dấu đồng ý cho phép xử lý dữ liệu cá nhân, hoặc xóa thông tin liên hệ để gửi ẩn danh."
            )
        )
    content_type = check_attachment(attachment) if attachment else ""
    now = now or timezone.now()
    ack_due, answer_due = deadlines(kind, now, urgent=False)
    code = new_code()
    with transaction.atomic(savepoint=False):
        submission = Submission(
            document=document,
            addressed_to=addressed_to,
            kind=kind,
            text=text,
            folded=fold(text),
            receipt_hash=code_hash(code),
            channel=channel,
            dialogue=dialogue,
            contact_name=crypto.encrypt(contact.name),
            contact_phone=crypto.encrypt(contact.phone),
            contact_email=crypto.encrypt(contact.email),
            consent_at=now if contact else None,
            consent_version=CONSENT_VERSION if contact else "",
            received_at=now,
            ack_due=ack_due,
            answer_due=answer_due,
        )
        if attachment:
            # a random name: the citizen's file name may itself be personal data
            submission.attachment.save(
                uuid.uuid4().hex + extension(content_type), ContentFile(attachment), save=False
            )
            submission.attachment_type = content_type
        submission.save()
        log_action(
            "feedback.submission.received",
            submission,
            data={"kind": kind, "channel": channel, "contact": bool(contact), "attachment": bool(attachment)},
        )
        _enqueue(submission.pk)
    return submission, code


def _enqueue(pk: int) -> None:
    """Queue the triage. A database-backed queue takes it inside the submission's transaction (both
    or neither are stored); the immediate backend (tests, no worker) runs it after the commit."""
    from .tasks import triage

    if triage.get_backend().supports_defer:
        triage.enqueue(pk)
    else:
        transaction.on_commit(lambda: triage.enqueue(pk))


def triage_submission(pk: int) -> Submission | None:
    """Group with near-duplicates and route: run by a background task, so the public endpoint
    only validates and stores (the theme model costs a fraction of a second)."""
    submission = Submission.objects.select_related("document", "addressed_to").filter(pk=pk).first()
    if submission is None or submission.unit_id is not None:
        return submission
    with transaction.atomic():
        _group(submission)
        route(submission)
    return submission


def _group(submission: Submission) -> None:
    """Join the earliest open question of the same plan (or unit page) that says the same thing:
    e5 cosine ≥ :data:`SAME_QUESTION` against the open groups of the last 90 days. The office can
    split a wrongly grouped question off again (:func:`ungroup`)."""
    import numpy as np

    from loa.nlp.embed import passages

    vector = passages([submission.text])[0].astype(np.float16)
    submission.vector = vector.tobytes()
    submission.save(update_fields=["vector"])
    leaders = list(
        Submission.objects.filter(
            document=submission.document,
            addressed_to=submission.addressed_to,
            dialogue=submission.dialogue_id,
            group__isnull=True,
            received_at__gte=submission.received_at - dt.timedelta(days=90),
            vector__isnull=False,
        )
        .exclude(pk=submission.pk)
        .filter(status__in=[Status.RECEIVED, Status.ACKNOWLEDGED, Status.AWAITING_APPROVAL])
        .order_by("received_at", "pk")
        .values_list("pk", "vector")[:5000]
    )
    if not leaders:
        return
    matrix = np.vstack([np.frombuffer(bytes(v), dtype=np.float16) for _pk, v in leaders]).astype(np.float32)
    scores = matrix @ vector.astype(np.float32)
    best = int(np.argmax(scores))
    if scores[best] >= SAME_QUESTION:
        submission.group_id = leaders[best][0]
        submission.save(update_fields=["group"])


def ungroup(*, submission: Submission, actor) -> Submission:
    """Split a question off its group: it gets its own answer."""
    if submission.group_id is None:
        return submission
    with transaction.atomic():
        before = submission.group_id
        submission.group = None
        if submission.status in (Status.AWAITING_APPROVAL, Status.ANSWERED):
            # it needs an answer of its own now
            submission.status = Status.ACKNOWLEDGED if submission.acknowledged_at else Status.RECEIVED
            submission.answered_at = submission.closed_at = None
        submission.save(update_fields=["group", "status", "answered_at", "closed_at"])
        log_action("feedback.submission.ungrouped", submission, actor=actor, data={"group": before})
    return submission


def _themes(document: Document | None) -> list[Theme]:
    if document is None or not document.current_version_id:
        return []
    return list(Theme.objects.filter(version_id=document.current_version_id).order_by("order"))


def classify(document: Document | None, text: str):
    """The best plan theme for ``text`` (a ThemeScore or None), learning from the themes the
    office confirmed on earlier submissions of the plan."""
    themes = _themes(document)
    if not themes:
        return None, {}
    from loa.nlp.themes import ThemeClassifier

    by_label = {t.label: t for t in themes}
    examples = [
        (text_, label)
        for text_, label in Submission.objects.filter(
            document=document, theme_confirmed=True, theme__isnull=False
        )
        .order_by("-received_at")
        .values_list("text", "theme__label")[:500]
    ]
    classifier = ThemeClassifier([(t.label, t.title) for t in themes], examples)
    ranked = classifier.rank(text, top=3)
    return (ranked[0] if ranked else None), by_label


def _office_of(submission: Submission) -> Unit | None:
    if submission.document_id and submission.document.issuer_id:
        return submission.document.issuer
    return submission.addressed_to


def route(submission: Submission) -> None:
    """Theme by the classifier, unit by the office's rules: a place rule whose place the text
    names, then a rule for the theme, then the unit whose page was used, then the plan's issuer."""
    best, by_label = classify(submission.document, submission.text)
    theme = by_label.get(best.key) if best else None
    confident = best is not None and best.relevant
    office = _office_of(submission)
    # only the rules of the office that owns the plan (or the unit page): another office's rule
    # never pulls these submissions to its own units
    applicable = Q(document__isnull=True)
    if submission.document_id:
        applicable |= Q(document_id=submission.document_id)
    rules = (
        list(RoutingRule.objects.filter(applicable, office=office).select_related("unit")) if office else []
    )
    unit, reason = None, ""
    if submission.dialogue_id:
        unit, reason = submission.dialogue.unit, _("Câu hỏi gửi trước cho buổi đối thoại")
    folded = fold(submission.text)
    for rule in sorted(rules, key=lambda r: (r.document_id is None, -len(r.value))):
        if unit is None and rule.match == RoutingRule.Match.PLACE and _names(folded, fold(rule.value)):
            unit, reason = rule.unit, _("Quy tắc địa danh: %(place)s") % {"place": rule.value}
            break
    if unit is None and theme is not None and confident:
        for rule in sorted(rules, key=lambda r: r.document_id is None):
            if rule.match == RoutingRule.Match.THEME and rule.value == theme.label:
                unit, reason = rule.unit, _("Quy tắc chủ đề %(label)s") % {"label": theme.label}
                break
    if unit is None and submission.addressed_to_id:
        unit, reason = submission.addressed_to, _("Người dân gửi tới đơn vị này")
    if unit is None and office is not None:
        unit, reason = office, _("Cơ quan ban hành kế hoạch (chưa có quy tắc phù hợp)")
    submission.theme = theme
    submission.theme_score = round(best.margin, 4) if best else None
    submission.unit = unit
    submission.route_reason = reason[:300]
    submission.save(update_fields=["theme", "theme_score", "unit", "route_reason"])


def _names(folded_text: str, folded_place: str) -> bool:
    return (
        bool(folded_place)
        and re.search(r"(?<!\w)" + re.escape(folded_place) + r"(?!\w)", folded_text) is not None
    )


def reroute(
    *, submission: Submission, unit: Unit, theme: Theme | None, actor, remember: bool = False
) -> Submission:
    """The office sends the submission elsewhere in one step; the theme it sets is a confirmed
    label the classifier learns from, and ``remember`` makes it a rule (theme → unit)."""
    before = {"unit": submission.unit_id, "theme": submission.theme_id}
    with transaction.atomic():
        submission.unit = unit
        if theme is not None:
            submission.theme = theme
            submission.theme_confirmed = True
        submission.route_reason = _("Chuyển bởi cơ quan")
        submission.save(update_fields=["unit", "theme", "theme_confirmed", "route_reason"])
        if remember and theme is not None:
            office = _office_of(submission)
            if office is not None:
                RoutingRule.objects.update_or_create(
                    office=office,
                    document=submission.document,
                    match=RoutingRule.Match.THEME,
                    value=theme.label,
                    defaults={
                        "unit": unit,
                        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
                    },
                )
        log_action(
            "feedback.submission.rerouted",
            submission,
            actor=actor,
            data={"before": before, "unit": unit.pk, "theme": theme.pk if theme else None, "rule": remember},
        )
    return submission


def acknowledge(*, submission: Submission, actor, urgent: bool | None = None, now=None) -> Submission:
    now = now or timezone.now()
    with transaction.atomic():
        fields = []
        if urgent is not None and urgent != submission.urgent:
            submission.urgent = urgent
            submission.ack_due, submission.answer_due = deadlines(
                submission.kind, submission.received_at, urgent
            )
            fields += ["urgent", "ack_due", "answer_due"]
        if submission.acknowledged_at is None:
            submission.acknowledged_at = now
            fields.append("acknowledged_at")
        if submission.status == Status.RECEIVED:
            submission.status = Status.ACKNOWLEDGED
            fields.append("status")
        if fields:
            submission.save(update_fields=fields)
            log_action(
                "feedback.submission.acknowledged",
                submission,
                actor=actor,
                data={"urgent": submission.urgent},
            )
    return submission


def save_answer(
    *,
    submission: Submission,
    text: str,
    citations: list[dict],
    actor,
    evidence: bytes | None = None,
    in_faq: bool = False,
    send_for_approval: bool = False,
) -> Answer:
    """The unit's answer to the group's first submission, as a draft or sent for approval. It
    cannot go for approval without citing a document or attaching evidence."""
    leader = submission.leader
    text = clean_text(text)
    if len(text) < 20:
        raise Refused(_("Câu trả lời quá ngắn."))
    citations = [_clean_citation(c) for c in citations if c]
    evidence_type = check_attachment(evidence) if evidence else ""
    with transaction.atomic():
        answer, _created = Answer.objects.select_for_update().get_or_create(
            submission=leader, defaults={"text": text, "written_by": actor}
        )
        if answer.state == Answer.State.PUBLISHED:
            raise Refused(_("Câu trả lời đã công bố, không sửa được."))
        answer.text = text
        answer.citations = citations
        answer.in_faq = in_faq
        answer.written_by = actor
        if evidence:
            answer.evidence.save(
                uuid.uuid4().hex + extension(evidence_type), ContentFile(evidence), save=False
            )
        if send_for_approval:
            if not (answer.citations or answer.evidence):
                raise Refused(
                    _(
                        "Câu trả lời phải trích dẫn ít nhất một văn bản (số, mục, đoạn) hoặc đính kèm minh chứng trước khi trình duyệt."
                    )
                )
            answer.state = Answer.State.AWAITING
        else:
            answer.state = Answer.State.DRAFT
        answer.save()
        Submission.objects.filter(pk__in=_group_ids(leader)).exclude(
            status__in=[Status.ANSWERED, Status.CLOSED]
        ).update(status=Status.AWAITING_APPROVAL if send_for_approval else Status.ACKNOWLEDGED)
        now = timezone.now()
        Submission.objects.filter(pk__in=_group_ids(leader), acknowledged_at__isnull=True).update(
            acknowledged_at=now
        )
        log_action(
            "feedback.answer.sent_for_approval" if send_for_approval else "feedback.answer.drafted",
            answer,
            actor=actor,
            data={"citations": len(citations), "evidence": bool(answer.evidence)},
        )
    return answer


def _clean_citation(raw: dict) -> dict:
    return {
        "document": clean_text(str(raw.get("document", "")))[:200],
        "section": clean_text(str(raw.get("section", "")))[:100],
        "quote": clean_text(str(raw.get("quote", "")))[:1000],
    }


def _group_ids(leader: Submission) -> list[int]:
    return [leader.pk, *Submission.objects.filter(group=leader).values_list("pk", flat=True)]


def publish(
    *, answer: Answer, actor, in_faq: bool | None = None, seen: str | None = None, now=None
) -> Answer:
    """An approver (a person, never the machine) sends the answer to everyone in the group.
    ``seen`` is the answer's ``updated_at`` the approver read: a text changed since is not published."""
    now = now or timezone.now()
    with transaction.atomic():
        answer = Answer.objects.select_for_update().get(pk=answer.pk)
        if seen is not None and seen != answer.updated_at.isoformat():
            raise Refused(_("Câu trả lời vừa được sửa; xin đọc lại bản mới trước khi duyệt."))
        if answer.state != Answer.State.AWAITING:
            raise Refused(_("Chỉ duyệt được câu trả lời đang chờ duyệt."))
        if not (answer.citations or answer.evidence):
            raise Refused(_("Câu trả lời chưa trích dẫn văn bản hoặc minh chứng."))
        answer.state = Answer.State.PUBLISHED
        answer.approved_by = actor
        answer.published_at = now
        if in_faq is not None:
            answer.in_faq = in_faq
        answer.save(update_fields=["state", "approved_by", "published_at", "in_faq", "updated_at"])
        ids = _group_ids(answer.submission)
        Submission.objects.filter(pk__in=ids, answered_at__isnull=True).update(answered_at=now)
        Submission.objects.filter(pk__in=ids).exclude(status=Status.CLOSED).update(
            status=Status.ANSWERED, closed_at=now
        )
        log_action(
            "feedback.answer.published",
            answer,
            actor=actor,
            data={"submissions": len(ids), "faq": answer.in_faq},
        )
    return answer


def return_to_writer(*, answer: Answer, actor, note: str = "") -> Answer:
    if answer.state != Answer.State.AWAITING:
        raise Refused(_("Chỉ trả lại được câu trả lời đang chờ duyệt."))
    with transaction.atomic():
        answer.state = Answer.State.DRAFT
        answer.save(update_fields=["state", "updated_at"])
        Submission.objects.filter(
            pk__in=_group_ids(answer.submission), status=Status.AWAITING_APPROVAL
        ).update(status=Status.ACKNOWLEDGED)
        log_action("feedback.answer.returned", answer, actor=actor, data={"note": clean_text(note)[:500]})
    return answer


def view_contact(*, submission: Submission, actor) -> dict[str, str | None]:
    """The decrypted contact details; every call is logged (who, when, which submission)."""
    log_action("feedback.contact.viewed", submission, actor=actor)
    return {
        "name": crypto.decrypt(submission.contact_name),
        "phone": crypto.decrypt(submission.contact_phone),
        "email": crypto.decrypt(submission.contact_email),
    }


def export_personal(submission: Submission) -> dict:
    """Everything Loa holds about the person behind a receipt code (for the person only)."""
    log_action("feedback.personal.exported", submission)
    return {
        "ma_tiep_nhan": f"#{submission.pk}",
        "loai": str(submission.get_kind_display()),
        "noi_dung": submission.text,
        "nhan_luc": submission.received_at.isoformat(),
        "lien_he": {
            "ho_ten": crypto.decrypt(submission.contact_name),
            "dien_thoai": crypto.decrypt(submission.contact_phone),
            "thu_dien_tu": crypto.decrypt(submission.contact_email),
        },
        "dong_y_luc": submission.consent_at.isoformat() if submission.consent_at else None,
        "phien_ban_noi_dung_dong_y": submission.consent_version,
        "tep_dinh_kem": bool(submission.attachment),
        "da_xoa_du_lieu_ca_nhan_luc": submission.personal_erased_at.isoformat()
        if submission.personal_erased_at
        else None,
    }


def erase_personal(*, submission: Submission, reason: str, now=None) -> Submission:
    """Remove the contact details and the attachment (a photo may show a person). The question
    and its answer stay, without anyone's identity."""
    now = now or timezone.now()
    with transaction.atomic():
        if submission.attachment:
            submission.attachment.delete(save=False)
        submission.contact_name = submission.contact_phone = submission.contact_email = ""
        submission.attachment = ""
        submission.attachment_type = ""
        submission.personal_erased_at = now
        submission.save(
            update_fields=[
                "contact_name",
                "contact_phone",
                "contact_email",
                "attachment",
                "attachment_type",
                "personal_erased_at",
            ]
        )
        log_action("feedback.personal.erased", submission, data={"reason": reason})
    return submission


def purge_expired(*, retention_days: int, now=None) -> int:
    """Erase the personal data of submissions closed more than ``retention_days`` ago."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days)
    never_closed = now - dt.timedelta(days=2 * retention_days)
    due = Submission.objects.filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, received_at__lt=never_closed),
        personal_erased_at__isnull=True,
    ).filter(~Q(contact_name="") | ~Q(contact_phone="") | ~Q(contact_email="") | ~Q(attachment=""))
    n = 0
    for submission in due.iterator():
        erase_personal(submission=submission, reason="retention", now=now)
        n += 1
    return n


def rotate_keys() -> int:
    """Re-encrypt every encrypted field of every app (contacts, receipt codes kept for API retries,
    subscribers' addresses, contestants' phones) under the newest key; returns the rows rewritten."""
    done = crypto.rotate_all()
    return sum(n for label, n in done.items() if label != "unreadable")


class KeyReused(Exception):
    """The Idempotency-Key was already used for a different request body."""


def submit_once(*, key: str, body_hash: str, **fields) -> tuple[Submission, str, bool]:
    """:func:`submit` under an idempotency key: (submission, receipt code, created). A retry of the
    same request returns the first submission and code; the same key with another body raises
    :class:`KeyReused`. Two concurrent first tries: the unique key lets one in, the other reads it."""
    existing = IdempotentRequest.objects.filter(key=key).select_related("submission").first()
    if existing is None:
        try:
            with transaction.atomic():
                submission, code = submit(**fields)
                IdempotentRequest.objects.create(
                    key=key,
                    body_hash=body_hash,
                    submission=submission,
                    code=crypto.encrypt(code),
                    created_at=timezone.now(),
                )
                return submission, code, True
        except IntegrityError:
            existing = IdempotentRequest.objects.select_related("submission").get(key=key)
    if existing.body_hash != body_hash:
        raise KeyReused
    return existing.submission, crypto.decrypt(existing.code) or "", False


def purge_idempotency(now=None) -> int:
    now = now or timezone.now()
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
    return deleted


# --- dialogue sessions ---------------------------------------------------------------------------


def schedule_dialogue(
    *,
    unit: Unit,
    title: str,
    held_at: dt.datetime,
    place: str,
    leaders: str,
    actor,
    document=None,
    theme=None,
) -> Dialogue:
    title, place, leaders = clean_text(title), clean_text(place), clean_text(leaders)
    if not (title and place and leaders):
        raise Refused(_("Cần tên buổi đối thoại, địa điểm và người chủ trì."))
    with transaction.atomic():
        dialogue = Dialogue.objects.create(
            unit=unit,
            document=document,
            theme=theme,
            title=title[:300],
            held_at=held_at,
            place=place[:300],
            leaders=leaders[:500],
            created_by=actor,
        )
        log_action(
            "feedback.dialogue.scheduled", dialogue, actor=actor, data={"held_at": held_at.isoformat()}
        )
    return dialogue


def ranked_questions(dialogue: Dialogue) -> list[tuple[Submission, int]]:
    """The dialogue's questions, one per group of near-duplicates, most asked first."""
    from django.db.models import Count

    leaders = (
        Submission.objects.filter(dialogue=dialogue, group__isnull=True)
        .annotate(asked=Count("members") + 1)
        .select_related("answer", "theme")
        .order_by("-asked", "received_at")
    )
    return [(s, s.asked) for s in leaders]


def record_dialogue_answer(*, dialogue: Dialogue, submission: Submission, text: str, actor) -> Answer:
    """The answer a leader gave at the session, recorded by the office and sent to everyone who
    asked it; its citation is the session itself."""
    if submission.dialogue_id != dialogue.pk:
        raise Refused(_("Câu hỏi không thuộc buổi đối thoại này."))
    held = timezone.localtime(dialogue.held_at)
    citation = {
        "document": f"Buổi đối thoại trực tiếp “{dialogue.title}”, {held:%H:%M %d/%m/%Y}, {dialogue.place}",
        "section": dialogue.leaders,
        "quote": "",
    }
    answer = save_answer(
        submission=submission,
        text=text,
        citations=[citation],
        actor=actor,
        send_for_approval=True,
        in_faq=False,
    )
    return publish(answer=answer, actor=actor)


def publish_dialogue(*, dialogue: Dialogue, summary: str, participants: int | None, actor) -> Dialogue:
    """Publish the summary and count the session as an activity of the channel "dialogue"."""
    from django.core.exceptions import ValidationError

    from loa.activities.services import record_activity

    summary = clean_text(summary)
    if len(summary) < 20:
        raise Refused(_("Xin viết tóm tắt kết quả buổi đối thoại (ít nhất 20 ký tự)."))
    with transaction.atomic():
        dialogue.summary = summary
        dialogue.participants = participants
        dialogue.questions_open = False
        if dialogue.published_at is None:
            dialogue.published_at = timezone.now()
        if dialogue.activity_id is None:
            fields = dict(
                actor=actor,
                unit=dialogue.unit,
                date=timezone.localtime(dialogue.held_at).date(),
                channel="dialogue",
                form="doi_thoai",
                title=dialogue.title,
                summary=summary[:2000],
                participants=participants,
            )
            try:
                activity = record_activity(**fields, themes=[dialogue.theme] if dialogue.theme else [])
            except ValidationError:  # the theme belongs to a plan the unit has no task in
                activity = record_activity(**fields)
            dialogue.activity = activity
        dialogue.save()
        log_action("feedback.dialogue.published", dialogue, actor=actor, data={"participants": participants})
    return dialogue


def add_rule(*, office: Unit, match: str, value: str, unit: Unit, actor, document=None) -> RoutingRule:
    value = clean_text(value)[:200]
    if match not in RoutingRule.Match.values or not value:
        raise Refused(_("Quy tắc cần loại (chủ đề hoặc địa danh) và giá trị."))
    with transaction.atomic():
        rule, _created = RoutingRule.objects.update_or_create(
            office=office,
            document=document,
            match=match,
            value=value,
            defaults={"unit": unit, "created_by": actor},
        )
        log_action(
            "feedback.rule.saved", rule, actor=actor, data={"match": match, "value": value, "unit": unit.pk}
        )
    return rule
