"""``loa rebuild-tallies``: recompute the dashboard tallies of every plan from the activities.

Loa keeps the tallies itself on every write; run this after loading activities behind Loa's back
(a database restore, a script writing SQL). It also runs ``PRAGMA optimize`` on SQLite.
"""

import time

from django.core.management.base import BaseCommand

from loa.activities import tallies
from loa.activities.sqlite import optimize


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp hoạt động (số liệu của các trang tiến độ) của mọi kế hoạch."

    def handle(self, *args, **options):
        started = time.perf_counter()
        plans = tallies.rebuild()
        optimize()
        self.stdout.write(
            f"Đã tính lại số liệu tổng hợp của {plans} kế hoạch trong {time.perf_counter() - started:.1f} giây."
        )
