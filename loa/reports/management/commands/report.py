"""``loa report PLAN_ID [--from YYYY-MM-DD --to YYYY-MM-DD | --month YYYY-MM] [--area CODE]
[--out FILE.docx] [--pdf]``: the periodic report of a plan as DOCX (and PDF), as the office's
"Tải báo cáo" button makes it, over every unit (or one area's subtree). Prints the file names and
how long building the figures and the DOCX took."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loa.docgen import ConversionError, docx_to_pdf
from loa.org.models import Area, Unit
from loa.org.selectors import within_area
from loa.plans.models import Document
from loa.reports.builder import build_report
from loa.reports.render import report_docx
from loa.reports.selectors import letterhead_for, parse_period


class Command(BaseCommand):
    help = "Soạn báo cáo kết quả thông tin, tuyên truyền của một kế hoạch trong một kỳ (DOCX, PDF)."

    def add_arguments(self, parser):
        parser.add_argument("plan", type=int, help="mã kế hoạch (số ở địa chỉ trang kế hoạch)")
        parser.add_argument("--from", dest="start", help="ngày đầu kỳ, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="ngày cuối kỳ, YYYY-MM-DD")
        parser.add_argument("--month", help="cả một tháng, YYYY-MM (mặc định: tháng này)")
        parser.add_argument("--area", help="mã địa bàn: chỉ các đơn vị của địa bàn đó")
        parser.add_argument("--out", help="tệp DOCX ghi ra (mặc định: bao-cao-<kế hoạch>-<kỳ>.docx)")
        parser.add_argument("--pdf", action="store_true", help="ghi thêm bản PDF (cần LibreOffice)")

    def handle(self, *args, **o):
        document = Document.objects.filter(pk=o["plan"]).select_related("issuer", "current_version").first()
        if document is None:
            raise CommandError(f"Không có kế hoạch mã {o['plan']}.", returncode=2)
        try:
            start, end = parse_period(
                o["month"] or o["start"], None if o["month"] else o["end"], timezone.localdate()
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        try:
            units, area = within_area(Unit.objects.all(), o["area"])
        except Area.DoesNotExist as exc:
            raise CommandError(f"Không có địa bàn mã {o['area']}.", returncode=2) from exc
        label = area.name if area else ""
        t0 = time.perf_counter()
        data = build_report(document, units, start, end, scope_label=label)
        t1 = time.perf_counter()
        body = report_docx(data, letterhead_for(document))
        t2 = time.perf_counter()
        out = Path(o["out"] or f"bao-cao-{document.pk}-{start:%Y%m%d}-{end:%Y%m%d}.docx")
        out.write_bytes(body)
        self.stdout.write(
            f"{out}: {data.totals.activities:,} hoạt động của {data.units_active}/{data.units_assigned} đơn vị; "
            f"số liệu {t1 - t0:.2f} s, DOCX {t2 - t1:.2f} s"
        )
        if o["pdf"]:
            try:
                pdf = docx_to_pdf(body)
            except ConversionError as exc:
                raise CommandError(str(exc), returncode=1) from exc
            out.with_suffix(".pdf").write_bytes(pdf)
            self.stdout.write(f"{out.with_suffix('.pdf')}: PDF {time.perf_counter() - t2:.2f} s")
