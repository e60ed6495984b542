"""A sample quiz round for each sample plan whose own figures yield questions, so that the contest
pages are not empty on a fresh installation. Labelled sample in its title ("Vòng thi mẫu"); the
questions are Loa's drafts from the plan (its targets and cited documents), approved here only
because they are sample data — real rounds use questions a person approved. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from loa.plans.models import Document

from . import contest, quiz
from .models import Contest, Question

TITLE = "Vòng thi mẫu: tìm hiểu kế hoạch"


def load(now=None) -> int:
    """Open a week-long sample round (10 questions or fewer, 15 minutes) on each sample plan that has
    none; returns the rounds made."""
    now = now or timezone.now()
    made = 0
    for document in Document.objects.filter(is_sample=True, current_version__isnull=False).order_by("pk"):
        if Contest.objects.filter(document=document, title__startswith=TITLE).exists():
            continue
        with transaction.atomic():
            quiz.draft_from_plan(document, actor=None)
            drafts = Question.objects.filter(document=document, status=Question.Status.DRAFT)
            for question in drafts:
                try:
                    quiz.approve(question, actor=None)
                except quiz.Refused:
                    continue
            approved = Question.objects.filter(document=document, status=Question.Status.APPROVED).count()
            if approved < 3:
                continue
            contest.create(
                document=document,
                title=f"{TITLE} {document.number or ''}".strip(),
                opens_at=now - dt.timedelta(minutes=1),
                closes_at=now + dt.timedelta(days=7),
                questions=min(10, approved),
                minutes=15,
                attempts=1,
            )
            made += 1
    return made
