"""The online quiz contest's rules, enforced by the server: questions drawn and shuffled per
attempt from the approved bank, the time limit measured by the server, 1 attempt or the best of N per
phone, answers only to the attempt's own questions, no replay, no absurd prediction. Ranking: most
correct answers, then the smallest |prediction − actual| (actual = attempts with every answer right),
then the shortest server-measured duration, then the earliest submission.

Against abuse, with no third-party captcha: a single-use proof of work on the start form (ALTCHA
protocol, ``loa.core.altcha``; a number in words where JavaScript is off), per-address limits in the
view, one phone per round, a honeypot, and a report of suspicious patterns for the organiser, who alone
decides to leave an attempt out of the ranking (with a reason, audited: no silent disqualification)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from loa.core import altcha, crypto
from loa.core.errors import Refused

from .models import Attempt, Contest, ContestRefusal, Question, SpentProof

GRACE = dt.timedelta(seconds=5)  # network slack on top of the time limit
MAX_PREDICTION = 10_000_000
AGE_BANDS = ["<16", "16-30", "31-60", ">60"]


PROOF_TTL = 1800  # seconds a start form's proof stays good
WORDS_MIN_SECONDS = 3  # the no-JavaScript fallback answered sooner than this is a machine
# suspicious patterns (reported to the organiser, never acted on by Loa itself)
SAME_ADDRESS = 60  # attempts from one address in a round: a school behind NAT stays below
FAST_PER_QUESTION = 2.0  # seconds per question, every answer right
SAME_NAME_PHONES = 3  # one name and unit with this many phones
REFUSALS = 10  # refused starts (honeypot, proof missing or wrong) from one address


def _proof_key() -> bytes:
    return hashlib.sha256(b"loa-proof-of-work:" + settings.SECRET_KEY.encode()).digest()


def new_proof() -> dict:
    """What a start form carries: the proof-of-work challenge (JSON for ``altcha.js``) and the fallback
    for browsers without JavaScript (a number in words, its salt and signature)."""
    from loa.nlp.spoken import number_words

    key = _proof_key()
    words = altcha.words_challenge(key, ttl=PROOF_TTL)
    return {
        "challenge": json.dumps(
            altcha.challenge(key, max_number=settings.LOA_CONTEST_POW_MAX, ttl=PROOF_TTL)
        ),
        "words": number_words(words["number"]),
        "salt": words["salt"],
        "signature": words["signature"],
    }


_PROOF_MESSAGES = {
    "missing": gettext_noop("Xin đợi máy xác nhận xong, hoặc gõ con số viết bằng chữ ở ô xác nhận."),
    "malformed": gettext_noop("Mã xác nhận không hợp lệ. Xin tải lại trang."),
    "forged": gettext_noop("Mã xác nhận không hợp lệ. Xin tải lại trang."),
    "expired": gettext_noop("Trang đã mở quá lâu, mã xác nhận hết hạn. Xin tải lại trang."),
    "wrong": gettext_noop("Con số xác nhận chưa đúng. Xin thử lại."),
    "early": gettext_noop("Xin đọc kỹ và gõ lại con số xác nhận."),
}


def spend_proof(data, now=None) -> None:
    """Check a start form's proof (``altcha``, or ``proof_words`` with ``proof_salt`` and
    ``proof_sig``) and spend it: each proof opens one attempt only."""
    now = now or timezone.now()
    key, t = _proof_key(), now.timestamp()
    try:
        if data.get("altcha"):
            proof = altcha.verify(key, data.get("altcha", ""), now=t)
        elif data.get("proof_words"):
            proof = altcha.verify_words(
                key,
                salt=data.get("proof_salt", ""),
                signature=data.get("proof_sig", ""),
                answer=data.get("proof_words", ""),
                min_seconds=WORDS_MIN_SECONDS,
                now=t,
            )
        else:
            raise altcha.Invalid("missing")
    except altcha.Invalid as exc:
        raise Refused(_(_PROOF_MESSAGES[exc.reason]), code="proof") from None
    try:
        with transaction.atomic():
            # kept until the proof itself expires: a spent proof can never be used again
            SpentProof.objects.create(
                digest=proof.id, expires_at=dt.datetime.fromtimestamp(proof.expires, dt.UTC)
            )
    except IntegrityError:
        raise Refused(_("Mã xác nhận này đã được dùng. Xin tải lại trang."), code="proof") from None


def record_refusal(contest: Contest, client: str, reason: str) -> None:
    ContestRefusal.objects.create(contest=contest, client=client[:16], reason=reason[:20])


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
    client: str = "",
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
        # starts of a round take turns on its row (PostgreSQL; SQLite's IMMEDIATE transactions already
        # do): two starts with one phone cannot both see it unused. NO KEY UPDATE leaves submissions
        # and the inserts' foreign-key checks free.
        Contest.objects.select_for_update(no_key=True).filter(pk=contest.pk).values_list("pk").first()
        used = Attempt.objects.filter(contest=contest, phone_key=_key(phone)).count()
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
            client=client[:16],
        )
    texts = {q.pk: q for q in Question.objects.filter(pk__in=[d["q"] for d in drawn])}
    shown = [
        {"id": d["q"], "text": texts[d["q"]].text, "options": [texts[d["q"]].options[i] for i in d["order"]]}
        for d in drawn
    ]
    return attempt, token, shown


def submit(*, token: str, answers: dict, prediction, now=None, contest_id: int | None = None) -> Attempt:
    """Score an attempt on the server. ``answers``: {question id: shown option index 0–3}."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            # the attempt's row only: locking the contest too would queue every submission of the round
            Attempt.objects.select_for_update(of=("self",))
            .select_related("contest")
            .filter(token_hash=_key(token or ""), **({"contest_id": contest_id} if contest_id else {}))
            .first()
        )
        if attempt is None:
            raise Refused(_("Phiếu thi không hợp lệ."), code="token")
        if attempt.submitted_at is not None:
            raise Refused(_("Bài thi này đã nộp."), code="done")
        limit = dt.timedelta(seconds=attempt.contest.time_limit_seconds)
        if now > attempt.started_at + limit + GRACE or now >= attempt.contest.closes_at + GRACE:
            raise Refused(_("Đã hết giờ làm bài."), code="late")
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
        keys = dict(Question.objects.filter(pk__in=list(mine)).order_by().values_list("pk", "key"))
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
        Attempt.objects.filter(contest=contest, submitted_at__isnull=False, excluded_reason="").values_list(
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


def suspicious(contest: Contest) -> list[dict]:
    """Patterns worth the organiser's look, each with its reason and the attempts behind it: many
    attempts from one network address, every answer right in under 2 s a question, one name and unit
    with several phones, many refused starts from one address. Loa flags; the organiser decides."""
    from django.db.models import Count

    base = Attempt.objects.filter(contest=contest)
    found: list[dict] = []
    crowded = (
        base.exclude(client="")
        .values("client")
        .annotate(n=Count("pk"))
        .filter(n__gte=SAME_ADDRESS)
        .order_by("-n")
    )
    for row in crowded[:20]:
        found.append(
            {
                "kind": "address",
                "reason": _(
                    "%(n)d lượt thi từ cùng một địa chỉ mạng (một trường học dùng chung mạng thường dưới %(m)d)."
                )
                % {"n": row["n"], "m": SAME_ADDRESS},
                "attempts": list(base.filter(client=row["client"]).select_related("unit")[:200]),
            }
        )
    fast = list(
        base.filter(
            submitted_at__isnull=False,
            correct=contest.questions_per_attempt,
            duration__lt=FAST_PER_QUESTION * contest.questions_per_attempt,
        ).select_related("unit")[:200]
    )
    if fast:
        found.append(
            {
                "kind": "fast",
                "reason": _("%(n)d bài đúng hết trong chưa tới %(s)s giây mỗi câu.")
                % {"n": len(fast), "s": f"{FAST_PER_QUESTION:g}"},
                "attempts": fast,
            }
        )
    # names are stored with their spaces collapsed (start), so grouping on the lower-cased name in SQL
    # finds one name and unit with several phones without reading every attempt
    from django.db.models.functions import Lower

    same = (
        base.annotate(folded=Lower("name"))
        .values("folded", "unit_id")
        .annotate(phones=Count("phone_key", distinct=True))
        .filter(phones__gte=SAME_NAME_PHONES)
        .order_by("-phones")
    )
    for row in same[:20]:
        found.append(
            {
                "kind": "same_name",
                "reason": _("Một họ tên, một đơn vị, %(n)d số điện thoại khác nhau.") % {"n": row["phones"]},
                "attempts": list(
                    base.filter(unit_id=row["unit_id"], name__iexact=row["folded"]).select_related("unit")[
                        :200
                    ]
                ),
            }
        )
    refused = (
        ContestRefusal.objects.filter(contest=contest)
        .values("client")
        .annotate(n=Count("pk"))
        .filter(n__gte=REFUSALS)
        .order_by("-n")
    )
    for row in refused[:20]:
        found.append(
            {
                "kind": "refused",
                "reason": _(
                    "%(n)d lần bắt đầu bị từ chối (ô ẩn bị điền, thiếu hoặc sai mã xác nhận) từ cùng một địa chỉ mạng."
                )
                % {"n": row["n"]},
                "attempts": list(base.filter(client=row["client"]).select_related("unit")[:200]),
            }
        )
    return found


def exclude(*, attempt: Attempt, reason: str, actor) -> None:
    """The organiser leaves an attempt out of the ranking (or takes it back with an empty reason);
    the audit log keeps who and why."""
    from loa.audit.services import log_action

    reason = " ".join((reason or "").split())[:300]
    if attempt.excluded_reason == reason:
        return
    if attempt.excluded_reason == "" and not reason:
        raise Refused(_("Xin ghi lý do không xếp hạng."))
    old = attempt.excluded_reason
    attempt.excluded_reason = reason
    attempt.save(update_fields=["excluded_reason"])
    log_action(
        "materials.attempt.excluded" if reason else "materials.attempt.included",
        attempt,
        actor=actor,
        data={"from": old, "to": reason},
    )


def purge_phones(now=None) -> int:
    """Erase contestants' phone numbers (and address keys) 90 days after their round closed (the
    prizes are given by then); the ranking keeps its masked form only while the number exists. Spent
    proofs go when they expire."""
    now = now or timezone.now()
    SpentProof.objects.filter(expires_at__lt=now).delete()
    long_ago = now - dt.timedelta(days=90)
    ContestRefusal.objects.filter(contest__closes_at__lt=long_ago).delete()
    return (
        Attempt.objects.filter(contest__closes_at__lt=long_ago).exclude(phone="").update(phone="", client="")
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
        Attempt.objects.filter(contest=contest, submitted_at__isnull=False, excluded_reason="")
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
