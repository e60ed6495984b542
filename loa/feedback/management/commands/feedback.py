"""`loa feedback remind|purge|rotate-keys|schedule`: the citizen-feedback housekeeping by hand."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Ý kiến người dân: nhắc hạn, xóa dữ liệu cá nhân hết hạn lưu, đổi khóa mã hóa, đặt lịch"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="Gửi thư nhắc hạn và báo quá hạn (mỗi thông báo một lần)")
        sub.add_parser("purge", help="Xóa dữ liệu cá nhân quá thời hạn lưu giữ")
        sub.add_parser(
            "rotate-keys", help="Mã hóa lại mọi dữ liệu cá nhân đã mã hóa bằng khóa mới nhất (LOA_FIELD_KEYS)"
        )
        sub.add_parser("schedule", help="Đặt lịch chạy định kỳ cho worker (một lần là đủ)")
        sub.add_parser("demo", help="Thêm ý kiến mẫu (ẩn danh, ghi rõ là mẫu) cho các kế hoạch mẫu")

    def handle(self, *args, **opts):
        from loa.feedback import reminders, services

        action = opts["action"]
        if action == "remind":
            self.stdout.write(f"Đã gửi {reminders.send()} thư.")
        elif action == "purge":
            n = services.purge_expired(retention_days=settings.LOA_FEEDBACK_RETENTION_DAYS)
            self.stdout.write(f"Đã xóa dữ liệu cá nhân của {n} ý kiến.")
        elif action == "demo":
            from loa.feedback.samples import load

            self.stdout.write(f"Đã thêm {load()} ý kiến mẫu.")
        elif action == "rotate-keys":
            self.stdout.write(f"Đã mã hóa lại {services.rotate_keys()} bản ghi bằng khóa mới nhất.")
        elif action == "schedule":
            from loa.core.tasks import ensure_scheduled
            from loa.feedback.tasks import watch

            self.stdout.write(
                {
                    "unsupported": "Bộ chạy tác vụ hiện tại không hẹn giờ được; dùng `loa feedback remind` và "
                    "`loa feedback purge`.",
                    "already": "Lịch đã có.",
                    "scheduled": "Đã đặt lịch nhắc hạn và xóa dữ liệu hết hạn.",
                }[ensure_scheduled(watch)]
            )
