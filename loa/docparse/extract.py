"""Read the plan's parts from its outline: content themes, channels, assignments with tasks and quotas,
and quantified targets (chỉ tiêu)."""

import re

from .channels import channel_kinds
from .dates import find_deadline
from .model import Assignment, Channel, Indicator, Kpi, Section, Task, Theme
from .normalize import fold
from .outline import BULLET, CLOSING

PART_KEYS = {
    "purpose": ("muc dich", "yeu cau"),
    "content": ("noi dung",),
    "forms": ("hinh thuc", "phuong thuc"),
    "implementation": ("to chuc thuc hien", "phan cong", "trach nhiem thuc hien", "to chuc trien khai"),
}


def part_kinds(heading: str) -> set[str]:
    f = fold(heading)
    kinds = {kind for kind, keys in PART_KEYS.items() if any(k in f for k in keys)}
    if "forms" in kinds and re.search(r"kiem tra|giam sat", f) and "tuyen truyen" not in f:
        kinds.discard("forms")  # "HÌNH THỨC KIỂM TRA, GIÁM SÁT" lists forms of inspection, not of propagation
    return kinds


def find_parts(sections: list[Section]) -> dict[str, Section]:
    """Map content/forms/implementation to the section holding each: a Roman part, or one of its
    children when a part holds both content and forms ('II. NỘI DUNG, HÌNH THỨC ...')."""
    parts: dict[str, Section] = {}
    # The implementation part is the last one named so ("II. NỘI DUNG, PHÂN CÔNG ..." before
    # "III. TỔ CHỨC THỰC HIỆN" is content).
    impl = [top for top in sections if "implementation" in part_kinds(top.heading)]
    if impl:
        parts["implementation"] = impl[-1]
    for top in sections:
        kinds = part_kinds(top.heading)
        if top is parts.get("implementation"):
            continue
        if "purpose" in kinds:
            continue
        if {"content", "forms"} <= kinds:
            for child in top.children:
                ck = part_kinds(child.heading)
                if "forms" in ck and "forms" not in parts:
                    parts["forms"] = child
                elif "content" in ck and "content" not in parts:
                    parts["content"] = child
            parts.setdefault("content", top)
        elif "content" in kinds:
            parts.setdefault("content", top)
        elif "forms" in kinds:
            parts.setdefault("forms", top)
    return parts


def extract_themes(content: Section | None) -> list[Theme]:
    if content is None:
        return []
    themes: list[Theme] = []

    def visit(section: Section, parent: str | None) -> None:
        for child in section.children:
            if "forms" in part_kinds(child.heading) and not child.heading.lower().startswith(
                ("tuyên truyền", "thông tin")
            ):
                continue
            themes.append(Theme(label=child.label, title=child.heading, parent=parent))
            visit(child, child.label)

    visit(content, None)
    return themes


def _items(section: Section) -> list[str]:
    bullets = [BULLET.sub("", ln) for ln in section.lines if BULLET.match(ln)]
    if bullets:
        return bullets
    return [ln for ln in section.lines if not ln.rstrip().endswith(":")]


def extract_channels(forms: Section | None) -> list[Channel]:
    if forms is None:
        return []
    channels: list[Channel] = []

    def add(text: str, label: str | None, inherited: list[str]) -> list[str]:
        kinds = channel_kinds(text) or inherited
        for kind in kinds:
            channels.append(Channel(kind=kind, text=text, label=label))
        return kinds

    def visit(section: Section, inherited: list[str]) -> None:
        for item in _items(section):
            add(item, None, inherited)
        for child in section.children:
            kinds = add(child.heading, child.label, [])
            visit(child, kinds or inherited)

    visit(forms, [])
    return channels


# Quotas: "tối thiểu 10 tin, bài/ tháng", "ít nhất 02 buổi mỗi quý", "01 chuyên mục/tuần".
_COMPARATORS = [
    (r"tối thiểu|ít nhất|không ít hơn|không dưới|từ", ">="),
    (r"tối đa|không quá|không vượt quá", "<="),
    (r"khoảng|gần|xấp xỉ", "~"),
    (r"trên|hơn", ">"),
    (r"dưới", "<"),
]
_CMP_RE = "|".join(p for p, _ in _COMPARATORS)
_PERIODS = {"ngày": "day", "tuần": "week", "tháng": "month", "quý": "quarter", "năm": "year"}
_COUNT_UNITS = (
    r"tin, bài|tin bài|tin/bài|bài viết|bài|tin|buổi|lượt|cuộc|hội nghị|lớp|video|clip|sản phẩm|chuyên mục|"
    r"chuyên trang|phóng sự|pano|panô|khẩu hiệu|băng rôn|tờ rơi|ấn phẩm|infographic|chương trình|đợt|lần|số"
)
_KPI_RE = re.compile(
    rf"(?:(?P<cmp>{_CMP_RE})\s+)?(?P<num>\d{{1,6}}(?:[.,]\d+)?)\s+(?P<unit>{_COUNT_UNITS})"
    rf"(?:\s*(?:/|mỗi|một|trên\s+(?:một|mỗi))\s*(?P<per>ngày|tuần|tháng|quý|năm))?(?=\W|$)",
    re.IGNORECASE,
)
_RECURRENCE = [
    (r"thường xuyên|liên tục", "continuous"),
    (r"h[ằà]ng ngày|mỗi ngày", "daily"),
    (r"h[ằà]ng tuần|mỗi tuần", "weekly"),
    (r"h[ằà]ng tháng|mỗi tháng|định kỳ tháng", "monthly"),
    (r"h[ằà]ng quý|mỗi quý", "quarterly"),
    (r"h[ằà]ng năm|mỗi năm", "yearly"),
]


def _comparator(word: str | None) -> str:
    if not word:
        return "="
    for pattern, cmp in _COMPARATORS:
        if re.fullmatch(pattern, word.lower()):
            return cmp
    return "="


def _number(raw: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return float(raw.replace(".", ""))
    return float(raw.replace(",", "."))


def find_kpis(text: str) -> list[Kpi]:
    kpis = []
    for m in _KPI_RE.finditer(text):
        per = _PERIODS.get((m["per"] or "").lower())
        if per is None and m["cmp"] is None:
            continue  # "3 nội dung" is a count in prose, not a quota
        after = text[m.end() : m.end() + 120]
        after = re.split(r"[;.]", after)[0]
        kpis.append(
            Kpi(
                quantity=_number(m["num"]),
                comparator=_comparator(m["cmp"]),
                unit=m["unit"],
                per=per,
                channels=channel_kinds(after),
            )
        )
    return kpis


def find_recurrence(text: str, kpis: list[Kpi]) -> str | None:
    low = text.lower()
    for pattern, value in _RECURRENCE:
        if re.search(pattern, low):
            return value
    pers = {k.per for k in kpis if k.per}
    if len(pers) == 1:
        return {
            "day": "daily",
            "week": "weekly",
            "month": "monthly",
            "quarter": "quarterly",
            "year": "yearly",
        }[pers.pop()]
    return None


def _make_task(text: str) -> Task:
    kpis = find_kpis(text)
    return Task(text=text, deadline=find_deadline(text), recurrence=find_recurrence(text, kpis), kpis=kpis)


_TASK_VERB = re.compile(
    r"(?<!các)(?<!những)(?<!và)\s(?:thường xuyên|phối hợp|chủ trì|chỉ đạo|tổ chức|triển khai|có trách nhiệm|"
    r"chịu trách nhiệm|căn cứ|thực hiện|tăng cường|đẩy mạnh|theo dõi|xây dựng|chủ động|hướng dẫn|tham mưu|"
    r"báo cáo|tham gia)\b"
)
_TRAILING_VERB = re.compile(r"\s+(?:phối hợp|chủ trì|thực hiện|có trách nhiệm|chịu trách nhiệm)$")
# Numbered headings of the implementation part that name no unit.
_NOT_A_UNIT = re.compile(
    r"^(Kinh phí|Chế độ báo cáo|Thời gian|Khen thưởng|Tiến độ|Địa điểm)\b", re.IGNORECASE
)
_COURTESY = re.compile(r"^(Đề nghị|Đề xuất|Giao|Yêu cầu)\s+", re.IGNORECASE)


def split_units(heading: str) -> tuple[list[str], str]:
    """'Đề nghị A; B' → ['A', 'B']; a heading 'Unit: task ...' gives the task text too."""
    task = ""
    m = re.match(r"^(.{3,200}?)\s*:\s+(.+)$", heading)
    if m and len(m.group(2)) > 15:
        heading, task = m.group(1), m.group(2)
    elif len(heading) > 60:
        # "Đề nghị Thường trực HĐND, UBND xã thường xuyên phối hợp, ...": the unit ends where the task's verb
        # starts, before any ';' (a ';' after the verb separates clauses of the task, not units).
        v = _TASK_VERB.search(heading.split(";")[0], 8)
        if v:
            heading, task = heading[: v.start()], heading[v.start() :].strip()
    units = []
    if _NOT_A_UNIT.match(heading):
        return [], task
    for part in heading.split(";"):
        part = _TRAILING_VERB.sub("", _COURTESY.sub("", part.strip()).strip(" ,.")).strip(" ,.")
        if part:
            units.append(part)
    return units, task


def extract_assignments(impl: Section | None) -> list[Assignment]:
    if impl is None:
        return []
    assignments: list[Assignment] = []
    for child in impl.children:
        units, inline_task = split_units(child.heading)
        if not units:
            continue
        texts = ([inline_task] if inline_task else []) + [t for t in _items(child) if not CLOSING.search(t)]
        for sub in child.children:
            sub_text = sub.heading + (f": {sub.text}" if sub.text else "")
            texts.append(sub_text)
        tasks = [_make_task(t) for t in texts if t.strip()]
        assignments.append(Assignment(label=child.label, units=units, tasks=tasks))
    if not assignments and impl.lines:
        # An implementation part with no numbered headings: each paragraph names its unit first.
        for line in _items(impl):
            m = re.match(r"^(.{3,120}?)\s*(?::|chủ trì|có trách nhiệm|chịu trách nhiệm)\s+(.+)$", line)
            if m:
                units, _ = split_units(m.group(1))
                assignments.append(Assignment(label=None, units=units, tasks=[_make_task(m.group(2))]))
    return assignments


# Quantified targets: "tối thiểu 12.000 USD (năm 2030)", "40% GRDP năm 2030", "trên 11%/năm ... 2026 đến 2045".
_VALUE_RE = re.compile(
    rf"(?:(?P<cmp>{_CMP_RE}|đạt|đạt mức)\s+)?(?P<num>\d{{1,3}}(?:\.\d{{3}})+|\d+(?:,\d+)?)\s*"
    r"(?P<unit>%\s*/\s*năm|%\s*GRDP|%|USD|triệu đồng|tỷ đồng|đồng)"
    r"(?P<trail>\s*trở lên)?",
)
_METRIC_HEADS = re.compile(
    r"(thu nhập[^,;()]*|tỷ trọng[^,;()]*|tốc độ tăng trưởng[^,;()]*|tăng trưởng[^,;()]*|tỷ lệ[^,;()]*|"
    r"công nghiệp văn hóa|kinh tế số|năng suất lao động[^,;()]*|GRDP bình quân[^,;()]*)",
    re.IGNORECASE,
)
_METRIC_TRIM = re.compile(
    r"\s+(ấn tượng|đạt|với|ở mức|là|từ mức|của|trong|liên tục|các giai đoạn|phấn đấu|bình quân đầu người đạt).*$"
)
_YEAR_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:năm|vào năm|đến năm|\()\s*(?P<y>(?:19|20)\d{2})\b")
_PERIOD_AFTER = re.compile(
    r"^[^.;]{0,80}?(?:từ\s+(?:năm\s+)?|\(|giai đoạn\s+)(?P<a>(?:19|20)\d{2})\s*(?:-|–|đến|tới)\s*(?:năm\s+)?(?P<b>(?:19|20)\d{2})"
)
_PAST = re.compile(r"\b(đã đạt|đạt được|tăng so với|so với cùng kỳ|kết quả)\b", re.IGNORECASE)


def _metric_before(sentence: str, pos: int, last: str | None) -> str | None:
    heads = list(_METRIC_HEADS.finditer(sentence[:pos]))
    if not heads:
        return last
    metric = _METRIC_TRIM.sub("", heads[-1].group(0)).strip(" ,:")
    metric = re.sub(r"\s+(tối thiểu|trên|từ|khoảng|đạt)$", "", metric)
    return metric or last


def find_indicators(text: str) -> list[Indicator]:
    out: list[Indicator] = []
    for sentence in re.split(r"(?<=[.;!?])\s+", text):
        if "%" not in sentence and "USD" not in sentence and "đồng" not in sentence:
            continue
        last_metric = None
        last_suffix = ""
        for m in _VALUE_RE.finditer(sentence):
            before = sentence[max(0, m.start() - 60) : m.start()]
            if _PAST.search(before):
                continue
            metric = _metric_before(sentence, m.start(), last_metric)
            if metric is None and m["unit"] == "%" and not sentence[: m.start()].strip(" -+•"):
                # "100% các cơ sở Đoàn phát động ...": the target is what the share is of.
                metric = " ".join(re.split(r"[,;:]", sentence[m.end() :])[0].split()[:10]) or None
            if metric is None:
                continue
            unit = (
                re.sub(r"\s+", " ", m["unit"]).replace(" / ", "/").replace("% /", "%/").replace("%/ ", "%/")
            )
            unit = re.sub(r"%\s*/\s*năm", "%/năm", unit)
            if unit == "%" and last_suffix and metric == last_metric:
                unit = last_suffix
            last_suffix = unit if "GRDP" in unit else ""
            after = sentence[m.end() :]
            year = from_year = None
            pm = _PERIOD_AFTER.match(after)
            ym = _YEAR_AFTER.match(after)
            if pm and (not ym or pm.start("a") <= ym.start("y")):
                from_year, year = int(pm["a"]), int(pm["b"])
            elif ym:
                year = int(ym["y"])
            cmp = (
                ">=" if m["trail"] else _comparator(m["cmp"] if m["cmp"] not in ("đạt", "đạt mức") else None)
            )
            out.append(
                Indicator(
                    metric=metric,
                    value=_number(m["num"]),
                    unit=unit,
                    year=year,
                    comparator=cmp,
                    from_year=from_year,
                )
            )
            last_metric = metric
    return out
