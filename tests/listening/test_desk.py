"""The listening desk end to end: an office uploads an export, Loa labels the items, finds the
surge, the office opens it and marks the claim answered; idempotent ingest; who may see it."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from loa.listening import pipeline
from loa.listening.models import Claim, Item, Source, Surge
from loa.listening.samples import sample_csv

pytestmark = pytest.mark.django_db

TOPICS = [
    "rác thải",
    "đèn đường",
    "lịch tiêm chủng",
    "đăng ký kinh doanh",
    "học phí",
    "giá điện",
    "bảo hiểm y tế",
]
STREETS = ["Láng", "Chùa Bộc", "Tây Sơn", "Thái Hà", "Đê La Thành", "Kim Mã", "Giảng Võ", "Nguyễn Chí Thanh"]


def export_csv(burst_day=26, burst=12) -> bytes:
    return sample_csv(dt.date(2026, 5, 1), burst_day=burst_day, burst=burst)


def upload(client, world, data, name="export.csv"):
    return client.post(
        reverse("listening:desk", args=[world["plan"].pk]),
        {"tep": SimpleUploadedFile(name, data, "text/csv")},
    )


def test_the_office_uploads_sees_a_surge_opens_it_and_marks_the_claim(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world, export_csv())
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.rows, source.created, source.duplicates) == (252, 252, 0)
    items = Item.objects.all()
    assert items.filter(processed_at__isnull=True).count() == 0
    texts = [i.text for i in items]
    assert not any("Người 1" in t or "Ẩn danh" in t for t in texts)  # the author column is never read
    # the twelve re-posts are one near-duplicate group with one sentiment each
    rumour = list(items.filter(text__startswith="Tin đồn"))
    assert len({i.group_id for i in rumour}) == 1 and all(i.sentiment for i in rumour)
    assert all("cắt nước" in i.keyphrases for i in rumour)
    surge = (
        Surge.objects.get(window="day", evidence__contains=[rumour[0].pk])
        if connection.vendor == "postgresql"
        else next(s for s in Surge.objects.filter(window="day") if rumour[0].pk in s.evidence)
    )
    assert surge.observed >= 12 and timezone.localtime(surge.window_start).date() == dt.date(2026, 5, 27)
    assert surge.severity in ("cao", "trung bình")
    desk = client.get(reverse("listening:desk", args=[world["plan"].pk])).content.decode()
    assert reverse("listening:surge", args=[surge.pk]) in desk
    page = client.get(reverse("listening:surge", args=[surge.pk])).content.decode()
    assert "Tin đồn: ngày mai cắt nước" in page
    # the office marks it as a claim, false, answered by the water company's notice
    response = client.post(
        reverse("listening:claim_open", args=[rumour[3].pk]), {"tom_tat": "Cắt nước toàn thành phố ba ngày"}
    )
    claim = Claim.objects.get()
    assert response["Location"] == reverse("listening:claim", args=[claim.pk])
    assert claim.group_id == rumour[0].group_id and timezone.localtime(claim.first_seen).date() == dt.date(
        2026, 5, 27
    )
    response = client.post(
        reverse("listening:claim", args=[claim.pk]),
        {"ket_luan": "false", "duong_dan": "https://nuocsachhanoi.example.vn/thong-bao"},
    )
    claim.refresh_from_db()
    assert claim.status == "false" and claim.answered_at is not None
    page = client.get(reverse("listening:claim", args=[claim.pk])).content.decode()
    assert "Sai" in page and "nuocsachhanoi.example.vn" in page and 'id="claim-mentions"' in page
    # the topic over time, by day with a 7-day forecast, and by hour
    url = reverse("listening:topic", args=[world["plan"].pk])
    page = client.get(url, {"tu_khoa": "cắt nước"}).content.decode()
    assert 'id="topic-trend"' in page and 'id="topic-forecast"' in page and ">12</a>" in page
    assert client.get(url, {"tu_khoa": "cắt nước", "theo": "gio"}).status_code == 200
    assert client.get(url, {"chu_de": "nope", "theo": "xyz"}).status_code == 200
    # a story Loa found (its near-duplicate group) over time, linked from the surge page
    assert (
        f"{url}?nhom={claim.group_id}"
        in client.get(reverse("listening:surge", args=[surge.pk])).content.decode()
    )
    story = client.get(url, {"nhom": claim.group_id, "theo": "gio"}).content.decode()
    assert "Câu chuyện" in story and "Tin đồn: ngày mai cắt nước" in story and 'id="topic-trend"' in story
    assert client.get(url, {"nhom": "999999999"}).status_code == 404
    # every number links to its items
    listed = client.get(
        reverse("listening:items", args=[world["plan"].pk]) + f"?nhom={claim.group_id}"
    ).content.decode()
    assert listed.count("Tin đồn: ngày mai cắt nước") == 12


def test_ingest_is_idempotent_and_a_bad_file_loses_nothing(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["office_a"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, export_csv())
        upload(client, world, export_csv())
    assert Item.objects.count() == 252
    assert list(Source.objects.order_by("pk").values_list("created", "duplicates")) == [(252, 0), (0, 252)]
    response = upload(client, world, b"\x00\x01binary" * 100, "x.csv")
    assert (
        response.status_code == 400
        and "không phải văn bản" in response.content.decode().lower()
        or response.status_code == 400
    )
    assert Item.objects.count() == 252


@pytest.mark.parametrize("persona", ["officer_a", "viewer_a", "nobody"])
def test_only_offices_use_the_desk(client, world, persona):
    client.force_login(world[persona])
    assert client.get(reverse("listening:desk", args=[world["plan"].pk])).status_code == 404


def test_two_workers_never_take_the_same_item(world):
    import zoneinfo

    from loa.listening.readers import read_export
    from loa.listening.services import ingest

    export = read_export(export_csv(), "a.csv", zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    ingest(
        document=world["plan"],
        office=world["office_a"].memberships.get().unit,
        export=export,
        kind="upload",
        name="a",
        actor=None,
    )
    first = pipeline.claim(limit=100)
    second = pipeline.claim(limit=100)
    assert len(first) == 100 and len(second) == 100 and not set(first) & set(second)
    assert pipeline.process(first) == 100
    assert pipeline.process(first) == 0  # already done: a second run of the same batch changes nothing


def test_raw_items_past_retention_are_purged_and_claims_stay(world, settings, capsys):
    import zoneinfo

    from django.core.management import call_command

    from loa.listening.readers import read_export
    from loa.listening.services import ingest, open_claim

    export = read_export(export_csv(), "a.csv", zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    office = world["office_a"].memberships.get().unit
    ingest(document=world["plan"], office=office, export=export, kind="upload", name="a", actor=None)
    pipeline.run()
    rumour = Item.objects.filter(text__startswith="Tin đồn").order_by("pk").first()
    open_claim(item=rumour, summary="Cắt nước", actor=None)
    settings.LOA_LISTENING_RETENTION_DAYS = 1
    call_command("listening", "purge")
    assert "Đã xóa" in capsys.readouterr().out
    assert list(Item.objects.values_list("pk", flat=True)) == [
        rumour.group_id
    ]  # the claimed group's first item
    assert Claim.objects.count() == 1 and Surge.objects.exists()


def test_the_office_joins_a_claim_said_in_other_words(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["office_a"])
    extra = (
        "text,time\n"
        '"Hà Nội sẽ ngừng cấp nước trên toàn thành phố 3 ngày, bà con tích trữ nước",2026-05-27 20:00\n'
        '"Hà Nội sẽ ngừng cấp nước trên toàn thành phố 3 ngày, bà con tích trữ nước!!",2026-05-28 07:00\n'
        '"Lịch cắt điện khu vực Cầu Giấy tuần tới",2026-05-27 21:00\n'
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, export_csv())
        upload(client, world, extra, "them.csv")
    rumour = Item.objects.filter(text__startswith="Tin đồn").order_by("pk").first()
    client.post(
        reverse("listening:claim_open", args=[rumour.pk]), {"tom_tat": "Cắt nước toàn thành phố ba ngày"}
    )
    claim = Claim.objects.get()
    page = client.get(reverse("listening:claim", args=[claim.pk])).content.decode()
    assert "ngừng cấp nước" not in page and "?goi_y=1" in page  # proposed on demand only
    page = client.get(reverse("listening:claim", args=[claim.pk]), {"goi_y": "1"}).content.decode()
    proposed = page.split('id="join-form"')[1].split("</form>")[0]
    assert "ngừng cấp nước" in proposed and "Lịch cắt điện" not in proposed
    other = Item.objects.filter(text__startswith="Hà Nội sẽ ngừng").order_by("pk").first()
    client.post(reverse("listening:claim", args=[claim.pk]), {"gop": [str(other.pk)]})
    claim.refresh_from_db()
    assert claim.joined == [other.group_id]
    listed = client.get(
        reverse("listening:items", args=[world["plan"].pk]), {"luan_dieu": claim.pk}
    ).content.decode()
    assert listed.count("Tin đồn: ngày mai cắt nước") == 12 and listed.count("ngừng cấp nước") == 2


def test_a_sample_export_is_offered_to_offices(client, world):
    client.force_login(world["office_a"])
    response = client.get(reverse("listening:sample"))
    body = response.content.decode()
    assert response.status_code == 200 and "(mẫu)" in body and body.count("\n") == 253
    client.force_login(world["officer_a"])
    assert client.get(reverse("listening:sample")).status_code == 404


def test_the_daily_tally_equals_a_fresh_count_and_outlives_purged_items(world, settings):
    import zoneinfo
    from collections import Counter

    from loa.listening.models import DayTally
    from loa.listening.readers import read_export
    from loa.listening.selectors import attention, sentiment_by_week
    from loa.listening.services import ingest, purge

    export = read_export(export_csv(), "a.csv", zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    ingest(
        document=world["plan"],
        office=world["office_a"].memberships.get().unit,
        export=export,
        kind="upload",
        name="a",
        actor=None,
    )
    for _ in range(3):  # three small batches, as workers take them
        pipeline.process(pipeline.claim(limit=90))
    fresh = Counter(
        (timezone.localtime(i.published_at).date(), i.theme_id or 0, i.sentiment) for i in Item.objects.all()
    )
    tally = {(t.day, t.theme_key, t.sentiment): t.items for t in DayTally.objects.all()}
    assert tally == dict(fresh) and sum(tally.values()) == 252
    by_theme = Counter(i.theme_id for i in Item.objects.exclude(theme=None))
    assert {a.theme.pk: a.items for a in attention(world["plan"]) if a.items} == dict(by_theme)
    weeks = sentiment_by_week(world["plan"])
    assert sum(w["total"] for w in weeks) == 252
    settings.LOA_LISTENING_RETENTION_DAYS = 1
    purge()
    assert not Item.objects.exists() and sum(t.items for t in DayTally.objects.all()) == 252


def test_the_tally_can_be_recounted_from_the_items(world):
    import zoneinfo

    from loa.listening.models import DayTally
    from loa.listening.readers import read_export
    from loa.listening.services import ingest

    export = read_export(export_csv(), "a.csv", zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    ingest(
        document=world["plan"],
        office=world["office_a"].memberships.get().unit,
        export=export,
        kind="upload",
        name="a",
        actor=None,
    )
    pipeline.run()
    before = sorted(DayTally.objects.values_list("day", "theme_key", "sentiment", "items"))
    DayTally.objects.all().delete()
    pipeline.rebuild_tally(world["plan"].pk)
    assert sorted(DayTally.objects.values_list("day", "theme_key", "sentiment", "items")) == before


def test_a_repost_taken_by_another_worker_first_still_joins_the_original(world):
    import zoneinfo

    from loa.listening.readers import read_export
    from loa.listening.services import ingest

    export = read_export(export_csv(burst=2), "a.csv", zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    ingest(
        document=world["plan"],
        office=world["office_a"].memberships.get().unit,
        export=export,
        kind="upload",
        name="a",
        actor=None,
    )
    rumour = list(Item.objects.filter(text__startswith="Tin đồn").order_by("pk").values_list("pk", flat=True))
    first, second = pipeline.claim(limit=241), pipeline.claim(limit=100)
    assert rumour[0] in first and rumour[1] in second
    pipeline.process(second)  # the later re-post is processed before the original
    pipeline.process(first)
    assert len(set(Item.objects.filter(pk__in=rumour).values_list("group_id", flat=True))) == 1


def test_a_story_breaking_within_the_hour_is_an_hourly_surge(
    world, django_capture_on_commit_callbacks, client
):
    client.force_login(world["office_a"])
    rows = ["text,time"]
    start = dt.datetime(2026, 5, 1, 0, 0)
    for h in range(24 * 20):  # twenty quiet days, a few posts an hour
        t = start + dt.timedelta(hours=h)
        rows += [
            f'"Hỏi đáp thường ngày số {h}-{k} về thủ tục hành chính",{t:%Y-%m-%d %H:%M}' for k in range(2)
        ]
    burst = start + dt.timedelta(days=19, hours=10)
    rows += [
        f'"Cháy lớn ở chợ Đồng Xuân, khói bốc cao, người dân sơ tán ({k})",{burst:%Y-%m-%d} 10:{k:02d}'
        for k in range(8)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, "\n".join(rows).encode())
    hourly = [
        s for s in Surge.objects.filter(window="hour") if "chợ đồng" in s.label or "cháy lớn" in s.label
    ]
    assert hourly and timezone.localtime(hourly[0].window_start).hour == 10
    assert "theo giờ" in client.get(reverse("listening:desk", args=[world["plan"].pk])).content.decode()
