"""The library pages: the office imports, publishes and approves a script; a unit officer downloads
it and taps "Đã phát"; other plans' readers only."""

import io

import docx
import pytest
from django.urls import reverse

from loa.activities.models import Activity
from loa.materials import services
from loa.materials.models import Material, MaterialUse, Script
from tests.materials.test_library import OUTLINE

pytestmark = pytest.mark.django_db


def test_from_upload_to_a_broadcast_logged_by_the_unit(client, world, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = world["plan"]
    client.force_login(world["office_a"])
    page = client.get(reverse("materials:library", args=[plan.pk]))
    assert page.status_code == 200 and "Chủ đề × đối tượng" in page.content.decode()
    response = client.post(
        reverse("materials:library", args=[plan.pk]),
        {
            "tep": SimpleUploadedFile("de-cuong.txt", OUTLINE.encode()),
            "loai": "outline",
            "pham_vi": "public",
            "doi_tuong": ["toan_dan"],
        },
    )
    material = Material.objects.get()
    assert response.status_code == 302 and material.audiences == ["toan_dan"]
    detail = reverse("materials:detail", args=[material.pk])
    client.post(detail, {"action": "publish", "version": material.versions.get().pk})
    board = client.get(reverse("materials:board_pdf", args=[material.pk]))
    assert board.status_code == 200 and board.content.startswith(b"%PDF")
    client.post(detail, {"action": "script", "limit": "60"})
    script = Script.objects.get()
    client.post(detail, {"action": "approve_script", "script": script.pk})
    assert Script.objects.get().status == "approved"
    client.post(detail, {"action": "portal"})
    from loa.materials.models import Variant

    portal = Variant.objects.get()
    client.post(detail, {"action": "approve_variant", "variant": portal.pk})
    assert Variant.objects.get().status == "approved"
    assert (
        client.get(reverse("materials:variant_file", args=[portal.pk]))
        .content.decode()
        .startswith("Nghị quyết")
    )
    client.force_login(world["officer_a"])
    assert client.post(detail, {"action": "approve_script", "script": script.pk}).status_code == 403
    txt = client.get(reverse("materials:script_file", args=[script.pk, "txt"]))
    assert txt.status_code == 200 and txt.content.decode().startswith("Kính thưa bà con")
    made = docx.Document(
        io.BytesIO(client.get(reverse("materials:script_file", args=[script.pk, "docx"])).content)
    )
    assert any("Kính thưa bà con" in p.text for p in made.paragraphs)
    client.post(detail, {"action": "broadcast", "script": script.pk})
    use = MaterialUse.objects.get()
    assert (
        use.unit == world["assignment"].unit
        and Activity.objects.get(pk=use.activity_id).channel == "broadcast"
    )
    assert "dùng ở 1/" in client.get(detail).content.decode()
    # optional machine voice: offered only where espeak-ng exists (make's system packages install it)
    from loa.materials import audio

    sound_url = reverse("materials:script_file", args=[script.pk, "audio"])
    if audio.available():
        assert "giọng máy" in client.get(detail).content.decode()
        sound = client.get(sound_url)
        assert sound.status_code == 200 and sound["Content-Type"] in ("audio/mpeg", "audio/wav")
        assert len(sound.content) > 10_000
        assert sound.content[:3] == b"ID3" or sound.content[:1] == b"\xff" or sound.content[:4] == b"RIFF"

        def stuck(text):
            raise audio.subprocess.TimeoutExpired("espeak-ng", 60)

        monkeypatch.setattr(audio, "speak", stuck)
        assert client.get(sound_url).status_code == 503  # a stuck synthesiser is a clear 503, not a crash
    monkeypatch.setattr(audio.shutil, "which", lambda name: None)
    assert "giọng máy" not in client.get(detail).content.decode()
    assert client.get(sound_url).status_code == 404


def test_a_person_who_cannot_read_the_plan_gets_404(client, world):
    client.force_login(world["nobody"])
    assert client.get(reverse("materials:library", args=[world["plan"].pk])).status_code == 404


def test_public_pages_and_feeds_show_published_public_items_only(client, world):
    from loa.materials import services

    plan = world["plan"]
    public = services.import_material(
        document=plan,
        office=plan.issuer,
        kind="outline",
        data=OUTLINE.encode(),
        filename="a.txt",
        actor=None,
        audiences=["thanh_nien"],
    )
    internal = services.import_material(
        document=plan,
        office=plan.issuer,
        kind="cell",
        data=OUTLINE.replace("ĐỀ CƯƠNG", "TÀI LIỆU").encode(),
        filename="b.txt",
        actor=None,
        access="internal",
        title="Tài liệu sinh hoạt chi bộ <script>",
    )
    draft = services.import_material(
        document=plan,
        office=plan.issuer,
        kind="qa",
        data=(OUTLINE + "\nThêm.").encode(),
        filename="c.txt",
        actor=None,
        title="Bản nháp",
    )
    for m in (public, internal):
        services.publish(version=m.versions.get(), actor=None)
    page = client.get(reverse("materials:public_list", args=[plan.pk])).content.decode()
    assert public.title in page and "sinh hoạt chi bộ" not in page and draft.title not in page
    rss = client.get(reverse("materials:rss", args=[plan.pk]))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert public.title in body and "sinh hoạt chi bộ" not in body
    assert (
        public.title
        not in client.get(
            reverse("materials:atom", args=[plan.pk]), {"doi_tuong": "hoc_sinh"}
        ).content.decode()
    )
    assert (
        public.title
        in client.get(reverse("materials:atom", args=[plan.pk]), {"doi_tuong": "thanh_nien"}).content.decode()
    )
    assert client.get(reverse("materials:public_detail", args=[internal.pk])).status_code == 404
    assert (
        "Hà Nội là trái tim"
        in client.get(reverse("materials:public_detail", args=[public.pk])).content.decode()
    )


def test_the_office_confirms_the_audience_groups_the_plan_names(client, world):
    from loa.materials.models import PlanAudience

    client.force_login(world["office_a"])
    url = reverse("materials:audiences", args=[world["plan"].pk])
    page = client.get(url).content.decode()
    rows = list(PlanAudience.objects.filter(document=world["plan"]))
    assert rows and all(r.source for r in rows) and rows[0].name in page
    keep = rows[0].key
    client.post(url, {"nhom": [keep]})
    assert {r.key: r.confirmed for r in PlanAudience.objects.filter(document=world["plan"])}[keep] is True
    assert PlanAudience.objects.filter(document=world["plan"], confirmed=False).count() == len(rows) - 1
    client.force_login(world["officer_a"])
    assert client.post(url, {"nhom": []}).status_code == 403


def test_an_office_that_only_reads_a_plan_cannot_manage_its_materials(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loa.plans.services import import_plan
    from tests.activities.conftest import SAMPLES

    name = "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"
    city_plan = import_plan(data=(SAMPLES / name).read_bytes(), filename=name).document
    client.force_login(world["city"])
    assert client.get(reverse("materials:library", args=[city_plan.pk])).context["manage"] is True
    client.force_login(world["office_a"])
    page = client.get(reverse("materials:library", args=[city_plan.pk]))
    if page.status_code == 200:  # the commune office reads the city plan (it has tasks in it) …
        assert page.context["manage"] is False
        upload = SimpleUploadedFile("x.txt", OUTLINE.encode())
        # … but never adds materials to it
        assert (
            client.post(
                reverse("materials:library", args=[city_plan.pk]), {"tep": upload, "loai": "outline"}
            ).status_code
            == 403
        )
    assert not Material.objects.filter(document=city_plan).exists()


def test_a_poster_is_made_from_a_public_material_and_approved(client, world):
    import io

    from pypdf import PdfReader

    from loa.materials import services
    from loa.materials.models import Variant

    plan = world["plan"]
    m = services.import_material(
        document=plan, office=plan.issuer, kind="slogan", data=OUTLINE.encode(), filename="kh.txt", actor=None
    )
    services.publish(version=m.versions.get(), actor=None)
    client.force_login(world["office_a"])
    detail = reverse("materials:detail", args=[m.pk])
    client.post(detail, {"action": "poster"})
    poster = Variant.objects.get(kind="poster")
    client.post(detail, {"action": "approve_variant", "variant": poster.pk})
    pdf = client.get(reverse("materials:variant_file", args=[poster.pk]))
    assert Variant.objects.get(pk=poster.pk).status == "approved"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert len(reader.pages) >= 1 and "NGHỊ QUYẾT" in reader.pages[0].extract_text().upper()


def test_the_question_bank_page_is_for_the_office_only(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loa.materials.models import Question
    from tests.materials.test_questions import AIKEN

    url = reverse("materials:questions", args=[world["plan"].pk])
    client.force_login(world["officer_a"])
    assert client.get(url).status_code == 404
    client.force_login(world["office_a"])
    client.post(url, {"action": "draft"})
    page = client.post(url, {"action": "import", "tep": SimpleUploadedFile("cau-hoi.txt", AIKEN.encode())})
    assert (
        "3 câu bị từ chối" in page.content.decode()
        and "Mỗi câu chỉ có một đáp án đúng" in page.content.decode()
    )
    q = Question.objects.first()
    client.post(url, {"action": "approve", "question": q.pk})
    assert Question.objects.get(pk=q.pk).status == "approved"
    assert client.post(url, {"action": "approve", "question": "x"}).status_code == 404


def test_the_office_makes_a_public_material_internal_and_it_leaves_the_public_page_and_feeds(client, world):
    plan = world["plan"]
    m = services.import_material(
        document=plan,
        office=plan.issuer,
        kind="outline",
        data=OUTLINE.encode(),
        filename="a.txt",
        actor=None,
        title="Đề cương mẫu số 7 về chuyển đổi số",
    )
    services.publish(version=m.versions.get(), actor=None)
    public = reverse("materials:public_list", args=[plan.pk])
    assert m.title in client.get(public).content.decode()
    detail = reverse("materials:detail", args=[m.pk])
    client.force_login(world["officer_a"])  # not the office: no form, and a POST changes nothing
    assert 'name="pham_vi"' not in client.get(detail).content.decode()
    client.post(detail, {"action": "access", "pham_vi": "internal"})
    assert Material.objects.get(pk=m.pk).access == "public"
    client.force_login(world["office_a"])
    client.post(detail, {"action": "access", "pham_vi": "secret"})
    assert Material.objects.get(pk=m.pk).access == "public"
    page = client.post(detail, {"action": "access", "pham_vi": "internal"}, follow=True).content.decode()
    assert "Đã đổi phạm vi" in page and Material.objects.get(pk=m.pk).access == "internal"
    client.logout()
    assert m.title not in client.get(public).content.decode()
    assert m.title not in client.get(reverse("materials:rss", args=[plan.pk])).content.decode()
    from loa.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="materials.material.access_changed").count() == 1
