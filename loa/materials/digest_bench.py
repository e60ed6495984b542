"""Digest benchmark: 50,000 confirmed subscribers in 12 combinations of choices are queued for one
week's digest; then the queueing is killed half-way (SIGKILL) and run again: no duplicate, none
missed. ``scripts/bench-digest.sh`` runs it on a throwaway PostgreSQL (``make bench``).

    python -m loa.materials.digest_bench [--subscribers 50000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
import time


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loa.settings")
    django.setup()


TODAY = dt.date(2026, 12, 7)  # a Monday: the digest covers 30/11–6/12
AUDIENCES = [["thanh_nien"], ["doanh_nghiep"], ["nguoi_cao_tuoi"], []]
THEMES = [[], ["1.1"], ["1.2", "2"]]


def prepare(subscribers: int):
    from pathlib import Path

    from django.utils import timezone

    from loa.core import crypto
    from loa.materials import services, subscriptions
    from loa.materials.models import MaterialVersion, Subscription
    from loa.org.services import load_hanoi
    from loa.plans.services import import_plan

    load_hanoi()
    name = "ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"
    sample = Path(__file__).resolve().parents[1] / "samples" / "plans" / name
    plan = import_plan(data=sample.read_bytes(), filename=name).document
    labels = list(plan.current_version.themes.order_by("order").values_list("label", flat=True))
    outline = sample.read_text(encoding="utf-8")
    for i, audience in enumerate(["thanh_nien", "doanh_nghiep", "nguoi_cao_tuoi"]):
        m = services.import_material(
            document=plan,
            office=plan.issuer,
            kind="outline",
            data=(outline + f"\nBản {i}.").encode(),
            filename=f"dc{i}.txt",
            actor=None,
            audiences=[audience],
            themes=list(plan.current_version.themes.filter(label__in=labels[: 2 + i])),
        )
        services.publish(version=m.versions.get(), actor=None)
    MaterialVersion.objects.update(published_at=timezone.make_aware(dt.datetime(2026, 12, 2, 9)))
    now = timezone.now()
    token = crypto.encrypt("nguoi@example.vn")  # one encryption reused: the bench times queueing, not Fernet
    rows = []
    for i in range(subscribers):
        combo = i % 12
        rows.append(
            Subscription(
                document=plan,
                email=token,
                address_key=subscriptions.address_key(f"nguoi{i}@example.vn"),
                audiences=AUDIENCES[combo % 4],
                themes=[t for t in THEMES[combo // 4] if t in labels] or [],
                frequency="weekly",
                consent_version="2026-12",
                requested_at=now,
                confirmed_at=now,
            )
        )
    Subscription.objects.bulk_create(rows, batch_size=5000)
    return plan


def queue_only(plan_id: int) -> None:
    from loa.materials import digests
    from loa.plans.models import Document

    digests.queue(Document.objects.get(pk=plan_id), "weekly", today=TODAY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=50000)
    parser.add_argument("--queue-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    _setup()
    if args.queue_only:
        queue_only(args.queue_only)
        return 0
    from django.db import connection

    from loa.materials import digests
    from loa.materials.models import DigestBody, DigestDelivery, DigestRun, Subscription

    t0 = time.perf_counter()
    plan = prepare(args.subscribers)
    print(
        f"prepared {Subscription.objects.count():,} confirmed subscribers, {len({s.choice_key for s in Subscription.objects.all()[:24]})} of 12 combinations seen in the first 24, in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    first = digests.queue(plan, "weekly", today=TODAY)
    took = time.perf_counter() - t0
    expected = DigestDelivery.objects.count()
    print(
        f"| queue | {first['queued']:,} deliveries | {first['bodies']} bodies | {took:.1f} s | {connection.vendor} |"
    )
    # killed half-way, then run again
    DigestRun.objects.all().delete()
    assert not DigestDelivery.objects.exists() and not DigestBody.objects.exists()
    child = subprocess.Popen(
        [sys.executable, "-m", "loa.materials.digest_bench", "--queue-only", str(plan.pk)]
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:  # kill it once it has queued some
        if DigestDelivery.objects.count() >= min(expected // 3, 10000):
            break
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    partial = DigestDelivery.objects.count()
    t0 = time.perf_counter()
    again = digests.queue(plan, "weekly", today=TODAY)
    took2 = time.perf_counter() - t0
    total = DigestDelivery.objects.count()
    distinct = DigestDelivery.objects.values("subscription_id").distinct().count()
    duplicates, missed = total - distinct, expected - distinct
    print(
        f"| killed then resumed | {partial:,} queued before the kill, {again['queued']:,} after | {took2:.1f} s | duplicates {duplicates} | missed {missed} |"
    )
    ok = took <= 120 and duplicates == 0 and missed == 0
    print("target (≤ 120 s, 0 duplicates, 0 missed):", "met" if ok else "NOT met")
    return 0 if duplicates == 0 and missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
