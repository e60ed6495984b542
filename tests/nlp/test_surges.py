"""The surge detector on synthetic series with known answers."""

import datetime as dt
import random

from loa.nlp.surges import Item, baseline_rule, build_series, detect, explain, negbin_sf, poisson_sf

DAY0 = dt.datetime(2026, 3, 2)  # a Monday


def background(days=42, per_day=60, seed=1):
    """Steady news: topics "giá vàng" (~3/day), "giao thông" (~9/day, more on weekdays), noise."""
    rng = random.Random(seed)
    items = []
    for d in range(days):
        day = DAY0 + dt.timedelta(days=d)
        n = per_day if day.weekday() < 5 else per_day // 2  # weekly seasonality
        for i in range(n):
            r = rng.random()
            topic = (
                ("gia_vang",) if r < 0.05 else ("giao_thong",) if r < 0.2 else (f"noise{rng.randrange(400)}",)
            )
            items.append(Item(f"{d}-{i}", "", day + dt.timedelta(minutes=i), topic))
    return items


def inject(items, day_index, topic, n, prefix="s"):
    day = DAY0 + dt.timedelta(days=day_index)
    return items + [
        Item(f"{prefix}{k}", "", day + dt.timedelta(hours=9, minutes=k), (topic,)) for k in range(n)
    ]


def test_probabilities():
    assert poisson_sf(0, 3) == 1.0
    assert abs(poisson_sf(1, 2.0) - (1 - 2.718281828**-2)) < 1e-9
    assert poisson_sf(30, 2.0) < 1e-15
    # over-dispersed: the same count is less surprising
    assert negbin_sf(10, 3.0, 2.0) > poisson_sf(10, 3.0)


def test_a_quiet_background_raises_nothing_serious_and_few_low_alerts():
    alerts = detect(build_series(background()))
    assert [a for a in alerts if a.severity != "thấp"] == []
    assert len(alerts) <= 2  # 402 topics × 4 weeks: well under 1 per week per 100 topics


def test_a_new_story_is_found_in_its_first_window_with_its_evidence():
    items = inject(background(), 30, "sap_cau", 12)
    alerts = [a for a in detect(build_series(items)) if a.topic == "sap_cau"]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.window_start == DAY0 + dt.timedelta(days=30)
    assert alert.observed == 12 and alert.expected < 1 and alert.severity == "cao"
    assert alert.evidence == sorted(f"s{k}" for k in range(12))
    assert alert.curve[-1] == ((DAY0 + dt.timedelta(days=30)).isoformat(), 12)


def test_a_threefold_growth_of_an_existing_topic_is_found_and_the_weekend_dip_is_not():
    base = background()
    day = 31  # a Wednesday
    normal = sum(
        1
        for i in base
        if i.topics == ("giao_thong",) and i.time.date() == (DAY0 + dt.timedelta(days=day)).date()
    )
    items = inject(base, day, "giao_thong", 2 * normal + 2)
    alerts = [a for a in detect(build_series(items)) if a.topic == "giao_thong"]
    assert [a.window_start for a in alerts] == [DAY0 + dt.timedelta(days=day)]
    assert 2.5 < alerts[0].observed / alerts[0].expected < 5


def test_a_busier_day_for_everything_is_not_a_surge_of_one_topic():
    base = background()
    # day 33: the whole feed doubles (a second source joins), every topic in proportion
    extra = [
        Item(f"x{i.id}", "", i.time, i.topics)
        for i in base
        if i.time.date() == (DAY0 + dt.timedelta(days=33)).date()
    ]
    alerts = detect(build_series(base + extra))
    # nothing serious: at most the chance jump of a small topic (its copies doubled with the rest)
    assert not [a for a in alerts if a.window_start == DAY0 + dt.timedelta(days=33) and a.severity != "thấp"]
    assert not [a for a in alerts if a.topic == "giao_thong"]


def test_topics_are_read_off_the_text_and_one_story_is_one_alert():
    items = background()
    day = DAY0 + dt.timedelta(days=35)
    for k in range(9):
        items.append(Item(f"b{k}", f"Bão số 5 đổ bộ vào Quảng Ninh, sơ tán {k} hộ dân", day, ()))
    alerts = [a for a in detect(build_series(items)) if a.window_start == day]
    assert len(alerts) == 1
    story = "bão số đổ bộ vào quảng ninh sơ tán hộ dân"
    assert all(phrase in story for phrase in alerts[0].label.split(", "))
    assert alerts[0].evidence == [f"b{k}" for k in range(9)]


def test_the_commercial_rule_fires_on_noise_the_detector_ignores():
    items = background(seed=7)
    ours = [a for a in detect(build_series(items)) if not a.topic.startswith("noise")]
    rule = [a for a in baseline_rule(build_series(items), min_count=3) if not a.topic.startswith("noise")]
    assert len(ours) <= len(rule)


def test_hour_windows():
    items = []
    for h in range(24 * 20):
        t = DAY0 + dt.timedelta(hours=h)
        items += [Item(f"{h}-{k}", "", t, ("chung",)) for k in range(3)]
        items += [Item(f"{h}-o{k}", "", t, (f"o{h % 50}",)) for k in range(2)]
    spike = DAY0 + dt.timedelta(hours=24 * 18 + 10)
    items += [Item(f"sp{k}", "", spike, ("ket_xe",)) for k in range(8)]
    alerts = [a for a in detect(build_series(items, "hour")) if a.topic == "ket_xe"]
    assert [a.window_start for a in alerts] == [spike]


def test_a_small_topic_tripled_against_its_own_two_weeks_is_found_on_any_day():
    """The bench's 3× growth: "giá vàng" (~2.5 a day) at three times its mean of the previous 14
    days. On a weekday its share-based expectation is above that mean (weekdays are busier), so the
    tripling is only ~2.3–2.5× the expectation: still an alert, on every day of two weeks."""
    ratios = []
    for day in range(28, 42):
        base = background()
        date = (DAY0 + dt.timedelta(days=day)).date()
        past = sum(1 for i in base if i.topics == ("gia_vang",) and 1 <= (date - i.time.date()).days <= 14)
        natural = sum(1 for i in base if i.topics == ("gia_vang",) and i.time.date() == date)
        series = build_series(inject(base, day, "gia_vang", round(3 * past / 14) - natural))
        alerts = [a for a in detect(series) if a.window_start.date() == date]
        assert [a.topic for a in alerts] == ["gia_vang"], date
        ratios.append(alerts[0].observed / alerts[0].expected)
    assert min(ratios) < 2.5  # below the old loose bar: the case this guards


def test_a_topic_that_just_rose_is_not_taken_for_a_noisy_one():
    """ "bóng đá" is absent for four weeks, then steady (12 a weekday, 6 a weekend day); on a
    Tuesday and on a Thursday of its fourth week it has 27. The change of level is not noise: the
    doubling stands out (one share laid over the eight weeks made it look like a noisy topic)."""
    for surge_day in (50, 52):
        items = background(days=56)
        for d in range(28, 56):
            day = DAY0 + dt.timedelta(days=d)
            n = 27 if d == surge_day else 12 if day.weekday() < 5 else 6
            items += [
                Item(f"bd{d}-{k}", "", day + dt.timedelta(hours=8, minutes=k), ("bong_da",)) for k in range(n)
            ]
        alerts = [a for a in detect(build_series(items)) if a.topic == "bong_da"]
        surge = DAY0 + dt.timedelta(days=surge_day)
        assert [a.window_start for a in alerts if a.window_start >= surge - dt.timedelta(days=14)] == [surge]
        assert alerts[-1].p_value < 1e-3 and 2 < alerts[-1].observed / alerts[-1].expected < 2.3


def test_a_small_topic_tripled_on_a_day_busy_with_another_story_is_found():
    """The bench's misses: "giá vàng" (~2 a day) at three times its mean of the previous 14 days on
    a weekday that another story (8 items: a day 8–19 % busier than its weekday) also fills. That
    story is no exposure for "giá vàng": the day's excess over its weekday carries the expectation
    by its square root only, so the tripling stays ≥ 2.25× its expectation on 9 of the 10 weekdays
    (a fully proportional expectation, the detector before, put it at 2.05–2.28× on 9 of them)."""
    found = found_proportional = 0
    for day in range(28, 42):
        date = (DAY0 + dt.timedelta(days=day)).date()
        if date.weekday() >= 5:
            continue
        base = background()
        past = sum(1 for i in base if i.topics == ("gia_vang",) and 1 <= (date - i.time.date()).days <= 14)
        natural = sum(1 for i in base if i.topics == ("gia_vang",) and i.time.date() == date)
        items = inject(base, day, "gia_vang", round(3 * past / 14) - natural)
        series = build_series(inject(items, day, "bao_so_5", 8, prefix="b"))
        t = series.windows.index(DAY0 + dt.timedelta(days=day))
        now, proportional = explain(series, "gia_vang", t), explain(series, "gia_vang", t, elasticity=1.0)
        due, others = now["others_due"], now["others"]
        assert others > 1.05 * due  # the story made the day busier than its weekday
        assert abs(proportional["expected"] / now["expected"] - (others / due) ** 0.5) < 1e-9
        found += any(a.topic == "gia_vang" and a.window_start.date() == date for a in detect(series))
        found_proportional += any(
            a.topic == "gia_vang" and a.window_start.date() == date
            for a in detect(series, elasticity=1.0, loose_ratio=2.3)
        )
    assert found >= 9 and found_proportional <= 2


def test_a_feed_that_doubles_carries_its_topics_by_the_square_root():
    """A second source joins on a Saturday: every topic's count doubles with the feed. The day's
    excess over its weekday carries the expectation by √2, so a steady topic's ratio to its
    expectation rises by √2 ≈ 1.4 only and stays under the 2× any alert needs; the weekday rhythm
    itself (a Saturday is half a weekday) is carried in full."""
    base = background()
    date = (DAY0 + dt.timedelta(days=33)).date()
    extra = [Item(f"x{i.id}", "", i.time, i.topics) for i in base if i.time.date() == date]
    doubled, plain = build_series(base + extra), build_series(base)
    t = doubled.windows.index(DAY0 + dt.timedelta(days=33))
    before, after = explain(plain, "giao_thong", t), explain(doubled, "giao_thong", t)
    assert 0.5 < before["others_due"] / before["others_mean"] < 0.7  # a Saturday: half a weekday
    assert after["others"] == 2 * before["others"]
    assert abs(after["ratio"] / before["ratio"] - 2**0.5) < 1e-9  # count × 2, expectation × √2
    assert after["ratio"] < 2
