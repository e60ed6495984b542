"""Load test of the quiz contest's submissions: ``python -m loa.materials.contest_loadtest``
(``scripts/bench-contest-load.sh`` starts a throwaway PostgreSQL, loads a sample plan and runs it against
gunicorn). Target (the issue): ≥ 200 submissions/s for 60 s on loopback, p99 ≤ 300 ms, no acknowledged
entry lost across a server kill.

In: a migrated database (DATABASE_URL) holding the plan ``--plan`` (default: the first imported plan, as
the feedback load test) with units assigned to its tasks, and a server command (``--server-cmd``) that
serves Loa on ``--url``. The server is started, killed and restarted by ``loa.feedback.loadtest.Server``
(its own process group, SIGKILL), whose client helpers (keep-alive connection pool, CPU meter) are reused.

Setup, in this process, before each phase: a round of its own (open now, 10 questions, a 3-hour limit, one
attempt per phone), an approved bank of ``--bank`` questions for the plan (made once, reused), and one
attempt per request of the phase, each with its own phone and a server-side session (the database session
backend) holding ``loa_contest_<round>`` = the attempt's token, as the start page leaves it. The first
``--via-start`` attempts go through ``contest.start``; the rest are bulk-inserted the same way (token hash,
drawn questions with their option order, encrypted phone and its key) and checked to have the same shape.
Each request carries the attempt's ``sessionid`` cookie and a ``csrftoken`` cookie whose 32-character
secret is also sent as ``csrfmiddlewaretoken`` (Django accepts the unmasked secret).

Client: open loop, as the feedback load test. Request ``i`` is due at ``start + i / rate``; it POSTs the
answers of attempt ``i`` (``q<question id>`` = shown option 0–3, a few left blank, and ``prediction``) to
``/tai-lieu/thi/<round>/lam-bai/``. Acknowledged = 200 with the "submitted" page (its score is read).
A failed attempt (connection refused or reset, timeout, 5xx) is retried with the same cookies and body,
with capped exponential back-off, until ``--grace`` seconds after the window. A 302 ends the request
unacknowledged: on a retry it means the first try had been committed (the round refuses a second
submission) — the database check below says whether it was. Latency runs from the due time (no
coordinated omission) to the acknowledgement, retries included.

Phases: ``A`` a steady run of ``--seconds`` at ``--rate``; ``B`` the same, but at ``--kill-at`` of the
window the server's process group is killed with SIGKILL and started again ``--restart-after`` s later.

After each phase the database is checked, attempt by attempt: every acknowledged attempt has
``submitted_at`` set, the answers (mapped back to the bank's option order) and the prediction sent, and
the score the page showed (lost otherwise); attempts committed without an acknowledgement are counted
apart (not a loss: the contestant was never told); the score stored is the one the keys give. On
PostgreSQL a trigger installed for the run (and dropped after it) records any update of a submitted
attempt's ``submitted_at``, answers or prediction: an attempt scored twice (the trigger is tried first on
the probe's attempt, in a transaction rolled back). While a phase runs, a
separate connection samples ``pg_stat_activity`` every 0.1 s (backends active, waiting on a lock).
Before the load, one probe submission through Django's test client (CSRF enforced) lists the SQL
statements of one submission.

Out: a markdown table on stdout (and ``--json PATH``). Exit status 1 when an acknowledged attempt is
missing or differs, or an attempt was scored twice (or the server does not start, the probe submission
is not acknowledged, the trigger does not fire), 2 when the database holds no plan or the plan no unit.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import secrets
import string
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode, urlsplit

from loa.core.loadgen import (
    CpuMeter,
    Failed,
    Pool,
    Server,
    cpu_lines,
    exchange,
    find_postmaster,
    open_loop,
    pct,
    pg_port,
)

QUESTIONS = 10  # per attempt
SCORE = re.compile(rb'id="score">\D*(\d+)/(\d+)')
_FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh"]
_LAST = ["An", "Bình", "Cường", "Dung", "Em", "Hoa", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Quỳnh"]
_AGES = ["<16", "16-30", "16-30", "31-60", "31-60", ">60"]

# ---------------------------------------------------------------------------------------------- setup


@dataclass
class Entry:
    """One request of a phase: the attempt it submits and what the database must hold afterwards."""

    pk: int
    request: bytes
    answers: dict  # {"question id": bank option index}, as Attempt.answers stores them
    prediction: int
    correct: int  # the score the keys give


def _name(rnd: random.Random) -> str:
    return f"{rnd.choice(_FIRST)} {rnd.choice(_MIDDLE)} {rnd.choice(_LAST)}"


def ensure_bank(plan, size: int) -> dict[int, int]:
    """At least ``size`` approved questions in the plan's bank; {question id: key} of the approved ones."""
    from loa.materials.models import Question

    have = Question.objects.filter(document=plan, status=Question.Status.APPROVED).count()
    for i in range(max(0, size - have)):
        Question.objects.get_or_create(
            document=plan,
            text=f"Câu hỏi kiểm thử tải số {have + i + 1}: kế hoạch giao nhiệm vụ này cho đơn vị nào?",
            defaults={
                "options": ["Ủy ban nhân dân xã", "Đoàn Thanh niên", "Hội Phụ nữ", "Trường tiểu học"],
                "key": (have + i) % 4,
                "cite_document": "Kế hoạch",
                "cite_sentence": "Câu trích dùng cho phép thử tải.",
                "origin": Question.Origin.IMPORT,
                "status": Question.Status.APPROVED,
            },
        )
    return dict(
        Question.objects.filter(document=plan, status=Question.Status.APPROVED).values_list("pk", "key")
    )


def _shape(attempt, phone: str) -> tuple:
    """What a fresh attempt looks like, whoever made it (contest.start or the bulk path): which fields
    are filled, and the ones the submission relies on."""
    from loa.core import crypto
    from loa.materials import contest as rules

    def kind(value) -> str:
        if value is None:
            return "null"
        return "empty" if value in ("", {}, [], 0) else "set"

    return (
        tuple(
            (f.attname, kind(getattr(attempt, f.attname)))
            for f in attempt._meta.concrete_fields
            if not f.primary_key
        ),
        len(attempt.drawn),
        sorted({k for d in attempt.drawn for k in d}),
        all(sorted(d["order"]) == [0, 1, 2, 3] for d in attempt.drawn),
        len({d["q"] for d in attempt.drawn}) == len(attempt.drawn),
        crypto.decrypt(attempt.phone) == phone,
        attempt.phone_key == rules._key(phone),
        len(attempt.token_hash),
        attempt.age_band in rules.AGE_BANDS,
    )


def prepare(args, phase: str, plan, units: list, keys: dict[int, int], host: str, port: int):
    """The round of ``phase``, its attempts and sessions, and the request of each attempt."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from loa.core import crypto
    from loa.materials import contest as rules
    from loa.materials.models import Attempt, Contest

    now = timezone.now()
    round_ = Contest.objects.create(
        document=plan,
        title=f"Thử tải {args.run_id} pha {phase}",
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(days=1),
        questions_per_attempt=QUESTIONS,
        time_limit_seconds=3 * 3600,
        max_attempts=1,
    )
    n = int(args.seconds * args.rate)
    digit = "ABCDEFGH".index(phase) + 1
    phones = [f"09{digit}{i:07d}" for i in range(n)]  # 10 digits, distinct within the round
    rng = random.Random(f"{args.seed}-{phase}-draw")
    tokens: list[str] = []
    attempts: list = []
    via_start = min(args.via_start, n)
    for i in range(via_start):
        rnd = random.Random(f"{args.seed}-{phase}-{i}-who")
        attempt, token, _shown = rules.start(
            contest=round_,
            unit=units[i % len(units)],
            name=_name(rnd),
            phone=phones[i],
            age_band=rnd.choice(_AGES),
        )
        attempts.append(attempt)
        tokens.append(token)
    bank = sorted(keys)
    rows = []
    for i in range(via_start, n):
        rnd = random.Random(f"{args.seed}-{phase}-{i}-who")
        token = secrets.token_urlsafe(24)  # as contest.start
        tokens.append(token)
        drawn = [{"q": q, "order": rng.sample(range(4), 4)} for q in rng.sample(bank, QUESTIONS)]
        rows.append(
            Attempt(
                contest=round_,
                token_hash=rules._key(token),
                unit=units[i % len(units)],
                name=_name(rnd),
                phone=crypto.encrypt(phones[i]),
                phone_key=rules._key(phones[i]),
                age_band=rnd.choice(_AGES),
                publish_name=True,
                drawn=drawn,
                started_at=now,
            )
        )
    attempts += Attempt.objects.bulk_create(rows, batch_size=2000)
    if rows and via_start:
        bulk = Attempt.objects.get(pk=attempts[via_start].pk)
        made = Attempt.objects.get(pk=attempts[0].pk)
        if _shape(bulk, phones[via_start]) != _shape(made, phones[0]):
            raise SystemExit(
                f"a bulk-made attempt differs from one made by contest.start: {_shape(bulk, phones[via_start])} "
                f"!= {_shape(made, phones[0])}"
            )
    # sessions as the start page leaves them: the token under loa_contest_<round>
    store = SessionStore()
    expire = now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    chars = string.ascii_lowercase + string.digits
    session_keys = [get_random_string(32, chars) for _ in range(n)]
    Session.objects.bulk_create(
        [
            Session(
                session_key=k,
                session_data=store.encode({f"loa_contest_{round_.pk}": t}),
                expire_date=expire,
            )
            for k, t in zip(session_keys, tokens, strict=True)
        ],
        batch_size=2000,
    )
    path = reverse("materials:contest_attempt", args=[round_.pk])
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    entries = []
    for i, attempt in enumerate(attempts):
        rnd = random.Random(f"{args.seed}-{phase}-{i}-answers")
        form = [("csrfmiddlewaretoken", csrf)]
        stored, correct = {}, 0
        for d in attempt.drawn:
            if rnd.random() < 0.05:  # left blank
                continue
            shown = rnd.randrange(4)
            form.append((f"q{d['q']}", str(shown)))
            stored[str(d["q"])] = d["order"][shown]
            correct += d["order"][shown] == keys[d["q"]]
        prediction = rnd.randrange(0, 3000)
        form.append(("prediction", str(prediction)))
        payload = urlencode(form).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: http://{host}:{port}\r\n"
            f"Referer: http://{host}:{port}{path}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nAccept: text/html\r\nAccept-Language: vi\r\n"
            f"Cookie: {settings.SESSION_COOKIE_NAME}={session_keys[i]}; {settings.CSRF_COOKIE_NAME}={csrf}\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        )
        entries.append(Entry(attempt.pk, head.encode("latin-1") + payload, stored, prediction, correct))
    return round_, path, entries


def probe(plan, unit, host: str, keys: dict[int, int]) -> dict:
    """One submission through Django's test client (CSRF enforced) on a round of its own: its status
    and the SQL it ran (connection.queries: BEGIN and COMMIT included, a reused connection's health
    check not)."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from loa.materials import contest as rules
    from loa.materials.models import Contest

    now = timezone.now()
    round_ = Contest.objects.create(
        document=plan,
        title=f"Thử tải — đo truy vấn {now:%H%M%S}",
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=1),
        questions_per_attempt=QUESTIONS,
        time_limit_seconds=3600,
    )
    attempt, token, shown = rules.start(
        contest=round_, unit=unit, name="Đo Truy Vấn", phone="0900000000", age_band="16-30"
    )
    session = SessionStore()
    session[f"loa_contest_{round_.pk}"] = token
    session.create()
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="vi")
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    data = {"csrfmiddlewaretoken": csrf, "prediction": "7", **{f"q{q['id']}": "1" for q in shown}}
    path = reverse("materials:contest_attempt", args=[round_.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, data)
    queries = [q["sql"] for q in ctx.captured_queries]  # before the next request resets the log
    again = client.post(path, data)
    refused = Client(HTTP_HOST=host, enforce_csrf_checks=True)
    refused.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    no_csrf = refused.post(path, {"prediction": "7"})
    return {
        "attempt": attempt.pk,
        "status": response.status_code,
        "acknowledged": bool(SCORE.search(response.content)),
        "resubmit_status": again.status_code,
        "without_csrf_status": no_csrf.status_code,
        "queries": queries,
    }


# ---------------------------------------------------------------------------------------------- client


@dataclass
class Result:
    index: int
    due: float = 0.0
    status: int = 0  # final HTTP status (0: never answered)
    score: int | None = None  # correct answers the page showed
    latency: float | None = None
    attempts: int = 0
    first_send: float | None = None
    acked_at: float | None = None
    errors: list[str] = field(default_factory=list)


async def one(pool: Pool, res: Result, request: bytes, *, timeout: float, deadline: float) -> None:
    loop = asyncio.get_running_loop()
    delay = 0.05
    while True:
        res.attempts += 1
        if res.first_send is None:
            res.first_send = loop.time()
        try:
            status, body = await exchange(pool, request, timeout)
        except Failed as exc:
            res.errors.append(exc.kind)
            status, body = 0, b""
        if status == 200:
            m = SCORE.search(body)
            res.status = status
            if m:
                res.acked_at = loop.time()
                res.latency = res.acked_at - res.due
                res.score = int(m.group(1))
            else:
                res.errors.append("HTTP 200 without a score")
            return
        if status:
            res.status = status
            res.errors.append(f"HTTP {status}" + (" on a retry" if res.attempts > 1 else ""))
            if status < 500:  # 302: submitted already (or no session); 4xx: refused; a retry would not help
                return
        if loop.time() + delay > deadline:
            return
        await asyncio.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 1.0)


class LockSampler(threading.Thread):
    """Every ``interval`` s, the other backends of the database: how many run a statement, how many of
    those wait on a lock, and on what (a separate connection, PostgreSQL only)."""

    def __init__(self, url: str, interval: float = 0.1):
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.stop = threading.Event()
        self.samples = self.active = self.waiting = self.with_wait = 0
        self.waits: Counter = Counter()
        self.error = ""

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True) as c:
                while not self.stop.is_set():
                    rows = c.execute(
                        "SELECT coalesce(wait_event_type, ''), coalesce(wait_event, ''), count(*) "
                        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND state = 'active' GROUP BY 1, 2"
                    ).fetchall()
                    self.samples += 1
                    lock = 0
                    for kind, event, count in rows:
                        self.active += count
                        if kind == "Lock":
                            lock += count
                            self.waits[event] += count
                    self.waiting += lock
                    self.with_wait += lock > 0
                    self.stop.wait(self.interval)
        except Exception as exc:  # noqa: BLE001 - a report line, not a failure of the run
            self.error = str(exc)[:200]

    def report(self) -> dict:
        n = max(self.samples, 1)
        return {
            "samples": self.samples,
            "active_mean": round(self.active / n, 2),
            "lock_waiting_mean": round(self.waiting / n, 3),
            "samples_with_lock_wait_pct": round(100 * self.with_wait / n, 1),
            "lock_waits": dict(self.waits.most_common(5)),
            "error": self.error,
        }


async def run_phase(args, phase: str, server: Server, postmaster, path: str, entries: list[Entry]):
    u = urlsplit(args.url)
    pool = Pool(u.hostname, u.port or 80, args.max_conns)
    results = [Result(index=i) for i in range(len(entries))]
    locks = LockSampler(os.environ["DATABASE_URL"]) if pg_port() else None
    if locks:
        locks.start()

    async def send(i: int, due: float, deadline: float) -> None:
        results[i].due = due
        await one(pool, results[i], entries[i].request, timeout=args.timeout, deadline=deadline)

    events = await open_loop(
        n=len(entries),
        rate=args.rate,
        seconds=args.seconds,
        grace=args.grace,
        pool=pool,
        meter=CpuMeter(server.pgid, postmaster),
        send=send,
        server=server,
        kill_at=args.kill_at if phase == "B" else None,
        restart_after=args.restart_after,
        label=f"phase {phase}",
    )
    if locks:
        locks.stop.set()
        locks.join()
    events["locks"] = locks.report() if locks else {}
    return results, events


# ---------------------------------------------------------------------------------------------- checks


RESCORED_TABLE = "loa_bench_contest_rescored"


def install_rescoring_watch() -> bool:
    """PostgreSQL: a trigger that records every change of a submitted attempt's submission."""
    from django.db import connection

    from loa.materials.models import Attempt

    if connection.vendor != "postgresql":
        return False
    table = Attempt._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {RESCORED_TABLE} (attempt_id bigint NOT NULL, old_at timestamptz, "
            "new_at timestamptz, at timestamptz NOT NULL DEFAULT clock_timestamp())"
        )
        cur.execute(
            f"CREATE OR REPLACE FUNCTION {RESCORED_TABLE}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {RESCORED_TABLE} (attempt_id, old_at, new_at) "
            "VALUES (OLD.id, OLD.submitted_at, NEW.submitted_at); RETURN NEW; END $$"
        )
        cur.execute(f"DROP TRIGGER IF EXISTS {RESCORED_TABLE} ON {table}")
        cur.execute(
            f"CREATE TRIGGER {RESCORED_TABLE} AFTER UPDATE ON {table} FOR EACH ROW "
            "WHEN (OLD.submitted_at IS NOT NULL AND (NEW.submitted_at IS DISTINCT FROM OLD.submitted_at "
            "OR NEW.answers IS DISTINCT FROM OLD.answers OR NEW.prediction IS DISTINCT FROM OLD.prediction)) "
            f"EXECUTE FUNCTION {RESCORED_TABLE}()"
        )
    return True


def rescoring_watch_works(attempt_pk: int) -> bool:
    """Submit the (submitted) probe attempt a second time by hand, in a transaction rolled back: the
    trigger must record it."""
    from django.db import connection, transaction

    from loa.materials.models import Attempt

    class Rollback(Exception):
        pass

    seen = 0
    try:
        with transaction.atomic():
            Attempt.objects.filter(pk=attempt_pk).update(submitted_at=dt.datetime.now(dt.UTC))
            with connection.cursor() as cur:
                cur.execute(f"SELECT count(*) FROM {RESCORED_TABLE} WHERE attempt_id = %s", [attempt_pk])
                seen = cur.fetchone()[0]
            raise Rollback
    except Rollback:
        pass
    return seen == 1


def drop_rescoring_watch() -> None:
    from django.db import connection

    from loa.materials.models import Attempt

    with connection.cursor() as cur:
        cur.execute(f"DROP TRIGGER IF EXISTS {RESCORED_TABLE} ON {Attempt._meta.db_table}")
        cur.execute(f"DROP FUNCTION IF EXISTS {RESCORED_TABLE}()")
        cur.execute(f"DROP TABLE IF EXISTS {RESCORED_TABLE}")


def verify(round_, entries: list[Entry], results: list[Result], watching: bool) -> dict:
    """Compare what each contestant was told with what the database holds."""
    from django.db import connection

    from loa.materials.models import Attempt

    rows = {
        pk: rest
        for pk, *rest in Attempt.objects.filter(contest=round_).values_list(
            "pk", "submitted_at", "answers", "prediction", "correct"
        )
    }
    why: Counter = Counter()
    lost: list[int] = []
    committed_unacked = wrong_score = 0
    redirect_first = redirect_retry_committed = redirect_retry_not = 0
    for entry, res in zip(entries, results, strict=True):
        submitted_at, answers, prediction, correct = rows.get(entry.pk, (None, None, None, None))
        acked = res.score is not None
        if res.status == 302:
            if res.attempts == 1:
                redirect_first += 1
            elif submitted_at is not None:
                redirect_retry_committed += 1
            else:
                redirect_retry_not += 1
        if submitted_at is not None and correct != entry.correct:
            wrong_score += 1
        if not acked:
            committed_unacked += submitted_at is not None
            continue
        reasons = []
        if submitted_at is None:
            reasons.append("not submitted")
        else:
            if answers != entry.answers:
                reasons.append("other answers")
            if prediction != entry.prediction:
                reasons.append("other prediction")
            if correct != res.score:
                reasons.append("other score than shown")
        if reasons:
            lost.append(entry.pk)
            why.update(reasons)
    submitted = sum(1 for r in rows.values() if r[0] is not None)
    rescored = 0
    if watching:
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT count(DISTINCT attempt_id) FROM {RESCORED_TABLE} WHERE attempt_id = ANY(%s)",
                [list(rows)],
            )
            rescored = cur.fetchone()[0]
    acked = sum(1 for r in results if r.score is not None)
    checks = [
        f"acknowledged attempts: {acked}; submitted in the database with the answers, prediction and score "
        f"the page showed: {acked - len(lost)}" + (f" (lost: {dict(why)})" if why else ""),
        f"attempts of the round submitted in the database: {submitted} of {len(rows)}; committed without an "
        f"acknowledgement: {committed_unacked}",
        f"302 answers: {redirect_first} to a first try, {redirect_retry_committed} to a retry of an attempt "
        f"committed earlier, {redirect_retry_not} to a retry of one not committed",
        f"stored score differs from the keys: {wrong_score}; attempts whose submission was changed after it "
        f"was stored (scored twice): {rescored if watching else 'not watched (PostgreSQL only)'}",
    ]
    return {
        "lost": len(lost),
        "lost_attempts": lost[:20],
        "committed_unacknowledged": committed_unacked,
        "rescored": rescored,
        "wrong_score": wrong_score,
        "submitted": submitted,
        "checks": checks,
    }


# ---------------------------------------------------------------------------------------------- report


@dataclass
class PhaseReport:
    phase: str
    seconds: float
    rate: float
    requests: int
    acknowledged: int
    in_window: int
    throughput: float  # acknowledged per second, from the first due time to the last acknowledgement
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    retries: int
    errors: dict
    unacknowledged: int
    lost: int
    committed_unacknowledged: int
    rescored: int
    wrong_score: int
    submitted: int
    peak_connections: int
    schedule_lag_p99_ms: float
    setup_s: float
    kill_at_s: float | None = None
    down_s: float | None = None
    cpu: dict = field(default_factory=dict)
    locks: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)


def summarise(args, phase, results, events, check, setup_s) -> PhaseReport:
    acked = [r for r in results if r.score is not None]
    lat = [r.latency * 1000 for r in acked]
    start, window_end = events["start"], events["window_end"]
    last = max((r.acked_at for r in acked), default=start)
    lag = [(r.first_send - r.due) * 1000 for r in results if r.first_send is not None]
    return PhaseReport(
        phase=phase,
        seconds=args.seconds,
        rate=args.rate,
        requests=len(results),
        acknowledged=len(acked),
        in_window=sum(1 for r in acked if r.acked_at <= window_end),
        throughput=round(len(acked) / max(last - start, 1e-9), 1),
        p50_ms=round(pct(lat, 0.50), 1),
        p90_ms=round(pct(lat, 0.90), 1),
        p95_ms=round(pct(lat, 0.95), 1),
        p99_ms=round(pct(lat, 0.99), 1),
        max_ms=round(max(lat, default=float("nan")), 1),
        retries=sum(r.attempts - 1 for r in results),
        errors=dict(Counter(e for r in results for e in r.errors).most_common()),
        unacknowledged=len(results) - len(acked),
        lost=check["lost"],
        committed_unacknowledged=check["committed_unacknowledged"],
        rescored=check["rescored"],
        wrong_score=check["wrong_score"],
        submitted=check["submitted"],
        peak_connections=events["peak"],
        schedule_lag_p99_ms=round(pct(lag, 0.99), 1),
        setup_s=round(setup_s, 1),
        kill_at_s=round(events["kill_at_s"], 1) if "kill_at_s" in events else None,
        down_s=round(events["down_s"], 1) if "down_s" in events else None,
        cpu=events["cpu"],
        locks=events["locks"],
        checks=check["checks"],
    )


def print_table(reports: list[PhaseReport]) -> None:
    print()
    print(
        "| phase | offered | requests | acknowledged | ack/s | in window | p50 ms | p95 ms | p99 ms | max ms "
        "| retries | unacknowledged | committed, not acknowledged | lost | scored twice |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in reports:
        name = "A steady" if r.phase == "A" else f"B kill -9 at {r.kill_at_s} s, down {r.down_s} s"
        print(
            f"| {name} | {r.rate:g}/s × {r.seconds:g} s | {r.requests} | {r.acknowledged} | {r.throughput} "
            f"| {r.in_window} | {r.p50_ms} | {r.p95_ms} | {r.p99_ms} | {r.max_ms} | {r.retries} "
            f"| {r.unacknowledged} | {r.committed_unacknowledged} | {r.lost} | {r.rescored} |"
        )
    print()
    for r in reports:
        errs = ", ".join(f"{k}: {v}" for k, v in r.errors.items()) or "none"
        print(
            f"Phase {r.phase} (setup of its round and {r.requests} attempts: {r.setup_s} s): failed attempts by kind: {errs}."
        )
        for line in cpu_lines(
            r.cpu, acknowledged=r.acknowledged, peak=r.peak_connections, lag_p99_ms=r.schedule_lag_p99_ms
        ):
            print(line)
        if r.locks:
            lk = r.locks
            waits = ", ".join(f"{k} {v}" for k, v in lk["lock_waits"].items()) or "none"
            print(
                f"  PostgreSQL backends (sampled {lk['samples']} times): {lk['active_mean']} running a statement "
                f"on average, {lk['lock_waiting_mean']} waiting on a lock ({lk['samples_with_lock_wait_pct']} % "
                f"of samples; waits seen: {waits}){' — ' + lk['error'] if lk['error'] else ''}."
            )
        for line in r.checks:
            print(f"  {line}")
    print()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True, help="base URL of the server, e.g. http://127.0.0.1:8123")
    p.add_argument("--server-cmd", required=True, help="shell command that starts the server on --url")
    p.add_argument("--server-log", help="file the server's output is appended to")
    p.add_argument("--pidfile", help="file that receives the server's process group id")
    p.add_argument("--plan", type=int, help="Document id (default: the first plan in the database)")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--rate", type=float, default=200, help="submissions per second offered")
    p.add_argument("--phases", default="AB", help="A (steady), B (kill -9 and restart), or AB")
    p.add_argument("--kill-at", type=float, default=0.4, help="fraction of the window at which B kills")
    p.add_argument("--restart-after", type=float, default=2.0, help="seconds between kill and restart")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds before an attempt is given up")
    p.add_argument("--grace", type=float, default=60.0, help="seconds after the window for retries")
    p.add_argument("--max-conns", type=int, default=256)
    p.add_argument("--ready-timeout", type=float, default=60.0)
    p.add_argument("--bank", type=int, default=40, help="approved questions in the plan's bank (at least)")
    p.add_argument("--via-start", type=int, default=100, help="attempts per phase made by contest.start")
    p.add_argument("--p99-target", type=float, default=300.0, help="ms, for the verdict line")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--json", help="write the results here")
    args = p.parse_args(argv)
    args.run_id = uuid.uuid4().hex[:8]
    if args.bank < QUESTIONS:
        p.error(f"--bank must be at least {QUESTIONS}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loa.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from loa.org.models import Unit
    from loa.plans.models import Document, TaskAssignment

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        print(
            f"this load test writes database sessions; SESSION_ENGINE is {settings.SESSION_ENGINE}",
            file=sys.stderr,
        )
        return 2
    if args.plan is None:
        doc = (
            Document.objects.exclude(current_version=None)
            .filter(kind__icontains="kế hoạch")
            .order_by("pk")
            .first()
        )
        if doc is None:
            print("no plan in the database: import one first", file=sys.stderr)
            return 2
        args.plan = doc.pk
    plan = Document.objects.get(pk=args.plan)
    unit_ids = TaskAssignment.objects.filter(task__document=plan).values("unit_id")
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("pk"))
    if not units:
        print(f"plan #{plan.pk} has no unit assigned to its tasks", file=sys.stderr)
        return 2
    keys = ensure_bank(plan, args.bank)
    u = urlsplit(args.url)
    host, port = u.hostname, u.port or 80
    settings_line = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes') ORDER BY name"
            )
            settings_line = ", ".join(f"{n}={v}" for n, v in cur.fetchall())
    print(
        f"Contest load test: {args.rate:g} submissions/s for {args.seconds:g} s per phase, plan #{args.plan} "
        f"({len(keys)} approved questions, {QUESTIONS} per attempt, {len(units)} units), run {args.run_id}"
    )
    print(f"Server: {args.server_cmd}")
    print(f"Database: {connection.vendor} {settings_line}")
    print(f"Machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    q = probe(plan, units[0], host, keys)
    commits = sum(1 for sql in q["queries"] if sql.strip().upper() == "COMMIT")
    print(
        f"Probe (one submission through Django's test client, CSRF enforced): status {q['status']}, "
        f"acknowledged {q['acknowledged']}, resubmitted {q['resubmit_status']}, without CSRF token "
        f"{q['without_csrf_status']}; {len(q['queries'])} SQL statements, {commits} transactions "
        "(connection.queries; a reused connection's health check, SELECT 1, comes on top):"
    )
    for sql in q["queries"]:
        short = re.sub(r"^SELECT .+? FROM ", "SELECT … FROM ", sql)
        print(f"    {short[:200]}{'…' if len(short) > 200 else ''}")
    if not q["acknowledged"]:
        print(
            "the probe submission was not acknowledged: the load test would measure nothing", file=sys.stderr
        )
        return 1
    watching = install_rescoring_watch()
    if watching and not rescoring_watch_works(q["attempt"]):
        print(
            "the trigger that watches for attempts scored twice did not fire on a test update",
            file=sys.stderr,
        )
        drop_rescoring_watch()
        return 1
    connection.close()

    server = Server(args.server_cmd, args.url, args.pidfile, args.server_log)
    postmaster = find_postmaster(pg_port())
    reports: list[PhaseReport] = []
    try:
        for phase in args.phases.upper():
            t0 = time.monotonic()
            round_, path, entries = prepare(args, phase, plan, units, keys, host, port)
            setup_s = time.monotonic() - t0
            connection.close()
            print(
                f"  phase {phase}: round #{round_.pk}, {len(entries)} attempts and sessions ready in {setup_s:.1f} s "
                f"({min(args.via_start, len(entries))} through contest.start)",
                flush=True,
            )
            if server.proc is None:
                server.start()
            ready = server.wait_ready(args.ready_timeout)
            print(f"  phase {phase}: server answering after {ready:.1f} s", flush=True)
            results, events = asyncio.run(run_phase(args, phase, server, postmaster, path, entries))
            check = verify(round_, entries, results, watching)
            connection.close()
            report = summarise(args, phase, results, events, check, setup_s)
            reports.append(report)
            print(
                f"  phase {phase}: {report.acknowledged}/{report.requests} acknowledged, {report.throughput}/s, "
                f"p99 {report.p99_ms} ms, lost {report.lost}, committed unacknowledged "
                f"{report.committed_unacknowledged}, scored twice {report.rescored}",
                flush=True,
            )
    finally:
        server.kill()
        if watching:
            drop_rescoring_watch()
            connection.close()
    print_table(reports)
    ok = all(r.lost == 0 and r.rescored == 0 and r.wrong_score == 0 for r in reports)
    target = all(
        r.unacknowledged == 0 and r.throughput >= 0.99 * r.rate and r.p99_ms <= args.p99_target
        for r in reports
        if r.phase == "A"
    )
    print(
        f"Every acknowledged submission stored as sent, none scored twice: {'yes' if ok else 'NO'}. "
        f"Phase A sustained {args.rate:g}/s (all acknowledged, ≥ 99 % of the offered rate, p99 ≤ "
        f"{args.p99_target:g} ms): {'yes' if target else 'no'}. Load average at the end: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}."
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "run": args.run_id,
                    "server": args.server_cmd,
                    "database": settings_line,
                    "machine": {"cores": os.cpu_count(), "load_avg_end": os.getloadavg()},
                    "probe": q,
                    "phases": [asdict(r) for r in reports],
                },
                f,
                ensure_ascii=False,
                indent=1,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
