"""Load test of the public feedback endpoint: ``python -m loa.feedback.loadtest`` (``scripts/bench-feedback.sh``
starts a throwaway PostgreSQL, loads a sample plan and runs it against gunicorn).

In: a migrated database (DATABASE_URL) holding the plan ``--plan`` (default: the first imported plan),
and a server command (``--server-cmd``) that serves Loa on ``--url``. This module starts that server in a
process group of its own, waits until it answers, and gives it back with SIGKILL at the end; the pid of
the group is written to ``--pidfile`` so the calling script can clean up after a crash.

Client: open loop. Request ``i`` of a phase is due at ``start + i / rate`` whether or not earlier requests
were answered (asyncio, raw HTTP/1.1 keep-alive connections, at most ``--max-conns`` at a time). Every
request has its own ``Idempotency-Key`` and a Vietnamese question built from templates (unique per
request, a quarter with contact details and consent). A failed attempt (connection refused or reset,
timeout, 5xx) is retried with the same key and the same body, with capped exponential back-off, until
it is acknowledged (201, or 200 for a replay) or ``--grace`` seconds after the phase's window have passed.
Latency is measured from the time the request was due (no coordinated omission) to its acknowledgement,
retries included.

Phases: ``A`` a steady run of ``--seconds`` at ``--rate``; ``B`` the same, but at ``--kill-at`` of the
window the server's process group (gunicorn master and workers) is killed with SIGKILL and started again
``--restart-after`` seconds later.

After each phase it checks the database: every acknowledged receipt code's hash is a
``feedback_submission.receipt_hash``, and belongs to the submission stored under that request's key;
the phase created exactly one submission per key that reached the database (no duplicate by a retry,
also checked on the texts, which are unique by construction). It also counts submissions whose triage
task was never enqueued.

Out: a markdown table on stdout (and ``--json PATH``). Exit status 1 when an acknowledged submission is
missing or a duplicate exists (or the server does not start), 2 when the database holds no plan.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sys
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

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

PATH = "/api/public/feedback"

# ---------------------------------------------------------------------------------------------- texts

_OPENINGS = [
    "Xin hỏi",
    "Cho tôi hỏi",
    "Kính gửi Ủy ban, tôi muốn hỏi",
    "Gia đình tôi xin phản ánh và hỏi",
    "Tôi là người dân trong xã, xin được hỏi",
    "Nhờ cán bộ trả lời giúp",
]
_SUBJECTS = [
    "tuyến đường liên thôn",
    "hệ thống thoát nước",
    "điểm thu gom rác thải",
    "trạm y tế xã",
    "đèn chiếu sáng công cộng",
    "nhà văn hóa thôn",
    "sân chơi cho trẻ em",
    "kênh tưới tiêu nội đồng",
    "cổng dịch vụ công trực tuyến",
    "việc cấp căn cước cho người cao tuổi",
    "lớp tập huấn chuyển đổi số",
    "chương trình hỗ trợ chuyển đổi xanh",
    "mô hình phân loại rác tại nguồn",
    "điểm phát wifi miễn phí",
]
_PLACES = [
    "thôn Đông",
    "thôn Trung",
    "thôn Đoài",
    "xóm Bãi",
    "xóm Chùa",
    "khu dân cư số 3",
    "khu tái định cư",
    "cạnh chợ xã",
    "gần trường tiểu học",
    "đầu cầu Hưng Đạo",
]
_QUESTIONS = [
    "khi nào được sửa chữa",
    "bao giờ thì được nâng cấp",
    "có nằm trong kế hoạch năm nay không",
    "kinh phí lấy từ nguồn nào",
    "người dân có phải đóng góp không",
    "ai là người chịu trách nhiệm theo dõi",
    "vì sao đến nay vẫn chưa triển khai",
    "người dân đăng ký tham gia ở đâu",
]
_DETAILS = [
    "Mỗi khi trời mưa to nước ngập đến đầu gối, học sinh đi học rất vất vả.",
    "Buổi tối không có đèn nên người già đi lại khó khăn.",
    "Nhiều hộ đã kiến nghị từ năm ngoái nhưng chưa thấy trả lời.",
    "Tôi đã xem kế hoạch trên bảng tin nhưng chưa rõ thời gian thực hiện.",
    "Mong Ủy ban sớm thông báo cụ thể để bà con yên tâm.",
    "Con tôi muốn đăng ký nhưng không biết thủ tục thế nào.",
    "",
]
_KINDS = ["question"] * 6 + ["comment"] * 2 + ["idea", "petition"]
_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Hoa"]


def make_body(plan: int, seed: int, phase: str, i: int) -> dict:
    """The body of request ``i``: deterministic (a retry sends the same bytes), unique text per request."""
    rnd = random.Random(f"{seed}-{phase}-{i}")
    house, lane = i % 300 + 1, i // 300 + 1
    text = (
        f"{rnd.choice(_OPENINGS)} {rnd.choice(_SUBJECTS)} ở {rnd.choice(_PLACES)} "
        f"(số nhà {house}, ngõ {lane}) {rnd.choice(_QUESTIONS)}? {rnd.choice(_DETAILS)}"
    ).strip()
    body = {"plan": plan, "kind": rnd.choice(_KINDS), "text": text, "consent": False}
    if rnd.random() < 0.25:
        body["contact"] = {
            "name": rnd.choice(_NAMES),
            "phone": "09" + "".join(rnd.choices("0123456789", k=8)),
        }
        body["consent"] = True
    return body


# ---------------------------------------------------------------------------------------------- client


@dataclass
class Result:
    key: str
    due: float  # loop time the request was due
    status: int = 0  # final HTTP status (0: never answered)
    code: str = ""  # receipt code when acknowledged
    latency: float | None = None  # due -> acknowledgement, seconds
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
        if status in (200, 201):
            res.status, res.acked_at = status, loop.time()
            res.latency = res.acked_at - res.due
            res.code = json.loads(body)["receipt_code"]
            return
        if status:
            res.status = status
            res.errors.append(f"HTTP {status}")
            if status < 500:  # 4xx: the request itself is refused, a retry would not help
                return
        if loop.time() + delay > deadline:
            return
        await asyncio.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 1.0)


def build_request(host: str, port: int, key: str, body: dict) -> bytes:
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nIdempotency-Key: {key}\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode("latin-1") + payload


# ---------------------------------------------------------------------------------------------- server


# ---------------------------------------------------------------------------------------------- phases


@dataclass
class PhaseReport:
    phase: str
    seconds: float
    rate: float
    requests: int
    acknowledged: int
    in_window: int  # acknowledged before the end of the window
    throughput: float  # acknowledged per second, from the first due time to the last acknowledgement
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    retries: int
    replays: int  # acknowledged by a 200 (an earlier attempt had been stored but its answer lost)
    errors: dict
    unacknowledged: int
    lost: int
    duplicates: int
    in_db: int
    no_triage_task: int
    peak_connections: int
    schedule_lag_p99_ms: float
    kill_at_s: float | None = None
    down_s: float | None = None
    cpu: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)


async def run_phase(args, phase: str, server: Server, postmaster: int | None) -> tuple[list[Result], dict]:
    u = urlsplit(args.url)
    host, port = u.hostname, u.port or 80
    pool = Pool(host, port, args.max_conns)
    n = int(args.seconds * args.rate)
    prefix = f"{args.run_id}-{phase}-"
    requests = [
        build_request(host, port, f"{prefix}{i:07d}", make_body(args.plan, args.seed, phase, i))
        for i in range(n)
    ]
    results = [Result(key=f"{prefix}{i:07d}", due=0.0) for i in range(n)]

    async def send(i: int, due: float, deadline: float) -> None:
        results[i].due = due
        await one(pool, results[i], requests[i], timeout=args.timeout, deadline=deadline)

    events = await open_loop(
        n=n,
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
    return results, events


def verify(args, phase: str, results: list[Result], since: dt.datetime) -> dict:
    """Compare what the client was told with what the database holds."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from loa.feedback.models import IdempotentRequest, Submission
    from loa.feedback.services import code_hash

    acked = {r.key: r.code for r in results if r.status in (200, 201)}
    prefix = f"{args.run_id}-{phase}-"
    stored = dict(
        IdempotentRequest.objects.filter(key__startswith=prefix).values_list(
            "key", "submission__receipt_hash"
        )
    )
    hashes = {k: code_hash(c) for k, c in acked.items()}
    wanted = list(hashes.values())
    found: set[str] = set()
    for i in range(0, len(wanted), 2000):
        found.update(
            Submission.objects.filter(receipt_hash__in=wanted[i : i + 2000]).values_list(
                "receipt_hash", flat=True
            )
        )
    missing_hash = [k for k, h in hashes.items() if h not in found]
    wrong_key = [k for k, h in hashes.items() if stored.get(k) != h]
    lost = set(missing_hash) | set(wrong_key)
    # The phase's submissions: stored since it began, less those under another phase's key.
    others = IdempotentRequest.objects.filter(submission__received_at__gte=since).exclude(
        key__startswith=prefix
    )
    subs = Submission.objects.filter(document_id=args.plan, channel="api", received_at__gte=since).exclude(
        pk__in=others.values("submission_id")
    )
    in_db = subs.count()
    by_text = subs.values("text").annotate(n=Count("id")).filter(n__gt=1)
    dup_texts = sum(row["n"] - 1 for row in by_text)
    # the same extra row shows both ways (no key of its own, a text stored twice): count it once
    duplicates = max(in_db - len(stored), dup_texts, 0)
    # Keys that reached the database without an acknowledgement: stored, but every answer lost until the
    # grace period ended. Not a loss (the citizen was never told it was received), reported apart.
    stored_unacked = len(set(stored) - set(acked))
    ids = set(subs.values_list("pk", flat=True))
    queued = set()
    for ak in DBTaskResult.objects.filter(task_path="loa.feedback.tasks.triage").values_list(
        "args_kwargs", flat=True
    ):
        a = ak.get("args") or []
        if a:
            queued.add(a[0])
    checks = [
        f"acknowledged keys: {len(acked)}; their receipt hashes found in feedback_submission: {len(acked) - len(missing_hash)}",
        f"acknowledged keys whose stored submission has the acknowledged receipt code: {len(acked) - len(wrong_key)}",
        f"submissions of the phase in the database: {in_db}; idempotency keys of the phase: {len(stored)}; "
        f"texts stored more than once: {dup_texts}",
        f"keys stored without an acknowledgement (gave up before an answer came): {stored_unacked}",
    ]
    return {
        "lost": len(lost),
        "lost_keys": sorted(lost)[:20],
        "duplicates": duplicates,
        "in_db": in_db,
        "no_triage_task": len(ids - queued),
        "checks": checks,
    }


def summarise(args, phase: str, results: list[Result], events: dict, check: dict) -> PhaseReport:
    acked = [r for r in results if r.status in (200, 201)]
    lat = [r.latency * 1000 for r in acked]
    start, window_end = events["start"], events["window_end"]
    last = max((r.acked_at for r in acked), default=start)
    errors = Counter(e for r in results for e in r.errors)
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
        p99_ms=round(pct(lat, 0.99), 1),
        max_ms=round(max(lat, default=float("nan")), 1),
        retries=sum(r.attempts - 1 for r in results),
        replays=sum(1 for r in acked if r.status == 200),
        errors=dict(errors.most_common()),
        unacknowledged=len(results) - len(acked),
        lost=check["lost"],
        duplicates=check["duplicates"],
        in_db=check["in_db"],
        no_triage_task=check["no_triage_task"],
        peak_connections=events["peak"],
        schedule_lag_p99_ms=round(pct(lag, 0.99), 1),
        kill_at_s=round(events["kill_at_s"], 1) if "kill_at_s" in events else None,
        down_s=round(events["down_s"], 1) if "down_s" in events else None,
        cpu=events["cpu"],
        checks=check["checks"],
    )


def print_table(reports: list[PhaseReport]) -> None:
    print()
    print(
        "| phase | offered | requests | acknowledged | ack/s | in window | p50 ms | p90 ms | p99 ms | max ms "
        "| retries | replays (200) | unacknowledged | lost | duplicates |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in reports:
        name = "A steady" if r.phase == "A" else f"B kill -9 at {r.kill_at_s} s, down {r.down_s} s"
        print(
            f"| {name} | {r.rate:g}/s × {r.seconds:g} s | {r.requests} | {r.acknowledged} | {r.throughput} "
            f"| {r.in_window} | {r.p50_ms} | {r.p90_ms} | {r.p99_ms} | {r.max_ms} | {r.retries} | {r.replays} "
            f"| {r.unacknowledged} | {r.lost} | {r.duplicates} |"
        )
    print()
    for r in reports:
        errs = ", ".join(f"{k}: {v}" for k, v in r.errors.items()) or "none"
        print(f"Phase {r.phase}: failed attempts by kind: {errs}.")
        for line in cpu_lines(
            r.cpu, acknowledged=r.acknowledged, peak=r.peak_connections, lag_p99_ms=r.schedule_lag_p99_ms
        ):
            print(line)
        for line in r.checks:
            print(f"  {line}")
        print(f"  submissions without a triage task in the queue: {r.no_triage_task}")
    print()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True, help="base URL of the server, e.g. http://127.0.0.1:8123")
    p.add_argument("--server-cmd", required=True, help="shell command that starts the server on --url")
    p.add_argument("--server-log", help="file the server's output is appended to")
    p.add_argument("--pidfile", help="file that receives the server's process group id")
    p.add_argument("--plan", type=int, help="Document id (default: the first plan in the database)")
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--rate", type=float, default=200, help="requests per second offered")
    p.add_argument("--phases", default="AB", help="A (steady), B (kill -9 and restart), or AB")
    p.add_argument("--kill-at", type=float, default=0.4, help="fraction of the window at which B kills")
    p.add_argument("--restart-after", type=float, default=2.0, help="seconds between kill and restart")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds before an attempt is given up")
    p.add_argument("--grace", type=float, default=60.0, help="seconds after the window for retries")
    p.add_argument("--max-conns", type=int, default=256)
    p.add_argument("--ready-timeout", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--json", help="write the results here")
    args = p.parse_args(argv)
    args.run_id = uuid.uuid4().hex[:8]

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loa.settings")
    import django

    django.setup()
    from django.db import connection

    from loa.plans.models import Document

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
    settings_line = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes') ORDER BY name"
            )
            settings_line = ", ".join(f"{n}={v}" for n, v in cur.fetchall())
    connection.close()

    server = Server(args.server_cmd, args.url, args.pidfile, args.server_log, probe_path=PATH)
    postmaster = find_postmaster(pg_port())
    reports: list[PhaseReport] = []
    print(
        f"Feedback load test: {args.rate:g} requests/s for {args.seconds:g} s per phase, plan #{args.plan}, run {args.run_id}"
    )
    print(f"Server: {args.server_cmd}")
    print(f"Database: {connection.vendor} {settings_line}")
    try:
        for phase in args.phases.upper():
            if server.proc is None:
                server.start()
            ready = server.wait_ready(args.ready_timeout)
            print(f"  phase {phase}: server answering after {ready:.1f} s", flush=True)
            since = dt.datetime.now(dt.UTC)
            results, events = asyncio.run(run_phase(args, phase, server, postmaster))
            check = verify(args, phase, results, since)
            connection.close()
            report = summarise(args, phase, results, events, check)
            reports.append(report)
            print(
                f"  phase {phase}: {report.acknowledged}/{report.requests} acknowledged, {report.throughput}/s, "
                f"p99 {report.p99_ms} ms, lost {report.lost}, duplicates {report.duplicates}",
                flush=True,
            )
    finally:
        server.kill()
    print_table(reports)
    ok = all(r.lost == 0 and r.duplicates == 0 for r in reports)
    target = all(r.unacknowledged == 0 and r.throughput >= 0.99 * r.rate for r in reports if r.phase == "A")
    print(
        f"Every acknowledged submission stored, no duplicate: {'yes' if ok else 'NO'}. "
        f"Phase A sustained {args.rate:g}/s (all acknowledged, ≥ 99 % of the offered rate): {'yes' if target else 'no'}."
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "run": args.run_id,
                    "server": args.server_cmd,
                    "database": settings_line,
                    "phases": [asdict(r) for r in reports],
                },
                f,
                ensure_ascii=False,
                indent=1,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
