"""Forecast ("dự báo"): the next days of a topic's daily count, with a prediction interval.

The model (``method="seasonal"``, the default, chosen on the news year by ``loa.nlp.forecast_bench``):

1. **Day-of-week factors.** For each phase of the season (day of the week for a daily series), the
   ratio of its counts to what a flat series would give over the last ``factor_window`` windows,
   shrunk toward 1 by ``shrink`` pseudo-counts (a gamma-Poisson posterior mean): a sparse topic keeps
   factors near 1, a busy one gets its weekend dip.
2. **Level.** An exponentially weighted mean of the deseasonalized counts. Its half-life adapts to
   the volume: ``smoothing`` / √(mean count of the last 4 seasons) windows, over at most twice that
   (≤ ``window``): a local-level model's optimal memory shrinks as the Poisson noise gets small
   next to the level's moves, so a topic seen once a day averages its last 4 weeks, the total volume
   of ~80 items a day a few days (``half_life`` fixes it instead). Forecast = level × day factor.
3. **Interval.** A negative binomial around each forecast, its dispersion measured by replaying the
   same forecast from the ``backtest`` previous week starts (7-day-ahead errors, method of moments;
   Poisson when they are not over-dispersed). The interval is the pair of quantiles at
   (1 ∓ ``level``)/2. Counts are discrete, so for small means it covers more than ``level``: the
   model's own probability of the interval is returned too (``coverage``), with the ``median``
   (the better point for absolute error on sparse counts; ``mean`` is the expected count).

Naive baselines, with the same interval machinery: ``"mean"`` (mean of the last season, flat) and
``"snaive"`` (same day last season). Pure, no Django; numpy only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

# Parameters chosen on the 4 weeks before the held-back ones (see loa.nlp.forecast_bench).
SMOOTHING = 40.0  # half-life = SMOOTHING / sqrt(recent mean count), in windows
WINDOW = 28  # at most this many windows of history for the level
SHRINK = 20.0  # pseudo-counts pulling each day-of-week factor toward 1
FACTOR_WINDOW = 364  # windows of history for the day-of-week factors
BACKTEST = 8  # past season starts replayed to measure the dispersion

METHODS = ("seasonal", "mean", "snaive")


@dataclass
class Forecast:
    mean: list[float]
    low: list[float]
    high: list[float]
    method: str
    level: float = 0.8
    dispersion: float = 0.0  # 1/r of the negative binomial; 0 is Poisson
    median: list[float] = field(default_factory=list)
    coverage: list[float] = field(default_factory=list)  # the model's P(low ≤ count ≤ high)

    def as_json(self) -> dict:
        return {
            "method": self.method,
            "level": self.level,
            "dispersion": round(self.dispersion, 4),
            "mean": [round(x, 3) for x in self.mean],
            "median": self.median,
            "low": self.low,
            "high": self.high,
        }


# --- point forecasts ------------------------------------------------------------------------------


def _factors(y: np.ndarray, season: int, factor_window: int, shrink: float) -> np.ndarray:
    """Day-of-week factors indexed by absolute phase (index mod season), mean 1."""
    n = len(y)
    ones = np.ones(season)
    if season <= 1 or n < 2 * season or not math.isfinite(shrink):
        return ones
    start = max(0, n - factor_window)
    # align the window on whole seasons so every phase is counted equally often
    start += (n - start) % season
    part = y[start:]
    phases = np.arange(start, n) % season
    total = part.sum()
    if total <= 0:
        return ones
    sums = np.bincount(phases, weights=part, minlength=season)
    expected = np.bincount(phases, minlength=season) * (total / len(part))
    k = max(shrink, 1e-6)
    f = (sums + k) / (expected + k)
    return f / f.mean()


def _half_life(y: np.ndarray, season: int, smoothing: float) -> float:
    """The level's half-life for a series of this volume: smoothing / sqrt(recent mean count)."""
    recent = y[-4 * season :].mean() if len(y) else 0.0
    return min(max(smoothing / math.sqrt(max(recent, 1e-3)), 1.0), 365.0)


def _point(
    y: np.ndarray,
    horizon: int,
    season: int,
    method: str,
    half_life: float | None,
    smoothing: float,
    window: int,
    shrink: float,
    factor_window: int,
    factors: np.ndarray | None = None,
) -> np.ndarray:
    """The expected counts of the ``horizon`` windows after ``y``."""
    n = len(y)
    if n == 0 or horizon <= 0:
        return np.zeros(max(horizon, 0))
    if method == "mean":
        return np.full(horizon, y[-season:].mean())
    if method == "snaive":
        if n < season:
            return np.full(horizon, y.mean())
        last = y[n - season :]
        return last[np.arange(horizon) % season].astype(float)
    if method != "seasonal":
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    f = _factors(y, season, factor_window, shrink) if factors is None else factors
    if half_life is None:  # adaptive: memory shrinks as the volume grows
        half_life = _half_life(y, season, smoothing)
        window = int(min(max(season, 2 * half_life), window))
    lo = max(0, n - window)
    idx = np.arange(lo, n)
    ages = (n - 1 - idx).astype(float)
    weights = np.ones(len(idx)) if not math.isfinite(half_life) else 0.5 ** (ages / half_life)
    level = float(np.dot(weights, y[lo:] / f[idx % season]) / weights.sum())
    return level * f[np.arange(n, n + horizon) % season]


# --- interval ---------------------------------------------------------------------------------------


def _dispersion(y: np.ndarray, season: int, backtest: int, point_kw: dict) -> float:
    """1/r of a negative binomial, from the errors of the same forecast made at the last
    ``backtest`` season starts (0: not over-dispersed, Poisson)."""
    n = len(y)
    mus, obs = [], []
    factors = None
    if point_kw["method"] == "seasonal":
        # the factors of the whole series: a small in-sample advantage for a cheaper replay
        factors = _factors(y, season, point_kw["factor_window"], point_kw["shrink"])
    for k in range(1, backtest + 1):
        origin = n - k * season
        if origin < season:
            break
        mus.append(_point(y[:origin], season, factors=factors, **point_kw))
        obs.append(y[origin : origin + season])
    if not mus:
        return 0.0
    mu, x = np.concatenate(mus), np.concatenate(obs)
    denominator = float(np.dot(mu, mu))
    if denominator <= 1e-12:
        return 0.0
    return max(0.0, float(np.sum((x - mu) ** 2 - mu)) / denominator)


def _interval(mu: float, phi: float, level: float) -> tuple[int, int, int, float]:
    """Low, median and high quantiles, and P(low ≤ X ≤ high), of a negative binomial of mean ``mu``
    and variance mu + phi·mu² (Poisson when phi is 0). The p-quantile is the smallest k with
    P(X ≤ k) ≥ p."""
    if mu <= 0:
        return 0, 0, 0, 1.0
    alpha = (1 - level) / 2
    sd = math.sqrt(mu + phi * mu * mu)
    top = int(math.ceil(mu + 12 * sd + 20))
    if top > 200_000:  # a huge count: the normal approximation is close enough
        lo, mid, hi = (max(0, math.ceil(mu + _normal_ppf(p) * sd - 0.5)) for p in (alpha, 0.5, 1 - alpha))
        cover = 0.5 * (
            math.erf((hi + 0.5 - mu) / sd / math.sqrt(2)) - math.erf((lo - 0.5 - mu) / sd / math.sqrt(2))
        )
        return lo, mid, hi, cover
    k = np.arange(1, top + 1, dtype=float)
    if phi <= 1e-9:
        log_pmf0 = -mu
        steps = np.log(mu / k)
    else:
        r = 1.0 / phi
        log_pmf0 = r * math.log(r / (r + mu))
        steps = np.log((k - 1 + r) / k) + math.log(mu / (r + mu))
    log_pmf = np.concatenate(([log_pmf0], log_pmf0 + np.cumsum(steps)))
    cdf = np.cumsum(np.exp(log_pmf))
    lo, mid, hi = (int(min(np.searchsorted(cdf, p - 1e-12), top)) for p in (alpha, 0.5, 1 - alpha))
    cover = float(cdf[hi] - (cdf[lo - 1] if lo > 0 else 0.0))
    return lo, mid, hi, min(1.0, cover)


def _normal_ppf(p: float) -> float:
    """The standard normal quantile, by bisection on erf (used only for huge counts)."""
    lo, hi = -10.0, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# --- the forecast -----------------------------------------------------------------------------------


def forecast(
    counts: Sequence[int],
    horizon: int = 7,
    *,
    season: int = 7,
    level: float = 0.8,
    method: str = "seasonal",
    half_life: float | None = None,
    smoothing: float = SMOOTHING,
    window: int = WINDOW,
    shrink: float = SHRINK,
    factor_window: int = FACTOR_WINDOW,
    backtest: int = BACKTEST,
) -> Forecast:
    """The next ``horizon`` windows of a count series: mean, median and interval at ``level``.

    ``half_life`` None: adapted to the series' volume (see the module docstring)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    horizon = max(0, int(horizon))
    season = max(1, int(season))
    level = min(max(float(level), 0.0), 1.0)
    y = np.clip(np.asarray(list(counts), dtype=float), 0, None)
    if len(y) == 0 or y.sum() <= 0:
        # nothing seen: nothing expected (an empty series says so in the method)
        zeros = [0.0] * horizon
        name = f"{method} (no data)" if len(y) == 0 else method
        return Forecast(zeros, list(zeros), list(zeros), name, level, 0.0, list(zeros), [1.0] * horizon)
    point_kw = {
        "season": season,
        "method": method,
        "half_life": half_life,
        "smoothing": smoothing,
        "window": max(1, int(window)),
        "shrink": shrink,
        "factor_window": max(season, int(factor_window)),
    }
    mean = np.clip(_point(y, horizon, **point_kw), 0, None)
    phi = _dispersion(y, season, backtest, point_kw)
    low, median, high, coverage = [], [], [], []
    cache: dict[float, tuple[int, int, int, float]] = {}  # flat forecasts repeat the same mean
    for mu in mean:
        key = float(mu)
        if key not in cache:
            cache[key] = _interval(key, phi, level)
        a, m, b, p = cache[key]
        low.append(float(a))
        median.append(float(m))
        high.append(float(b))
        coverage.append(p)
    return Forecast([float(x) for x in mean], low, high, method, level, phi, median, coverage)
