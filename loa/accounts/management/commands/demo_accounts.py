import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from loa.accounts.models import Role
from loa.accounts.services import grant_role
from loa.org.models import Unit

# Sample accounts (labelled "mẫu") to try each role on the sample plans.
DEMO = [
    ("mau.thanhuy", "Ban Tuyên giáo và Dân vận Thành ủy Hà Nội", None, Role.OFFICE,
     "cơ quan điều hành cấp thành phố"),
    ("mau.vanphong.xa", "UBND xã Hưng Đạo", "Hưng Đạo", Role.OFFICE, "cơ quan điều hành xã Hưng Đạo"),
    ("mau.canbo.xa", "Trung tâm dịch vụ tổng hợp xã Hưng Đạo", "Hưng Đạo", Role.OFFICER,
     "cán bộ Trung tâm dịch vụ tổng hợp xã"),
    ("mau.lanhdao.xa", "UBND xã Hưng Đạo", "Hưng Đạo", Role.VIEWER, "lãnh đạo xã (chỉ xem)"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Tạo các tài khoản mẫu (mỗi vai trò một tài khoản) để dùng thử; in mật khẩu một lần."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="đặt lại mật khẩu các tài khoản mẫu")

    def handle(self, *args, reset: bool, **options):
        User = get_user_model()
        printed = False
        for username, unit_name, place, role, label in DEMO:
            units = Unit.objects.filter(name=unit_name)
            if place:
                units = units.filter(area__name__endswith=place)
            unit = units.first()
            if unit is None:
                self.stdout.write(f"Bỏ qua {username}: chưa có đơn vị “{unit_name}” (chạy `loa load-units`).")
                continue
            with transaction.atomic():
                user, created = User.objects.get_or_create(username=username, defaults={"first_name": "Mẫu"})
                password = None
                if created or reset:
                    password = secrets.token_urlsafe(9)
                    user.set_password(password)
                    user.save()
                grant_role(user=user, unit=unit, role=role)
            if password:
                if not printed:
                    self.stdout.write(
                        "Tài khoản mẫu (chỉ in một lần; `loa demo-accounts --reset` để đặt lại):"
                    )
                    printed = True
                self.stdout.write(f"  {username:<18} {password:<14} {label}")
        if not printed:
            self.stdout.write(
                "Tài khoản mẫu đã có (mau.thanhuy, mau.vanphong.xa, mau.canbo.xa, mau.lanhdao.xa)."
            )
