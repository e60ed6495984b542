"""The online quiz contest's rules, enforced by the server: questions drawn and shuffled per
attempt from the approved bank, the time limit measured by the server, 1 attempt or the best of N per
phone, answers only to the attempt's own questions, no replay, no absurd prediction. Ranking: most
correct answers, then the smallest |prediction − actual| (actual = attempts with every answer right),
then the shortest server-measured duration, then the earliest submission.
(Rounds' pages, ALTCHA proof-of-work and the published results are not built yet.)"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.core import crypto

from .models import Attempt, Contest, Question

GRACE = dt.timedelta(seconds=5)  # network slack on top of the time limit
MAX_PREDICTION = 10_000_000
AGE_BANDS = ["<16", "16-30", "31-60", ">60"]


class Refused(ValueError):
    pass


def _key(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def start(
    *,
    contest: Contest,
    unit,
    name: str,
    phone: str,
    age_band: str,
    now=None,
    seed: int | None = None,
    publish_name: bool = True,
) -> tuple[Attempt, str, list[dict]]:
    """A new attempt: (attempt, token for the browser, the questions as the contestant sees them —
    text and options in the drawn order, never the key)."""
    now = now or timezone.now()
    if not (contest.opens_at <= now < contest.closes_at):
        raise Refused(_("Vòng thi chưa mở hoặc đã đóng."))
    if age_band not in AGE_BANDS:
        raise Refused(_("Độ tuổi không hợp lệ."))
    phone = "".join(ch for ch in phone if ch.isdigit())
    if not 9 <= len(phone) <= 11:
        raise Refused(_("Số điện thoại không hợp lệ."))
    name = " ".join(name.split())[:100]
    if not name:
        raise Refused(_("Xin ghi họ tên."))
    bank = list(
        Question.objects.filter(document=contest.document, status=Question.Status.APPROVED).values_list(
            "pk", flat=True
        )
    )
    if len(bank) < contest.questions_per_attempt:
        raise Refused(_("Ngân hàng chưa đủ câu hỏi đã duyệt cho vòng thi."))
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    drawn = [
        {"q": q, "order": rng.sample(range(4), 4)} for q in rng.sample(bank, contest.questions_per_attempt)
    ]
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        used = Attempt.objects.select_for_update().filter(contest=contest, phone_key=_key(phone)).count()
        if used >= contest.max_attempts:
            raise Refused(_("Số điện thoại này đã dùng hết lượt thi của vòng."))
        attempt = Attempt.objects.create(
            contest=contest,
            token_hash=_key(token),
            unit=unit,
            name=name,
            phone=crypto.encrypt(phone),
            phone_key=_key(phone),
            age_band=age_band,
            publish_name=publish_name if age_band == "<16" else True,
            drawn=drawn,
            started_at=now,
        )
    texts = {q.pk: q for q in Question.objects.filter(pk__in=[d["q"] for d in drawn])}
    shown = [
        {"id": d["q"], "text": texts[d["q"]].text, "options": [texts[d["q"]].options[i] for i in d["order"]]}
        for d in drawn
    ]
    return attempt, token, shown


def submit(*, token: str, answers: dict, prediction, now=None) -> Attempt:
    """Score an attempt on the server. ``answers``: {question id: shown option index 0–3}."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("contest")
            .filter(token_hash=_key(token or ""))
            .first()
        )
        if attempt is None:
            raise Refused(_("Phiếu thi không hợp lệ."))
        if attempt.submitted_at is not None:
            raise Refused(_("Bài thi này đã nộp."))
        limit = dt.timedelta(seconds=attempt.contest.time_limit_seconds)
        if now > attempt.started_at + limit + GRACE or now >= attempt.contest.closes_at + GRACE:
            raise Refused(_("Đã hết giờ làm bài."))
        mine = {d["q"]: d["order"] for d in attempt.drawn}
        clean = {}
        for raw_q, raw_a in (answers or {}).items():
            try:
                q, a = int(raw_q), int(raw_a)
            except (TypeError, ValueError):
                raise Refused(_("Câu trả lời không hợp lệ.")) from None
            if q not in mine:
                raise Refused(_("Có câu trả lời cho câu hỏi không thuộc bài thi này."))
            if not 0 <= a < 4:
                raise Refused(_("Câu trả lời không hợp lệ."))
            clean[q] = mine[q][a]  # back to the bank's option index
        try:
            prediction = int(prediction)
        except (TypeError, ValueError):
            raise Refused(_("Xin nhập dự đoán là một số.")) from None
        if not 0 <= prediction <= MAX_PREDICTION:
            raise Refused(_("Dự đoán không hợp lý."))
        keys = dict(Question.objects.filter(pk__in=list(mine)).values_list("pk", "key"))
        attempt.answers = {str(q): a for q, a in clean.items()}
        attempt.correct = sum(1 for q, a in clean.items() if keys.get(q) == a)
        attempt.prediction = prediction
        attempt.submitted_at = now
        attempt.duration = round((now - attempt.started_at).total_seconds(), 3)
        attempt.save(update_fields=["answers", "correct", "prediction", "submitted_at", "duration"])
    return attempt


def ranked_ids(contest: Contest) -> list[int]:
    """The whole ranking as attempt ids: each phone's best attempt, ordered by correct answers,
    |prediction − actual|, duration, submission time. Plain tuples, no model objects: 200,000
    attempts rank in seconds (``make bench``)."""
    rows = list(
        Attempt.objects.filter(contest=contest, submitted_at__isnull=False).values_list(
            "pk", "phone_key", "correct", "prediction", "duration", "submitted_at"
        )
    )
    actual = sum(1 for r in rows if r[2] == contest.questions_per_attempt)
    rows.sort(key=lambda r: (-r[2], abs((r[3] or 0) - actual), r[4] or 0, r[5]))
    seen: set[str] = set()
    out = []
    for pk, phone, *_rest in rows:
        if phone not in seen:
            seen.add(phone)
            out.append(pk)
    return out


def ranking(contest: Contest, limit: int | None = None) -> list[Attempt]:
    """The ranked attempts (the first ``limit``), as objects."""
    ids = ranked_ids(contest)[:limit]
    found = Attempt.objects.select_related("unit").in_bulk(ids)
    return [found[i] for i in ids]


def correct_key(*, question: Question, key: int, actor) -> int:
    """Correct a question's key: every submitted attempt that drew it is re-scored; an audit entry
    records who changed what. Returns the attempts re-scored."""
    from loa.audit.services import log_action

    if not 0 <= key < 4:
        raise Refused(_("Đáp án phải là A, B, C hoặc D."))
    with transaction.atomic():
        old = question.key
        question.key = key
        question.save(update_fields=["key"])
        keys_cache: dict[int, int] = {}
        n = 0
        for attempt in Attempt.objects.select_for_update().filter(
            submitted_at__isnull=False, contest__document=question.document_id
        ):
            ids = [d["q"] for d in attempt.drawn]
            if question.pk not in ids:
                continue
            missing = [i for i in ids if i not in keys_cache]
            keys_cache.update(dict(Question.objects.filter(pk__in=missing).values_list("pk", "key")))
            attempt.correct = sum(1 for q, a in attempt.answers.items() if keys_cache.get(int(q)) == a)
            attempt.save(update_fields=["correct"])
            n += 1
        log_action(
            "materials.question.key_corrected",
            question,
            actor=actor,
            data={"from": old, "to": key, "rescored": n},
        )
    return n


def item_statistics(contest: Contest) -> list[dict]:
    """Per question of the round: how often each option was picked, the share right, and a flag when
    a distractor was picked more often than the key (the question or its key needs a look)."""
    picks: dict[int, list[int]] = {}
    for answers in Attempt.objects.filter(contest=contest, submitted_at__isnull=False).values_list(
        "answers", flat=True
    ):
        for q, a in answers.items():
            picks.setdefault(int(q), [0, 0, 0, 0])[a] += 1
    out = []
    for question in Question.objects.filter(pk__in=list(picks)).order_by("pk"):
        counts = picks[question.pk]
        total = sum(counts) or 1
        out.append(
            {
                "question": question,
                "counts": counts,
                "right": round(counts[question.key] / total, 3),
                "flag": max(c for i, c in enumerate(counts) if i != question.key) > counts[question.key],
            }
        )
    return out


def purge_phones(now=None) -> int:
    """Erase contestants' phone numbers 90 days after their round closed (the prizes are given by
    then); the ranking keeps its masked form only while the number exists."""
    now = now or timezone.now()
    return (
        Attempt.objects.filter(contest__closes_at__lt=now - dt.timedelta(days=90))
        .exclude(phone="")
        .update(phone="")
    )


def masked(phone: str) -> str:
    return phone[:3] + "*" * max(0, len(phone) - 6) + phone[-3:] if len(phone) > 6 else "***"


def results(contest: Contest, limit: int | None = 500) -> list[dict]:
    """The published ranking: masked phones, names only with consent for the under-16s."""
    out = []
    for place, a in enumerate(ranking(contest, limit=limit), start=1):
        out.append(
            {
                "place": place,
                "name": a.name if a.publish_name else _("(ẩn tên)"),
                "unit": a.unit.name,
                "phone": masked(crypto.decrypt(a.phone) or ""),
                "correct": a.correct,
                "prediction": a.prediction,
                "duration": a.duration,
            }
        )
    return out


def by_unit(contest: Contest) -> list[dict]:
    """The collective ranking: per unit, how many took part (distinct phones) and the mean score."""
    from django.db.models import Avg, Count

    rows = (
        Attempt.objects.filter(contest=contest, submitted_at__isnull=False)
        .values("unit_id", "unit__name")
        .annotate(people=Count("phone_key", distinct=True), mean=Avg("correct"))
    )
    out = [
        {"unit": r["unit__name"], "unit_id": r["unit_id"], "people": r["people"], "mean": round(r["mean"], 2)}
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r["people"], -r["mean"], r["unit"]))


def log_participation(contest: Contest, actor) -> int:
    """After the round: one activity of the channel "contest" per participating unit (its people as
    participants), so the dashboards count it. Once per round."""
    from loa.activities.services import record_activity

    if contest.participation_logged:
        return 0
    if timezone.now() < contest.closes_at:
        raise Refused(_("Chỉ ghi nhận tham gia sau khi vòng thi đóng."))
    from loa.org.models import Unit

    n = 0
    with transaction.atomic():
        for row in by_unit(contest):
            record_activity(
                actor=actor,
                unit=Unit.objects.get(pk=row["unit_id"]),
                date=timezone.localtime(contest.closes_at).date(),
                channel="contest",
                form="cuoc_thi",
                title=f"Tham gia {contest.title}"[:500],
                participants=row["people"],
            )
            n += 1
        contest.participation_logged = True
        contest.save(update_fields=["participation_logged"])
    return n


def create(
    *, document, title: str, opens_at, closes_at, questions: int, minutes: int, attempts: int
) -> Contest:
    if closes_at <= opens_at:
        raise Refused(_("Thời điểm đóng phải sau thời điểm mở."))
    if not (1 <= questions <= 50 and 1 <= minutes <= 180 and 1 <= attempts <= 10):
        raise Refused(_("Số câu 1–50, thời gian 1–180 phút, số lượt 1–10."))
    return Contest.objects.create(
        document=document,
        title=" ".join(title.split())[:300] or "Vòng thi",
        opens_at=opens_at,
        closes_at=closes_at,
        questions_per_attempt=questions,
        time_limit_seconds=minutes * 60,
        max_attempts=attempts,
    )
