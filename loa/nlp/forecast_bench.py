"""Forecast measured: 7-day forecasts of the daily volume of topics in a year of real dated news
(``../shared/data/vn_news_rss_dated``), on the last 4 weeks held back.

``python -m loa.nlp.forecast_bench [--data PATH] [--min-total N] [--level L]`` builds the daily
series (topics: the salient bigrams of ``loa.nlp.surges``), keeps the topics with at least
``min-total`` items before the validation weeks, and forecasts each of the last 4 weeks from the
days before it. Parameters of the seasonal model (a fixed half-life, or one adapted to the volume)
are chosen on the 4 weeks before those (validation), never on the held-back ones: the lowest mean of
the topics' MASE and the total volume's MASE. Per method, for the topics and for the total volume:

- **MAE**: mean absolute error per day;
- **MASE**: MAE over the in-sample MAE of the seasonal naive (same day last week) on the data
  before the weeks scored, averaged over series (1 = as good as the seasonal naive in-sample);
- **coverage** of the prediction interval, against the probability the model itself gives it
  (**model**: discrete counts make it exceed ``level`` for small means), its mean **width**, and the
  **interval score** (width plus 2/α × the miss; lower is better, rewards honest narrow intervals).
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from pathlib import Path

import numpy as np

from .forecast import BACKTEST, FACTOR_WINDOW, SMOOTHING, _point, forecast
from .surge_bench import DEFAULT_DATA, load
from .surges import build_series

WEEKS = 4  # held-back weeks, and validation weeks before them
SEASON = 7
SHRINKS = [5.0, 20.0, 100.0, math.inf]
GRID = [  # fixed half-lives, then half-lives adapted to the volume (smoothing / sqrt(mean))
    *(
        {"half_life": h, "window": w, "shrink": k}
        for h, w, k in itertools.product([3.5, 7.0, 14.0, 28.0, math.inf], [14, 28, 56, 112], SHRINKS)
    ),
    *(
        {"half_life": None, "smoothing": c, "window": w, "shrink": k}
        for c, w, k in itertools.product([5.0, 10.0, 20.0, 40.0, 80.0], [28, 56, 112], SHRINKS)
    ),
]


def _scale(y: np.ndarray, end: int) -> float:
    """In-sample MAE of the seasonal naive on y[:end] (the MASE denominator)."""
    part = y[:end]
    if len(part) <= SEASON:
        return math.nan
    d = np.abs(part[SEASON:] - part[:-SEASON]).mean()
    return float(d) if d > 0 else math.nan


def score(series: list[np.ndarray], origins: list[int], level: float, *, median: bool = False, **kw) -> dict:
    """Forecast each series from each origin (7 days ahead) and pool the errors."""
    alpha = 1 - level
    abs_err, covered, claimed, width, interval, mase = [], [], [], [], [], []
    for y in series:
        scale = _scale(y, origins[0])
        errs = []
        for origin in origins:
            f = forecast(y[:origin].astype(int).tolist(), SEASON, season=SEASON, level=level, **kw)
            actual = y[origin : origin + SEASON]
            point = np.array(f.median if median else f.mean)
            low, high = np.array(f.low), np.array(f.high)
            errs.extend(np.abs(actual - point))
            covered.extend((actual >= low) & (actual <= high))
            claimed.extend(f.coverage)
            width.extend(high - low)
            interval.extend(
                (high - low)
                + 2 / alpha * np.clip(low - actual, 0, None)
                + 2 / alpha * np.clip(actual - high, 0, None)
            )
        abs_err.extend(errs)
        if not math.isnan(scale):
            mase.append(np.mean(errs) / scale)
    return {
        "mae": float(np.mean(abs_err)),
        "mase": float(np.mean(mase)) if mase else math.nan,
        "coverage": float(np.mean(covered)),
        "model": float(np.mean(claimed)),
        "width": float(np.mean(width)),
        "interval_score": float(np.mean(interval)),
    }


def point_mase(series: list[np.ndarray], origins: list[int], **kw) -> float:
    """Mean MASE of the point forecasts alone (cheap: for the parameter grid)."""
    out = []
    for y in series:
        scale = _scale(y, origins[0])
        if math.isnan(scale):
            continue
        errs = [
            np.abs(y[o : o + SEASON] - np.clip(_point(y[:o], SEASON, season=SEASON, **kw), 0, None)).mean()
            for o in origins
        ]
        out.append(float(np.mean(errs)) / scale)
    return float(np.mean(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--min-total", type=int, default=100, help="topic items before validation")
    parser.add_argument("--level", type=float, default=0.8, help="prediction interval level")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"No data at {args.data}: the news set lives in ../shared/data.", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    s = build_series(load(args.data), "day")
    n = len(s.windows)
    if n < 2 * WEEKS * SEASON + 4 * SEASON:
        print(f"Only {n} days of news: too few for {WEEKS} + {WEEKS} weeks.", file=sys.stderr)
        return 2
    test = [n - SEASON * k for k in range(WEEKS, 0, -1)]
    valid = [o - WEEKS * SEASON for o in test]
    topic_series = [
        np.array(c, dtype=float) for c in s.counts.values() if sum(c[: valid[0]]) >= args.min_total
    ]
    total = [np.array(s.totals, dtype=float)]
    t1 = time.perf_counter()

    # parameters on the validation weeks only
    best = None
    for params in GRID:
        kw = {"method": "seasonal", "smoothing": SMOOTHING, "factor_window": FACTOR_WINDOW, **params}
        m_topics = point_mase(topic_series, valid, **kw)
        m_total = point_mase(total, valid, **kw)
        if best is None or (m_topics + m_total) / 2 < best[0]:
            best = ((m_topics + m_total) / 2, params, m_topics, m_total)
    assert best is not None
    chosen = best[1]
    t2 = time.perf_counter()

    methods = {
        "seasonal (chosen), mean": ({"method": "seasonal", **chosen}, False),
        "seasonal (chosen), median": ({"method": "seasonal", **chosen}, True),
        "mean of last 7 days": ({"method": "mean"}, False),
        "same day last week": ({"method": "snaive"}, False),
    }
    results = {}
    for phase, origins in (("validation", valid), ("held-back", test)):
        for group, series in (("topics", topic_series), ("total", total)):
            for name, (kw, median) in methods.items():
                results[(phase, group, name)] = score(
                    series, origins, args.level, median=median, backtest=BACKTEST, **kw
                )
    t3 = time.perf_counter()

    def day(i: int) -> str:
        return s.windows[i].date().isoformat()

    print(
        f"Held-back weeks {day(test[0])} … {day(n - 1)} ({WEEKS} × 7 days); validation {day(valid[0])} … "
        f"{day(test[0] - 1)}; {len(topic_series)} topics with ≥ {args.min_total} items before validation, "
        f"and the total volume. Interval level {args.level:.0%}."
    )
    print()
    print(
        "| series | method | MAE | MASE | coverage | model | width | interval score "
        "| valid. MASE | valid. coverage |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for group in ("topics", "total"):
        for name in methods:
            r, v = results[("held-back", group, name)], results[("validation", group, name)]
            print(
                f"| {group} | {name} | {r['mae']:.3f} | {r['mase']:.3f} | {r['coverage']:.1%} | {r['model']:.1%} "
                f"| {r['width']:.2f} | {r['interval_score']:.2f} | {v['mase']:.3f} | {v['coverage']:.1%} |"
            )
    print()
    ours = results[("held-back", "topics", "seasonal (chosen), mean")]
    naive = results[("held-back", "topics", "same day last week")]
    tot = results[("held-back", "total", "seasonal (chosen), mean")]
    if chosen.get("half_life") is None:
        how = f"half-life {chosen['smoothing']:g} / sqrt(mean count) days (≤ {chosen['window']} days of history)"
    else:
        how = f"half-life {chosen['half_life']:g} days over {chosen['window']} days"
    print(
        f"Chosen on validation (MASE topics {best[2]:.3f}, total {best[3]:.3f}): {how}, day-of-week shrink "
        f"{chosen['shrink']:g}; held back: topics MASE {ours['mase']:.3f} vs {naive['mase']:.3f} (same day last "
        f"week), coverage {ours['coverage']:.1%} (model {ours['model']:.1%}); total MASE {tot['mase']:.3f}, "
        f"coverage {tot['coverage']:.1%}. Series {t1 - t0:.1f} s, grid {t2 - t1:.1f} s, scoring {t3 - t2:.1f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
