"""`loa materials digest|schedule`: the digest job by hand, or scheduled for the worker."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Tài liệu tuyên truyền: gửi bản tin theo đăng ký, đặt lịch cho worker"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("digest", help="Xếp hàng và gửi bản tin của kỳ vừa qua (chạy lại không gửi trùng)")
        sub.add_parser("schedule", help="Đặt lịch chạy mỗi giờ cho worker (một lần là đủ)")

    def handle(self, *args, **opts):
        from loa.materials.tasks import digests

        if opts["action"] == "digest":
            digests.call()
            self.stdout.write("Đã xếp hàng và gửi bản tin.")
            return
        if not digests.get_backend().supports_defer:
            self.stdout.write("Bộ chạy tác vụ hiện tại không hẹn giờ được; dùng `loa materials digest`.")
            return
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=digests.module_path, status__in=["READY", "RUNNING"]
        ).exists()
        if not waiting:
            digests.enqueue()
        self.stdout.write("Lịch đã có." if waiting else "Đã đặt lịch gửi bản tin mỗi giờ.")
