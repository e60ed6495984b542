"""An open-loop HTTP load generator for Loa's load benchmarks (``loa.feedback.loadtest``,
``loa.materials.contest_loadtest``): keep-alive connections on raw asyncio streams, a server command run
in its own process group (killed with SIGKILL and restarted mid-run), CPU accounting per party, and the
open loop itself: request ``i`` is due at ``start + i / rate`` whether or not earlier ones were
answered, so latency is measured from the due time (no coordinated omission). No Django here."""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit


class Failed(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


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


async def exchange(pool: Pool, request: bytes, timeout: float) -> tuple[int, bytes]:
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


# ---------------------------------------------------------------------------------------------- server


class Server:
    """The server command in a process group of its own; SIGKILL takes the master and its workers."""

    def __init__(self, cmd: str, url: str, pidfile: str | None, log: str | None, probe_path: str = "/"):
        self.cmd, self.url, self.pidfile, self.log, self.probe_path = cmd, url, pidfile, log, probe_path
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
                c.request("GET", self.probe_path)
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


def find_postmaster(port: int | None) -> int | None:
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


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * len(values) + 0.5) - 1))]


def pg_port() -> int | None:
    url = os.environ.get("DATABASE_URL", "")
    try:
        return urlsplit(url).port if url.startswith("postgres") else None
    except ValueError:
        return None


async def open_loop(
    *,
    n: int,
    rate: float,
    seconds: float,
    grace: float,
    pool: Pool,
    meter: CpuMeter,
    send: Callable[[int, float, float], Awaitable[None]],
    server: Server | None = None,
    kill_at: float | None = None,
    restart_after: float = 2.0,
    label: str = "",
) -> dict:
    """Send ``n`` requests, request ``i`` due at ``start + i / rate``: ``send(i, due, deadline)`` makes
    and retries it until acknowledged or ``deadline`` (the window plus ``grace``). With ``kill_at`` (a
    fraction of the window), the server's process group is killed at that point and started again
    ``restart_after`` seconds later. Returns the events: start, window end, kill time, downtime, peak
    connections, CPU."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    window_end = start + seconds
    deadline = window_end + grace
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
        await asyncio.sleep(start + kill_at * seconds - loop.time())
        events["kill_at_s"] = loop.time() - start
        meter.sample()
        server.kill()
        t_down = loop.time()
        print(
            f"  {label}: server killed (SIGKILL to its process group) at {events['kill_at_s']:.1f} s",
            flush=True,
        )
        await asyncio.sleep(restart_after)
        server.start()
        print(f"  {label}: server started again {loop.time() - t_down:.1f} s later", flush=True)
        u = urlsplit(server.url)
        while loop.time() < deadline:  # when does it answer again?
            try:
                r, w = await asyncio.open_connection(u.hostname, u.port)
                w.write(
                    f"GET {server.probe_path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nConnection: close\r\n\r\n".encode()
                )
                await w.drain()
                await asyncio.wait_for(r.readuntil(b"\r\n"), 10)
                w.transport.abort()
                events["down_s"] = loop.time() - t_down
                print(
                    f"  {label}: server answering again {events['down_s']:.1f} s after the kill", flush=True
                )
                return
            except (OSError, TimeoutError, asyncio.IncompleteReadError):
                await asyncio.sleep(0.05)

    side = [asyncio.create_task(sampler())]
    if kill_at is not None and server is not None:
        side.append(asyncio.create_task(killer()))
    tasks = []
    for i in range(n):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(i, due, deadline)))
    await asyncio.gather(*tasks)
    for t in side[1:]:
        await t
    stop.set()
    await side[0]
    pool.close_all()
    events.update(start=start, window_end=window_end, peak=pool.peak, cpu=meter.report())
    return events


def cpu_lines(cpu: dict, *, acknowledged: int, peak: int, lag_p99_ms: float) -> list[str]:
    """The CPU lines of a phase's report (``CpuMeter.report``): who used the cores, and what one
    acknowledged request cost each party — hence what the cores alone would serve."""
    c = cpu
    lines = [
        f"  CPU (% of one core, over {c['wall_s']} s): client {c['client_cpu_pct']}, server "
        f"{c.get('server_cpu_pct', '?')}, PostgreSQL {c.get('postgres_cpu_pct', '?')}, whole machine "
        f"{c['machine_busy_pct']} of {100 * os.cpu_count()} (other processes {c['other_cpu_pct']}); load "
        f"average max {c['load_avg_max']}, at the end {c['load_avg_end']}; peak client connections "
        f"{peak}; client schedule lag p99 {lag_p99_ms} ms."
    ]
    if acknowledged:
        per = {
            k: (c[f"{k}_cpu_pct"] or 0) * c["wall_s"] * 10 / acknowledged
            for k in ("client", "server", "postgres")
        }
        lines.append(
            f"  CPU per acknowledged submission: server {per['server']:.1f} ms, PostgreSQL "
            f"{per['postgres']:.1f} ms, client {per['client']:.2f} ms: {os.cpu_count()} cores alone would "
            f"serve about {1000 * os.cpu_count() / max(sum(per.values()), 1e-9):.0f}/s."
        )
    return lines
