"""A sample export to try the desk with: made-up posts (labelled as such), not real people.

Thirty days of everyday questions and comments about a commune's life, then one rumour re-posted
a dozen times on one day, as a social-listening tool would export them (author column included,
which Loa never reads).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

TOPICS = [
    "rác thải",
    "đèn đường",
    "lịch tiêm chủng",
    "đăng ký kinh doanh",
    "học phí",
    "giá điện",
    "bảo hiểm y tế",
]
PLACES = ["Láng", "Chùa Bộc", "Tây Sơn", "Thái Hà", "Đê La Thành", "Kim Mã", "Giảng Võ", "Nguyễn Chí Thanh"]
RUMOUR = "Tin đồn: ngày mai cắt nước toàn thành phố ba ngày, mọi người tích trữ nước ngay! Chia sẻ {k}"


def sample_csv(
    start: dt.date, *, days: int = 30, per_day: int = 8, burst_day: int = 26, burst: int = 12
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Author", "Content", "Time", "Platform", "Likes"])
    n = 0
    for d in range(days):
        day = start + dt.timedelta(days=d)
        for i in range(per_day):
            n += 1
            topic, place = TOPICS[(d + i) % len(TOPICS)], PLACES[(d * 3 + i) % len(PLACES)]
            writer.writerow(
                [
                    f"Người {n}",
                    f"Hỏi về {topic} ở phố {place}, mã {n}",
                    f"{day.isoformat()} {8 + i}:00",
                    "Facebook (mẫu)",
                    i,
                ]
            )
    day = start + dt.timedelta(days=burst_day)
    for k in range(burst):
        writer.writerow(
            [
                f"Ẩn danh {k}",
                RUMOUR.format(k=k),
                f"{day.isoformat()} {9 + k % 8}:30",
                "Facebook (mẫu)",
                100 + k,
            ]
        )
    return out.getvalue().encode("utf-8")
