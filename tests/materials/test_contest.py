"""The contest rules on the server: drawn and shuffled questions, no key sent, time limit, one phone
per round (or best of N), answers only to one's own questions, no replay, ranking tie-breaks."""

import datetime as dt
import zoneinfo

import pytest

from loa.materials import contest as rules
from loa.materials.models import Contest, Question

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
T0 = dt.datetime(2026, 12, 8, 9, 0, tzinfo=HCM)


@pytest.fixture
def round_(world):
    plan = world["plan"]
    for i in range(6):
        Question.objects.create(
            document=plan,
            text=f"Câu hỏi số {i}?",
            options=["A", "B", "C", "D"],
            key=i % 4,
            cite_document="Kế hoạch",
            cite_sentence="Câu trích.",
            origin="import",
            status="approved",
        )
    Question.objects.create(
        document=plan,
        text="Chưa duyệt?",
        options=["A", "B", "C", "D"],
        key=0,
        cite_document="x",
        cite_sentence="y",
        origin="import",
    )
    return Contest.objects.create(
        document=plan,
        title="Tuần 1",
        opens_at=T0,
        closes_at=T0 + dt.timedelta(days=7),
        questions_per_attempt=5,
        time_limit_seconds=300,
        max_attempts=2,
    )


def _right(attempt, shown):
    keys = dict(Question.objects.values_list("pk", "key"))
    order = {d["q"]: d["order"] for d in attempt.drawn}
    return {q["id"]: order[q["id"]].index(keys[q["id"]]) for q in shown}


def test_an_attempt_draws_approved_questions_without_keys_and_is_scored_on_the_server(world, round_):
    attempt, token, shown = rules.start(
        contest=round_,
        unit=world["assignment"].unit,
        name="Lê Thị E",
        phone="0912 345 678",
        age_band="16-30",
        now=T0,
        seed=1,
    )
    assert len(shown) == 5 and all("key" not in q for q in shown)
    assert "Chưa duyệt?" not in [q["text"] for q in shown]
    answers = _right(attempt, shown)
    first = next(iter(answers))
    answers[first] = (answers[first] + 1) % 4  # one wrong
    scored = rules.submit(token=token, answers=answers, prediction=3, now=T0 + dt.timedelta(seconds=90))
    assert scored.correct == 4 and scored.duration == 90.0
    with pytest.raises(rules.Refused, match="đã nộp"):
        rules.submit(token=token, answers=answers, prediction=3, now=T0 + dt.timedelta(seconds=95))


def test_late_forged_foreign_answers_absurd_predictions_and_used_phones_are_refused(world, round_):
    unit = world["assignment"].unit
    a, token, shown = rules.start(
        contest=round_, unit=unit, name="A", phone="0900000001", age_band=">60", now=T0, seed=2
    )
    with pytest.raises(rules.Refused, match="hết giờ"):
        rules.submit(token=token, answers={}, prediction=1, now=T0 + dt.timedelta(seconds=306))
    b, token_b, shown_b = rules.start(
        contest=round_, unit=unit, name="A", phone="0900000001", age_band=">60", now=T0, seed=3
    )
    with pytest.raises(rules.Refused, match="hết lượt"):
        rules.start(contest=round_, unit=unit, name="A", phone="0900000001", age_band=">60", now=T0)
    with pytest.raises(rules.Refused, match="không hợp lệ"):
        rules.submit(token="gia-mao", answers={}, prediction=1, now=T0)
    foreign = next(iter(set(Question.objects.values_list("pk", flat=True)) - {q["id"] for q in shown_b}))
    with pytest.raises(rules.Refused, match="không thuộc"):
        rules.submit(token=token_b, answers={foreign: 0}, prediction=1, now=T0 + dt.timedelta(seconds=10))
    with pytest.raises(rules.Refused, match="không hợp lý"):
        rules.submit(token=token_b, answers={}, prediction=-5, now=T0 + dt.timedelta(seconds=10))
    assert (
        rules.submit(token=token_b, answers={}, prediction=0, now=T0 + dt.timedelta(seconds=10)).correct == 0
    )
    with pytest.raises(rules.Refused, match="chưa mở hoặc đã đóng"):
        rules.start(
            contest=round_,
            unit=unit,
            name="B",
            phone="0900000009",
            age_band="<16",
            now=T0 - dt.timedelta(hours=1),
        )


def test_ranking_correct_then_prediction_distance_then_duration_then_time_best_of_n(world, round_):
    unit = world["assignment"].unit

    def play(phone, wrong, prediction, seconds, start_offset=0):
        start = T0 + dt.timedelta(minutes=start_offset)
        attempt, token, shown = rules.start(
            contest=round_, unit=unit, name=phone, phone=phone, age_band="31-60", now=start
        )
        answers = _right(attempt, shown)
        for q in list(answers)[:wrong]:
            answers[q] = (answers[q] + 1) % 4
        return rules.submit(
            token=token, answers=answers, prediction=prediction, now=start + dt.timedelta(seconds=seconds)
        )

    play("0900000011", 0, 2, 200)  # all right, predicted 2
    play(
        "0900000012", 0, 3, 250
    )  # all right, predicted 3, nearest to the actual 4: first despite being slower
    play("0900000013", 1, 3, 10)  # one wrong
    play("0900000014", 0, 2, 200, start_offset=1)  # ties 011 but later
    play("0900000013", 0, 9, 100, start_offset=2)  # 013's second try, best of 2: all right, far prediction
    ranked = [a.phone_key for a in rules.ranking(round_)]
    names = {a.phone_key: a.name for a in rules.ranking(round_)}
    assert [names[k] for k in ranked] == ["0900000012", "0900000011", "0900000014", "0900000013"]


def test_a_round_from_the_office_page_to_a_phone_without_javascript(client, world, round_, monkeypatch):
    import re

    from .proof import typed

    monkeypatch.setattr(rules, "WORDS_MIN_SECONDS", 0)

    from django.urls import reverse

    from loa.materials.models import Attempt

    client.force_login(world["office_a"])
    bank = reverse("materials:questions", args=[world["plan"].pk])
    client.post(
        bank,
        {
            "action": "contest",
            "title": "Tuần 2",
            "opens": "2026-01-01T08:00",
            "closes": "2030-01-01T08:00",
            "questions": "5",
            "minutes": "10",
            "attempts": "1",
        },
    )
    live = Contest.objects.get(title="Tuần 2")
    client.logout()
    start = reverse("materials:contest_start", args=[live.pk])
    form = client.get(start).content.decode()
    assert "Bắt đầu làm bài" in form
    response = client.post(
        start,
        {
            "name": "Em Học Sinh",
            "phone": "0987000111",
            "unit": world["assignment"].unit.pk,
            "age_band": "<16",
            "website": "",
            **typed(form),
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    ids = sorted(set(re.findall(r'name="q(\d+)"', page)))
    assert len(ids) == 5 and "key" not in page
    done = client.post(response["Location"], {**{f"q{i}": "0" for i in ids}, "prediction": "1"})
    assert "Bạn trả lời đúng" in done.content.decode()
    attempt = Attempt.objects.get()
    assert attempt.publish_name is False and attempt.submitted_at is not None
    assert client.post(response["Location"], {"prediction": "1"}).status_code == 302  # no second submission
    assert (
        "công bố khi vòng thi đóng"
        in client.get(reverse("materials:contest_results", args=[live.pk])).content.decode()
    )
    from django.utils import timezone

    Contest.objects.filter(pk=live.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    results = client.get(reverse("materials:contest_results", args=[live.pk])).content.decode()
    assert "098****111" in results and "Em Học Sinh" not in results and "(ẩn tên)" in results
    assert "Xếp hạng tập thể" in results and world["assignment"].unit.name in results
    import io

    import docx
    import openpyxl

    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("materials:contest_results_file", args=[live.pk, "xlsx"])).content)
    ).active
    assert sheet.cell(2, 4).value == "098****111" and sheet.cell(2, 2).value == "(ẩn tên)"
    made = docx.Document(
        io.BytesIO(client.get(reverse("materials:contest_results_file", args=[live.pk, "docx"])).content)
    )
    assert (
        "THÔNG BÁO KẾT QUẢ" in made.paragraphs[0].text
        and made.tables[0].rows[1].cells[3].text == "098****111"
    )
    assert client.get(reverse("materials:contest_results_file", args=[live.pk, "exe"])).status_code == 404


def test_phones_are_erased_90_days_after_the_round_closes(world, round_):
    attempt, _token, _shown = rules.start(
        contest=round_, unit=world["assignment"].unit, name="A", phone="0900000021", age_band="16-30", now=T0
    )
    assert rules.purge_phones(now=round_.closes_at + dt.timedelta(days=89)) == 0
    assert rules.purge_phones(now=round_.closes_at + dt.timedelta(days=91)) == 1
    attempt.refresh_from_db()
    assert attempt.phone == "" and rules.results(round_) == []


def test_participation_per_unit_feeds_the_dashboards_once_after_the_round(world, round_):
    from django.utils import timezone

    from loa.activities.models import Activity

    unit = world["assignment"].unit
    for phone in ("0900000031", "0900000032"):
        a, token, shown = rules.start(
            contest=round_, unit=unit, name=phone, phone=phone, age_band="16-30", now=T0
        )
        rules.submit(token=token, answers=_right(a, shown), prediction=1, now=T0 + dt.timedelta(seconds=30))
    with pytest.raises(rules.Refused):
        rules.log_participation(round_, world["office_a"])
    Contest.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    round_.refresh_from_db()
    assert rules.by_unit(round_)[0]["people"] == 2 and rules.by_unit(round_)[0]["mean"] == 5.0
    assert rules.log_participation(round_, world["office_a"]) == 1
    assert rules.log_participation(round_, world["office_a"]) == 0
    activity = Activity.objects.get(channel="contest")
    assert activity.unit == unit and activity.participants == 2


def test_a_corrected_key_rescores_with_an_audit_entry_and_item_statistics_flag_a_beaten_key(world, round_):
    from loa.audit.models import AuditEntry

    unit = world["assignment"].unit
    attempts = []
    for phone in ("0900000041", "0900000042", "0900000043"):
        a, token, shown = rules.start(
            contest=round_, unit=unit, name=phone, phone=phone, age_band="16-30", now=T0, seed=7
        )
        answers = _right(a, shown)
        attempts.append(
            rules.submit(token=token, answers=answers, prediction=1, now=T0 + dt.timedelta(seconds=20))
        )
    q = Question.objects.get(pk=attempts[0].drawn[0]["q"])
    stats = {s["question"].pk: s for s in rules.item_statistics(round_)}
    assert stats[q.pk]["right"] == 1.0 and not stats[q.pk]["flag"]
    wrong_key = (q.key + 1) % 4
    assert rules.correct_key(question=q, key=wrong_key, actor=world["office_a"]) == 3
    for a in attempts:
        a.refresh_from_db()
        assert a.correct == 4
    assert AuditEntry.objects.filter(action="materials.question.key_corrected").exists()
    assert {s["question"].pk: s for s in rules.item_statistics(round_)}[q.pk]["flag"]


def test_the_statistics_page_corrects_a_key_for_the_office_only(client, world, round_):
    from django.urls import reverse

    a, token, shown = rules.start(
        contest=round_,
        unit=world["assignment"].unit,
        name="X",
        phone="0900000051",
        age_band="16-30",
        now=T0,
        seed=5,
    )
    rules.submit(token=token, answers=_right(a, shown), prediction=1, now=T0 + dt.timedelta(seconds=20))
    url = reverse("materials:contest_statistics", args=[round_.pk])
    client.force_login(world["officer_a"])
    assert client.get(url).status_code == 404
    client.force_login(world["office_a"])
    assert "Tỷ lệ đúng" in client.get(url).content.decode()
    q = Question.objects.get(pk=a.drawn[0]["q"])
    client.post(url, {"question": q.pk, "key": str((q.key + 1) % 4)})
    a.refresh_from_db()
    assert a.correct == 4
    assert client.post(url, {"question": "x", "key": "1"}).status_code == 404
