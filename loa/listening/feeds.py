"""RSS/Atom feeds of the press and official portals, fetched on a schedule.

:func:`fetch_feed` downloads one feed (timeout, size cap, no redirects to other schemes), parses
it with feedparser and returns rows for :func:`loa.listening.services.ingest`; anything wrong —
a timeout, an HTTP error, an HTML page instead of a feed, malformed XML with no entries — raises
:class:`FeedError` with a Vietnamese message. :func:`poll` fetches every feed that is due; a
failing feed is retried with exponential backoff (30 min × 2^failures, at most a day) and shown as
failing on the desk; nothing already stored is touched. The ``poll_feeds`` task runs it and
schedules itself again (database task backend, as under ``make run``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.error
import urllib.request

from django.utils import timezone

from loa.nlp.normalize import normalize

from .readers import Export, raw_item

TIMEOUT = 10  # seconds
MAX_BYTES = 5 * 1024 * 1024
INTERVAL = dt.timedelta(minutes=30)
MAX_BACKOFF = dt.timedelta(days=1)
_TAGS = re.compile(r"<[^>]+>")


class FeedError(Exception):
    pass


def _check_host(url: str) -> None:
    """Refuse addresses inside the server's own network (loopback, private, link-local, reserved):
    an office must not make Loa fetch its neighbours (SSRF). ``LOA_FEEDS_ALLOW_PRIVATE`` lifts it
    for an intranet portal (and for the tests, which serve feeds on loopback)."""
    import ipaddress
    import socket
    import urllib.parse

    from django.conf import settings

    if not url.startswith(("http://", "https://")):
        raise FeedError("Địa chỉ nguồn tin phải bắt đầu bằng http:// hoặc https://.")
    if getattr(settings, "LOA_FEEDS_ALLOW_PRIVATE", False):
        return
    parts = urllib.parse.urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname or "", parts.port or 0, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FeedError(f"Không tìm thấy máy chủ “{parts.hostname}”.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FeedError("Địa chỉ nguồn tin trỏ vào mạng nội bộ; Loa không lấy tin từ đó.")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_host(newurl)  # a public feed must not redirect into the server's own network
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str) -> tuple[bytes, str]:
    _check_host(url)
    request = urllib.request.Request(url, headers={"User-Agent": "Loa/1.0 (+listening desk)"})
    opener = urllib.request.build_opener(_CheckedRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
            kind = response.headers.get("Content-Type", "")
    except TimeoutError as exc:
        raise FeedError(f"Nguồn tin không trả lời sau {TIMEOUT} giây.") from exc
    except urllib.error.HTTPError as exc:
        raise FeedError(f"Nguồn tin trả lỗi HTTP {exc.code}.") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FeedError(f"Nguồn tin không trả lời sau {TIMEOUT} giây.") from exc
        raise FeedError(f"Không kết nối được nguồn tin ({reason}).") from exc
    if len(body) > MAX_BYTES:
        raise FeedError("Nguồn tin lớn hơn 5 MB.")
    return body, kind


def _text(value: str) -> str:
    return normalize(html.unescape(_TAGS.sub(" ", value or "")))


def fetch_feed(url: str, now: dt.datetime | None = None) -> Export:
    """The entries of a feed as rows (title. summary), or :class:`FeedError`."""
    import feedparser

    now = now or timezone.now()
    body, kind = _download(url)
    parsed = feedparser.parse(body)
    if not parsed.entries:
        head = body[:500].lower()
        if b"<html" in head or "html" in kind and b"<rss" not in head and b"<feed" not in head:
            raise FeedError("Địa chỉ này trả về một trang web (HTML), không phải nguồn tin RSS/Atom.")
        if parsed.bozo:
            raise FeedError("Nguồn tin không phải RSS/Atom hợp lệ (XML lỗi).")
        return Export()
    out = Export()
    platform = (parsed.feed.get("title") or "")[:40]
    for number, entry in enumerate(parsed.entries, 1):
        out.rows += 1
        title, summary = _text(entry.get("title", "")), _text(entry.get("summary", ""))
        text = ". ".join(t for t in (title, summary) if t)
        if not text:
            out.errors.append((number, "mục không có tiêu đề hay tóm tắt"))
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.datetime(*stamp[:6], tzinfo=dt.UTC) if stamp else now
        values = {
            "text": text,
            "time": published.isoformat(),
            "link": entry.get("link", ""),
            "platform": platform,
        }
        try:
            out.items.append(raw_item(number, values, dt.UTC))
        except ValueError as exc:
            out.errors.append((number, str(exc)))
    return out


def poll(now: dt.datetime | None = None) -> dict[str, int]:
    """Fetch every active feed that is due; returns counts (fetched, failed, new items)."""
    from .models import Source
    from .services import ingest

    now = now or timezone.now()
    due = Source.objects.filter(kind=Source.Kind.FEED, active=True).exclude(next_fetch_at__gt=now)
    counts = {"fetched": 0, "failed": 0, "created": 0}
    for source in due.select_related("document", "office"):
        try:
            export = fetch_feed(source.url, now)
        except FeedError as exc:
            source.failures += 1
            source.last_error = str(exc)[:500]
            source.next_fetch_at = now + min(INTERVAL * 2**source.failures, MAX_BACKOFF)
            source.last_fetched_at = now
            source.save(update_fields=["failures", "last_error", "next_fetch_at", "last_fetched_at"])
            counts["failed"] += 1
            continue
        before = source.created
        ingest(document=source.document, office=source.office, export=export, source=source, actor=None)
        source.refresh_from_db()
        source.failures, source.last_error = 0, ""
        source.last_fetched_at, source.next_fetch_at = now, now + INTERVAL
        source.save(update_fields=["failures", "last_error", "next_fetch_at", "last_fetched_at"])
        counts["fetched"] += 1
        counts["created"] += source.created - before
    return counts
