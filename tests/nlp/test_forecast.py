"""The 7-day forecast on synthetic series with known answers."""

import numpy as np
import pytest

from loa.nlp.forecast import METHODS, forecast


def test_constant_poisson_mean_and_coverage():
    rng = np.random.default_rng(7)
    means, hits, draws = [], 0, 0
    for _ in range(40):
        history = rng.poisson(5.0, 200).tolist()
        f = forecast(history, 7, level=0.8)
        assert len(f.mean) == len(f.low) == len(f.high) == 7
        means.extend(f.mean)
        future = rng.poisson(5.0, (50, 7))
        hits += int(((future >= np.array(f.low)) & (future <= np.array(f.high))).sum())
        draws += future.size
    assert abs(np.mean(means) - 5.0) < 0.25
    coverage = hits / draws
    # discrete counts: at least the level, and not far above it; and the model says as much
    assert 0.78 <= coverage <= 0.93
    assert abs(coverage - np.mean(f.coverage)) < 0.08


def test_weekly_pattern_weekend_dip():
    rng = np.random.default_rng(1)
    rate = np.tile([20, 20, 20, 20, 20, 6, 6], 30)  # index 0 is a Monday; weekends low
    history = rng.poisson(rate).tolist()
    f = forecast(history, 7)
    weekdays, weekend = np.mean(f.mean[:5]), np.mean(f.mean[5:])
    assert weekend < 0.5 * weekdays
    assert abs(weekdays - 20) < 3 and abs(weekend - 6) < 2
    assert all(lo <= m <= hi + 1 for lo, m, hi in zip(f.low, f.mean, f.high, strict=True))


def test_phase_follows_the_end_of_the_series():
    # the series ends on a Thursday: the first forecast day is a Friday, then the weekend
    rate = np.tile([20, 20, 20, 20, 20, 6, 6], 30)[:-3]
    f = forecast(np.random.default_rng(2).poisson(rate).tolist(), 3)
    assert f.mean[0] > 2 * f.mean[1] and f.mean[0] > 2 * f.mean[2]


@pytest.mark.parametrize(
    "counts", [[], [0], [0] * 50, [3], [1, 0], [0, 0, 0, 9], [5] * 6, [0, 1] * 20, [10**6] * 30]
)
@pytest.mark.parametrize("method", METHODS)
def test_degenerate_series(counts, method):
    for horizon in (0, 1, 7, 30):
        f = forecast(counts, horizon, method=method)
        assert len(f.mean) == len(f.low) == len(f.high) == len(f.median) == len(f.coverage) == horizon
        for lo, m, hi in zip(f.low, f.mean, f.high, strict=True):
            assert 0 <= lo <= hi and m >= 0 and np.isfinite(m)
    if not any(counts):
        f = forecast(counts, 7, method=method)
        assert f.mean == f.low == f.high == [0.0] * 7


def test_empty_says_so():
    assert forecast([]).method.endswith("(no data)")
    assert forecast([], 3).mean == [0.0, 0.0, 0.0]


def test_naive_baselines():
    history = [1, 2, 3, 4, 5, 6, 7] * 3
    assert forecast(history, 7, method="snaive").mean == [1, 2, 3, 4, 5, 6, 7]
    assert forecast(history, 7, method="mean").mean == [4.0] * 7
    with pytest.raises(ValueError):
        forecast(history, method="prophet")


def test_overdispersed_series_gets_wider_interval():
    rng = np.random.default_rng(3)
    poisson = rng.poisson(10, 200).tolist()
    bursty = rng.negative_binomial(2, 2 / 12, 200).tolist()  # mean 10, variance 60
    fp, fb = forecast(poisson, 7), forecast(bursty, 7)
    assert fb.dispersion > fp.dispersion
    assert np.mean(np.subtract(fb.high, fb.low)) > np.mean(np.subtract(fp.high, fp.low))
