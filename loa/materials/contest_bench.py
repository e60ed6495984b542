"""Contest ranking benchmark: 200,000 submitted attempts ranked (best per phone, then correct,
prediction distance, duration, time). ``scripts/bench-contest.sh`` runs it on a throwaway
PostgreSQL (``make bench``). The submissions load test is ``loa.materials.contest_loadtest`` (``scripts/bench-contest-load.sh``).

    python -m loa.materials.contest_bench [--entries 200000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args(argv)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loa.settings")
    django.setup()
    from pathlib import Path

    from django.utils import timezone

    from loa.materials import contest as rules
    from loa.materials.models import Attempt, Contest
    from loa.org.services import load_hanoi
    from loa.plans.models import TaskAssignment
    from loa.plans.services import import_plan

    load_hanoi()
    name = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"
    plan = import_plan(
        data=(Path(__file__).resolve().parents[1] / "samples" / "plans" / name).read_bytes(), filename=name
    ).document
    units = list(
        TaskAssignment.objects.filter(task__document=plan).values_list("unit_id", flat=True).distinct()
    )
    now = timezone.now()
    round_ = Contest.objects.create(
        document=plan,
        title="Bench",
        opens_at=now - dt.timedelta(days=7),
        closes_at=now,
        questions_per_attempt=10,
        max_attempts=2,
    )
    rng = random.Random(42)
    t0 = time.perf_counter()
    rows = []
    for i in range(args.entries):
        phone = f"09{rng.randrange(10**8):08d}"
        started = now - dt.timedelta(days=6, seconds=rng.randrange(500_000))
        rows.append(
            Attempt(
                contest=round_,
                token_hash=f"{i:064d}",
                unit_id=rng.choice(units),
                name=f"Người dự thi {i}",
                phone="",
                phone_key=phone,
                age_band="16-30",
                drawn=[],
                answers={},
                prediction=rng.randrange(5000),
                started_at=started,
                submitted_at=started + dt.timedelta(seconds=rng.randrange(30, 600)),
                correct=max(0, min(10, int(rng.gauss(7, 2)))),
                duration=float(rng.randrange(30, 600)),
            )
        )
        if len(rows) == 20_000:
            Attempt.objects.bulk_create(rows)
            rows = []
    if rows:
        Attempt.objects.bulk_create(rows)
    print(f"prepared {Attempt.objects.count():,} attempts in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    ranked = rules.ranked_ids(round_)
    took = time.perf_counter() - t0
    t0 = time.perf_counter()
    units_ranked = rules.by_unit(round_)
    took_units = time.perf_counter() - t0
    print(
        f"| rank {args.entries:,} attempts (best per phone: {len(ranked):,}) | {took:.2f} s | collective ranking {len(units_ranked)} units {took_units:.2f} s |"
    )
    print("target (200,000 entries ranked ≤ 10 s):", "met" if took <= 10 else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
