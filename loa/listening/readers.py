"""Exports of social-listening tools and pasted text → rows Loa may keep. No Django.

In: the bytes of a CSV/XLSX (read by ``loa.activities.tabular``: UTF-8, UTF-16, Windows-1258,
zip-bomb and binary checks) or JSON Lines file, or pasted text (one item per paragraph).
Columns are found by name, in Vietnamese or English as the tools write them: text, time, platform,
link, likes/reactions, shares, comments, views. Columns naming a person (author, user, name,
profile, phone, e-mail, ID) are never read. Every text goes through
:func:`loa.nlp.privacy.strip_personal`; a link to a personal profile is dropped.

Out: :class:`RawItem` rows and Vietnamese messages for the rows that could not be read (by row
number); a file that cannot be read at all raises :class:`ExportError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from loa.activities.tabular import TabularError, _decode, read_table
from loa.nlp.normalize import fold, normalize
from loa.nlp.privacy import strip_personal

MAX_ROWS = 200_000
MAX_TEXT = 5_000

_COLUMNS = {
    "text": [
        "text",
        "content",
        "message",
        "noi dung",
        "binh luan",
        "comment",
        "post",
        "caption",
        "tieu de",
        "title",
        "body",
    ],
    "time": [
        "time",
        "date",
        "created time",
        "created_at",
        "published",
        "published_at",
        "thoi gian",
        "ngay",
        "ngay dang",
        "timestamp",
    ],
    "platform": ["platform", "nen tang", "network", "source", "kenh", "channel", "site"],
    "link": ["link", "url", "permalink", "duong dan", "post url"],
    "likes": ["likes", "like", "reactions", "luot thich", "cam xuc", "tha tim"],
    "shares": ["shares", "share", "luot chia se", "chia se"],
    "comments": ["comments", "comment count", "so binh luan", "luot binh luan"],
    "views": ["views", "view", "luot xem", "impressions"],
}
_PERSON = re.compile(
    r"author|user|name|ten|nguoi|profile|ho so|phone|dien thoai|email|mail|cccd|cmnd|id number|handle"
)
_PROFILE_LINK = re.compile(
    r"(facebook\.com|fb\.com|zalo\.me|tiktok\.com/@|instagram\.com|x\.com|twitter\.com)/(?!.*(?:posts|videos|photos|story|permalink|watch|status)/)",
    re.I,
)


class ExportError(Exception):
    def __init__(self, message: str, code: str = "corrupt"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class RawItem:
    row: int
    key: str
    text: str
    published_at: dt.datetime
    platform: str = ""
    link: str = ""
    likes: int = 0
    shares: int = 0
    comments: int = 0
    views: int = 0
    stripped: int = 0


@dataclass
class Export:
    items: list[RawItem] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0


def _column_map(header: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in header:
        key = fold(name).strip().replace("_", " ")
        for field_name, aliases in _COLUMNS.items():
            if field_name in found:
                continue
            if key in aliases or key.replace(" ", "_") in aliases:
                # "comment" is text unless a text column exists; a person column is never taken
                if field_name != "text" and _PERSON.search(key):
                    continue
                found[field_name] = name
    return found


def parse_time(value: str, tz: dt.tzinfo) -> dt.datetime:
    """ISO date or date-time, dd/mm/yyyy [HH:MM[:SS]], or Unix seconds; naive times are local."""
    value = (value or "").strip()
    if not value:
        raise ValueError("thiếu thời gian")
    if re.fullmatch(r"\d{9,11}(\.\d+)?", value):
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?", value)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", value)
    if m:
        d, mo, y, h, mi, s = m.groups()
        moment = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    elif iso:
        y, mo, d, h, mi, s = iso.groups()
        moment = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    else:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _count(value) -> int:
    text = re.sub(r"[.,\s]", "", str(value or ""))
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(f"số không hợp lệ “{str(value)[:20]}”")
    return min(int(text), 2_000_000_000)


def raw_item(row: int, values: dict, tz) -> RawItem:
    """One row (text, time, optional link, platform and counts) → a :class:`RawItem`: normalised,
    personal data stripped, a profile link dropped, keyed by its link or its time and folded text.
    Raises ``ValueError`` with a Vietnamese reason."""
    raw_text = values.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise ValueError("thiếu nội dung")
    stripped = strip_personal(normalize(raw_text)[:MAX_TEXT])
    link = str(values.get("link") or "").strip()[:1000]
    if link and (_PROFILE_LINK.search(link) or not re.match(r"https?://", link)):
        link = ""
    published = parse_time(str(values.get("time") or ""), tz)
    platform = str(values.get("platform") or "").strip()[:40]
    key = hashlib.sha256((link or f"{published.isoformat()}\x00{fold(stripped.text)}").encode()).hexdigest()
    return RawItem(
        row=row,
        key=key,
        text=stripped.text,
        published_at=published,
        platform=platform,
        link=link,
        likes=_count(values.get("likes")),
        shares=_count(values.get("shares")),
        comments=_count(values.get("comments")),
        views=_count(values.get("views")),
        stripped=stripped.found,
    )


def read_export(data: bytes, filename: str, tz: dt.tzinfo) -> Export:
    """Rows of an export (CSV, XLSX or JSON Lines). Raises :class:`ExportError`."""
    name = filename or "tệp"
    if not data or not data.strip():
        raise ExportError(f"Tệp “{name}” trống.", "empty")
    out = Export()
    if name.lower().endswith((".jsonl", ".ndjson", ".json")) or data.lstrip()[:1] == b"{":
        try:
            text = _decode(data, name)
        except TabularError as exc:
            raise ExportError(exc.message, exc.code) from exc
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            out.rows += 1
            if out.rows > MAX_ROWS:
                raise ExportError(
                    f"Tệp “{name}” có hơn {MAX_ROWS:,} dòng; hãy chia nhỏ.".replace(",", "."), "too_many_rows"
                )
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("không phải một đối tượng JSON")
                values = {field_name: row.get(field_name) for field_name in _COLUMNS}
                for field_name, column in _column_map(list(row)).items():
                    values[field_name] = values.get(field_name) or row.get(column)
                out.items.append(raw_item(number, values, tz))
            except (ValueError, TypeError) as exc:
                out.errors.append((number, str(exc) if str(exc) else "dòng không đọc được"))
        return out
    try:
        table = read_table(data, name, max_rows=MAX_ROWS)
    except TabularError as exc:
        raise ExportError(exc.message, exc.code) from exc
    columns = _column_map(table.header)
    if "text" not in columns:
        raise ExportError(
            f"Tệp “{name}” không có cột nội dung (text, nội dung, bình luận, message...). Các cột: "
            + ", ".join(table.header[:12]),
            "missing_columns",
        )
    if "time" not in columns:
        raise ExportError(
            f"Tệp “{name}” không có cột thời gian (time, thời gian, ngày đăng...).", "missing_columns"
        )
    for row in table.rows:
        out.rows += 1
        try:
            out.items.append(raw_item(row.number, {f: row.values.get(c, "") for f, c in columns.items()}, tz))
        except (ValueError, TypeError) as exc:
            out.errors.append((row.number, str(exc)))
    return out


def read_pasted(text: str, now: dt.datetime) -> Export:
    """Pasted text: one item per paragraph (blank-line separated), all dated now."""
    out = Export()
    text = unicodedata.normalize("NFC", text or "")
    for number, block in enumerate(re.split(r"\n\s*\n", text), 1):
        if not block.strip():
            continue
        out.rows += 1
        try:
            out.items.append(raw_item(number, {"text": block, "time": now.isoformat()}, now.tzinfo))
        except ValueError as exc:
            out.errors.append((number, str(exc)))
    return out
