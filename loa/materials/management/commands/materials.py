"""`loa materials digest|schedule|demo`: the digest job by hand, or scheduled for the worker; a
sample quiz round for the sample plans."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Tài liệu tuyên truyền: gửi bản tin theo đăng ký, đặt lịch cho worker"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("digest", help="Xếp hàng và gửi bản tin của kỳ vừa qua (chạy lại không gửi trùng)")
        sub.add_parser("schedule", help="Đặt lịch chạy mỗi giờ cho worker (một lần là đủ)")
        sub.add_parser("demo", help="Mở vòng thi mẫu (ghi rõ là mẫu) cho các kế hoạch mẫu")

    def handle(self, *args, **opts):
        from loa.materials.tasks import digests

        if opts["action"] == "demo":
            from loa.materials.samples import load

            self.stdout.write(f"Đã mở {load()} vòng thi mẫu.")
            return
        if opts["action"] == "digest":
            digests.call()
            self.stdout.write("Đã xếp hàng và gửi bản tin.")
            return
        from loa.core.tasks import ensure_scheduled

        self.stdout.write(
            {
                "unsupported": "Bộ chạy tác vụ hiện tại không hẹn giờ được; dùng `loa materials digest`.",
                "already": "Lịch đã có.",
                "scheduled": "Đã đặt lịch gửi bản tin mỗi giờ.",
            }[ensure_scheduled(digests)]
        )
