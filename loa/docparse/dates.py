"""Vietnamese dates in text: 'ngày 17/3/2026', 'ngày 17 tháng 3 năm 2026', 'trong tháng 5/2026'."""

import calendar
import datetime as dt
import re

DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
DATE_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
DATE_ANY = rf"(?:{DATE_NUMERIC}|{DATE_WORDS})"
_DATE_RE = re.compile(DATE_ANY)


def iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_from_match(m: re.Match) -> str | None:
    g = m.groupdict()
    if g.get("d"):
        return iso(int(g["y"]), int(g["m"]), int(g["d"]))
    if g.get("d2"):
        return iso(int(g["y2"]), int(g["m2"]), int(g["d2"]))
    return None


def parse_date(text: str) -> str | None:
    m = _DATE_RE.search(text)
    return date_from_match(m) if m else None


def month_end(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return iso(year, month, calendar.monthrange(year, month)[1])


_DEADLINE_RE = re.compile(
    rf"(?:trước|chậm nhất(?: là)?|hạn chót|thời hạn|hoàn thành|xong)\s*(?:vào\s+|trong\s+)?(?:ngày\s+)?{DATE_ANY}",
    re.IGNORECASE,
)
_DEADLINE_MONTH_RE = re.compile(
    r"(?:trong|trước|chậm nhất(?: là)?|hoàn thành(?: trong)?)\s+tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})",
    re.IGNORECASE,
)


def find_deadline(text: str) -> str | None:
    """The deadline a task states: 'trước ngày 01/4/2026' → 2026-04-01; 'trong tháng 5/2026' → 2026-05-31."""
    m = _DEADLINE_RE.search(text)
    if m:
        return date_from_match(m)
    m = _DEADLINE_MONTH_RE.search(text)
    if m:
        return month_end(int(m["y"]), int(m["m"]))
    return None
