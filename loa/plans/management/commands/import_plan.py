from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from loa.docparse import DocumentError
from loa.org.models import Area
from loa.plans.services import import_plan, max_upload_bytes


class Command(BaseCommand):
    help = "Nhập một hay nhiều tệp kế hoạch (.docx, .pdf, .txt, .md) vào Loa và in địa chỉ trang kế hoạch."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--sample", action="store_true", help="đánh dấu là dữ liệu mẫu")
        parser.add_argument("--area", help="mã đơn vị hành chính (vietnam-provinces) của cơ quan ban hành")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, paths, sample, area, base_url, **options):
        area_obj = None
        if area:
            area_obj = Area.objects.filter(code=area).first()
            if area_obj is None:
                raise CommandError(
                    f"Không có đơn vị hành chính mã {area}. Chạy `loa load_units` trước.", returncode=2
                )
        failed = 0
        for raw in paths:
            path = Path(raw)
            try:
                if not path.is_file():
                    raise DocumentError("missing", "Không tìm thấy tệp.")
                if path.stat().st_size > max_upload_bytes():
                    raise DocumentError("too_big", "Tệp vượt quá giới hạn dung lượng (LOA_MAX_UPLOAD_MB).")
                result = import_plan(
                    data=path.read_bytes(), filename=path.name, area=area_obj, is_sample=sample
                )
            except DocumentError as exc:
                self.stderr.write(f"Lỗi: {raw}: {exc.message}")
                failed += 1
                continue
            url = base_url.rstrip("/") + reverse("plans:detail", args=[result.document.pk])
            if not result.created_version:
                what = "đã có, không nhập lại"
            elif result.created_document:
                what = "đã nhập"
            else:
                what = f"đã nhập phiên bản mới v{result.version.number}"
            tasks = result.document.tasks.filter(status="open").count()
            self.stdout.write(f"{result.document} — {what}; {tasks} nhiệm vụ. Xem tại: {url}")
            for w in result.warnings if result.created_version else []:
                self.stdout.write(f"  ! {w}")
            if result.unconfirmed_units:
                self.stdout.write(
                    f"  {result.unconfirmed_units} đơn vị mới cần xác nhận: {base_url}/don-vi/xac-nhan/"
                )
        if failed:
            raise CommandError(f"{failed} tệp không nhập được.", returncode=2)
