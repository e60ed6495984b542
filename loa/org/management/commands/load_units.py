import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from loa.org.services import HANOI, load_areas, load_province


class Command(BaseCommand):
    help = "Load administrative areas (vietnam-provinces) and the usual bodies of one province (default: Hà Nội)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            "--tinh",
            dest="tinh",
            default=HANOI,
            help="province or city name, e.g. 'Hà Nội' (default)",
        )
        parser.add_argument(
            "--all-areas", action="store_true", help="also load the areas (not the bodies) of every province"
        )

    def handle(self, *args, tinh: str, all_areas: bool, **options):
        started = time.perf_counter()
        if all_areas:
            total = load_areas()
            self.stdout.write(_("Đã nạp %(count)d đơn vị hành chính cả nước.") % {"count": total})
        try:
            result = load_province(name=tinh)
        except ValueError as exc:
            raise CommandError(_("Không tìm thấy tỉnh, thành phố “%(name)s”.") % {"name": tinh}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(province)s: %(areas)d đơn vị hành chính, %(units)d đơn vị "
                    "(%(created)d mới, %(aliases)d tên gọi khác mới, %(groups)d nhóm mới), "
                    "danh mục phiên bản %(version)s, %(seconds).1f giây."
                )
                % {
                    "province": tinh,
                    "areas": result.areas,
                    "units": result.units,
                    "created": result.units_created,
                    "aliases": result.aliases_created,
                    "groups": result.groups_created,
                    "version": result.version,
                    "seconds": time.perf_counter() - started,
                }
            )
        )
