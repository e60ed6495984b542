"""The public feedback endpoint: a city portal or a Zalo mini-app posts citizens' submissions into
Loa. No login; the same checks as the public page (rate limit per address, text, contact and
consent); ``Idempotency-Key`` makes retries safe."""

import hashlib
import json

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from loa.org.models import Unit
from loa.plans.models import Document

from . import services
from .models import Kind
from .validation import Refused, check_contact

router = Router(tags=["public feedback"])


class ContactIn(Schema):
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)


class FeedbackIn(Schema):
    plan: int | None = Field(None, description="the plan (Document id) the submission is about")
    unit: int | None = Field(None, description="or the unit it is addressed to")
    kind: Kind = Field(Kind.QUESTION, description="question | comment | idea | petition")
    text: str = Field(max_length=20000)
    contact: ContactIn | None = None
    consent: bool = Field(False, description="required when contact data is given")


class FeedbackOut(Schema):
    receipt_code: str
    status: str
    ack_due: str
    answer_due: str
    lookup_url: str


class ErrorOut(Schema):
    detail: str


def _api_caller(request):
    from loa.accounts.tokens import authenticate_token

    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return authenticate_token(header[7:].strip())


@router.post(
    "/feedback",
    auth=None,
    response={201: FeedbackOut, 200: FeedbackOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    summary="Send a citizen's question, comment, idea or petition",
)
def post_feedback(request, payload: FeedbackIn):
    """Answers 201 with the receipt code; a retry with the same ``Idempotency-Key`` header and
    body answers 200 with the same code; the same key with another body answers 409."""
    # A portal or a mini-app posts for many citizens from one address: with an API key it is limited
    # per key (LOA_FEEDBACK_API_PER_HOUR), without one per address like the public page.
    caller = _api_caller(request)
    key, limit = (
        (f"token:{caller.pk}", settings.LOA_FEEDBACK_API_PER_HOUR)
        if caller
        else (services.client_key(request), settings.LOA_FEEDBACK_PER_HOUR)
    )
    if not services.throttle(key, limit=limit, seconds=3600):
        return Status(429, {"detail": _("Bạn đã gửi quá nhiều ý kiến trong một giờ. Xin thử lại sau.")})
    plans = Document.objects.exclude(current_version=None).filter(kind__icontains="kế hoạch")
    document = get_object_or_404(plans, pk=payload.plan) if payload.plan else None
    unit = get_object_or_404(Unit, pk=payload.unit, merged_into=None) if payload.unit else None
    try:
        c = payload.contact or ContactIn()
        fields = {
            "kind": payload.kind,
            "text": payload.text,
            "document": document,
            "addressed_to": unit,
            "contact": check_contact(c.name, c.phone, c.email),
            "consent": payload.consent,
            "channel": "api",
        }
        key = request.headers.get("Idempotency-Key", "").strip()[:100]
        if key:
            body = hashlib.sha256(
                json.dumps(payload.dict(), sort_keys=True, default=str).encode()
            ).hexdigest()
            submission, code, created = services.submit_once(key=key, body_hash=body, **fields)
        else:
            (submission, code), created = services.submit(**fields), True
    except services.KeyReused:
        return Status(409, {"detail": _("Idempotency-Key này đã dùng cho một nội dung khác.")})
    except Refused as exc:
        return Status(400, {"detail": str(exc)})
    out = {
        "receipt_code": code,
        "status": submission.status,
        "ack_due": submission.ack_due.isoformat(),
        "answer_due": submission.answer_due.isoformat(),
        "lookup_url": request.build_absolute_uri("/y-kien/tra-cuu/"),
    }
    return Status(201 if created else 200, out)
