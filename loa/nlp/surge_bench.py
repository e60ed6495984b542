"""Surge detection measured: synthetic surges of known size and start injected into a year of real
dated news (``../shared/data/vn_news_rss_dated``), found by Loa's detector and by the rule
commercial listening tools use (a day above twice the mean of the previous 14 days).

``python -m loa.nlp.surge_bench [--data PATH] [--seeds N,M] [--growth X] [--explain]`` (``make
bench`` runs it) prints, per method: recall of the injected surges within one window (found on
their day or the next), the detection delay, and false alarms — alerts whose items include no
injected item — per week and per week per 100 topics. Real stories in the news (storms, exam
results, football) count as false alarms for both methods: the figure is an upper bound. Loa merges
the alerts of one story into one (Jaccard ≥ 0.5 of their items); the rule is shown as commercial
tools run it, one alert per bigram, and also merged the same way, the fairer count of its false
alarms. ``--growth 2.5`` injects a smaller growth (a harder check); ``--explain`` lists, per seed,
each injected surge a method misses, with what Loa's detector weighed.

Injected, each on its own day after the first four weeks:
- **new stories**: 5, 8 or 12 items of a made-up event nobody had written about before;
- **growth of an existing topic**: for a bigram seen at least 2 times a day over the previous 14
  days, copies of its own earlier items until the day holds 3× its daily mean (``--growth``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

from .surges import Item, _merge, baseline_rule, build_series, detect, explain, keyphrases

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "vn_news_rss_dated"
_PLACES = ["Thạch Thất", "Mê Linh", "Sóc Sơn", "Ba Vì", "Gia Lâm", "Đông Anh", "Thanh Oai", "Ứng Hòa"]
_ONSETS = ["kh", "ng", "th", "tr", "ph", "gi", "qu", "l", "m", "v", "x", "đ"]
_RIMES = ["oang", "uyên", "ênh", "ươm", "iêu", "oai", "ưng", "ây", "ôn", "ach", "ơn", "ui"]


def load(data: Path) -> list[Item]:
    path = next(data.glob("*.jsonl"))
    items = []
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            row = json.loads(line)
            items.append(Item(f"n{i}", row["text"], dt.datetime.fromisoformat(row["date"])))
    return [i for i in items if i.time >= dt.datetime(2025, 8, 9)]  # dense coverage starts here


def _made_up_name(rng: random.Random, known: set[str]) -> str:
    while True:
        name = " ".join(rng.choice(_ONSETS) + rng.choice(_RIMES) for _ in range(2))
        if name not in known:
            return name


def inject(items: list[Item], seed: int, growth: float = 3.0) -> tuple[list[Item], list[dict]]:
    rng = random.Random(seed)
    phrases = [keyphrases(item.text) for item in items]
    known = set().union(*phrases)
    days = sorted({item.time for item in items})
    usable = days[28:-2]
    chosen = rng.sample(usable, 60)
    by_day: dict[dt.datetime, list[int]] = {}
    for index, item in enumerate(items):
        by_day.setdefault(item.time, []).append(index)
    injected, extra = [], []
    for k, day in enumerate(chosen[:30]):  # new stories
        size = (5, 8, 12)[k % 3]
        name = _made_up_name(rng, known)
        known.add(name)
        place = rng.choice(_PLACES)
        ids = []
        for j in range(size):
            ids.append(f"new{k}-{j}")
            extra.append(
                Item(ids[-1], f"Sự cố {name} tại {place}: người dân lo lắng, chính quyền vào cuộc ({j})", day)
            )
        injected.append({"kind": "new", "day": day, "size": size, "topic": name, "ids": set(ids)})
    for k, day in enumerate(chosen[30:]):  # growth of an existing topic
        start = days.index(day) - 14
        window = days[start : days.index(day)]
        counts: dict[str, int] = {}
        for d in window:
            for index in by_day.get(d, []):
                for phrase in phrases[index]:
                    counts[phrase] = counts.get(phrase, 0) + 1
        candidates = sorted(p for p, n in counts.items() if n >= 2 * 14)
        if not candidates:
            continue
        topic = rng.choice(candidates)
        mean = counts[topic] / 14
        natural = sum(1 for i in by_day.get(day, []) if topic in phrases[i])
        add = round(growth * mean) - natural  # the day's volume becomes growth × (3×) the topic's mean
        if add <= 0:
            continue
        sources = [items[i] for d in window for i in by_day.get(d, []) if topic in phrases[i]]
        ids = []
        for j in range(add):
            source = sources[j % len(sources)]
            ids.append(f"grow{k}-{j}")
            extra.append(Item(ids[-1], source.text, day))
        injected.append(
            {"kind": "growth", "day": day, "size": add, "topic": topic, "ids": set(ids), "mean": mean}
        )
    return items + extra, injected


def _found(alerts, surge) -> bool:
    return any(
        surge["day"] <= a.window_start <= surge["day"] + dt.timedelta(days=1)
        and (set(a.evidence) & surge["ids"] or a.topic == surge["topic"])
        for a in alerts
    )


def merged(alerts) -> list:
    """Alerts merged per window and story as Loa merges its own (for the rule: its p-value is
    undefined, so the strongest is the largest count)."""
    by_window: dict[dt.datetime, list] = {}
    for alert in alerts:
        by_window.setdefault(alert.window_start, []).append(alert)
    out = []
    for window_alerts in by_window.values():
        copies = [
            type(a)(
                a.topic, a.label, a.window_start, a.observed, a.expected, 1.0, a.severity, list(a.evidence)
            )
            for a in window_alerts
        ]
        out.extend(_merge(copies))
    return out


def explain_misses(series, injected, methods: dict[str, list]) -> list[str]:
    """One line per injected surge that some method misses: what Loa's detector weighed."""
    index = {w: i for i, w in enumerate(series.windows)}
    lines = []
    for surge in injected:
        found = {name: _found(alerts, surge) for name, alerts in methods.items()}
        if all(found.values()):
            continue
        t = index[surge["day"]]
        e = explain(series, surge["topic"], t)
        size = "Poisson" if e["size"] is None else f"r={e['size']:.1f}"
        lines.append(
            f"  {surge['kind']:6s} {surge['topic']!r:18s} {surge['day']:%Y-%m-%d %a} +{surge['size']:<2d} "
            + " ".join(f"{name}={'found' if ok else 'MISSED'}" for name, ok in found.items())
            + f" | observed {e['observed']}, share-expected {e['expected']:.2f} (×{e['ratio']:.2f}, p={e['p_value']:.3g}),"
            f" own mean {e['own_mean']:.2f} (×{e['count_ratio']:.2f}, p={e['count_p_value']:.3g}), {size},"
            f" other items {e['others']} vs {e['others_mean']:.1f} a day ({e['others_due']:.1f} due on its weekday)"
        )
    return lines


def score(alerts, injected, weeks: float, topics: int) -> dict:
    injected_ids = set().union(*(s["ids"] for s in injected))
    found, delays = {"new": [0, 0], "growth": [0, 0]}, []
    for surge in injected:
        found[surge["kind"]][1] += 1
        hits = [
            a
            for a in alerts
            if surge["day"] <= a.window_start <= surge["day"] + dt.timedelta(days=1)
            and (set(a.evidence) & surge["ids"] or a.topic == surge["topic"])
        ]
        if hits:
            found[surge["kind"]][0] += 1
            delays.append(min((a.window_start - surge["day"]).days for a in hits))
    false = [a for a in alerts if not set(a.evidence) & injected_ids]
    n = sum(v[1] for v in found.values())
    return {
        "recall": sum(v[0] for v in found.values()) / n if n else 0.0,
        "recall_new": found["new"][0] / max(1, found["new"][1]),
        "recall_growth": found["growth"][0] / max(1, found["growth"][1]),
        "mean_delay_windows": statistics.mean(delays) if delays else None,
        "false_alarms_per_week": len(false) / weeks,
        "false_alarms_per_week_per_100_topics": len(false) / weeks / (topics / 100),
        "alerts": len(alerts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", default="42,1,2", help="injection seeds, comma-separated")
    parser.add_argument("--growth", type=float, default=3.0, help="growth injected (× the topic's mean)")
    parser.add_argument("--explain", action="store_true", help="list the surges a method misses, and why")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"No data at {args.data}: the news set lives in ../shared/data.", file=sys.stderr)
        return 2
    base = load(args.data)
    print(
        "| seed | method | recall (≤ 1 window) | new stories | 3× growth | mean delay | false alarms / week | per 100 topics |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    notes = []
    for seed in [int(x) for x in args.seeds.split(",")]:
        t0 = time.perf_counter()
        items, injected = inject(base, seed, args.growth)
        series = build_series(items, "day")
        t1 = time.perf_counter()
        ours = detect(series)
        t2 = time.perf_counter()
        rule = baseline_rule(series)
        weeks = (len(series.windows) - 14) / 7
        topics = len(series.counts)
        methods = {
            "Loa (negative binomial on share)": ours,
            "today > 2 × mean of 14 days": rule,
            "the same rule, one alert per story": merged(rule),
        }
        for name, alerts in methods.items():
            s = score(alerts, injected, weeks, topics)
            delay = "—" if s["mean_delay_windows"] is None else f"{s['mean_delay_windows']:.2f}"
            print(
                f"| {seed} | {name} | {s['recall']:.0%} | {s['recall_new']:.0%} | {s['recall_growth']:.0%} | {delay} | "
                f"{s['false_alarms_per_week']:.1f} | {s['false_alarms_per_week_per_100_topics']:.3f} |"
            )
        notes.append(
            f"seed {seed}: {len(items):,} items, {len(injected)} injected surges, {len(series.windows)} days, "
            f"{topics:,} topics (bigrams seen ≥ 3 times); series {t1 - t0:.1f} s, detector {t2 - t1:.1f} s"
        )
        if args.explain:
            notes.extend(explain_misses(series, injected, {"Loa": ours, "rule": rule}))
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
