"""The quiz question bank of a plan: import (Aiken, CSV, XLSX), drafts from the plan's own figures and
the documents it cites, approval by a person. Drafts: "Theo kế hoạch, đến năm 2030 thu nhập bình
quân đầu người đạt bao nhiêu?" — the key from an indicator, the distractors from the plan's other
facts of the same kind (same unit), each draft citing the sentence of the plan that states it."""

from __future__ import annotations

import random
import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from loa.audit.services import log_action
from loa.core.errors import Refused
from loa.plans.models import Indicator, Reference, Section

from . import questions as reader
from .models import Question


def _number(value: Decimal | float, unit: str) -> str:
    v = Decimal(str(value)).normalize()
    whole = int(v) == v
    text = f"{int(v):,}".replace(",", ".") if whole else f"{v}".replace(".", ",")
    return f"{text} {unit}".strip()


def _cite_for(version_id: int, needle: str) -> tuple[str, str]:
    """(section label, sentence) of the plan's text that contains ``needle``."""
    for section in Section.objects.filter(version_id=version_id).order_by("order"):
        if needle and needle in section.text:
            for sentence in re.split(r"(?<=[.;])\s+", section.text):
                if needle in sentence:
                    return f"Mục {section.label}", sentence.strip()[:1000]
    return "", ""


def _plan_name(document) -> str:
    name = document.kind or "Kế hoạch"
    if document.number:
        name += f" số {document.number}"
    if document.issued_on:
        name += f" ngày {document.issued_on:%d/%m/%Y}"
    return name


def _save(document, text, options, key, cite, actor, origin, theme="", audience="") -> Question | None:
    try:
        with transaction.atomic():
            return Question.objects.create(
                document=document,
                text=text,
                options=options,
                key=key,
                cite_document=cite[0][:300],
                cite_section=cite[1][:200],
                cite_sentence=cite[2],
                theme=theme[:30],
                audience=audience[:30],
                origin=origin,
                created_by=actor,
            )
    except IntegrityError:  # the same question is already in the bank
        return None


def draft_from_plan(document, actor, seed: int = 0) -> int:
    """Draft questions from the plan's indicators and cited documents; returns how many are new."""
    rng = random.Random(seed or document.pk)
    version_id = document.current_version_id
    made = 0
    indicators = list(Indicator.objects.filter(version_id=version_id).order_by("order"))
    for ind in indicators:
        if ind.year is None:
            continue
        same = [i for i in indicators if i.unit == ind.unit and i.value != ind.value]
        wrong = [_number(i.value, i.unit) for i in same][:3]
        scale = [Decimal("0.5"), Decimal("1.5"), Decimal("2"), Decimal("0.75")]
        while len(wrong) < 3 and scale:
            candidate = _number(ind.value * scale.pop(0), ind.unit)
            if candidate not in wrong and candidate != _number(ind.value, ind.unit):
                wrong.append(candidate)
        right = _number(ind.value, ind.unit)
        needle = _number(ind.value, "").strip()
        section, sentence = _cite_for(version_id, needle)
        if not sentence:
            continue  # no sentence to cite: not a question
        options = [right, *wrong[:3]]
        rng.shuffle(options)
        text = f"Theo kế hoạch, đến năm {ind.year}, {ind.metric} đạt bao nhiêu?"
        if _save(
            document,
            text,
            options,
            options.index(right),
            (_plan_name(document), section, sentence),
            actor,
            Question.Origin.PLAN,
        ):
            made += 1
    refs = list(Reference.objects.filter(source=document).select_related("cited").order_by("order"))
    dated = [r for r in refs if r.cited.number and r.cited.issued_on]
    for ref in dated:
        right = f"{ref.cited.issued_on:%d/%m/%Y}"
        wrong = [
            f"{r.cited.issued_on:%d/%m/%Y}"
            for r in dated
            if r is not ref and r.cited.issued_on != ref.cited.issued_on
        ][:3]
        if len(wrong) < 3:
            continue
        options = [right, *wrong]
        rng.shuffle(options)
        text = f"{ref.cited.kind or 'Văn bản'} số {ref.cited.number} được ban hành ngày nào?"
        cite = (_plan_name(document), _("Phần căn cứ"), ref.text[:1000])
        if _save(document, text, options, options.index(right), cite, actor, Question.Origin.PLAN):
            made += 1
    log_action("materials.questions.drafted", document, actor=actor, data={"new": made})
    return made


def import_bank(document, data: bytes, filename: str, actor) -> reader.Report:
    report = reader.read(data, filename)
    added = 0
    for q in report.questions:
        if _save(
            document,
            q.text,
            q.options,
            q.key,
            (q.document, q.section, q.sentence),
            actor,
            Question.Origin.IMPORT,
            q.theme,
            q.audience,
        ):
            added += 1
    log_action(
        "materials.questions.imported",
        document,
        actor=actor,
        data={"added": added, "refused": len(report.errors)},
    )
    return report


def approve(question: Question, actor) -> Question:
    if not (question.cite_document and question.cite_sentence):
        raise Refused(_("Câu hỏi chưa có trích dẫn, không duyệt được."))
    if len(question.options) != 4 or not 0 <= question.key < 4:
        raise Refused(_("Câu hỏi phải có bốn phương án và một đáp án."))
    question.status = Question.Status.APPROVED
    question.approved_by = actor
    question.save(update_fields=["status", "approved_by"])
    log_action("materials.question.approved", question, actor=actor)
    return question
