"""City-scale execution benchmark: ``python -m loa.activities.bench`` (``scripts/bench-execution.sh``
runs it on a throwaway SQLite and a throwaway PostgreSQL).

In: an empty, migrated database (DATABASE_URL, or SQLite under LOA_VAR_DIR). It refuses a database
that already holds plans or activities: it writes hundreds of thousands of rows.

It builds a Hà Nội-sized data set: the city's areas and bodies (``load_hanoi``), both sample plans,
5–10 villages per commune, the city plan's group task fanned out to every commune-level body and
village, and ``--activities`` activities (default 500,000) over the last 12 months, each linked to one
task the unit carries and about half to one theme of that task's plan. Then it times the dashboard
selectors and the execution pages (through ``django.test.Client``) for a city office, a commune
office and a commune officer: p50/p95 (nearest rank) over ``--runs`` runs after 2 warm-ups, the first
warm-up under query capture (count, SQL time, slowest statements), against a 300 ms p95 target. A case
stops early, after at least ``--min-runs`` runs, once its timed runs have used ``--budget`` seconds
(so a 20-second page does not take 7 minutes); the table says how many runs each case got.

Out: a table on stdout (and ``--json PATH``). Asserts nothing; a page that fails is reported as ERROR
and the other cases still run; exits 0 unless setup fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import os
import random
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

TARGET_MS = 300.0
WARMUPS = 2
BATCH = 5000
CITY_OFFICE_UNIT = "Ban Tuyên giáo và Dân vận Thành ủy Hà Nội"
COMMUNE = "Xã Hưng Đạo"
COMMUNE_OFFICE_UNIT = "Đảng ủy xã Hưng Đạo"
COMMUNE_OFFICER_UNIT = "Phòng Văn hóa - Xã hội xã Hưng Đạo"
WIDE_GROUP = "các cơ quan, đơn vị, thôn, tổ dân phố trên địa bàn các xã, phường"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loa.settings")
    hosts = [h for h in os.environ.get("LOA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    if "testserver" not in hosts:
        os.environ["LOA_ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])
    import django

    django.setup()


# --------------------------------------------------------------------------- data set


@dataclass
class DataSet:
    city_plan: object
    commune_plan: object
    users: dict[str, object]
    units: int
    villages: int
    city_assignments: int
    activities: int
    task_links: int
    theme_links: int
    timings: dict[str, float] = field(default_factory=dict)


def _timed(timings: dict[str, float], name: str, fn: Callable):
    t0 = time.perf_counter()
    result = fn()
    timings[name] = time.perf_counter() - t0
    print(f"  {name:<44} {timings[name]:8.1f} s", flush=True)
    return result


def code_fingerprint() -> str:
    """Digest of the code the timings depend on (pages, selectors, templates, scope), to tell runs apart."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = sorted(
        [
            *root.glob("activities/*.py"),
            *root.glob("activities/templates/**/*.html"),
            *root.glob("plans/*.py"),
            *root.glob("accounts/*.py"),
            *root.glob("org/*.py"),
            *root.glob("templates/**/*.html"),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        if path.name != "bench.py":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _refuse_non_empty() -> None:
    from loa.activities.models import Activity
    from loa.plans.models import Document

    if Activity.objects.exists() or Document.objects.exists():
        sys.exit(
            "loa.activities.bench: this database already holds plans or activities; run it on a fresh one "
            "(scripts/bench-execution.sh makes throwaway SQLite and PostgreSQL databases)."
        )


def _load_plans():
    from pathlib import Path

    from loa.plans.services import import_plan

    folder = Path(__file__).resolve().parent.parent / "samples" / "plans"
    docs = {}
    for path in sorted(folder.glob("*.txt")):
        docs[path.name] = import_plan(data=path.read_bytes(), filename=path.name, is_sample=True).document
    city = docs["ke-hoach-ban-tuyen-giao-thanh-uy-ky-hop-thu-nhat.txt"]
    commune = docs["ke-hoach-ubnd-xa-hung-dao-nghi-quyet-02.txt"]
    return city, commune


def _add_villages(rng: random.Random) -> int:
    """5–10 villages (thôn) or residential groups (tổ dân phố) per commune, under its People's Committee."""
    from loa.org.models import Area, AreaLevel, Unit, UnitStatus, UnitType
    from loa.org.text import name_key

    names = ["Đông", "Đoài", "Trung", "Thượng", "Hạ", "Nam", "Bắc", "Đình", "Chợ", "Mới", "Trại", "Bến"]
    committees = dict(
        Unit.objects.filter(unit_type=UnitType.PEOPLES_COMMITTEE, area__level=AreaLevel.COMMUNE).values_list(
            "area_id", "pk"
        )
    )
    rows = []
    for area in Area.objects.filter(level=AreaLevel.COMMUNE).order_by("code"):
        ward = area.name.startswith("Phường")
        place = area.short_name or area.name
        for i, suffix in enumerate(rng.sample(names, rng.randint(5, 10)), start=1):
            name = f"Tổ dân phố số {i}, {area.name}" if ward else f"Thôn {suffix}, {area.name}"
            rows.append(
                Unit(
                    name=name,
                    short_name=f"TDP {i} {place}" if ward else f"Thôn {suffix}",
                    unit_type=UnitType.VILLAGE,
                    parent_id=committees.get(area.pk),
                    area=area,
                    status=UnitStatus.CONFIRMED,
                    normalized_name=name_key(name),
                )
            )
    Unit.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _fan_out(city_plan, commune_plan) -> int:
    """The city plan's group task also reaches every commune-level body and village (a city plan is
    carried out down to the villages); every task of both plans re-synced so new villages join their groups."""
    from loa.org.models import MemberLevel, UnitGroup
    from loa.org.text import name_key
    from loa.plans.models import TaskAssignment
    from loa.plans.services import sync_assignments

    wide = UnitGroup.objects.create(
        name=WIDE_GROUP,
        normalized_name=name_key(WIDE_GROUP),
        area=city_plan.area,
        member_level=MemberLevel.COMMUNE,
        description="Nhóm do loa.activities.bench tạo để kiểm thử tải.",
    )
    for task in city_plan.tasks.all():
        if task.groups.exists():
            task.groups.add(wide)
    for plan in (city_plan, commune_plan):
        for task in plan.tasks.all():
            sync_assignments(task=task)
    return TaskAssignment.objects.filter(task__document=city_plan).count()


def _users(city_plan):
    from django.contrib.auth import get_user_model

    from loa.accounts.models import Role
    from loa.accounts.services import grant_role
    from loa.org.models import Unit

    city_office = Unit.objects.get(name=CITY_OFFICE_UNIT, area=city_plan.area)
    commune_office = Unit.objects.get(name=COMMUNE_OFFICE_UNIT, area__name=COMMUNE)
    officer_unit = Unit.objects.get(name=COMMUNE_OFFICER_UNIT, area__name=COMMUNE)
    User = get_user_model()
    users = {}
    for key, unit, role in [
        ("city_office", city_office, Role.OFFICE),
        ("commune_office", commune_office, Role.OFFICE),
        ("commune_officer", officer_unit, Role.OFFICER),
    ]:
        user = User.objects.create_user(username=f"bench-{key}", password=None)
        grant_role(user=user, unit=unit, role=role)
        users[key] = user
    return users


# Channel mix per kind of body: (channel, weight).
CHANNELS_BY_TYPE = {
    "press": [("press", 6), ("social_media", 3), ("broadcast", 2)],
    "village": [("broadcast", 5), ("meeting", 4), ("visual", 2), ("social_media", 1)],
    "city": [("web_portal", 4), ("social_media", 4), ("press", 2), ("conference", 1), ("meeting", 1)],
    "commune": [
        ("web_portal", 3),
        ("social_media", 4),
        ("broadcast", 3),
        ("meeting", 3),
        ("visual", 2),
        ("training", 1),
        ("dialogue", 1),
        ("school", 1),
        ("contest", 1),
    ],
}
# How much a kind of body publishes, relative to a village.
VOLUME = {"press": 60.0, "city": 8.0, "commune_lead": 4.0, "commune": 2.0, "village": 1.0}
TOPICS = [
    "kết quả kỳ họp thứ Nhất HĐND Thành phố",
    "các nghị quyết của HĐND Thành phố",
    "chuyển đổi số trong cơ quan nhà nước",
    "cải cách hành chính, dịch vụ công trực tuyến",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "xây dựng nông thôn mới, đô thị văn minh",
    "phòng, chống tin giả trên mạng xã hội",
    "an toàn giao thông, phòng cháy chữa cháy",
    "Nghị quyết 02-NQ/TW về đổi mới tổ chức bộ máy",
    "gương người tốt, việc tốt trên địa bàn",
]


def _unit_profile(unit_type: str, area_level: str) -> tuple[str, str]:
    """(channel mix, volume class) of a body."""
    if unit_type == "press":
        return "press", "press"
    if unit_type == "village":
        return "village", "village"
    if area_level in ("province", "central"):
        return "city", "city"
    lead = unit_type in ("party_committee", "peoples_committee", "front_org")
    return "commune", "commune_lead" if lead else "commune"


def _generate_activities(n: int, today: dt.date, rng: random.Random) -> tuple[int, int, int]:
    """``n`` activities over the 365 days ending ``today``, spread over the assigned units by volume class;
    inserted with precomputed ids in batches of 5,000 (raw multi-row INSERTs; COPY on PostgreSQL), with the two through tables. Returns (activities, task links, theme links)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from loa.plans.models import Document, TaskAssignment, TaskStatus, Theme

    from .demo import FORMS
    from .models import Activity, ActivityForm

    by_unit: dict[int, list[tuple[int, int]]] = {}
    unit_info: dict[int, tuple[str, str, str]] = {}
    for unit_id, task_id, doc_id, unit_type, level, name in TaskAssignment.objects.filter(
        task__status=TaskStatus.OPEN
    ).values_list(
        "unit_id",
        "task_id",
        "task__document_id",
        "unit__unit_type",
        "unit__area__level",
        "unit__name",
    ):
        by_unit.setdefault(unit_id, []).append((task_id, doc_id))
        mix, volume = _unit_profile(unit_type, level or "province")
        unit_info[unit_id] = (mix, volume, name)
    themes_by_doc: dict[int, list[int]] = {
        doc_id: list(Theme.objects.filter(version_id=version_id).values_list("pk", flat=True))
        for doc_id, version_id in Document.objects.filter(current_version__isnull=False).values_list(
            "pk", "current_version_id"
        )
    }

    unit_ids = sorted(by_unit)
    cum, total = [], 0.0
    for uid in unit_ids:
        total += VOLUME[unit_info[uid][1]] * rng.uniform(0.5, 1.5)
        cum.append(total)
    mixes = {k: ([c for c, _ in v], list(_cum([w for _, w in v]))) for k, v in CHANNELS_BY_TYPE.items()}
    forms = {k: ([f for f, _ in v], list(_cum([w for _, w in v]))) for k, v in FORMS.items()}
    form_label = dict(ActivityForm.choices)
    online = {"press", "web_portal", "social_media", "handbook"}
    events = {"meeting", "conference", "training", "school", "dialogue", "contest"}
    audiences = {
        "meeting": ["can_bo_dang_vien", "toan_dan", "nong_dan", "phu_nu", "nguoi_cao_tuoi", "thanh_nien"],
        "conference": ["can_bo_dang_vien", "doanh_nghiep", "thanh_nien"],
        "training": ["can_bo_dang_vien", "thanh_nien"],
        "school": ["hoc_sinh", "thanh_nien"],
        "dialogue": ["toan_dan", "doanh_nghiep", "thanh_nien", "nong_dan"],
        "contest": ["thanh_nien", "hoc_sinh", "can_bo_dang_vien"],
        "visual": ["toan_dan"],
        "broadcast": ["toan_dan", "nguoi_cao_tuoi", "nong_dan"],
    }
    online_audiences = ["toan_dan", "thanh_nien", "can_bo_dang_vien", "doanh_nghiep"]
    days = [today - dt.timedelta(days=d) for d in range(365)]
    # Less on weekends, more in recent months (a plan gathers pace).
    day_w = list(
        _cum([(0.4 if d.weekday() >= 5 else 1.0) * (1.0 + 0.5 * (365 - i) / 365) for i, d in enumerate(days)])
    )

    # Raw inserts of prepared rows (COPY on PostgreSQL): the ORM's bulk_create spends ~0.35 ms a row
    # compiling SQL, and psycopg's client-side binding as long again.
    columns = [
        "id",
        "unit",
        "date",
        "channel",
        "form",
        "quantity",
        "title",
        "link",
        "summary",
        "audiences",
        "views",
        "shares",
        "participants",
        "copies",
        "attachment",
        "external_id",
        "is_sample",
        "created_by",
        "created_at",
    ]
    if set(columns) != {f.name for f in Activity._meta.concrete_fields}:
        raise RuntimeError("Activity's fields changed: update loa.activities.bench")
    insert_activity = _insert_sql(Activity, columns)
    insert_task_link = _insert_sql(Activity.tasks.through, ["activity", "task"])
    insert_theme_link = _insert_sql(Activity.themes.through, ["activity", "theme"])
    field = Activity._meta.get_field
    prep_date = {d: field("date").get_db_prep_save(d, connection) for d in days}
    json_field = field("audiences")

    def prep_json(value):
        return json_field.get_db_prep_save(value, connection)

    created_at = field("created_at").get_db_prep_save(timezone.now(), connection)
    not_sample = field("is_sample").get_db_prep_save(False, connection)
    start_id = (Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    made = task_links = theme_links = 0
    next_id = start_id
    while made < n:
        size = min(BATCH, n - made)
        acts, tlinks, hlinks = [], [], []
        chosen_units = rng.choices(unit_ids, cum_weights=cum, k=size)
        chosen_days = rng.choices(days, cum_weights=day_w, k=size)
        for uid, day in zip(chosen_units, chosen_days, strict=True):
            mix, _volume, where = unit_info[uid]
            channels, cw = mixes[mix]
            channel = rng.choices(channels, cum_weights=cw)[0]
            fchoices, fw = forms[channel]
            form = rng.choices(fchoices, cum_weights=fw)[0]
            topic = rng.choice(TOPICS)
            task_id, doc_id = rng.choice(by_unit[uid])
            quantity = 1
            views = shares = participants = copies = None
            link = summary = ""
            if channel in online:
                quantity = 1 if rng.random() < 0.85 else rng.randint(2, 5)
                views = int(rng.lognormvariate(6.0, 1.3))
                shares = int(views * rng.uniform(0.0, 0.08)) if channel == "social_media" else None
                link = f"https://tuyengiao.hanoi.gov.vn/tin-tuc/{next_id}.html"
            elif channel in events:
                participants = rng.randint(15, 300)
                summary = f"Tổ chức cho {participants} người tham dự; báo cáo viên giới thiệu {topic}."
            elif channel == "broadcast":
                quantity = rng.randint(1, 6)
            elif channel == "visual":
                quantity = rng.randint(1, 20)
                if form == "to_roi":
                    copies = rng.randint(100, 3000)
            pool = audiences.get(channel, online_audiences)
            acts.append(
                (
                    next_id,
                    uid,
                    prep_date[day],
                    channel,
                    form,
                    quantity,
                    f"{form_label[form]}: {topic} ({where})"[:500],
                    link,
                    summary,
                    prep_json(rng.sample(pool, rng.randint(1, min(2, len(pool))))),
                    views,
                    shares,
                    participants,
                    copies,
                    "",
                    "",
                    not_sample,
                    None,
                    created_at,
                )
            )
            tlinks.append((next_id, task_id))
            themes = themes_by_doc.get(doc_id)
            if themes and rng.random() < 0.5:
                hlinks.append((next_id, rng.choice(themes)))
            next_id += 1
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(cursor, insert_activity, acts)
            _insert(cursor, insert_task_link, tlinks)
            _insert(cursor, insert_theme_link, hlinks)
        made += size
        task_links += len(tlinks)
        theme_links += len(hlinks)
        if made % 100_000 == 0 or made == n:
            print(f"    {made:>9,} activities", flush=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Activity]):
            cursor.execute(sql)
    return made, task_links, theme_links


def _insert_sql(model, names: list[str]) -> tuple[str, list[str], str]:
    """(quoted table, quoted columns, one row's placeholders) for ``model``'s fields ``names``."""
    from django.db import connection

    qn = connection.ops.quote_name
    cols = [qn(model._meta.get_field(n).column) for n in names]
    return qn(model._meta.db_table), cols, "(" + ", ".join(["%s"] * len(cols)) + ")"


def _insert(cursor, sql: tuple[str, list[str], str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL; multi-row INSERTs of up to 500 rows elsewhere."""
    from django.db import connection

    table, cols, one = sql
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    head = f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        cursor.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


def _cum(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def build_data(n_activities: int, seed: int, today: dt.date, sqlite_analyze: bool = False) -> DataSet:
    from django.db import connection

    from loa.org.models import Unit
    from loa.org.services import load_hanoi
    from loa.plans.models import TaskAssignment

    from . import tallies
    from .models import Activity
    from .sqlite import optimize

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    print(f"Generating the data set ({connection.vendor}):", flush=True)
    t_all = time.perf_counter()
    _timed(timings, "load_hanoi (areas, ~2,183 bodies)", load_hanoi)
    city_plan, commune_plan = _timed(timings, "import both sample plans", _load_plans)
    villages = _timed(timings, "villages (bulk_create)", lambda: _add_villages(rng))
    city_assignments = _timed(timings, "fan out task assignments", lambda: _fan_out(city_plan, commune_plan))
    users = _timed(timings, "users and roles", lambda: _users(city_plan))
    made, tlinks, hlinks = _timed(
        timings,
        f"{n_activities:,} activities + links",
        lambda: _generate_activities(n_activities, today, rng),
    )
    # The activities went in as raw SQL, behind Loa's back: recompute the tallies as
    # `loa rebuild-tallies` would (Loa's own writes keep them as they go).
    _timed(timings, "tallies (loa rebuild-tallies)", tallies.rebuild)
    if connection.vendor == "postgresql":
        # What autovacuum would have done by the time anyone looks at a dashboard.
        _timed(timings, "ANALYZE", lambda: connection.cursor().execute("ANALYZE"))
    else:
        # What Loa does on SQLite after a bulk import or a tally rebuild.
        _timed(timings, "ANALYZE (loa.activities.sqlite.optimize)", optimize)
    if sqlite_analyze and connection.vendor == "sqlite":
        _timed(timings, "full ANALYZE (--sqlite-analyze)", lambda: connection.cursor().execute("ANALYZE"))
    timings["total"] = time.perf_counter() - t_all
    print(f"  {'total generation':<44} {timings['total']:8.1f} s", flush=True)
    ds = DataSet(
        city_plan=city_plan,
        commune_plan=commune_plan,
        users=users,
        units=Unit.objects.count(),
        villages=villages,
        city_assignments=city_assignments,
        activities=Activity.objects.count(),
        task_links=tlinks,
        theme_links=hlinks,
        timings=timings,
    )
    print(
        f"  {ds.units:,} units ({villages:,} villages), {ds.city_assignments:,} assignments of the city plan, "
        f"{TaskAssignment.objects.count():,} in all; {made:,} activities, {tlinks:,} task links, "
        f"{hlinks:,} theme links",
        flush=True,
    )
    return ds


# --------------------------------------------------------------------------- timing


@dataclass
class Result:
    name: str
    database: str
    runs: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: int = 0
    sql_ms: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    error: str = ""

    @property
    def met(self) -> bool:
        return not self.error and self.p95_ms <= TARGET_MS


def _percentile(sorted_values: list[float], q: float) -> float:
    """Nearest rank."""
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def measure(
    name: str, fn: Callable[[], object], runs: int, database: str, budget: float, min_runs: int
) -> Result:
    """2 warm-ups (the first under query capture), then ``runs`` timed runs, or fewer (never under
    ``min_runs``) once the timed runs have used ``budget`` seconds (0: no limit)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    # Read now: the next request's request_started signal empties the connection's query log.
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
    for _ in range(WARMUPS - 1):
        fn()
    times: list[float] = []
    spent = 0.0
    while len(times) < runs:
        if budget and spent > budget and len(times) >= min_runs:
            break
        t0 = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - t0
        spent += elapsed
        times.append(elapsed * 1000)
    times.sort()
    result = Result(
        name=name,
        database=database,
        runs=len(times),
        p50_ms=_percentile(times, 0.5),
        p95_ms=_percentile(times, 0.95),
        max_ms=times[-1],
        queries=len(queries),
        sql_ms=sum(t for t, _ in queries),
        slowest=sorted(queries, key=lambda q: -q[0])[:3],
    )
    print(
        f"  {name:<58} p50 {result.p50_ms:9.1f} ms  p95 {result.p95_ms:9.1f} ms  "
        f"{result.queries:3d} queries, SQL {result.sql_ms:8.1f} ms",
        flush=True,
    )
    return result


def _commune_code() -> str:
    from loa.org.models import Area

    return Area.objects.get(name=COMMUNE).code


def _recorder(doc, today: dt.date) -> Callable[[], object]:
    """Record one activity for the unit with the most activities of the plan (the worst case for
    recomputing a unit's tallies), as the phone form does."""
    from loa.plans.models import TaskAssignment

    from .models import TaskTally
    from .services import record_activity

    top = TaskTally.objects.filter(task__document=doc).order_by("-activities").first()
    busiest = TaskAssignment.objects.select_related("unit", "task").get(task=top.task_id, unit=top.unit_id)

    def record():
        return record_activity(
            actor=None,
            unit=busiest.unit,
            date=today,
            channel="social_media",
            form="tin",
            title="Tin đo thời gian ghi nhận (bench)",
            tasks=[busiest.task],
            audiences=["toan_dan"],
            views=10,
        )

    return record


def run_benchmarks(
    ds: DataSet, runs: int, today: dt.date, only: str | None, budget: float, min_runs: int
) -> list[Result]:
    from django.db import connection
    from django.test import Client

    from loa.org.models import Unit

    from . import dashboards, selectors

    db = connection.vendor
    doc = ds.city_plan
    units = Unit.objects.all()
    officer = ds.users["commune_officer"]
    progress = dashboards.plan_progress(doc, units, today)

    cases: list[tuple[str, Callable[[], object]]] = [
        ("plan_progress (city plan, all units)", lambda: dashboards.plan_progress(doc, units, today)),
        ("heat_map (city plan, all units)", lambda: dashboards.heat_map(doc, units, today)),
        ("channel_mix (city plan, all units)", lambda: dashboards.channel_mix(doc, units)),
        ("theme_coverage (city plan, all units)", lambda: dashboards.theme_coverage(doc, units)),
        ("audience_reach (city plan, all units)", lambda: dashboards.audience_reach(doc, units)),
        ("ranking (city plan, all units; progress given)", lambda: dashboards.ranking(progress, doc, units)),
        (
            "build_rows (commune officer's assignments)",
            lambda: selectors.build_rows(list(selectors.assignments_for_user(officer)), today),
        ),
        (
            "status_counts (city office, every assignment)",
            lambda: selectors.status_counts(
                selectors.assignments_for_user(ds.users["city_office"], writable=False), today
            ),
        ),
        ("record_activity (busiest unit; its tallies recomputed)", _recorder(doc, today)),
    ]
    pages = [
        ("/nhiem-vu/", "/nhiem-vu/"),
        ("/nhiem-vu/tien-do/", "/nhiem-vu/tien-do/"),
        ("/nhiem-vu/tien-do/ke-hoach/<city>/", f"/nhiem-vu/tien-do/ke-hoach/{doc.pk}/"),
        ("/nhiem-vu/hoat-dong/?ke_hoach=<city>", f"/nhiem-vu/hoat-dong/?ke_hoach={doc.pk}"),
        (
            "/nhiem-vu/tien-do/ke-hoach/<city>/?dia_ban=<commune>",
            f"/nhiem-vu/tien-do/ke-hoach/{doc.pk}/?dia_ban={_commune_code()}",
        ),
    ]
    for who in ("city_office", "commune_office", "commune_officer"):
        client = Client()
        client.force_login(ds.users[who])
        for label, url in pages:

            def get(client=client, url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {url} answered {response.status_code}")
                return response

            cases.append((f"{label} [{who}]", get))

    results = []
    print(
        f"Timing ({db}, {WARMUPS} warm-ups + {runs} runs each"
        + (f", fewer (≥ {min_runs}) once a case has spent {budget:g} s" if budget else "")
        + f"; target p95 ≤ {TARGET_MS:.0f} ms):",
        flush=True,
    )
    for name, fn in cases:
        if only and only not in name:
            continue
        try:
            results.append(measure(name, fn, runs, db, budget, min_runs))
        except Exception as exc:  # a broken page is a result too; the other cases still run
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


def print_table(results: list[Result]) -> None:
    if not results:
        print("No case timed.")
        return
    width = max(len(r.name) for r in results)
    print()
    print(f"| {'name':<{width}} | database   | runs | p50 ms   | p95 ms   | queries | p95 ≤ 300 ms |")
    print(f"|{'-' * (width + 2)}|------------|------|----------|----------|---------|--------------|")
    for r in results:
        print(
            f"| {r.name:<{width}} | {r.database:<10} | {r.runs:4d} | {r.p50_ms:8.1f} | {r.p95_ms:8.1f} | "
            f"{r.queries:7d} | {'yes' if r.met else 'ERROR' if r.error else 'NO':<12} |"
        )
    missed = [r for r in results if not r.met]
    print(f"\n{len(results) - len(missed)} of {len(results)} meet the target.")
    if missed:
        print("\nSlowest statements of each miss (one captured run):")
        for r in missed:
            if r.error:
                print(f"- {r.name}: {r.error}")
                continue
            print(f"- {r.name}: {r.queries} queries, SQL {r.sql_ms:.0f} ms of p50 {r.p50_ms:.0f} ms")
            for ms, sql in r.slowest:
                print(f"    {ms:8.1f} ms  {' '.join(sql.split())[:400]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loa.activities.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--activities", type=int, default=500_000, help="activities to generate (500000)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per case, after 2 warm-ups (20)")
    parser.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="seconds of timed runs per case after which a slow case stops early (20; 0: always --runs)",
    )
    parser.add_argument(
        "--min-runs", type=int, default=5, help="timed runs a case gets whatever the budget (5)"
    )
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="also run a full ANALYZE on SQLite (Loa itself runs a sampled one, analysis_limit=1000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="time only the cases whose name contains this text")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.activities < 0:
        parser.error("--runs must be ≥ 1 and --activities ≥ 0")

    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    _setup_django()
    # A failing page is reported once, in the table, not as a logged traceback per request.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.db import connection
    from django.utils import timezone

    _refuse_non_empty()
    today = timezone.localdate()
    code = code_fingerprint()
    print(
        f"loa.activities.bench: {connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
        f"{'' if connection.vendor == 'sqlite' else connection.pg_version}, today {today}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, code {code}",
        flush=True,
    )
    started = time.perf_counter()
    print(
        f"Load average before: {os.getloadavg()[0]:.2f} (1 min); other processes skew the timings", flush=True
    )
    ds = build_data(args.activities, args.seed, today, args.sqlite_analyze)
    results = run_benchmarks(ds, args.runs, today, args.only, args.budget, args.min_runs)
    print_table(results)
    load = os.getloadavg()
    print(
        f"\nTotal time: {time.perf_counter() - started:.0f} s; load average at the end "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min) on {os.cpu_count()} CPUs"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "database": connection.vendor,
                    "sqlite_analyze": args.sqlite_analyze,
                    "code": code,
                    "loadavg_end": os.getloadavg(),
                    "today": today.isoformat(),
                    "activities": ds.activities,
                    "units": ds.units,
                    "villages": ds.villages,
                    "city_assignments": ds.city_assignments,
                    "task_links": ds.task_links,
                    "theme_links": ds.theme_links,
                    "generation_s": ds.timings,
                    "runs": args.runs,
                    "budget_s": args.budget,
                    "min_runs": args.min_runs,
                    "results": [asdict(r) | {"met": r.met} for r in results],
                },
                fh,
                ensure_ascii=False,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
