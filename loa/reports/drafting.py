"""Drafting the implementing plan for the level below ("Soạn kế hoạch thực hiện").

From an imported plan and a unit that carries some of its tasks: the basis paragraph, the purposes
of the plan above, its themes (each kept, dropped or edited) and channels, and an implementation
part that gives the unit's tasks to its own sub-units with deadlines before the parent's. The draft
renders as an official "KẾ HOẠCH" (docgen) that Loa's own parser reads back as a plan.
"""

from __future__ import annotations

import datetime as dt

from loa.docgen import Bullet, Heading, OfficialDocument, Paragraph, Signature
from loa.org.models import Unit, UnitType
from loa.plans.models import Channel, Document, Section, TaskAssignment, Theme

from .render import place_name, plan_label

LEAD_DAYS = 5  # a child task is due this many days before the parent's


def sub_units(unit: Unit) -> list[Unit]:
    """The bodies a unit can give work to: the other bodies of its own area (a commune's
    committees, offices, centres, villages)."""
    if not unit.area_id:
        return []
    return list(
        Unit.objects.filter(area_id=unit.area_id)
        .exclude(pk=unit.pk)
        .exclude(status="merged")
        .order_by("name")
    )


def _default_assignee(unit: Unit, candidates: list[Unit]) -> str:
    for kind in (UnitType.OFFICE, UnitType.DEPARTMENT, UnitType.SERVICE_CENTRE):
        for c in candidates:
            if c.unit_type == kind:
                return c.name
    return ""


def _purposes(parent: Document) -> str:
    if not parent.current_version_id:
        return ""
    sections = Section.objects.filter(version_id=parent.current_version_id).order_by("order")
    for s in sections:
        if "MỤC ĐÍCH" in s.heading.upper():
            texts = [s.text] + [c.text for c in sections if c.parent_id == s.pk]
            return "\n".join(t.strip() for t in texts if t and t.strip())
    return ""


def initial_content(parent: Document, unit: Unit) -> dict:
    """What a new draft starts with; everything is editable."""
    version = parent.current_version_id
    candidates = sub_units(unit)
    assignee = _default_assignee(unit, candidates)
    tasks = []
    for a in (
        TaskAssignment.objects.filter(task__document=parent, unit=unit)
        .select_related("task")
        .order_by("task__order")
    ):
        due = a.task.deadline - dt.timedelta(days=LEAD_DAYS) if a.task.deadline else None
        tasks.append(
            {"unit": assignee, "text": a.task.text.strip(), "deadline": due.isoformat() if due else ""}
        )
    return {
        "title": (parent.title or "").strip(),
        "basis": f"Thực hiện {plan_label(parent)}, {unit.name} xây dựng Kế hoạch thực hiện như sau:",
        "purposes": _purposes(parent),
        "themes": [
            {"label": t.label, "title": t.title, "keep": True}
            for t in Theme.objects.filter(version_id=version).order_by("order")
        ]
        if version
        else [],
        "channels": [c.text for c in Channel.objects.filter(version_id=version).order_by("order")]
        if version
        else [],
        "tasks": tasks,
    }


def parent_deadline(parent: Document) -> dt.date | None:
    """The latest deadline among the parent's tasks: no child task may be due after it."""
    dates = [d for d in parent.tasks.values_list("deadline", flat=True) if d]
    return max(dates) if dates else None


def draft_document(draft, signature: Signature | None = None, *, mark_draft: bool = True) -> OfficialDocument:
    """The draft as an official "KẾ HOẠCH", numbered the way plans are (I. … IV.)."""
    body: list = [Paragraph(draft.basis)] if draft.basis.strip() else []
    part = 0
    numerals = ["I", "II", "III", "IV", "V"]

    def heading(text: str) -> None:
        nonlocal part
        body.append(Heading(f"{numerals[part]}. {text}"))
        part += 1

    if draft.purposes.strip():
        heading("MỤC ĐÍCH, YÊU CẦU")
        body += [Paragraph(line.strip()) for line in draft.purposes.splitlines() if line.strip()]
    kept = [t for t in draft.themes if t.get("keep") and t.get("title", "").strip()]
    if kept:
        heading("NỘI DUNG TUYÊN TRUYỀN")
        body += [Paragraph(f"{n}. {t['title'].strip()}") for n, t in enumerate(kept, start=1)]
    channels = [c.strip() for c in draft.channels if c and c.strip()]
    if channels:
        heading("HÌNH THỨC TUYÊN TRUYỀN")
        body += [Bullet(c.lstrip("-–• ").strip()) for c in channels]
    heading("TỔ CHỨC THỰC HIỆN")
    by_unit: dict[str, list[dict]] = {}
    for t in draft.tasks:
        if t.get("text", "").strip() and t.get("unit", "").strip():
            by_unit.setdefault(t["unit"].strip(), []).append(t)
    for n, (name, rows) in enumerate(by_unit.items(), start=1):
        body.append(Heading(f"{n}. {name}", level=2))
        for t in rows:
            text = t["text"].strip().rstrip(".;")
            if t.get("deadline"):
                day = dt.date.fromisoformat(t["deadline"])
                text += f". Hoàn thành trước ngày {day.day:02d}/{day.month:02d}/{day.year}"
            body.append(Paragraph(text + "."))
    unit = draft.unit
    return OfficialDocument(
        issuer=unit.name,
        issuer_parent="",
        kind="KẾ HOẠCH",
        title=draft.title,
        place=place_name(unit.area.name) if unit.area_id else "",
        body=body,
        recipients=[draft.parent.issuer_name] if draft.parent.issuer_name else [],
        signature=signature or Signature(),
        draft=mark_draft,
    )
