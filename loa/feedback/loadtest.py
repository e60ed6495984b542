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
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

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


class Failed(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


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


class Pool:
    """Keep-alive HTTP/1.1 connections to one host:port, at most ``size`` open at once."""

    def __init__(self, host: str, port: int, size: int):
        self.host, self.port, self.size = host, port, size
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.open = 0
        self.free = asyncio.Condition()
        self.peak = 0

    async def get(self, timeout: float):
        async with self.free:
            while not self.idle and self.open >= self.size:
                await self.free.wait()
            if self.idle:
                return self.idle.pop(), True
            self.open += 1
            self.peak = max(self.peak, self.open)
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
        except TimeoutError:
            await self.drop(None)
            raise Failed("timeout") from None
        except ConnectionRefusedError:
            await self.drop(None)
            raise Failed("connection refused") from None
        except OSError:
            await self.drop(None)
            raise Failed("connection reset/closed") from None
        except BaseException:
            await self.drop(None)
            raise
        return (reader, writer), False

    async def put(self, conn) -> None:
        async with self.free:
            self.idle.append(conn)
            self.free.notify()

    async def drop(self, conn) -> None:
        if conn is not None:
            conn[1].transport.abort()
        async with self.free:
            self.open -= 1
            self.free.notify()

    def close_all(self) -> None:
        for _reader, writer in self.idle:
            writer.transport.abort()
        self.idle.clear()


async def _exchange(pool: Pool, request: bytes, timeout: float) -> tuple[int, bytes]:
    """One request on a pooled connection; a connection the server had closed while idle is retried
    once on a fresh one (the usual keep-alive race, not a failure of the server)."""
    for _try in range(2):
        conn, reused = await pool.get(timeout)
        reader, writer = conn
        got_bytes = False
        try:
            async with asyncio.timeout(timeout):
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                got_bytes = True
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
        except TimeoutError:
            await pool.drop(conn)
            raise Failed("timeout") from None
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as exc:
            await pool.drop(conn)
            if reused and not got_bytes and _try == 0:
                continue
            if isinstance(exc, ConnectionRefusedError):
                raise Failed("connection refused") from None
            raise Failed("connection reset/closed") from None
        if headers.get("connection", "").lower() == "close":
            await pool.drop(conn)
        else:
            await pool.put(conn)
        return status, body
    raise Failed("connection reset/closed")  # pragma: no cover


async def one(pool: Pool, res: Result, request: bytes, *, timeout: float, deadline: float) -> None:
    loop = asyncio.get_running_loop()
    delay = 0.05
    while True:
        res.attempts += 1
        if res.first_send is None:
            res.first_send = loop.time()
        try:
            status, body = await _exchange(pool, request, timeout)
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


class Server:
    """The server command in a process group of its own; SIGKILL takes the master and its workers."""

    def __init__(self, cmd: str, url: str, pidfile: str | None, log: str | None):
        self.cmd, self.url, self.pidfile, self.log = cmd, url, pidfile, log
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            ["bash", "-c", "exec " + self.cmd], start_new_session=True, stdout=out, stderr=subprocess.STDOUT
        )
        if self.log:
            out.close()
        self.starts += 1
        if self.pidfile:
            with open(self.pidfile, "w") as f:
                f.write(str(self.proc.pid))

    def kill(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None

    def pgid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def wait_ready(self, timeout: float) -> float:
        u = urlsplit(self.url)
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc is not None and self.proc.poll() is not None:
                raise SystemExit(f"the server exited with status {self.proc.returncode} (log: {self.log})")
            try:
                import http.client

                c = http.client.HTTPConnection(u.hostname, u.port, timeout=2)
                c.request("GET", PATH)
                c.getresponse().read()
                c.close()
                return time.monotonic() - t0
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"the server did not answer within {timeout:.0f} s (log: {self.log})")


def _stat(pid: int) -> tuple[int, int, float, float] | None:
    """(ppid, pgid, cpu seconds, cpu seconds of its reaped children) of a process, from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except OSError:
        return None
    parts = raw[raw.rindex(")") + 2 :].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (
        int(parts[1]),
        int(parts[2]),
        (int(parts[11]) + int(parts[12])) / tick,
        (int(parts[13]) + int(parts[14])) / tick,
    )


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _postmaster(port: int | None) -> int | None:
    """The pid of the PostgreSQL server listening on ``port`` (its command line names the port)."""
    if not port:
        return None
    for p in _all_pids():
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"postgres") and b"-p" in args:
            i = args.index(b"-p")
            if i + 1 < len(args) and args[i + 1] == str(port).encode():
                return p
    return None


class CpuMeter:
    """CPU used during a phase, in % of one core: this client (getrusage), the server's process group
    (sampled once a second: a worker killed in between counts up to its last sample), PostgreSQL (the
    postmaster with its reaped children plus the live backends: one backend per request is short-lived)
    and the whole machine (/proc/stat), the rest being other work on the machine."""

    def __init__(self, server_pgid, postmaster: int | None):
        self.server_pgid, self.postmaster = server_pgid, postmaster
        self.server0: dict[int, float] = {}
        self.server: dict[int, float] = {}
        self.loads: list[float] = []
        self.t0 = time.monotonic()
        self.machine0 = self._machine()
        self.self0 = self._self()
        self.server0, self.pg0 = self._scan()

    def _scan(self) -> tuple[dict[int, float], float]:
        server: dict[int, float] = {}
        pg = 0.0
        pgid = self.server_pgid()
        for p in _all_pids():
            s = _stat(p)
            if s is None:
                continue
            if pgid is not None and s[1] == pgid:
                server[p] = s[2]
            elif self.postmaster is not None and p == self.postmaster:
                pg += s[2] + s[3]
            elif self.postmaster is not None and s[0] == self.postmaster:
                pg += s[2]
        return server, pg

    @staticmethod
    def _machine() -> tuple[float, float]:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]
        return sum(v) - idle, sum(v)

    @staticmethod
    def _self() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    def sample(self) -> None:
        server, _pg = self._scan()
        self.server.update(server)
        self.loads.append(os.getloadavg()[0])

    def report(self) -> dict:
        server, pg1 = self._scan()
        self.server.update(server)
        self.loads.append(os.getloadavg()[0])
        wall = time.monotonic() - self.t0
        busy0, total0 = self.machine0
        busy1, total1 = self._machine()
        out = {
            "wall_s": round(wall, 1),
            "client_cpu_pct": round(100 * (self._self() - self.self0) / wall, 1),
            "server_cpu_pct": round(
                100 * sum(v - self.server0.get(p, 0.0) for p, v in self.server.items()) / wall, 1
            ),
            "postgres_cpu_pct": round(100 * (pg1 - self.pg0) / wall, 1) if self.postmaster else None,
            "machine_busy_pct": round(100 * (busy1 - busy0) / max(total1 - total0, 1) * os.cpu_count(), 1),
            "load_avg_max": round(max(self.loads), 2),
            "load_avg_end": round(self.loads[-1], 2),
        }
        out["other_cpu_pct"] = round(
            out["machine_busy_pct"]
            - out["client_cpu_pct"]
            - out["server_cpu_pct"]
            - (out["postgres_cpu_pct"] or 0),
            1,
        )
        return out


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


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * len(values) + 0.5) - 1))]


async def run_phase(args, phase: str, server: Server, postmaster: int | None) -> tuple[list[Result], dict]:
    u = urlsplit(args.url)
    host, port = u.hostname, u.port or 80
    pool = Pool(host, port, args.max_conns)
    loop = asyncio.get_running_loop()
    n = int(args.seconds * args.rate)
    prefix = f"{args.run_id}-{phase}-"
    requests = [
        build_request(host, port, f"{prefix}{i:07d}", make_body(args.plan, args.seed, phase, i))
        for i in range(n)
    ]
    results = [Result(key=f"{prefix}{i:07d}", due=0.0) for i in range(n)]
    meter = CpuMeter(server.pgid, postmaster)
    start = loop.time() + 0.2
    window_end = start + args.seconds
    deadline = window_end + args.grace
    events: dict = {}
    stop = asyncio.Event()

    async def sampler():
        while not stop.is_set():
            await asyncio.to_thread(meter.sample)
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass

    async def killer():
        await asyncio.sleep(start + args.kill_at * args.seconds - loop.time())
        events["kill_at_s"] = loop.time() - start
        meter.sample()
        server.kill()
        t_down = loop.time()
        print(
            f"  phase {phase}: server killed (SIGKILL to its process group) at {events['kill_at_s']:.1f} s",
            flush=True,
        )
        await asyncio.sleep(args.restart_after)
        server.start()
        print(f"  phase {phase}: server started again {loop.time() - t_down:.1f} s later", flush=True)
        # when did it answer again?
        while loop.time() < deadline:
            try:
                r, w = await asyncio.open_connection(host, port)
                w.write(f"GET {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
                await w.drain()
                await asyncio.wait_for(r.readuntil(b"\r\n"), 10)
                w.transport.abort()
                events["down_s"] = loop.time() - t_down
                print(
                    f"  phase {phase}: server answering again {events['down_s']:.1f} s after the kill",
                    flush=True,
                )
                return
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                await asyncio.sleep(0.05)

    tasks = []
    side = [asyncio.create_task(sampler())]
    if phase == "B":
        side.append(asyncio.create_task(killer()))
    for i in range(n):
        due = start + i / args.rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        results[i].due = due
        tasks.append(
            asyncio.create_task(one(pool, results[i], requests[i], timeout=args.timeout, deadline=deadline))
        )
    await asyncio.gather(*tasks)
    for t in side[1:]:
        await t
    stop.set()
    await side[0]
    pool.close_all()
    events.update(start=start, window_end=window_end, peak=pool.peak, cpu=meter.report())
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
        p50_ms=round(_pct(lat, 0.50), 1),
        p90_ms=round(_pct(lat, 0.90), 1),
        p99_ms=round(_pct(lat, 0.99), 1),
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
        schedule_lag_p99_ms=round(_pct(lag, 0.99), 1),
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
        c = r.cpu
        print(f"Phase {r.phase}: failed attempts by kind: {errs}.")
        print(
            f"  CPU (% of one core, over {c['wall_s']} s): client {c['client_cpu_pct']}, server "
            f"{c.get('server_cpu_pct', '?')}, PostgreSQL {c.get('postgres_cpu_pct', '?')}, whole machine "
            f"{c['machine_busy_pct']} of {100 * os.cpu_count()} (other processes {c['other_cpu_pct']}); load average max {c['load_avg_max']}, "
            f"at the end {c['load_avg_end']}; peak client connections {r.peak_connections}; "
            f"client schedule lag p99 {r.schedule_lag_p99_ms} ms."
        )
        if r.acknowledged:
            per = {
                k: c[f"{k}_cpu_pct"] * c["wall_s"] * 10 / r.acknowledged
                for k in ("client", "server", "postgres")
            }
            total = sum(v for k, v in per.items() if k != "client")
            print(
                f"  CPU per acknowledged submission: server {per['server']:.1f} ms, PostgreSQL {per['postgres']:.1f} ms, "
                f"client {per['client']:.2f} ms: {os.cpu_count()} cores alone would serve about "
                f"{1000 * os.cpu_count() / max(total + per['client'], 1e-9):.0f}/s."
            )
        for line in r.checks:
            print(f"  {line}")
        print(f"  submissions without a triage task in the queue: {r.no_triage_task}")
    print()


def _pg_port() -> int | None:
    url = os.environ.get("DATABASE_URL", "")
    try:
        return urlsplit(url).port if url.startswith("postgres") else None
    except ValueError:
        return None


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

    server = Server(args.server_cmd, args.url, args.pidfile, args.server_log)
    postmaster = _postmaster(_pg_port())
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
