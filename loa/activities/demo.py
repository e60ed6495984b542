"""Sample activities for the sample plans, so a fresh installation shows quotas, statuses and reports.

In: the sample plans already imported (``Document.is_sample``) and the date taken as "today". Out:
activities written through :func:`loa.activities.services.record_activity`, each with
``is_sample=True`` and ``external_id="demo-…"``, over the last ``months`` calendar months (from the
plan's date at the earliest, or the date of the latest document it is based on, unless that is after
"today"), and one or two assignments marked done with :func:`loa.plans.services.task_complete`; a
:class:`DemoResult` with the counts.

What is generated follows the plan: a task's quotas (KPIs) get the counted forms on the quota's
channels at 60–140 % of the quota, every other month meeting it; other tasks get the channels their
text names (or the plan's channels), with themes of the plan's current version, audiences and reach
drawn from plausible ranges. Some assignments are left without any activity ("chưa bắt đầu"), tasks
with a deadline get nothing after it ("quá hạn" once it passes).

Deterministic: every choice comes from ``random.Random`` seeded with the seed, the task's key, the
unit and the month, never from database ids or the clock, so the same month gives the same rows
whatever "today" is. Idempotent: an activity whose external id its unit already has is skipped,
and an assignment already done is left alone. A different seed on a database that has sample data
adds nothing (the external ids do not carry the seed).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import re
from dataclasses import dataclass, field

from django.db import transaction

from loa.org.models import AreaLevel, Unit, UnitType
from loa.org.text import fold
from loa.plans.models import Channel, ChannelKind, Document, Reference, TaskAssignment, TaskStatus, Theme
from loa.plans.services import task_complete

from . import tallies
from .models import Activity, ActivityForm, Audience
from .selectors import quota_forms
from .services import record_activity

PREFIX = "demo-"
SAMPLE_NOTE = "Dữ liệu mẫu do lệnh loa demo-data tạo."
DONE_NOTE = "Đã thực hiện xong nhiệm vụ, kết quả đã tổng hợp và báo cáo (dữ liệu mẫu)."

C = ChannelKind
F = ActivityForm
A = Audience

# Forms a channel carries, with weights.
FORMS: dict[str, list[tuple[str, int]]] = {
    C.PRESS: [(F.NEWS, 3), (F.ARTICLE, 3), (F.REPORTAGE, 1)],
    C.WEB_PORTAL: [(F.NEWS, 5), (F.ARTICLE, 2), (F.INFOGRAPHIC, 1)],
    C.SOCIAL_MEDIA: [(F.NEWS, 4), (F.ARTICLE, 2), (F.VIDEO, 2), (F.INFOGRAPHIC, 2)],
    C.BROADCAST: [(F.BROADCAST, 5), (F.REPORTAGE, 1)],
    C.VISUAL: [(F.POSTER, 3), (F.LEAFLET, 2)],
    C.MEETING: [(F.MEETING, 1)],
    C.CONFERENCE: [(F.TALK, 1)],
    C.TRAINING: [(F.CLASS, 1)],
    C.SCHOOL: [(F.MEETING, 2), (F.CONTEST, 1)],
    C.DIALOGUE: [(F.DIALOGUE, 1)],
    C.CONTEST: [(F.CONTEST, 1)],
    C.HANDBOOK: [(F.NEWS, 1), (F.ARTICLE, 1)],
}
ONLINE = {C.PRESS, C.WEB_PORTAL, C.SOCIAL_MEDIA, C.HANDBOOK}
OFFLINE_FORMS = {F.MEETING, F.TALK, F.CLASS, F.DIALOGUE, F.CONTEST, F.POSTER, F.LEAFLET}

# Channels a task's text names (folded keywords).
KEYWORDS: list[tuple[str, str]] = [
    ("mang xa hoi", C.SOCIAL_MEDIA),
    ("nen tang so", C.SOCIAL_MEDIA),
    ("trang thong tin dien tu", C.WEB_PORTAL),
    ("cong thong tin", C.WEB_PORTAL),
    ("bao chi", C.PRESS),
    ("phat thanh", C.BROADCAST),
    ("truyen thanh", C.BROADCAST),
    ("truyen hinh", C.BROADCAST),
    ("truc quan", C.VISUAL),
    ("co dong", C.VISUAL),
    ("bang tin", C.VISUAL),
    ("pano", C.VISUAL),
    ("khau hieu", C.VISUAL),
    ("to roi", C.VISUAL),
    ("hoi nghi", C.MEETING),
    ("sinh hoat", C.MEETING),
    ("quan triet", C.MEETING),
    ("dan van", C.MEETING),
    ("tuyen truyen mieng", C.MEETING),
    ("toa dam", C.CONFERENCE),
    ("hoi thao", C.CONFERENCE),
    ("dien dan", C.CONFERENCE),
    ("hop bao", C.CONFERENCE),
    ("tap huan", C.TRAINING),
    ("boi duong", C.TRAINING),
    ("truong hoc", C.SCHOOL),
    ("doi thoai", C.DIALOGUE),
    ("cuoc thi", C.CONTEST),
    ("so tay dang vien", C.HANDBOOK),
]
# Steering tasks (follow up, report, direct): few activities of their own.
STEERING = ("theo doi", "xem xet", "xay dung bao cao", "bao cao", "chi dao", "chu tri, phoi hop")

AUDIENCE_WORDS = {
    A.PARTY: "cán bộ, đảng viên",
    A.YOUTH: "đoàn viên, thanh niên",
    A.PUPILS: "học sinh, sinh viên",
    A.BUSINESS: "doanh nghiệp",
    A.ELDERLY: "người cao tuổi",
    A.FARMERS: "hội viên nông dân",
    A.WOMEN: "hội viên phụ nữ",
    A.EVERYONE: "Nhân dân",
}
AUDIENCES_BY_CHANNEL: dict[str, list[str]] = {
    C.MEETING: [A.PARTY, A.EVERYONE, A.FARMERS, A.WOMEN, A.ELDERLY, A.YOUTH],
    C.CONFERENCE: [A.PARTY, A.BUSINESS, A.YOUTH],
    C.TRAINING: [A.PARTY, A.YOUTH],
    C.SCHOOL: [A.PUPILS, A.YOUTH],
    C.DIALOGUE: [A.EVERYONE, A.BUSINESS, A.YOUTH, A.FARMERS],
    C.CONTEST: [A.YOUTH, A.PUPILS, A.PARTY],
    C.HANDBOOK: [A.PARTY],
    C.VISUAL: [A.EVERYONE],
    C.BROADCAST: [A.EVERYONE, A.ELDERLY, A.FARMERS],
}
ONLINE_AUDIENCES = [A.EVERYONE, A.YOUTH, A.PARTY, A.BUSINESS]
# A mass organisation speaks first to its members.
MEMBERS = [("phu nu", A.WOMEN), ("nong dan", A.FARMERS), ("cuu chien binh", A.ELDERLY), ("doan", A.YOUTH)]

VILLAGE_NAMES = ["Đông", "Đoài", "Trung", "Thượng", "Hạ", "Nam", "Bắc", "Đình", "Chợ", "Mới", "Trại", "Bến"]

TITLES: dict[str, list[str]] = {
    F.NEWS: [
        "Tuyên truyền {subject} {on}",
        "{Where} đẩy mạnh tuyên truyền {topic}",
        "Thông tin về {topic}",
        "{Where} triển khai {subject} đến cơ sở",
    ],
    F.ARTICLE: [
        "{Topic}: những điểm cần biết",
        "Hỏi - đáp về {topic}",
        "Lan tỏa {topic} đến từng người dân",
    ],
    F.VIDEO: ["Video: {Topic}", "Clip tuyên truyền {topic}", "Video hỏi - đáp về {subject}"],
    F.INFOGRAPHIC: ["Infographic: {Topic}", "Infographic: những điểm chính của {subject}"],
    F.REPORTAGE: ["Phóng sự: {Topic}{at}", "Phóng sự: {Where} chung tay thực hiện {subject}"],
    F.BROADCAST: [
        "Chuyên mục phát thanh về {topic} trên hệ thống truyền thanh {where}",
        "Bản tin truyền thanh: {Topic}",
    ],
    F.POSTER: [
        "Treo băng rôn, khẩu hiệu tuyên truyền {subject} tại {place}",
        "Dựng pano tuyên truyền {topic} tại {place}",
    ],
    F.LEAFLET: ["Phát tờ rơi tuyên truyền {topic} đến các hộ gia đình {place}"],
    F.MEETING: [
        "Hội nghị quán triệt {subject} tại {place}",
        "Sinh hoạt chuyên đề về {topic} tại {place}",
        "Buổi tuyên truyền miệng về {topic} tại {place}",
    ],
    F.TALK: ["Tọa đàm: {Topic}", "Diễn đàn trao đổi về {topic}"],
    F.CLASS: [
        "Lớp bồi dưỡng, cập nhật kiến thức về {subject} cho {audience}",
        "Tập huấn nghiệp vụ tuyên truyền {topic}",
    ],
    F.CONTEST: [
        "Phát động cuộc thi tìm hiểu {subject} trong {audience}",
        "Hưởng ứng cuộc thi trực tuyến tìm hiểu {topic}",
    ],
    F.DIALOGUE: ["Đối thoại giữa lãnh đạo {where} với {audience} về {topic}"],
}
SUMMARIES: dict[str, str] = {
    "online": "Đăng tải {form} về {topic} {on}, thực hiện kế hoạch tuyên truyền về {subject}.",
    C.BROADCAST: "Phát trên hệ thống truyền thanh {where} vào khung giờ sáng và chiều, giới thiệu {topic}.",
    F.POSTER: "Tuyên truyền trực quan tại {place}, nội dung về {topic}.",
    F.LEAFLET: "In và phát tài liệu tuyên truyền về {topic} đến {audience} tại {place}.",
    "event": "Tổ chức cho {audience} tại {place}; báo cáo viên giới thiệu {topic}, "
    "trao đổi và giải đáp ý kiến của người tham dự.",
}
ON_CHANNEL = {
    C.WEB_PORTAL: "trên trang thông tin điện tử {where}",
    C.SOCIAL_MEDIA: "trên trang mạng xã hội chính thức của {where}",
    C.PRESS: "trên báo điện tử",
    C.HANDBOOK: "trên Sổ tay đảng viên điện tử",
    C.BROADCAST: "trên hệ thống truyền thanh {where}",
}
PER_MONTH = {"day": 30.0, "week": 4.3, "month": 1.0, "quarter": 1 / 3, "year": 1 / 12}
MAX_ROWS_PER_KPI_MONTH = 25


@dataclass
class DemoResult:
    plans: int = 0
    assignments: int = 0
    created: int = 0
    existing: int = 0
    completed: int = 0
    idle: int = 0
    start: dt.date | None = None  # the window asked for
    end: dt.date | None = None
    first: dt.date | None = None  # the activities written
    last: dt.date | None = None
    assignments_with_new: set[int] = field(default_factory=set)
    units_with_new: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.completed)


@dataclass
class _Place:
    where: str  # "xã Hưng Đạo", "Sở Công Thương"
    commune: bool
    ward: bool

    def local(self, rng: random.Random) -> str:
        if not self.commune:
            return rng.choice(["hội trường cơ quan", "trụ sở cơ quan", "phòng họp cơ quan"])
        if self.ward:
            return f"tổ dân phố số {rng.randint(1, 25)}, {self.where}"
        return f"nhà văn hóa thôn {rng.choice(VILLAGE_NAMES)}, {self.where}"


@dataclass
class _Plan:
    subject: str
    themes: list[Theme]
    channels: list[str]
    start: dt.date | None


def create_demo_activities(*, today: dt.date, months: int = 6, seed: int = 1) -> DemoResult:
    """Write the sample activities of the sample plans for the ``months`` calendar months ending with
    ``today``'s; returns what was written (nothing when it is all there already)."""
    months = max(1, months)
    result = DemoResult(end=today, start=_month_start(today, months - 1))
    documents = list(Document.objects.filter(is_sample=True, current_version__isnull=False))
    result.plans = len(documents)
    if not documents:
        return result
    plans = {doc.pk: _plan_of(doc) for doc in documents}
    assignments = list(
        TaskAssignment.objects.filter(task__document__in=documents, task__status=TaskStatus.OPEN)
        .select_related("task", "unit__area")
        .prefetch_related("task__kpis")
        .order_by("task__document_id", "task__order", "unit__name", "unit_id")
    )
    result.assignments = len(assignments)
    existing = set(
        Activity.objects.filter(
            unit_id__in={a.unit_id for a in assignments}, external_id__startswith=PREFIX
        ).values_list("unit_id", "external_id")
    )
    fanout: dict[int, int] = {}
    for a in assignments:
        fanout[a.task_id] = fanout.get(a.task_id, 0) + 1
    idle, done = _pick_idle_and_done(assignments, fanout, seed)
    result.idle = len(idle)
    allowed = quota_forms()
    month_starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    with transaction.atomic(), tallies.deferred():
        for a in assignments:
            if a.pk in idle:
                continue
            plan = plans[a.task.document_id]
            since = plan.start if plan.start and plan.start <= today else None
            for month in month_starts:
                for key, item in _month_items(a, plan, month, fanout[a.task_id], allowed, seed):
                    if item["date"] > today or (since and item["date"] < since):
                        continue
                    if a.task.deadline and item["date"] > a.task.deadline:
                        continue
                    if (a.unit_id, key) in existing:
                        result.existing += 1
                        continue
                    record_activity(
                        actor=None, unit=a.unit, tasks=[a.task], external_id=key, is_sample=True, **item
                    )
                    existing.add((a.unit_id, key))
                    result.created += 1
                    result.first = min(result.first or item["date"], item["date"])
                    result.last = max(result.last or item["date"], item["date"])
                    result.assignments_with_new.add(a.pk)
                    result.units_with_new.add(a.unit_id)
        for a in assignments:
            if a.pk in done and not a.done_at:
                task_complete(assignment=a, actor=None, note=DONE_NOTE)
                result.completed += 1
    return result


# --------------------------------------------------------------------------- choices


def _pick_idle_and_done(
    assignments: list[TaskAssignment], fanout: dict[int, int], seed: int
) -> tuple[set[int], set[int]]:
    """Assignments left without activity (some of every task given to many units, a few others) and
    one or two marked done (single-unit tasks without quota or deadline). Tasks with a quota are
    always worked on, so their progress shows."""
    idle: set[int] = set()
    others: list[tuple[float, TaskAssignment]] = []
    for a in assignments:
        draw = _rng(seed, "idle", a).random()
        if a.task.kpis.all():
            continue
        share = 0.3 if fanout[a.task_id] > 3 else 0.2
        if draw < share:
            idle.add(a.pk)
        else:
            others.append((draw, a))
    if not idle and others:  # every status should show up: at least one not started
        others.sort(key=lambda pair: pair[0])
        idle.add(others.pop(0)[1].pk)
    candidates = sorted(
        (_rng(seed, "done", a).random(), a.pk)
        for _, a in others
        if fanout[a.task_id] == 1 and not a.task.deadline
    )
    return idle, {pk for _, pk in candidates[:2]}


def _month_items(a: TaskAssignment, plan: _Plan, month: dt.date, fanout: int, allowed, seed: int):
    """(external id, record_activity keywords) of one assignment in one month, whatever today is."""
    rng = _rng(seed, f"{month:%Y%m}", a)
    place = _place_of(a.unit)
    task_text = fold(a.task.text)
    quota_channels: set[str] = set()
    flip = _rng(seed, "quota", a).randint(0, 1)
    for index, kpi in enumerate(a.task.kpis.all()):
        forms = allowed.get(kpi.unit.strip().lower()) or set()
        candidates = kpi.channels or _channels_of(task_text, a.unit, plan) or list(FORMS)
        channels = [c for c in candidates if c in FORMS and (not forms or _carries(c, forms))]
        channels = channels or [c for c in FORMS if _carries(c, forms)] or [C.SOCIAL_MEDIA]
        quota_channels.update(channels)
        target = float(kpi.quantity) * PER_MONTH.get(kpi.per, 1 / 6)
        # Every other month reaches the quota (60–140 % of it in all), so both show.
        meets = (month.month + flip) % 2 == 0
        total = max(0, round(target * (rng.uniform(1.0, 1.4) if meets else rng.uniform(0.6, 0.95))))
        rows = min(total, MAX_ROWS_PER_KPI_MONTH)
        for i in range(rows):
            channel = rng.choice(channels)
            choices = [(f, w) for f, w in FORMS[channel] if not forms or f in forms] or FORMS[channel]
            form = _weighted(rng, choices)
            quantity = total // rows + (1 if i < total % rows else 0)
            item = _item(rng, a, plan, place, month, channel, form, quantity)
            yield f"{PREFIX}{a.task.key[:12]}-{month:%Y%m}-k{index}-{i:02d}", item
    # Other work of the task, on its other channels so that the quota counts stay as drawn.
    channels = _channels_of(task_text, a.unit, plan)
    channels = (
        [c for c in channels if c not in quota_channels]
        or [c for c in plan.channels if c not in quota_channels]
        or channels
    )
    if fanout > 3 or task_text.startswith(STEERING):
        low, high = 0, 2
    else:
        low, high = 1, 4
    for i in range(rng.randint(low, high)):
        channel = rng.choice(channels)
        form = _weighted(rng, FORMS[channel])
        item = _item(rng, a, plan, place, month, channel, form, 1)
        yield f"{PREFIX}{a.task.key[:12]}-{month:%Y%m}-a-{i:02d}", item


def _item(rng, a, plan: _Plan, place: _Place, month: dt.date, channel: str, form: str, quantity: int):
    themes = rng.sample(plan.themes, k=min(len(plan.themes), rng.choice([1, 1, 2]))) if plan.themes else []
    topic = _topic(themes[0].title) if themes else plan.subject
    audiences = _audiences(rng, a.unit, channel)
    words = {
        "subject": plan.subject,
        "topic": topic,
        "where": place.where,
        "at": f" ở {place.where}" if place.commune else "",
        "place": place.local(rng),
        "audience": AUDIENCE_WORDS[audiences[0]],
        "form": ActivityForm(form).label.lower(),
    }
    words["on"] = ON_CHANNEL.get(channel, "").format(**words)
    words.update({k.capitalize(): _cap(v) for k, v in list(words.items())})
    title = rng.choice(TITLES[form]).format(**words)
    if channel in ONLINE:
        summary = SUMMARIES["online"]
    elif channel == C.BROADCAST:
        summary = SUMMARIES[C.BROADCAST]
    else:
        summary = SUMMARIES.get(form, SUMMARIES["event"])
    reach = _reach(rng, channel, form, place)
    return {
        "date": _day(rng, month, form),
        "channel": channel,
        "form": form,
        "quantity": max(1, quantity),
        "title": title,
        "summary": f"{summary.format(**words)} {SAMPLE_NOTE}",
        "themes": themes,
        "audiences": audiences,
        **reach,
    }


def _reach(rng: random.Random, channel: str, form: str, place: _Place) -> dict[str, int]:
    if channel == C.SOCIAL_MEDIA:
        views = int(min(60000, rng.lognormvariate(7.3, 0.8)))
        return {"views": views, "shares": rng.randint(0, max(1, views // 25))}
    if channel == C.PRESS:
        return {"views": rng.randint(1500, 30000)}
    if channel == C.WEB_PORTAL:
        return {"views": rng.randint(120, 3500)}
    if channel == C.HANDBOOK:
        return {"views": rng.randint(40, 900)}
    if form == F.POSTER:
        return {"copies": rng.randint(2, 15)}
    if form == F.LEAFLET:
        return {"copies": 50 * rng.randint(4, 60)}
    if form == F.CONTEST:
        return {"participants": rng.randint(150, 4000)}
    if form in (F.MEETING, F.TALK, F.CLASS, F.DIALOGUE):
        low, high = (30, 250) if place.commune else (40, 400)
        if channel == C.SCHOOL:
            low, high = 200, 900
        elif form == F.CLASS:
            low, high = 25, 120
        return {"participants": rng.randint(low, high)}
    return {}


def _audiences(rng: random.Random, unit: Unit, channel: str) -> list[str]:
    pool = list(AUDIENCES_BY_CHANNEL.get(channel, ONLINE_AUDIENCES))
    name = fold(unit.name)
    members = [aud for word, aud in MEMBERS if unit.unit_type == UnitType.FRONT_ORG and word in name]
    picked = members[:1] or [rng.choice(pool)]
    if rng.random() < 0.4:
        extra = rng.choice(pool)
        if extra not in picked:
            picked.append(extra)
    return [str(x) for x in picked]


def _channels_of(task_text: str, unit: Unit, plan: _Plan) -> list[str]:
    found = [channel for word, channel in KEYWORDS if word in task_text]
    if unit.unit_type == UnitType.PRESS:
        found += [C.PRESS, C.PRESS, C.SOCIAL_MEDIA, C.BROADCAST]
    if not found:
        found = list(plan.channels) or [C.WEB_PORTAL, C.MEETING]
    return found  # repeats weigh more


def _day(rng: random.Random, month: dt.date, form: str) -> dt.date:
    last = calendar.monthrange(month.year, month.month)[1]
    day = month.replace(day=rng.randint(1, last))
    if form in OFFLINE_FORMS and day.weekday() >= 5:  # events on working days
        day -= dt.timedelta(days=day.weekday() - 4)
        if day < month:
            day += dt.timedelta(days=3)
    return day


# --------------------------------------------------------------------------- plan and unit words


def _plan_of(doc: Document) -> _Plan:
    version = doc.current_version
    themes = list(Theme.objects.filter(version=version).select_related("version").order_by("order"))
    channels = list(
        Channel.objects.filter(version=version).order_by("order").values_list("kind", flat=True).distinct()
    )
    # A plan acts from its date; undated, from the latest document it is based on.
    start = doc.issued_on or (
        Reference.objects.filter(source=doc, is_basis=True, cited__issued_on__isnull=False)
        .order_by("-cited__issued_on")
        .values_list("cited__issued_on", flat=True)
        .first()
    )
    return _Plan(subject=_subject(doc), themes=themes, channels=channels, start=start)


_CITED = re.compile(
    r"\b(Nghị quyết|Chỉ thị|Kết luận|Quyết định|Thông báo|Luật)\s+(?:số\s+)?(\d+[\w/.-]*)", re.IGNORECASE
)
_LEAD = re.compile(
    r"^(?:thông tin,?\s*)?(?:tuyên truyền,?\s*)?(?:vận động,?\s*)?(?:về\s+|thực hiện\s+)?", re.IGNORECASE
)


def _subject(doc: Document) -> str:
    """What the plan is about, short: "Nghị quyết 02-NQ/TW", "nội dung và kết quả kỳ họp thứ Nhất..."."""
    title = " ".join(doc.title.split())
    cited = _CITED.search(title)
    if cited:
        return f"{cited.group(1).capitalize()} {cited.group(2).rstrip('.')}"
    return _topic(title) or "kế hoạch tuyên truyền"


def _topic(text: str) -> str:
    """A theme's title as a phrase to put in a title: "Về quy hoạch ..." → "quy hoạch ..."."""
    text = " ".join(text.split())
    text = re.split(r"[:;]| gắn với ", text)[0]
    text = _LEAD.sub("", text).strip(" ,.")
    words = text.split()
    if len(words) > 18:
        text = " ".join(words[:18])
        text = text[: text.rfind(",")] if "," in text else text
    text = re.sub(r"(?:[\s,;:–-]|\s(?:và|của|các|với|về|trong))+$", "", text)
    return _uncap(text)


def _place_of(unit: Unit) -> _Place:
    area = unit.area
    if area is not None and area.level == AreaLevel.COMMUNE:
        ward = fold(area.name).startswith("phuong")
        return _Place(where=_uncap(area.name), commune=True, ward=ward)
    return _Place(where=unit.short_name or unit.name, commune=False, ward=False)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _uncap(text: str) -> str:
    """Lower the first letter of a common word ("Xã Hưng Đạo" → "xã Hưng Đạo"), not of an acronym."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


# --------------------------------------------------------------------------- randomness


def _rng(seed: int, purpose: str, a: TaskAssignment) -> random.Random:
    unit = a.unit
    unit_key = f"{unit.area.code if unit.area else ''}/{unit.normalized_name or unit.name}"
    return random.Random(f"{seed}|{purpose}|{a.task.key}|{unit_key}")


def _carries(channel: str, forms: set[str]) -> bool:
    return any(f in forms for f, _ in FORMS[channel])


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    forms, weights = zip(*choices, strict=True)
    return rng.choices(forms, weights=weights)[0]


def _month_start(today: dt.date, back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)
