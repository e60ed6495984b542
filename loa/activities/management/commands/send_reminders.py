"""``loa send-reminders [--today YYYY-MM-DD] [--within 7] [--base-url URL]``.

Meant to run once a day from cron or a systemd timer, for example::

    # /etc/cron.d/loa — every morning at 07:00
    0 7 * * *  loa  cd /srv/loa && .venv/bin/loa send-reminders

Running it twice the same day emails nobody twice (the day's audit entries are the record).
With the database tasks backend (``LOA_TASKS_BACKEND=database``) the same work is the task
``loa.activities.tasks.send_daily_reminders``, which ``manage.py db_worker`` runs once enqueued.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from loa.activities.urging import default_base_url, local_today, run_digests


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value} (cần dạng YYYY-MM-DD).", returncode=2) from exc


class Command(BaseCommand):
    help = (
        "Gửi thư đôn đốc: mỗi cán bộ phụ trách nhận một thư tổng hợp các nhiệm vụ sắp đến hạn, quá hạn "
        "hoặc chưa đạt chỉ tiêu kỳ này. Chạy hằng ngày (cron, systemd timer); chạy lại trong ngày không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="ngày coi là hôm nay, YYYY-MM-DD (mặc định: hôm nay, giờ Hà Nội)")
        parser.add_argument(
            "--within", type=int, default=7, help="nhắc nhiệm vụ đến hạn trong số ngày này (mặc định 7)"
        )
        parser.add_argument(
            "--base-url", default=None, help="địa chỉ trang Loa dùng trong liên kết (mặc định LOA_BASE_URL)"
        )

    def handle(self, *args, today, within, base_url, **options):
        if within < 0:
            raise CommandError("--within phải từ 0 trở lên.", returncode=2)
        day = _date(today) if today else local_today()
        s = run_digests(today=day, within_days=within, base_url=base_url or default_base_url())
        self.stdout.write(
            f"Ngày {day.day}/{day.month}/{day.year}: {s.items} nhiệm vụ cần đôn đốc "
            f"(đến hạn trong {within} ngày, quá hạn hoặc chưa đạt chỉ tiêu kỳ này)."
        )
        self.stdout.write(f"  Đã gửi {s.sent} thư.")
        if s.already_sent:
            self.stdout.write(f"  {s.already_sent} người đã nhận thư hôm nay, không gửi lại.")
        if s.without_email:
            self.stdout.write(
                f"  {len(s.without_email)} người chưa có địa chỉ email: {', '.join(s.without_email)}."
            )
        if s.without_person:
            self.stdout.write(f"  {s.without_person} nhiệm vụ chưa có cán bộ phụ trách để nhận thư.")
        if s.failed:
            self.stdout.write(f"  {s.failed} thư gửi không thành công (xem nhật ký lỗi).")
