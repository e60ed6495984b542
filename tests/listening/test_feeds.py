"""Feeds served on loopback: a good RSS and Atom feed, an HTML page, malformed XML, a slow server,
an HTTP error. Failures are named in Vietnamese, retried with backoff, and lose nothing stored."""

import datetime as dt
import http.server
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from loa.listening import feeds, services
from loa.listening.models import Item, Source

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Báo Hà Nội Mới</title>
<item><title>Hà Nội ra quân thu gom rác thải</title><description><![CDATA[<p>Sáng 7/6, các phường <b>ra quân</b> thu gom rác.</p>]]></description>
<link>https://hanoimoi.example.vn/tin-1</link><pubDate>Sun, 07 Jun 2026 08:00:00 +0700</pubDate></item>
<item><title>Lịch cắt điện tuần tới</title><description>Liên hệ tổng đài 0912345678 để biết thêm.</description>
<link>https://hanoimoi.example.vn/tin-2</link><pubDate>Sun, 07 Jun 2026 09:30:00 +0700</pubDate></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Cổng TTĐT</title>
<entry><title>Thông báo lịch tiếp công dân</title><link href="https://congthongtin.example.vn/a"/><updated>2026-06-07T10:00:00+07:00</updated>
<summary>Lịch tiếp công dân tháng 6.</summary></entry></feed>"""
PAGES = {
    "/rss": (200, "application/rss+xml", RSS),
    "/atom": (200, "application/atom+xml", ATOM),
    "/html": (200, "text/html", "<!doctype html><html><body><h1>Trang chủ</h1></body></html>"),
    "/broken": (200, "application/xml", "<?xml version='1.0'?><rss><chan&&<<"),
    "/missing": (404, "text/plain", "not found"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/slow":
            time.sleep(2)
        code, kind, body = PAGES.get(self.path, (200, "application/rss+xml", RSS))
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    settings.LOA_FEEDS_ALLOW_PRIVATE = True  # the test feeds are served on loopback
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_rss_and_atom_entries_become_items_without_personal_data(server):
    export = feeds.fetch_feed(server + "/rss")
    assert [i.text for i in export.items] == [
        "Hà Nội ra quân thu gom rác thải. Sáng 7/6, các phường ra quân thu gom rác.",
        "Lịch cắt điện tuần tới. Liên hệ tổng đài [số điện thoại] để biết thêm.",
    ]
    assert export.items[0].published_at == dt.datetime(2026, 6, 7, 1, 0, tzinfo=dt.UTC)
    assert export.items[0].platform == "Báo Hà Nội Mới" and export.items[0].link.endswith("/tin-1")
    assert [i.text for i in feeds.fetch_feed(server + "/atom").items] == [
        "Thông báo lịch tiếp công dân. Lịch tiếp công dân tháng 6."
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/html", "trang web"),
        ("/broken", "không phải RSS/Atom hợp lệ"),
        ("/missing", "HTTP 404"),
        ("/slow", "không trả lời sau"),
    ],
)
def test_bad_feeds_are_named_in_vietnamese(server, path, message, monkeypatch):
    monkeypatch.setattr(feeds, "TIMEOUT", 0.5)
    with pytest.raises(feeds.FeedError, match=message):
        feeds.fetch_feed(server + path)


def test_following_a_feed_polls_it_again_and_backs_off_when_it_fails(
    server, world, monkeypatch, django_capture_on_commit_callbacks
):
    office = world["office_a"].memberships.get().unit
    with django_capture_on_commit_callbacks(execute=True):
        source = services.add_feed(
            document=world["plan"], office=office, url=server + "/rss", actor=world["office_a"]
        )
    assert source.created == 2 and Item.objects.count() == 2
    assert Item.objects.filter(processed_at__isnull=False).count() == 2
    with pytest.raises(ValidationError, match="đã được theo dõi"):
        services.add_feed(document=world["plan"], office=office, url=server + "/rss", actor=None)
    # the next poll: nothing new, nothing doubled
    later = timezone.now() + dt.timedelta(hours=1)
    assert feeds.poll(later) == {"fetched": 1, "failed": 0, "created": 0}
    assert Item.objects.count() == 2
    # the feed starts failing: shown as failing, retried later and later, items kept
    Source.objects.filter(pk=source.pk).update(url=server + "/html")
    assert feeds.poll(later + dt.timedelta(hours=1))["failed"] == 1
    source.refresh_from_db()
    assert source.failures == 1 and "HTML" in source.last_error
    first_retry = source.next_fetch_at - (later + dt.timedelta(hours=1))
    assert feeds.poll(source.next_fetch_at)["failed"] == 1
    source.refresh_from_db()
    assert source.failures == 2 and source.next_fetch_at - source.last_fetched_at > first_retry
    assert Item.objects.count() == 2


def test_a_feed_that_cannot_be_read_is_not_followed(server, world):
    office = world["office_a"].memberships.get().unit
    with pytest.raises(ValidationError, match="HTML"):
        services.add_feed(document=world["plan"], office=office, url=server + "/html", actor=None)
    with pytest.raises(ValidationError, match="http"):
        services.add_feed(document=world["plan"], office=office, url="ftp://x", actor=None)
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/rss",
        "http://localhost/rss",
        "http://10.0.0.5/rss",
        "http://169.254.169.254/latest",
    ],
)
def test_feeds_inside_the_servers_own_network_are_refused(url, settings):
    settings.LOA_FEEDS_ALLOW_PRIVATE = False
    with pytest.raises(feeds.FeedError, match="mạng nội bộ"):
        feeds.fetch_feed(url)


def test_a_public_feed_may_not_redirect_into_the_servers_network(settings):
    settings.LOA_FEEDS_ALLOW_PRIVATE = False
    handler = feeds._CheckedRedirects()
    with pytest.raises(feeds.FeedError, match="mạng nội bộ"):
        handler.redirect_request(None, None, 302, "Found", {}, "http://127.0.0.1/admin")


def test_the_scheduled_task_also_enforces_retention(world, settings):
    import datetime as dt

    from loa.listening.readers import Export, RawItem
    from loa.listening.tasks import poll_feeds

    old = timezone.now() - dt.timedelta(days=400)
    export = Export(items=[RawItem(row=1, key="k1", text="Tin cũ về rác thải", published_at=old)], rows=1)
    services.ingest(
        document=world["plan"],
        office=world["office_a"].memberships.get().unit,
        export=export,
        kind="paste",
        name="cũ",
        actor=None,
    )
    assert Item.objects.count() == 1
    poll_feeds.call()
    assert Item.objects.count() == 0 and Source.objects.count() == 1
