"""Listening-desk benchmark: ``python -m loa.listening.bench`` (``scripts/bench-listening.sh`` runs it on
a throwaway SQLite and a throwaway PostgreSQL).

In: an empty, migrated database (DATABASE_URL, or SQLite under LOA_VAR_DIR). It refuses a database that
already holds plans: it writes up to a million rows.

1. Setup: Hà Nội's units (``load_hanoi``), the city sample plan, an office user of the city board.
2. Pipeline throughput: ``--pipeline-items`` items (real headlines from
   ``/work/shared/data/vn_news_rss_dated/*.jsonl`` when present, else synthetic text; about a third
   re-posts of an earlier story; times over the last 60 days) read by ``readers.read_export`` and stored
   by ``services.ingest`` (with a dummy tasks backend, so nothing is processed inline). Then
   ``pipeline.claim`` + ``pipeline.process`` loops in 1 and then 2 worker processes (``spawn``: each
   opens its own database connection; models warmed up before the clock starts) on the same database,
   the items reset in between; each run stops claiming after ``--pipeline-seconds``. After the 2-worker
   run it checks that no item was processed twice: the workers' counts add up to the processed items, and
   no (item, band key) row exists twice.
3. Page times: ``--items`` processed items (default 1,000,000 on PostgreSQL, 200,000 on SQLite) over
   ``--days`` days, written with raw multi-row INSERTs (COPY on PostgreSQL): near-duplicate groups,
   themes of the plan, sentiments, keyphrases; plus surges and claims; then ANALYZE. The desk, the items
   page (by theme, day, group, sentiment), the surge page and the claim page are timed through
   ``django.test.Client`` as the office user, with ``loa.activities.bench.measure`` (p50/p95, query
   count, slowest statements) against the 300 ms p95 target.

Out: tables on stdout (and ``--json PATH``). Asserts nothing; exits 0 unless setup fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import multiprocessing as mp
import os
import random
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from loa.activities.bench import (
    TARGET_MS,
    Result,
    _cum,
    _insert,
    _insert_sql,
    _setup_django,
    _timed,
    measure,
    print_table,
)

NEWS = Path("/work/shared/data/vn_news_rss_dated")
CITY_PLAN = "ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"
OFFICE_UNIT = "Ban Tuyên giáo và Dân vận Thành ủy Hà Nội"
BATCH = 5000
PIPELINE_DAYS = 60
PLATFORMS = [("facebook", 5), ("tiktok", 2), ("youtube", 1), ("bao dien tu", 3), ("zalo", 1)]
REPOST = ["", "Chia sẻ: ", "Nóng: ", "Tin mới: ", "[Video] "]
SYNTHETIC = [
    "Người dân phản ánh",
    "Hà Nội triển khai",
    "Cư dân mạng bàn tán về",
    "Chính quyền phường thông tin về",
    "Nhiều ý kiến trái chiều về",
    "Tin đồn thất thiệt về",
]
SYNTHETIC_TOPICS = [
    "dịch vụ công trực tuyến",
    "chuyển đổi số ở xã phường",
    "kỳ họp HĐND thành phố",
    "an toàn giao thông giờ cao điểm",
    "ô nhiễm không khí nội đô",
    "sáp nhập đơn vị hành chính",
    "giá điện tăng",
    "ngập úng sau mưa lớn",
    "tuyển sinh lớp 10",
    "phòng cháy chữa cháy chung cư mini",
]


# --------------------------------------------------------------------------- texts


def load_texts(limit: int = 40_000, seed: int = 1) -> tuple[list[str], str]:
    """Real Vietnamese headlines + summaries (the ``text`` field), or synthetic ones; (texts, origin)."""
    files = sorted(NEWS.glob("*.jsonl")) if NEWS.is_dir() else []
    texts: list[str] = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    text = json.loads(line).get("text")
                except ValueError:
                    continue
                if isinstance(text, str) and text.strip():
                    texts.append(text.strip())
                if len(texts) >= limit:
                    break
    if texts:
        return texts, f"{len(texts):,} real headlines from {files[0].name}"
    rng = random.Random(seed)
    texts = [
        f"{rng.choice(SYNTHETIC)} {rng.choice(SYNTHETIC_TOPICS)} tại {rng.choice(['Hoàn Kiếm', 'Cầu Giấy', 'Sóc Sơn', 'Hà Đông', 'Ba Vì'])}"
        f" ({i}). {rng.choice(SYNTHETIC)} {rng.choice(SYNTHETIC_TOPICS)}, nhiều người quan tâm."
        for i in range(5000)
    ]
    return texts, f"{len(texts):,} synthetic texts ({NEWS} not found)"


# --------------------------------------------------------------------------- setup


def _refuse_non_empty() -> None:
    from loa.plans.models import Document

    if Document.objects.exists():
        sys.exit(
            "loa.listening.bench: this database already holds plans; run it on a fresh one "
            "(scripts/bench-listening.sh makes throwaway SQLite and PostgreSQL databases)."
        )


def _setup():
    from django.contrib.auth import get_user_model

    from loa.accounts.models import Role
    from loa.accounts.services import grant_role
    from loa.org.models import Unit
    from loa.org.services import load_hanoi
    from loa.plans.models import Theme
    from loa.plans.services import import_plan

    load_hanoi()
    path = Path(__file__).resolve().parent.parent / "samples" / "plans" / CITY_PLAN
    doc = import_plan(data=path.read_bytes(), filename=path.name, is_sample=True).document
    office = Unit.objects.get(name=OFFICE_UNIT, area=doc.area)
    user = get_user_model().objects.create_user(username="bench-listening-office", password=None)
    grant_role(user=user, unit=office, role=Role.OFFICE)
    themes = list(Theme.objects.filter(version_id=doc.current_version_id).order_by("order"))
    return doc, office, user, themes


# --------------------------------------------------------------------------- pipeline


def _export_lines(n: int, texts: list[str], now: dt.datetime, rng: random.Random) -> list[bytes]:
    """JSON lines of ``n`` posts over the last PIPELINE_DAYS days, oldest first; ~35 % re-posts."""
    span = PIPELINE_DAYS * 86400
    moments = sorted(now - dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(n))
    names = [p for p, _ in PLATFORMS]
    weights = list(_cum([w for _, w in PLATFORMS]))
    stories: list[str] = []
    lines = []
    for i, moment in enumerate(moments):
        if stories and rng.random() < 0.35:
            story = stories[max(0, len(stories) - 1 - int(rng.expovariate(0.05)))]
            text = rng.choice(REPOST) + story
        else:
            story = texts[rng.randrange(len(texts))]
            stories.append(story)
            text = story
        row = {
            "text": text,
            "time": moment.isoformat(),
            "platform": rng.choices(names, cum_weights=weights)[0],
            "link": f"https://bao.example.vn/bai-viet/{i}.html",
            "likes": int(rng.lognormvariate(3, 1.5)),
            "shares": int(rng.lognormvariate(1, 1.5)),
        }
        lines.append(json.dumps(row, ensure_ascii=False).encode())
    return lines


def ingest_items(doc, office, user, n: int, texts: list[str], rng: random.Random) -> dict:
    """Store ``n`` posts through readers.read_export + services.ingest; nothing is processed inline."""
    from django.test.utils import override_settings
    from django.utils import timezone

    from .readers import MAX_ROWS, read_export
    from .services import ingest

    lines = _export_lines(n, texts, timezone.now(), rng)
    tz = timezone.get_current_timezone()
    read_s = ingest_s = 0.0
    created = 0
    chunk = min(MAX_ROWS, 50_000)
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}):
        for i in range(0, len(lines), chunk):
            t0 = time.perf_counter()
            export = read_export(b"\n".join(lines[i : i + chunk]), "bench.jsonl", tz)
            t1 = time.perf_counter()
            source = ingest(
                document=doc, office=office, export=export, actor=user, kind="upload", name="bench.jsonl"
            )
            read_s += t1 - t0
            ingest_s += time.perf_counter() - t1
            created += source.created
    out = {"items": created, "read_s": read_s, "ingest_s": ingest_s}
    print(
        f"  read_export {n:,} rows: {read_s:.1f} s ({n / read_s:,.0f} rows/s); services.ingest: "
        f"{ingest_s:.1f} s ({created / ingest_s:,.0f} items/s); {created:,} items stored",
        flush=True,
    )
    return out


def _pipeline_worker(document_id: int, limit: int, seconds: float, start, out) -> None:
    """One worker process: warm up, wait for the start, then claim + process until nothing is left or
    ``seconds`` have passed (the current batch is always finished)."""
    warnings.filterwarnings("ignore")
    _setup_django()
    from django.db import OperationalError, connections

    connections.close_all()  # never share a parent's connection (spawned: there is none, but be sure)
    from loa.nlp import models as nlp_models
    from loa.nlp.embed import passages
    from loa.plans.models import Document

    from . import pipeline

    nlp_models.load("sentiment-bulk").predict(["khởi động"])
    version_id = Document.objects.values_list("current_version_id", flat=True).get(pk=document_id)
    pipeline._classifier(version_id)
    passages(["khởi động mô hình"])
    connections.close_all()
    start.wait()
    t0 = time.perf_counter()
    done = batches = errors = 0
    last_error = ""
    while not seconds or time.perf_counter() - t0 < seconds:
        try:
            ids = pipeline.claim(limit, document_id=document_id)
            if not ids:
                break
            done += pipeline.process(ids)
            batches += 1
        except OperationalError as exc:  # SQLite: "database is locked" past the busy timeout
            errors += 1
            last_error = str(exc)
            if errors > 20:
                break
            time.sleep(0.5)
    out.put(
        {
            "pid": os.getpid(),
            "processed": done,
            "batches": batches,
            "seconds": time.perf_counter() - t0,
            "errors": errors,
            "last_error": last_error,
        }
    )
    connections.close_all()


def _reset(document_id: int) -> None:
    from .models import DayTally, Item, ItemBand

    ItemBand.objects.filter(document_id=document_id).delete()
    DayTally.objects.filter(document_id=document_id).delete()
    Item.objects.filter(document_id=document_id).update(
        claimed_at=None,
        processed_at=None,
        sentiment="",
        sentiment_score=None,
        theme=None,
        theme_score=None,
        group=None,
        keyphrases=[],
    )


def run_workers(document_id: int, workers: int, limit: int, seconds: float) -> dict:
    from django.db import connection, connections
    from django.db.models import Count

    from .models import Item, ItemBand

    connections.close_all()
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(workers + 1)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_pipeline_worker, args=(document_id, limit, seconds, start, out))
        for _ in range(workers)
    ]
    for p in procs:
        p.start()
    start.wait(timeout=600)
    t0 = time.perf_counter()
    reports = [out.get(timeout=seconds * 3 + 1200 if seconds else None) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    items = Item.objects.filter(document_id=document_id)
    processed = items.filter(processed_at__isnull=False).count()
    claimed = items.filter(claimed_at__isnull=False).count()
    reported = sum(r["processed"] for r in reports)
    twice = (
        ItemBand.objects.filter(document_id=document_id)
        .values("item_id", "key")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    banded = ItemBand.objects.filter(document_id=document_id).values("item_id").distinct().count()
    bands = ItemBand.objects.filter(document_id=document_id).count()
    groups = items.filter(processed_at__isnull=False).values("group_id").distinct().count()
    result = {
        "workers": workers,
        "database": connection.vendor,
        "wall_s": wall,
        "processed": processed,
        "claimed_unprocessed": claimed - processed,
        "reported": reported,
        "items_per_s": processed / wall if wall else math.nan,
        "duplicate_band_rows": twice,
        "items_with_bands": banded,
        "bands": bands,
        "groups": groups,
        "counts_match": reported == processed and twice == 0 and banded <= processed,
        "workers_detail": reports,
    }
    errs = sum(r["errors"] for r in reports)
    print(
        f"  {workers} worker{'s' if workers > 1 else ' '}: {processed:,} items in {wall:.1f} s = "
        f"{result['items_per_s']:.2f} items/s; per worker "
        + ", ".join(f"{r['processed']} in {r['batches']} batches" for r in reports)
        + f"; {groups:,} groups; duplicate (item, band) rows {twice}; counts match: "
        + ("yes" if result["counts_match"] else "NO")
        + (
            f"; {errs} database errors ({reports[0]['last_error'] or reports[-1]['last_error']})"
            if errs
            else ""
        ),
        flush=True,
    )
    return result


def pipeline_bench(doc, office, user, args, texts, rng) -> dict:
    from django.db import connection

    from . import pipeline
    from .models import Item

    print(
        f"Pipeline ({connection.vendor}): {args.pipeline_items:,} items, claim batch {args.batch}, each run "
        + (
            f"stops claiming after {args.pipeline_seconds:g} s"
            if args.pipeline_seconds
            else "runs to the end"
        ),
        flush=True,
    )
    ingest = ingest_items(doc, office, user, args.pipeline_items, texts, rng)
    runs = []
    for workers in (1, 2):
        _reset(doc.pk)
        if workers == 2 and connection.vendor == "sqlite":
            print("  (SQLite: one writer at a time; the second worker waits on the write lock)", flush=True)
        runs.append(run_workers(doc.pk, workers, args.batch, args.pipeline_seconds))
    t0 = time.perf_counter()
    surges = pipeline.detect_surges(doc.pk)
    surge_s = time.perf_counter() - t0
    print(
        f"  detect_surges on {Item.objects.filter(document=doc, processed_at__isnull=False).count():,} "
        f"processed items: {surge_s:.2f} s, {surges} surges",
        flush=True,
    )
    return {"ingest": ingest, "runs": runs, "detect_surges_s": surge_s}


def print_pipeline(p: dict) -> None:
    print()
    print(
        "| database   | workers | items processed | seconds | items/s | groups | sum of worker counts = processed, no band row twice |"
    )
    print(
        "|------------|---------|-----------------|---------|---------|--------|------------------------------------------------------|"
    )
    for r in p["runs"]:
        print(
            f"| {r['database']:<10} | {r['workers']:7d} | {r['processed']:15,} | {r['wall_s']:7.1f} | "
            f"{r['items_per_s']:7.2f} | {r['groups']:6,} | "
            f"{('yes' if r['counts_match'] else 'NO') + f' ({r["reported"]:,} = {r["processed"]:,}, {r["duplicate_band_rows"]} twice)':<52} |"
        )
    one, two = p["runs"][0]["items_per_s"], p["runs"][1]["items_per_s"]
    if one:
        print(f"2 workers / 1 worker: {two / one:.2f}×")


# --------------------------------------------------------------------------- page data set


@dataclass
class PageData:
    items: int
    days: int
    groups: int
    themed: int
    surges: int
    claims: int
    theme_label: str
    day: dt.date
    group_id: int
    surge_id: int
    claim_id: int
    timings: dict[str, float] = field(default_factory=dict)


def generate_items(
    doc, office, user, themes, n: int, days: int, texts: list[str], rng: random.Random
) -> PageData:
    """``n`` processed items over the last ``days`` days, oldest first (ids in time order, as ingest
    stores them), in near-duplicate groups; then surges on the busiest (theme, day) pairs and claims on
    the biggest groups."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from loa.nlp.surges import keyphrases

    from .models import Claim, Item, Source, Surge

    columns = [
        "id",
        "source",
        "document",
        "key",
        "text",
        "published_at",
        "platform",
        "link",
        "likes",
        "shares",
        "comments",
        "views",
        "claimed_at",
        "processed_at",
        "sentiment",
        "sentiment_score",
        "theme",
        "theme_score",
        "group",
        "keyphrases",
    ]
    if set(columns) != {f.name for f in Item._meta.concrete_fields}:
        raise RuntimeError("Item's fields changed: update loa.listening.bench")
    sql = _insert_sql(Item, columns)
    fld = Item._meta.get_field
    tz = timezone.get_current_timezone()
    now = timezone.now()
    source = Source.objects.create(
        document=doc,
        office=office,
        kind=Source.Kind.UPLOAD,
        name="bench (generated)",
        rows=n,
        created=n,
        created_by=user,
    )
    prep_dt = fld("published_at")
    json_field = fld("keyphrases")
    processed = prep_dt.get_db_prep_save(now, connection)
    # keyphrases and their prepared JSON once per distinct text
    phrase_cache: dict[int, object] = {}

    def phrases(i: int):
        if i not in phrase_cache:
            phrase_cache[i] = json_field.get_db_prep_save(sorted(keyphrases(texts[i]))[:20], connection)
        return phrase_cache[i]

    theme_ids = [t.pk for t in themes]
    # themes are not equally popular
    theme_w = list(_cum([1.0 / (k + 1) for k in range(len(theme_ids))]))
    names = [p for p, _ in PLATFORMS]
    pw = list(_cum([w for _, w in PLATFORMS]))
    sentiments = ["negative", "neutral", "positive"]
    sw = list(_cum([0.25, 0.55, 0.20]))
    # daily volume: weekends lower, a few burst days
    burst = set(rng.sample(range(days), max(1, days // 12)))
    day_w = list(
        _cum(
            [
                (0.6 if (now - dt.timedelta(days=d)).weekday() >= 5 else 1.0) * (3.0 if d in burst else 1.0)
                for d in range(days)
            ]
        )
    )
    chosen = sorted(
        (rng.choices(range(days), cum_weights=day_w)[0] * 86400 + rng.uniform(0, 86400)) for _ in range(n)
    )
    start_id = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    leaders: list[tuple[int, int, int | None, float | None]] = []  # (id, text index, theme, score)
    group_size: dict[int, int] = {}
    by_theme_day: dict[tuple[int, dt.date], list[int]] = {}
    first_seen: dict[int, dt.datetime] = {}
    themed = 0
    rows: list[tuple] = []
    next_id = start_id
    made = 0
    for offset in reversed(chosen):  # oldest first: offset counts back from now
        moment = now - dt.timedelta(seconds=offset)
        if leaders and rng.random() < 0.4:
            lid, ti, theme_id, tscore = leaders[max(0, len(leaders) - 1 - int(rng.expovariate(0.02)))]
            text = rng.choice(REPOST) + texts[ti]
            group_size[lid] = group_size.get(lid, 1) + 1
            group = lid
        else:
            ti = rng.randrange(len(texts))
            if rng.random() < 0.55:
                theme_id = rng.choices(theme_ids, cum_weights=theme_w)[0]
                tscore = round(rng.uniform(0.80, 0.9), 4)
            else:
                theme_id, tscore = None, round(rng.uniform(0.7, 0.8), 4)
            leaders.append((next_id, ti, theme_id, tscore))
            first_seen[next_id] = moment
            text = texts[ti]
            group = next_id
        if theme_id is not None:
            themed += 1
            key = (theme_id, timezone.localtime(moment, tz).date())
            ev = by_theme_day.setdefault(key, [])
            if len(ev) < 1000:
                ev.append(next_id)
        rows.append(
            (
                next_id,
                source.pk,
                doc.pk,
                f"{next_id:064x}",
                text,
                prep_dt.get_db_prep_save(moment, connection),
                rng.choices(names, cum_weights=pw)[0],
                f"https://bao.example.vn/bai-viet/{next_id}.html",
                int(rng.lognormvariate(3, 1.5)),
                int(rng.lognormvariate(1, 1.5)),
                int(rng.lognormvariate(1, 1.2)),
                int(rng.lognormvariate(6, 1.3)),
                processed,
                processed,
                rng.choices(sentiments, cum_weights=sw)[0],
                round(rng.uniform(0.4, 0.99), 4),
                theme_id,
                tscore,
                group,
                phrases(ti),
            )
        )
        next_id += 1
        if len(rows) >= BATCH:
            with transaction.atomic(), connection.cursor() as cursor:
                _insert(cursor, sql, rows)
            made += len(rows)
            rows = []
            if made % 100_000 == 0:
                print(f"    {made:>9,} items", flush=True)
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(cursor, sql, rows)
        made += len(rows)
    with connection.cursor() as cursor:
        for stmt in connection.ops.sequence_reset_sql(no_style(), [Item]):
            cursor.execute(stmt)

    # surges: the 40 busiest (theme, day) pairs, with their evidence and a 30-day curve
    label = {t.pk: t for t in themes}
    per_theme_day: dict[int, dict[dt.date, int]] = {}
    for (theme_id, day), ids in by_theme_day.items():
        per_theme_day.setdefault(theme_id, {})[day] = len(ids)
    top = sorted(by_theme_day.items(), key=lambda kv: -len(kv[1]))[:40]
    surges = []
    for (theme_id, day), ids in top:
        counts = per_theme_day[theme_id]
        curve = [
            {
                "window_start": (day - dt.timedelta(days=k)).isoformat(),
                "count": counts.get(day - dt.timedelta(days=k), 0),
            }
            for k in range(29, -1, -1)
        ]
        t = label[theme_id]
        surges.append(
            Surge(
                document=doc,
                topic=f"theme:{t.label}",
                label=f"Chủ đề {t.label}: {t.title[:120]}",
                window_start=dt.datetime.combine(day, dt.time(), tzinfo=tz),
                observed=len(ids),
                expected=len(ids) / 3,
                p_value=1e-6,
                severity="high",
                evidence=ids,
                curve=curve,
            )
        )
    Surge.objects.bulk_create(surges)
    # claims: the 30 biggest groups, a third answered
    biggest = sorted(group_size.items(), key=lambda kv: -kv[1])[:30]
    text_of = {lid: texts[ti] for lid, ti, _t, _s in leaders if lid in dict(biggest)}
    claims = []
    for k, (lid, _size) in enumerate(biggest):
        answered = first_seen[lid] + dt.timedelta(days=2) if k % 3 == 0 else None
        claims.append(
            Claim(
                document=doc,
                group_id=lid,
                summary=text_of[lid][:500],
                first_seen=first_seen[lid],
                answered_at=answered,
                official_link="https://hanoi.gov.vn/thong-tin-chinh-thuc" if answered else "",
                status=Claim.Status.FALSE if answered else Claim.Status.UNVERIFIED,
                created_by=user,
            )
        )
    Claim.objects.bulk_create(claims)
    busiest_theme = max(per_theme_day, key=lambda t: sum(per_theme_day[t].values()))
    surge = Surge.objects.filter(document=doc).order_by("-observed").first()
    claim = Claim.objects.filter(document=doc, group_id=biggest[0][0]).first()
    mid_day = timezone.localtime(now - dt.timedelta(days=days // 2), tz).date()
    return PageData(
        items=made,
        days=days,
        groups=len(leaders),
        themed=themed,
        surges=len(surges),
        claims=len(claims),
        theme_label=label[busiest_theme].label,
        day=mid_day,
        group_id=biggest[0][0],
        surge_id=surge.pk,
        claim_id=claim.pk,
    )


def page_bench(doc, user, data: PageData, args) -> list[Result]:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    items_url = reverse("listening:items", args=[doc.pk])
    pages = [
        ("desk /lang-nghe/ke-hoach/<plan>/", reverse("listening:desk", args=[doc.pk])),
        (
            f"items ?chu_de={data.theme_label} (busiest theme)",
            f"{items_url}?{urlencode({'chu_de': data.theme_label})}",
        ),
        (f"items ?ngay={data.day} (mid-range day)", f"{items_url}?ngay={data.day}"),
        ("items ?nhom=<biggest group>", f"{items_url}?nhom={data.group_id}"),
        ("items ?sac_thai=negative", f"{items_url}?sac_thai=negative"),
        ("items (no filter)", items_url),
        ("surge /lang-nghe/diem-nong/<busiest>/", reverse("listening:surge", args=[data.surge_id])),
        ("claim /lang-nghe/luan-dieu/<biggest group>/", reverse("listening:claim", args=[data.claim_id])),
    ]
    db = connection.vendor
    print(
        f"Timing ({db}, {data.items:,} items, 2 warm-ups + {args.runs} runs each, fewer (≥ {args.min_runs}) "
        f"once a page has spent {args.budget:g} s; target p95 ≤ {TARGET_MS:.0f} ms):",
        flush=True,
    )
    results = []
    for name, url in pages:

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            return response

        try:
            results.append(measure(name, get, args.runs, db, args.budget, args.min_runs))
        except Exception as exc:  # a broken page is a result too
            print(f"  {name:<58} ERROR {type(exc).__name__}: {exc}", flush=True)
            results.append(
                Result(
                    name=name,
                    database=db,
                    runs=0,
                    p50_ms=math.nan,
                    p95_ms=math.nan,
                    max_ms=math.nan,
                    error=f"{type(exc).__name__}: {exc}",
                )
            )
    return results


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loa.listening.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--items",
        type=int,
        default=None,
        help="items for the page times (1000000 on PostgreSQL, 200000 on SQLite)",
    )
    parser.add_argument("--days", type=int, default=90, help="days the page data set spans (90)")
    parser.add_argument(
        "--pipeline-items", type=int, default=20_000, help="items ingested for the pipeline (20000)"
    )
    parser.add_argument(
        "--pipeline-seconds",
        type=float,
        default=180.0,
        help="a pipeline run stops claiming after this many seconds (180; 0: process everything). The e5 "
        "theme embedding costs ~0.1-0.25 s per new story on a small CPU: 20,000 items take about an hour",
    )
    parser.add_argument("--batch", type=int, default=None, help="items per claim (pipeline.BATCH)")
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page after 2 warm-ups (20)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timed runs per page (20)")
    parser.add_argument("--min-runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    _setup_django()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.db import connection

    from loa.activities.sqlite import optimize

    from . import pipeline

    if args.batch is None:
        args.batch = pipeline.BATCH
    vendor = connection.vendor
    if args.items is None:
        args.items = 1_000_000 if vendor == "postgresql" else 200_000
    _refuse_non_empty()
    version = connection.Database.sqlite_version if vendor == "sqlite" else connection.pg_version
    print(
        f"loa.listening.bench: {vendor} {version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
        f"load average before {os.getloadavg()[0]:.2f} (other processes skew the timings)",
        flush=True,
    )
    started = time.perf_counter()
    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    texts, origin = load_texts(seed=args.seed)
    print(f"Texts: {origin}", flush=True)
    print("Setup:", flush=True)
    doc, office, user, themes = _timed(timings, "load_hanoi + city plan + office user", _setup)
    print(f"  plan {doc.pk} with {len(themes)} themes; office user of {office.name}", flush=True)

    pipe = None
    if not args.skip_pipeline and args.pipeline_items > 0:
        pipe = pipeline_bench(doc, office, user, args, texts, rng)
        print_pipeline(pipe)

    results: list[Result] = []
    data = None
    if not args.skip_pages and args.items > 0:
        from .models import Item, Surge

        def drop():
            from .models import DayTally

            Surge.objects.filter(document=doc).delete()
            DayTally.objects.filter(document=doc).delete()
            return Item.objects.filter(document=doc).delete()

        print(f"\nPage data set ({vendor}): {args.items:,} items over {args.days} days", flush=True)
        _timed(timings, "drop the pipeline items and surges", drop)
        data = _timed(
            timings,
            f"{args.items:,} items + surges + claims",
            lambda: generate_items(doc, office, user, themes, args.items, args.days, texts, rng),
        )
        from .pipeline import rebuild_tally

        _timed(timings, "daily tally (pipeline.rebuild_tally)", lambda: rebuild_tally(doc.pk))
        if vendor == "postgresql":
            _timed(timings, "ANALYZE", lambda: connection.cursor().execute("ANALYZE"))
        else:
            _timed(timings, "ANALYZE (loa.activities.sqlite.optimize)", optimize)
        print(
            f"  {data.items:,} items, {data.groups:,} groups, {data.themed:,} with a theme, {data.surges} surges, "
            f"{data.claims} claims",
            flush=True,
        )
        results = page_bench(doc, user, data, args)
        print_table(results)
    if pipe:
        print("\nPipeline (repeated):")
        print_pipeline(pipe)
    load = os.getloadavg()
    print(
        f"\nTotal time: {time.perf_counter() - started:.0f} s; load average at the end "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min) on {os.cpu_count()} CPUs"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "database": vendor,
                    "texts": origin,
                    "loadavg_end": load,
                    "timings_s": timings,
                    "pipeline": pipe,
                    "page_data": asdict(data) if data else None,
                    "results": [asdict(r) | {"met": r.met} for r in results],
                },
                fh,
                ensure_ascii=False,
                indent=1,
                default=str,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
