"""Working time: deadlines counted in office hours, weekends and Vietnamese public holidays excluded.

Holidays come from the ``holidays`` package (``VN``: Tết Dương lịch, the lunar Tết days, Giỗ Tổ
Hùng Vương, 30/4, 1/5, Quốc khánh, and the government's announced swaps such as "nghỉ bù").
Office hours are ``LOA_OFFICE_HOURS`` (default ``08:00-12:00,13:00-17:00``: eight hours a day).
Extra days off an office announces (``LOA_EXTRA_DAYS_OFF``, ISO dates, comma-separated) count as
holidays too. All functions take and return aware datetimes; they work in the local time zone.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


def _parse_hours(spec: str) -> list[tuple[dt.time, dt.time]]:
    spans = []
    for part in spec.split(","):
        start, _, end = part.strip().partition("-")
        a, b = dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
        if b <= a:
            raise ValueError(f"office hours {part!r}: the end must come after the start")
        spans.append((a, b))
    spans.sort()
    return spans


def office_hours() -> list[tuple[dt.time, dt.time]]:
    return _parse_hours(getattr(settings, "LOA_OFFICE_HOURS", "08:00-12:00,13:00-17:00"))


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[dt.date, str]:
    days = dict(holidays.country_holidays("VN", years=[year]).items())
    for raw in getattr(settings, "LOA_EXTRA_DAYS_OFF", ()):
        day = dt.date.fromisoformat(raw)
        if day.year == year:
            days.setdefault(day, "Ngày nghỉ")
    return days


def holiday_name(day: dt.date) -> str | None:
    return _holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def _spans(day: dt.date, tz) -> list[tuple[dt.datetime, dt.datetime]]:
    return [
        (
            timezone.make_aware(dt.datetime.combine(day, a), tz),
            timezone.make_aware(dt.datetime.combine(day, b), tz),
        )
        for a, b in office_hours()
    ]


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment ``hours`` office hours after ``start`` (a start outside hours counts from the
    next opening)."""
    tz = timezone.get_current_timezone()
    now = timezone.localtime(start, tz)
    remaining = dt.timedelta(hours=hours)
    day = now.date()
    for _ in range(3660):  # ten years of days: a bound, never reached by real deadlines
        if is_working_day(day):
            for a, b in _spans(day, tz):
                if now >= b:
                    continue
                begin = max(now, a)
                available = b - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += dt.timedelta(days=1)
    raise ValueError("deadline too far in the future")


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The close of the ``days``-th working day after the day of ``start``."""
    tz = timezone.get_current_timezone()
    day = timezone.localtime(start, tz).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
    return _spans(day, tz)[-1][1]


def working_hours_between(a: dt.datetime, b: dt.datetime) -> float:
    """Office hours elapsed from ``a`` to ``b`` (0 when ``b`` is not after ``a``)."""
    if b <= a:
        return 0.0
    tz = timezone.get_current_timezone()
    a, b = timezone.localtime(a, tz), timezone.localtime(b, tz)
    total = dt.timedelta()
    day = a.date()
    while day <= b.date():
        if is_working_day(day):
            for s, e in _spans(day, tz):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600
