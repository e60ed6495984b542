"""Deadlines in working time: office hours, weekends and Vietnamese public holidays (Tết included)."""

import datetime as dt
import zoneinfo

import pytest

from loa.core import worktime

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=0, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=HCM)


def test_eight_working_hours_from_a_monday_morning_end_that_evening():
    assert worktime.add_working_hours(at(2026, 12, 7, 8), 8) == at(2026, 12, 7, 17)


def test_the_lunch_break_does_not_count():
    assert worktime.add_working_hours(at(2026, 12, 7, 11), 2) == at(2026, 12, 7, 14)


def test_a_friday_evening_submission_is_acknowledged_by_monday_evening():
    # received Friday 18:00: nothing counts until Monday 08:00
    assert worktime.add_working_hours(at(2026, 12, 11, 18), 8) == at(2026, 12, 14, 17)
    assert worktime.add_working_hours(at(2026, 12, 12, 10), 4) == at(2026, 12, 14, 12)


def test_tet_2027_is_skipped():
    # Tết Đinh Mùi: the holidays run from Thursday 4 to Wednesday 10 February 2027
    assert worktime.holiday_name(dt.date(2027, 2, 6)) is not None
    assert not worktime.is_working_day(dt.date(2027, 2, 10))
    assert worktime.add_working_hours(at(2027, 2, 3, 16), 4) == at(2027, 2, 11, 11)


def test_fifteen_working_days_cross_weekends_and_holidays():
    # from Wednesday 22 April 2026: 26-27/4 (Giỗ Tổ + nghỉ bù), 30/4, 1/5 and the weekends are off
    due = worktime.add_working_days(at(2026, 4, 22, 9), 15)
    assert due == at(2026, 5, 18, 17)


def test_hours_between_count_office_hours_only():
    assert worktime.working_hours_between(at(2026, 12, 11, 16), at(2026, 12, 14, 9)) == pytest.approx(2.0)
    assert worktime.working_hours_between(at(2026, 12, 14, 9), at(2026, 12, 11, 16)) == 0.0


def test_extra_days_off_and_office_hours_come_from_settings(settings):
    settings.LOA_EXTRA_DAYS_OFF = ["2026-12-08"]
    worktime._holidays.cache_clear()
    try:
        assert not worktime.is_working_day(dt.date(2026, 12, 8))
        settings.LOA_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
        assert worktime.add_working_hours(at(2026, 12, 7, 7), 4) == at(2026, 12, 7, 11, 30)
    finally:
        worktime._holidays.cache_clear()
