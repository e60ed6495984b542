"""Anti-abuse on the quiz contest without a third-party captcha: the proof of work (ALTCHA protocol)
and its no-JavaScript fallback, single use, honeypot and refusals counted; the unit tree; suspicious
patterns reported to the organiser, who alone leaves an attempt out of the ranking, with a reason."""

import base64
import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from loa.core import altcha
from loa.materials import contest as rules
from loa.materials.models import Attempt, Contest, ContestRefusal, Question

from .proof import solved, typed

KEY = b"k" * 32


# ------------------------------------------------------------------------------------ the protocol


def test_a_solved_challenge_verifies_once_and_every_forgery_is_refused():
    data = altcha.challenge(KEY, max_number=2000, ttl=60, now=1000)
    number = altcha.solve(data)
    assert number is not None and 0 <= number <= 2000
    good = altcha.payload(data, number)
    assert altcha.verify(KEY, good, now=1010) == altcha.Proof(data["challenge"], 1060)
    with pytest.raises(altcha.Invalid) as exc:
        altcha.verify(KEY, good, now=1061)
    assert exc.value.reason == "expired"
    with pytest.raises(altcha.Invalid) as exc:
        altcha.verify(KEY, altcha.payload(data, number + 1), now=1010)
    assert exc.value.reason == "wrong"
    with pytest.raises(altcha.Invalid) as exc:
        altcha.verify(b"another key" * 3, good, now=1010)
    assert exc.value.reason == "forged"
    # a longer expiry written into the salt breaks the hash, and a re-signed challenge needs the key
    body = json.loads(base64.b64decode(good))
    body["salt"] = body["salt"].replace("expires=1060", "expires=9999")
    with pytest.raises(altcha.Invalid):
        altcha.verify(KEY, base64.b64encode(json.dumps(body).encode()).decode(), now=1010)
    # nor can the number's first digits be moved onto the salt's expiry (the same hash and signature)
    spliced = dict(json.loads(base64.b64decode(good)))
    if number >= 10:
        spliced["salt"] += str(number)[0]
        spliced["number"] = int(str(number)[1:])
        with pytest.raises(altcha.Invalid):
            altcha.verify(KEY, base64.b64encode(json.dumps(spliced).encode()).decode(), now=1010)
    late = altcha.challenge(KEY, max_number=10, ttl=10 * 86_400, now=1000)  # longer than any proof lives
    with pytest.raises(altcha.Invalid) as exc:
        altcha.verify(KEY, altcha.payload(late, altcha.solve(late)), now=1010)
    assert exc.value.reason == "forged"
    nested = base64.b64encode(b"[" * 1400).decode()
    non_ascii = dict(json.loads(base64.b64decode(good)), signature="é" * 64)
    for bad in [
        "",
        "%%%",
        "x" * 5000,
        base64.b64encode(b"[1]").decode(),
        base64.b64encode(b"\xff").decode(),
        nested,
        base64.b64encode(json.dumps(non_ascii).encode()).decode(),
    ]:
        with pytest.raises(altcha.Invalid) as exc:
            altcha.verify(KEY, bad, now=1010)
        assert exc.value.reason == "malformed"
    body = json.loads(base64.b64decode(good))
    body["number"] = True
    with pytest.raises(altcha.Invalid):
        altcha.verify(KEY, base64.b64encode(json.dumps(body).encode()).decode(), now=1010)


def test_the_number_in_words_is_checked_without_ever_being_in_the_form():
    data = altcha.words_challenge(KEY, ttl=600, now=1000)
    assert str(data["number"]) not in data["salt"]
    args = {"salt": data["salt"], "signature": data["signature"]}
    assert altcha.verify_words(KEY, answer=f" {data['number']} ", now=1010, **args).expires == 1600
    for answer, now, reason in [
        (str(data["number"] + 1), 1010, "wrong"),
        ("bốn trăm", 1010, "wrong"),
        ("²³⁴", 1010, "wrong"),
        (str(data["number"]), 1001, "early"),
        (str(data["number"]), 1700, "expired"),
    ]:
        with pytest.raises(altcha.Invalid) as exc:
            altcha.verify_words(KEY, answer=answer, now=now, **args)
        assert exc.value.reason == reason


# ------------------------------------------------------------------------------------ the start page


@pytest.fixture
def live(world):
    plan = world["plan"]
    for i in range(4):
        Question.objects.create(
            document=plan,
            text=f"Câu {i}?",
            options=["A", "B", "C", "D"],
            key=0,
            cite_document="Kế hoạch",
            cite_sentence="Câu trích.",
            origin="import",
            status="approved",
        )
    now = timezone.now()
    return Contest.objects.create(
        document=plan,
        title="Tuần thi",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        questions_per_attempt=2,
        time_limit_seconds=300,
        max_attempts=1,
    )


def _entry(world, phone="0912345678", **extra):
    return {
        "name": "Trần Văn Dự Thi",
        "phone": phone,
        "unit": world["assignment"].unit.pk,
        "age_band": "16-30",
        "website": "",
        **extra,
    }


def test_a_start_needs_a_proof_and_each_proof_opens_one_attempt(client, world, live):
    url = reverse("materials:contest_start", args=[live.pk])
    page = client.get(url).content.decode()
    assert "altcha.js" in page and 'name="proof_words"' in page
    refused = client.post(url, _entry(world))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "con số viết bằng chữ" in text
    assert 'value="Trần Văn Dự Thi"' in text  # nothing typed is lost
    assert Attempt.objects.count() == 0
    proof = solved(page)
    assert client.post(url, _entry(world, **proof)).status_code == 302
    again = client.post(url, _entry(world, phone="0912345679", **proof))  # the same proof, replayed
    assert again.status_code == 400 and "đã được dùng" in again.content.decode()
    assert Attempt.objects.count() == 1
    assert Attempt.objects.get().client  # the address's key, never the address
    assert "127.0.0.1" not in Attempt.objects.get().client
    assert ContestRefusal.objects.filter(reason="proof").count() == 2


def test_without_javascript_the_number_in_words_must_be_right_and_not_instant(
    client, world, live, monkeypatch
):
    url = reverse("materials:contest_start", args=[live.pk])
    page = client.get(url).content.decode()
    answer = typed(page)
    early = client.post(url, _entry(world, **answer))
    assert early.status_code == 400 and "gõ lại con số" in early.content.decode()
    monkeypatch.setattr(rules, "WORDS_MIN_SECONDS", 0)
    wrong = dict(answer, proof_words=str(int(answer["proof_words"]) % 900 + 101))
    assert client.post(url, _entry(world, **wrong)).status_code == 400
    assert client.post(url, _entry(world, **answer)).status_code == 302


def test_the_honeypot_is_refused_and_counted_for_the_organiser(client, world, live):
    url = reverse("materials:contest_start", args=[live.pk])
    page = client.get(url).content.decode()
    response = client.post(url, _entry(world, website="http://spam", **solved(page)))
    assert response.status_code == 400
    assert Attempt.objects.count() == 0 and ContestRefusal.objects.get().reason == "honeypot"


def test_contestants_pick_their_unit_from_the_tree(client, world, live):
    from loa.org.models import Unit

    parent = world["assignment"].unit
    child = Unit.objects.create(name="Chi đoàn Thôn Đông (mẫu)", parent=parent, area=parent.area)
    stranger = world["unit_b"]
    url = reverse("materials:contest_start", args=[live.pk])
    page = client.get(url).content.decode()
    assert f'<optgroup label="{parent.area.name}">' in page
    assert f'value="{child.pk}">\u00a0\u00a0└ {child.name}' in page
    assert page.index(f'value="{parent.pk}"') < page.index(f'value="{child.pk}"')
    response = client.post(url, _entry(world, unit=child.pk, **solved(page)))
    assert response.status_code == 302 and Attempt.objects.get().unit == child
    if stranger is not None and not Unit.objects.filter(pk=stranger.pk, parent=parent).exists():
        page = client.get(url).content.decode()
        outside = client.post(url, _entry(world, phone="0987654321", unit=stranger.pk, **solved(page)))
        assert outside.status_code == 400 and "Xin chọn đơn vị" in outside.content.decode()


# ------------------------------------------------------------------------------------ the organiser


def _attempt(contest, unit, n, *, client="", name=None, correct=0, duration=100.0):
    return Attempt.objects.create(
        contest=contest,
        token_hash=f"t{n:063d}",
        unit=unit,
        name=name or f"Người {n}",
        phone="",
        phone_key=f"p{n}",
        age_band="16-30",
        drawn=[],
        started_at=contest.opens_at,
        submitted_at=contest.opens_at + dt.timedelta(seconds=duration),
        correct=correct,
        duration=duration,
        prediction=1,
        client=client,
    )


def test_suspicious_patterns_are_reported_and_only_the_organiser_excludes_with_a_reason(client, world, live):
    unit = world["assignment"].unit
    n = 0
    for _ in range(rules.SAME_ADDRESS):  # one address, more than a school class
        n += 1
        _attempt(live, unit, n, client="aaaaaaaaaaaaaaaa", correct=1)
    for _ in range(3):  # one name, one unit, three phones
        n += 1
        _attempt(live, unit, n, name="Nguyễn  Văn Trùng", correct=1)
    n += 1
    fast = _attempt(live, unit, n, correct=2, duration=1.5)  # all right in 0.75 s a question
    n += 1
    honest = _attempt(live, unit, n, correct=2, duration=80)
    for _ in range(rules.REFUSALS):
        rules.record_refusal(live, "bbbbbbbbbbbbbbbb", "proof")
    kinds = [s["kind"] for s in rules.suspicious(live)]
    assert sorted(kinds) == ["address", "fast", "refused", "same_name"]
    assert Attempt.objects.filter(contest=live).exclude(excluded_reason="").count() == 0  # nothing silent
    assert rules.ranked_ids(live)[0] == fast.pk

    url = reverse("materials:contest_statistics", args=[live.pk])
    client.force_login(world["officer_b"])
    assert client.get(url).status_code == 404
    client.force_login(world["office_a"])
    page = client.get(url).content.decode()
    assert "Dấu hiệu bất thường" in page and "đúng hết trong chưa tới 2 giây" in page
    title = page[page.index("<title>") : page.index("</title>")]
    assert "Dấu hiệu" not in title and "Người" not in title and page.count('id="suspicious"') == 1
    assert client.post(url, {"action": "exclude", "attempt": fast.pk, "reason": ""}).status_code == 302
    assert Attempt.objects.get(pk=fast.pk).excluded_reason == ""  # a reason is required
    client.post(url, {"action": "exclude", "attempt": fast.pk, "reason": "Làm bài bằng máy, đã xác minh"})
    fast.refresh_from_db()
    assert fast.excluded_reason == "Làm bài bằng máy, đã xác minh"
    assert fast.pk not in rules.ranked_ids(live) and rules.ranked_ids(live)[0] == honest.pk
    from loa.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="materials.attempt.excluded")
    assert entry.actor == world["office_a"]
    Contest.objects.filter(pk=live.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    results = client.get(reverse("materials:contest_results", args=[live.pk])).content.decode()
    assert "1 bài không được xếp hạng" in results
    client.post(url, {"action": "exclude", "attempt": fast.pk, "reason": ""})  # taken back
    assert Attempt.objects.get(pk=fast.pk).excluded_reason == ""
    assert AuditEntry.objects.filter(action="materials.attempt.included").count() == 1


def test_answers_outside_the_attempt_are_refused_and_a_reload_after_submitting_shows_the_result(
    client, world, live
):
    url = reverse("materials:contest_start", args=[live.pk])
    page = client.get(url).content.decode()
    attempt_url = client.post(url, _entry(world, **solved(page)))["Location"]
    outside = client.post(attempt_url, {"q999999": "1", "prediction": "2"}, follow=True).content.decode()
    assert "không thuộc bài thi này" in outside and 'name="prediction"' in outside  # back to the questions
    assert Attempt.objects.get().submitted_at is None
    attempt = Attempt.objects.get()
    done = client.post(attempt_url, {f"q{d['q']}": "0" for d in attempt.drawn} | {"prediction": "2"})
    assert "Bạn trả lời đúng" in done.content.decode()
    again = client.post(attempt_url, {"prediction": "3"}, follow=True).content.decode()
    assert "Bài thi này đã nộp" in again and "Bạn trả lời đúng" in again
    assert Attempt.objects.get().prediction == 2


def test_a_sample_round_opens_once_for_a_sample_plan_and_shows_on_its_public_page(client, world):
    from django.core.management import call_command

    from loa.plans.models import Document

    plan = world["plan"]
    Document.objects.filter(pk=plan.pk).update(is_sample=True)
    call_command("materials", "demo")
    call_command("materials", "demo")  # once
    sample = Contest.objects.get(document=plan)
    assert sample.title.startswith("Vòng thi mẫu") and sample.opens_at <= timezone.now() < sample.closes_at
    approved = Question.objects.filter(document=plan, status="approved").count()
    assert approved >= 3 and sample.questions_per_attempt == min(10, approved)
    page = client.get(reverse("materials:public_list", args=[plan.pk])).content.decode()
    assert reverse("materials:contest_start", args=[sample.pk]) in page and "Vòng thi mẫu" in page
    start = client.get(reverse("materials:contest_start", args=[sample.pk])).content.decode()
    assert "Bắt đầu làm bài" in start
