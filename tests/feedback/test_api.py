"""POST /api/public/feedback: no login, the page's checks, Idempotency-Key makes retries safe."""

import json

from loa.feedback.models import IdempotentRequest, Submission
from loa.feedback.services import find_by_code

URL = "/api/public/feedback"
BODY = {"kind": "question", "text": "Xin hỏi lịch tiếp công dân của xã trong tháng này thế nào ạ?"}


def _post(client, body, **headers):
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def test_a_portal_posts_a_question_and_a_retry_never_creates_a_second(world, client):
    body = {**BODY, "plan": world["plan"].pk}
    first = _post(client, body, **{"Idempotency-Key": "portal-123"})
    assert first.status_code == 201, first.content
    code = first.json()["receipt_code"]
    assert find_by_code(code).channel == "api"
    again = _post(client, body, **{"Idempotency-Key": "portal-123"})
    assert again.status_code == 200 and again.json()["receipt_code"] == code
    assert Submission.objects.count() == 1
    other = _post(client, {**body, "text": BODY["text"] + " Cảm ơn."}, **{"Idempotency-Key": "portal-123"})
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]
    assert IdempotentRequest.objects.get().code != code  # kept encrypted


def test_the_api_refuses_what_the_page_refuses(world, client, settings):
    plan = world["plan"].pk
    assert _post(client, {**BODY, "plan": plan, "text": "ngắn"}).status_code == 400
    no_consent = _post(client, {**BODY, "plan": plan, "contact": {"phone": "0912345678"}})
    assert no_consent.status_code == 400 and "đồng ý" in no_consent.json()["detail"]
    assert _post(client, {**BODY}).status_code == 400  # neither plan nor unit
    assert _post(client, {**BODY, "plan": 999999}).status_code == 404
    assert _post(client, {**BODY, "plan": plan, "kind": "spam"}).status_code == 422
    settings.LOA_FEEDBACK_PER_HOUR = (
        5  # four of the refused requests above were counted (422 never reaches it)
    )
    codes = [_post(client, {**BODY, "plan": plan}).status_code for _ in range(2)]
    assert codes == [201, 429]
    assert Submission.objects.count() == 1


def test_a_portal_with_an_api_key_is_limited_per_key_not_per_address(world, client, settings):
    from loa.accounts.tokens import create_token

    settings.LOA_FEEDBACK_PER_HOUR = 1
    settings.LOA_FEEDBACK_API_PER_HOUR = 3
    _token, raw = create_token(user=world["office_a"], name="Cổng thông tin xã", actor=world["office_a"])
    body = {**BODY, "plan": world["plan"].pk}
    auth = {"Authorization": f"Bearer {raw}"}
    assert [_post(client, body, **auth).status_code for _ in range(4)] == [201, 201, 201, 429]
    assert [_post(client, body).status_code for _ in range(2)] == [201, 429]
