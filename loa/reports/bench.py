"""Report timings on the city-scale data set that ``loa.activities.bench`` leaves in the database.

``python -m loa.reports.bench`` (``scripts/bench-execution.sh`` runs it right after the execution
bench, on the same database): the city plan's report over every unit of the city for the last
full month, quarter and twelve months, and over one commune for the last month — building the
figures and the DOCX, as the "Tải báo cáo" button does — against the targets (city ≤ 5 s,
commune ≤ 1 s); then one DOCX → PDF conversion (a background task in Loa, timed apart).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

from loa.activities.bench import COMMUNE, _setup_django

CITY_ISSUER = "Ban Tuyên giáo và Dân vận Thành ủy"


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    _setup_django()

    from django.db import connection

    from loa.activities.models import Activity
    from loa.docgen import ConversionError, docx_to_pdf
    from loa.org.models import Area, Unit
    from loa.org.selectors import subtree_q
    from loa.plans.models import Document
    from loa.reports.builder import build_report
    from loa.reports.render import report_docx
    from loa.reports.selectors import letterhead_for

    plan = Document.objects.filter(issuer_name=CITY_ISSUER, tasks__isnull=False).distinct().first()
    last = Activity.objects.order_by("-date").values_list("date", flat=True).first()
    if plan is None or last is None:
        print("No city-scale data set here: run python -m loa.activities.bench first.", file=sys.stderr)
        return 2
    month_end = _month_start(last, 0) - dt.timedelta(days=1)  # the last full month
    month = (_month_start(month_end, 0), month_end)
    quarter = (_month_start(month_end, 2), month_end)
    year = (_month_start(month_end, 11), month_end)
    commune = Area.objects.get(name=COMMUNE)
    everyone = Unit.objects.all()
    commune_units = Unit.objects.filter(subtree_q(commune, "area"))
    head = letterhead_for(plan)
    cases = [
        ("city report, last month (build + DOCX)", everyone, month, 5.0),
        ("city report, last quarter (build + DOCX)", everyone, quarter, 5.0),
        ("city report, last 12 months (build + DOCX)", everyone, year, 5.0),
        (f"commune report ({COMMUNE}), last month (build + DOCX)", commune_units, month, 1.0),
    ]
    print(f"Report timings ({connection.vendor}, {args.runs} runs each after a warm-up):", flush=True)
    rows, body = [], b""
    for name, units, (start, end), target in cases:
        timings, build_s = [], []
        for run in range(args.runs + 1):
            t0 = time.perf_counter()
            data = build_report(plan, units, start, end)
            t1 = time.perf_counter()
            body = report_docx(data, head)
            if run:
                timings.append(time.perf_counter() - t0)
                build_s.append(t1 - t0)
        timings.sort()
        p50, worst = statistics.median(timings), timings[-1]
        ok = "yes" if worst <= target else "**no**"
        rows.append(
            (name, f"{start:%d/%m/%Y}–{end:%d/%m/%Y}", data.totals.activities, p50, worst, target, ok)
        )
        print(
            f"  {name:<58} {data.totals.activities:>8,} activities  p50 {p50:6.2f} s (figures "
            f"{statistics.median(build_s):.2f} s)  max {worst:6.2f} s  target ≤ {target:g} s: {ok}",
            flush=True,
        )
    print("\n| report | period | activities | p50 s | max s | target | met |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, period, n, p50, worst, target, ok in rows:
        print(f"| {name} | {period} | {n:,} | {p50:.2f} | {worst:.2f} | ≤ {target:g} s | {ok} |")
    from django.contrib.auth import get_user_model

    from loa.reports.models import ReportFile
    from loa.reports.services import run_report_file

    office = get_user_model().objects.filter(username="bench-city_office").first()
    if office is not None:
        print("\nBackground files for the city office, last month (as the worker makes them):")
        for kind in ("xlsx", "pdf"):
            job = ReportFile.objects.create(
                kind=kind, document=plan, start=month[0], end=month[1], created_by=office
            )
            job = run_report_file(job=job)
            print(
                f"  {job.get_kind_display():<32} {job.status:<7} {job.rows:>8,} rows  {job.seconds:6.2f} s  {job.file.size:,} bytes"
            )
    t0 = time.perf_counter()
    try:
        pdf = docx_to_pdf(body)
        print(
            f"\nDOCX → PDF (LibreOffice, last report): {time.perf_counter() - t0:.2f} s, {len(pdf):,} bytes"
        )
    except ConversionError as exc:
        print(f"\nDOCX → PDF: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
