import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loa.activities.demo import create_demo_activities


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value} (cần dạng YYYY-MM-DD).", returncode=2) from exc


class Command(BaseCommand):
    help = (
        "Tạo hoạt động mẫu (đánh dấu là dữ liệu mẫu) cho các kế hoạch mẫu trong những tháng gần đây, "
        "để xem được chỉ tiêu, trạng thái nhiệm vụ và báo cáo. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=6, help="số tháng gần nhất (mặc định 6)")
        parser.add_argument("--today", help="ngày coi là hôm nay, YYYY-MM-DD (mặc định: hôm nay, giờ Hà Nội)")
        parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên (mặc định 1)")

    def handle(self, *args, months, today, seed, **options):
        if months < 1:
            raise CommandError("--months phải từ 1 trở lên.", returncode=2)
        day = _date(today) if today else timezone.now().astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
        result = create_demo_activities(today=day, months=months, seed=seed)
        if not result.plans:
            self.stdout.write(
                "Chưa có kế hoạch mẫu. Nhập các kế hoạch mẫu trước: "
                "loa import-plan --sample loa/samples/plans/*.txt"
            )
            return
        if not result.changed:
            self.stdout.write("Dữ liệu mẫu đã có, không tạo thêm.")
            return
        dates = f", ngày {result.first:%d/%m/%Y} – {result.last:%d/%m/%Y}" if result.created else ""
        self.stdout.write(
            f"Đã tạo {result.created} hoạt động mẫu cho {len(result.assignments_with_new)} nhiệm vụ "
            f"của {len(result.units_with_new)} đơn vị ({result.plans} kế hoạch mẫu{dates})."
        )
        if result.existing:
            self.stdout.write(f"  {result.existing} hoạt động mẫu đã có từ trước, giữ nguyên.")
        if result.completed:
            self.stdout.write(f"  Đánh dấu hoàn thành {result.completed} nhiệm vụ.")
        self.stdout.write(
            f"  Để trống {result.idle} trong {result.assignments} nhiệm vụ (chưa bắt đầu), "
            "để thấy đủ các trạng thái."
        )
