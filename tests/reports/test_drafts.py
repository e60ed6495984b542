"""Drafting the implementing plan for the level below: from the city plan, the commune Party
committee drafts its own plan, edits it, exports it and issues it as a live child plan."""

import datetime as dt
import io

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Unit
from loa.plans.models import Document, Reference, TaskAssignment
from loa.reports import drafting
from loa.reports.models import PlanDraft
from tests.activities.conftest import SAMPLES

pytestmark = pytest.mark.django_db

CITY = "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"


@pytest.fixture
def setting(world, django_user_model):
    call_command("import_plan", str(SAMPLES / CITY))
    city = Document.objects.get(issuer_name="Ban Tuyên giáo và Dân vận Thành ủy")
    party = Unit.objects.get(name="Đảng ủy xã Hưng Đạo")
    clerk = django_user_model.objects.create_user("vanphong_dangu", password="mat-khau-dai-123")
    grant_role(user=clerk, unit=party, role=Role.OFFICE)
    return {**world, "city_plan": city, "party": party, "clerk": clerk}


def start(client, s):
    client.force_login(s["clerk"])
    page = client.get(reverse("activities:plan_dashboard", args=[s["city_plan"].pk])).content.decode()
    assert 'id="draft-new"' in page and s["party"].name in page
    response = client.post(reverse("reports:draft_new", args=[s["city_plan"].pk]), {"don_vi": s["party"].pk})
    assert response.status_code == 302
    return PlanDraft.objects.get()


def test_a_draft_starts_from_the_plan_above(client, setting):
    draft = start(client, setting)
    city = setting["city_plan"]
    assert (
        draft.basis.startswith("Thực hiện Kế hoạch") and "Ban Tuyên giáo và Dân vận Thành ủy" in draft.basis
    )
    assert "Đảng ủy xã Hưng Đạo xây dựng Kế hoạch thực hiện" in draft.basis
    assert [t["title"] for t in draft.themes] == [
        t.title for t in city.current_version.themes.order_by("order")
    ]
    assert draft.channels and all(t["keep"] for t in draft.themes)
    own = TaskAssignment.objects.filter(task__document=city, unit=setting["party"]).select_related("task")
    assert [t["text"] for t in draft.tasks] == [a.task.text.strip() for a in own]
    assert draft.purposes  # the purposes of the plan above, to adapt


def test_a_drafted_task_is_due_before_its_parent_task(setting):
    task = setting["city_plan"].tasks.get(assignment_label="4")
    task.deadline = dt.date(2026, 4, 1)
    task.save()
    content = drafting.initial_content(setting["city_plan"], setting["party"])
    (row,) = [t for t in content["tasks"] if t["text"] == task.text.strip()]
    assert row["deadline"] == (dt.date(2026, 4, 1) - dt.timedelta(days=drafting.LEAD_DAYS)).isoformat()


def test_editing_keeps_drops_and_edits_themes_and_refuses_late_deadlines(client, setting):
    draft = start(client, setting)
    names = [u.name for u in drafting.sub_units(setting["party"])][:2]
    url = reverse("reports:draft", args=[draft.pk])
    data = {
        "title": draft.title,
        "basis": draft.basis,
        "purposes": "Tuyên truyền sâu rộng kết quả kỳ họp đến cán bộ, đảng viên và Nhân dân trong xã.",
        "theme_count": len(draft.themes),
        "channels": "Tuyên truyền trên hệ thống truyền thanh của xã\nĐăng tin trên trang mạng xã hội của xã",
        "task_count": 2,
        "task_unit_0": names[0],
        "task_text_0": "Chủ trì đăng tin, bài về kết quả kỳ họp trên trang thông tin của xã",
        "task_deadline_0": "2026-03-28",
        "task_unit_1": names[1],
        "task_text_1": "Tuyên truyền qua hội nghị, sinh hoạt chi bộ",
        "task_deadline_1": "2026-05-01",  # after the city plan's last deadline (1/4/2026)
    }
    for i, t in enumerate(draft.themes):
        data[f"theme_label_{i}"] = t["label"]
        data[f"theme_title_{i}"] = t["title"] + (" (sửa)" if i == 1 else "")
        if i != 0:
            data[f"theme_keep_{i}"] = "1"
    refused = client.post(url, data)
    assert refused.status_code == 400 and "muộn hơn hạn của kế hoạch cấp trên" in refused.content.decode()
    assert "Tuyên truyền qua hội nghị, sinh hoạt chi bộ" in refused.content.decode()  # nothing typed is lost
    data["task_deadline_1"] = "2026-03-30"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert not draft.themes[0]["keep"] and draft.themes[1]["title"].endswith("(sửa)")
    assert [t["unit"] for t in draft.tasks] == names
    # the DOCX: a Party plan with the kept themes and the tasks under IV
    body = client.get(reverse("reports:draft_docx", args=[draft.pk])).content
    document = docx.Document(io.BytesIO(body))
    texts = [p.text for p in document.paragraphs]
    assert "KẾ HOẠCH" in texts and "DỰ THẢO" in texts
    assert "IV. TỔ CHỨC THỰC HIỆN" in texts and f"1. {names[0]}" in texts
    assert not any(draft.themes[0]["title"] in t for t in texts)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in document.tables[0].cell(0, 1).text


def test_issuing_imports_the_child_plan_linked_to_its_parent_with_live_tasks(client, setting):
    draft = start(client, setting)
    names = [u.name for u in drafting.sub_units(setting["party"])][:2]
    draft.tasks = [
        {
            "unit": names[0],
            "text": "Đăng tin, bài về kết quả kỳ họp trên trang của xã",
            "deadline": "2026-03-28",
        },
        {"unit": names[1], "text": "Tuyên truyền qua các buổi sinh hoạt", "deadline": ""},
    ]
    draft.save()
    response = client.post(reverse("reports:draft_issue", args=[draft.pk]))
    draft.refresh_from_db()
    child = draft.issued
    assert child is not None and response["Location"] == child.get_absolute_url()
    assert child.kind == "Kế hoạch" and child.area == setting["party"].area
    assert Reference.objects.filter(source=child, cited=setting["city_plan"]).exists()
    assigned = set(TaskAssignment.objects.filter(task__document=child).values_list("unit__name", flat=True))
    assert set(names) <= assigned
    task = child.tasks.get(text__startswith="Đăng tin, bài")
    assert task.deadline == dt.date(2026, 3, 28)
    # issued: no more edits
    assert client.post(reverse("reports:draft_issue", args=[draft.pk])).status_code == 302
    assert Document.objects.filter(pk=child.pk).count() == 1


def test_drafts_are_private_to_the_units_people(client, setting):
    draft = start(client, setting)
    for persona in ("officer_b", "officer_a", "nobody"):
        client.force_login(setting[persona])
        assert client.get(reverse("reports:draft", args=[draft.pk])).status_code == 404
        assert client.get(reverse("reports:draft_docx", args=[draft.pk])).status_code == 404
    client.force_login(setting["officer_b"])
    response = client.post(
        reverse("reports:draft_new", args=[setting["city_plan"].pk]), {"don_vi": setting["party"].pk}
    )
    assert response.status_code == 404
