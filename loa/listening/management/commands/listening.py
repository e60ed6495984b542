"""``loa listening purge``: delete raw items past the retention period (surges and claims stay).
``loa listening process [--plan ID]``: process waiting items in this process, like a worker.

``loa listening surges --input ITEMS.jsonl [--window day|hour]``: the surge detector outside the
database. Items are JSON lines ``{"id", "text", "time"}`` (time: ISO date or date-time); alerts
are JSON lines ``{"topic", "label", "window_start", "observed", "expected", "severity",
"evidence", ...}`` on stdout. A bad line is reported (in Vietnamese, with its number) on stderr
and skipped; an input with no usable line exits 2.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from loa.nlp.surges import Item, build_series, detect

MAX_BYTES = 512 * 1024 * 1024


def read_items(stream, err) -> tuple[list[Item], int]:
    """Items from JSON lines; returns (items, bad lines). Messages go to ``err``."""
    items, bad, seen = [], 0, set()
    for number, raw in enumerate(stream, 1):
        line = raw.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("không phải một đối tượng JSON")
            text = row.get("text")
            if not isinstance(text, str):
                raise ValueError("thiếu trường text")
            when = row.get("time") or row.get("date")
            if not isinstance(when, str):
                raise ValueError("thiếu trường time")
            time = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
            if time.tzinfo is not None:
                time = time.astimezone(dt.UTC).replace(tzinfo=None)
            item_id = str(row.get("id") if row.get("id") is not None else number)
        except (ValueError, TypeError) as exc:
            bad += 1
            if bad <= 20:
                err.write(f"Dòng {number}: bỏ qua ({exc}).\n")
            continue
        if item_id in seen:
            continue
        seen.add(item_id)
        items.append(Item(item_id, text[:5000], time))
    if bad > 20:
        err.write(f"… và {bad - 20} dòng lỗi khác.\n")
    return items, bad


class Command(BaseCommand):
    help = "Lắng nghe: phát hiện điểm nóng trong tệp JSON Lines (không dùng cơ sở dữ liệu)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        surges = sub.add_parser("surges", help="Phát hiện điểm nóng")
        surges.add_argument(
            "--input", required=True, help='Tệp JSON Lines {"id","text","time"}; "-" là stdin'
        )
        surges.add_argument("--window", choices=["day", "hour"], default="day")
        surges.add_argument("--alpha", type=float, default=1e-3)
        surges.add_argument("--min-count", type=int, default=5)
        surges.add_argument(
            "--all", action="store_true", help="Cả các cửa sổ đầu (mặc định: chỉ sau 14 cửa sổ)"
        )
        sub.add_parser("purge", help="Xóa các mục quá thời hạn lưu (LOA_LISTENING_RETENTION_DAYS)")
        process = sub.add_parser("process", help="Xử lý các mục đang chờ (như một worker)")
        process.add_argument("--plan", type=int, default=None)
        sub.add_parser("poll", help="Lấy tin từ các nguồn RSS/Atom đến hạn")
        sub.add_parser("schedule", help="Đặt lịch lấy tin định kỳ cho worker (một lần là đủ)")

    def handle(self, *args, **opts):
        if opts["action"] == "purge":
            from loa.listening.services import purge

            self.stdout.write(f"Đã xóa {purge()} bản ghi quá hạn lưu.")
            return
        if opts["action"] == "poll":
            from loa.listening.feeds import poll

            counts = poll()
            self.stdout.write(
                f"Đã lấy {counts['fetched']} nguồn tin, {counts['failed']} lỗi, {counts['created']} mục mới."
            )
            return
        if opts["action"] == "schedule":
            from loa.core.tasks import ensure_scheduled
            from loa.listening.tasks import poll_feeds

            self.stdout.write(
                {
                    "unsupported": "Bộ chạy tác vụ hiện tại không hẹn giờ được; dùng `loa listening poll`.",
                    "already": "Lịch lấy tin đã có.",
                    "scheduled": "Đã đặt lịch lấy tin định kỳ.",
                }[ensure_scheduled(poll_feeds)]
            )
            return
        if opts["action"] == "process":
            from loa.listening.pipeline import run

            self.stdout.write(f"Đã xử lý {run(opts['plan'])} mục.")
            return
        path = opts["input"]
        try:
            if path == "-":
                stream = sys.stdin
            else:
                stream = open(path, encoding="utf-8", errors="strict")  # noqa: SIM115
            with stream:
                items, bad = read_items(stream, self.stderr)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {path}.", returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError("Tệp không phải văn bản UTF-8 (JSON Lines).", returncode=2) from exc
        if not items:
            raise CommandError("Không có dòng hợp lệ nào trong tệp.", returncode=2)
        series = build_series(items, opts["window"])
        alerts = detect(
            series, alpha=opts["alpha"], min_count=opts["min_count"], start=1 if opts["all"] else None
        )
        for alert in alerts:
            self.stdout.write(json.dumps(alert.as_json(), ensure_ascii=False))
        self.stderr.write(
            f"{len(items)} mục, {len(series.windows)} cửa sổ, {len(series.counts)} chủ đề, {len(alerts)} điểm nóng"
            + (f"; {bad} dòng lỗi bị bỏ qua" if bad else "")
            + ".\n"
        )
