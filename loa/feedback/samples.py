"""Sample submissions for the sample plans, so a fresh installation's inbox and FAQ are not empty.

Made-up questions in the words citizens use, labelled sample (``is_sample``) everywhere they show;
anonymous (no contact data). Idempotent: a plan that already has sample submissions gets none.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from loa.plans.models import Document

from . import services
from .models import Submission

QUESTIONS = [
    (
        "question",
        "Xin hỏi xã có tổ chức phát loa truyền thanh về Nghị quyết 02 vào buổi sáng không, mấy giờ ạ?",
    ),
    ("question", "Cho tôi hỏi thôn tôi bao giờ có bảng tin về quy hoạch phát triển Thủ đô?"),
    ("question", "Người cao tuổi muốn tìm hiểu về chuyển đổi số thì đăng ký lớp hướng dẫn ở đâu?"),
    (
        "comment",
        "Đề nghị tin bài trên trang của xã viết ngắn gọn hơn, có hình ảnh minh họa để bà con dễ đọc.",
    ),
    ("idea", "Nên tổ chức cuộc thi tìm hiểu về Nghị quyết cho học sinh trung học cơ sở của xã."),
    ("petition", "Loa truyền thanh ở đầu thôn bị rè, nghe không rõ, đề nghị xã cho sửa sớm."),
    ("question", "Xin hỏi mục tiêu phát triển Thủ đô đến năm 2045 có những chỉ tiêu chính nào?"),
    ("comment", "Buổi sinh hoạt chi bộ tháng này đã phổ biến nghị quyết rất kỹ, cảm ơn các đồng chí."),
]
NOTE = "(dữ liệu mẫu)"


def load(now: dt.datetime | None = None) -> int:
    """Add the sample submissions to every sample plan that has none; returns how many were added."""
    now = now or timezone.now()
    added = 0
    for plan in Document.objects.filter(is_sample=True).exclude(current_version=None):
        if Submission.objects.filter(document=plan, is_sample=True).exists():
            continue
        with transaction.atomic():
            for i, (kind, text) in enumerate(QUESTIONS):
                submission, _code = services.submit(
                    kind=kind,
                    text=f"{text} {NOTE}",
                    document=plan,
                    now=now - dt.timedelta(days=len(QUESTIONS) - i, hours=3),
                )
                Submission.objects.filter(pk=submission.pk).update(is_sample=True)
                added += 1
    return added
