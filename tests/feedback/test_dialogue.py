"""Direct dialogue: scheduled, questions asked in advance on the public page, grouped and ranked,
answers recorded, summary published, counted as an activity of the channel "dialogue"."""

import datetime as dt
import zoneinfo

from django.urls import reverse

from loa.activities.models import Activity
from loa.feedback import services
from loa.feedback.models import Dialogue, Submission

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = "Xin hỏi khi nào xã mở rộng đường liên thôn theo quy hoạch mới của Thủ đô?"
Q2 = "Cho hỏi bao giờ xã mở rộng đường liên thôn theo quy hoạch mới của Thủ đô ạ?"
Q3 = "Đề nghị xã tổ chức lớp hướng dẫn người cao tuổi dùng dịch vụ công trực tuyến."


def test_a_dialogue_from_scheduling_to_the_published_summary(
    world, client, django_capture_on_commit_callbacks
):
    plan = world["plan"]
    client.force_login(world["office_a"])
    response = client.post(
        reverse("feedback:dialogues"),
        {
            "title": "Đối thoại giữa Chủ tịch UBND xã với Nhân dân quý IV/2026",
            "unit": plan.issuer.pk,
            "plan": plan.pk,
            "held_at": "2026-12-20T08:00",
            "place": "Hội trường UBND xã",
            "leaders": "Chủ tịch UBND xã",
        },
    )
    d = Dialogue.objects.get()
    assert response.status_code == 302 and d.questions_open
    client.logout()
    public = reverse("feedback:dialogue_public", args=[d.pk])
    assert "Gửi câu hỏi trước" in client.get(public).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for text in (Q1, Q2, Q3):
            r = client.post(public, {"kind": "question", "text": text, "website": ""})
            assert r.status_code == 302, r.content.decode()[:500]
    assert Submission.objects.filter(dialogue=d, unit=plan.issuer).count() == 3
    ranked = services.ranked_questions(d)
    assert [n for _q, n in ranked] == [2, 1] and ranked[0][0].text == Q1
    client.force_login(world["office_a"])
    page = client.get(reverse("feedback:dialogue", args=[d.pk]))
    assert page.status_code == 200 and "2 người hỏi" in page.content.decode()
    client.post(
        reverse("feedback:dialogue", args=[d.pk]),
        {
            "action": "answer",
            "question": ranked[0][0].pk,
            "text": "Xã khởi công mở rộng đường liên thôn trong quý II/2027.",
        },
    )
    both = Submission.objects.filter(text__in=[Q1, Q2])
    assert all(s.status == "answered" for s in both)
    client.post(
        reverse("feedback:dialogue", args=[d.pk]),
        {
            "action": "publish",
            "summary": "Buổi đối thoại có 120 người dự, trả lời 2 nhóm câu hỏi.",
            "participants": "120",
        },
    )
    d.refresh_from_db()
    activity = Activity.objects.get(pk=d.activity_id)
    assert activity.channel == "dialogue" and activity.participants == 120 and activity.unit == plan.issuer
    assert not d.questions_open
    client.logout()
    shown = client.get(public).content.decode()
    assert "quý II/2027" in shown and "120 người dự" in shown
    late = client.post(public, {"kind": "question", "text": Q3 + " Gửi muộn.", "website": ""})
    assert late.status_code in (200, 400) and Submission.objects.count() == 3


def test_only_offices_see_dialogues(world, client):
    client.force_login(world["officer_a"])
    assert client.get(reverse("feedback:dialogues")).status_code == 404
    d = services.schedule_dialogue(
        unit=world["plan"].issuer,
        title="Đối thoại",
        held_at=dt.datetime(2026, 12, 20, 8, tzinfo=HCM),
        place="Nhà văn hóa thôn",
        leaders="Bí thư Đảng ủy xã",
        actor=world["office_a"],
    )
    assert client.get(reverse("feedback:dialogue", args=[d.pk])).status_code == 404
    client.force_login(world["office_a"])
    assert client.get(reverse("feedback:dialogue", args=[d.pk])).status_code == 200
