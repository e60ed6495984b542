"""Reads of the plans app: each returns rows with their query shape fixed."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from loa.accounts.access import scope_for

from .models import Document, DocumentStatus, ImportJob, Reference, Section, Task


def visible_documents(user) -> QuerySet[Document]:
    """Imported documents of the areas the person reads, or holding tasks of units the person reads."""
    scope = scope_for(user)
    qs = Document.objects.filter(status=DocumentStatus.IMPORTED)
    if scope.all:
        return qs
    units = scope.readable_units()
    ids = Document.objects.filter(
        Q(area__in=units.values("area")) | Q(tasks__assignments__unit__in=units)
    ).values("pk")
    return qs.filter(pk__in=ids)


def plan_list(user) -> QuerySet[Document]:
    return (
        visible_documents(user)
        .select_related("area", "current_version")
        .annotate(task_count=Count("tasks", filter=Q(tasks__status="open"), distinct=True))
        .order_by("-issued_on", "-id")
    )


def get_document_for_user(user, pk: int) -> Document:
    """404 for a document the person may not read (see loa.accounts.access)."""
    return get_object_or_404(
        visible_documents(user).select_related("area", "issuer", "current_version"), pk=pk
    )


def get_import_job_for_user(user, pk: int) -> ImportJob:
    qs = ImportJob.objects.select_related("document")
    if not user.is_superuser:
        qs = qs.filter(created_by=user)
    return get_object_or_404(qs, pk=pk)


def plan_page(document: Document, user) -> dict:
    """Everything the plan page shows, in a fixed number of queries."""
    version = document.current_version
    sections = list(Section.objects.filter(version=version).order_by("order")) if version else []
    tasks = list(
        Task.objects.filter(document=document)
        .prefetch_related("units", "groups", "kpis")
        .order_by("status", "order")
    )
    references = list(Reference.objects.filter(source=document).select_related("cited").order_by("order"))
    children = list(
        Reference.objects.filter(cited=document, source__in=visible_documents(user))
        .select_related("source")
        .order_by("source__issued_on")
    )
    return {
        "version": version,
        "parsed": version.parsed if version else {},
        "sections": sections,
        "themes": list(version.themes.all()) if version else [],
        "channels": list(version.channels.all()) if version else [],
        "indicators": list(version.indicators.all()) if version else [],
        "tasks": tasks,
        "references": references,
        "parents": [r for r in references if r.is_basis],
        "children": children,
        "versions": list(
            document.versions.order_by("-number").only(
                "id", "number", "filename", "imported_at", "document_id"
            )
        ),
    }


def assignment_rows(tasks: list[Task]) -> list[dict]:
    """Group tasks by their assignment heading, as the plan lists them."""
    rows: list[dict] = []
    for task in tasks:
        if rows and rows[-1]["label"] == task.assignment_label and rows[-1]["unit_names"] == task.unit_names:
            rows[-1]["tasks"].append(task)
        else:
            rows.append(
                {
                    "label": task.assignment_label,
                    "unit_names": task.unit_names,
                    "task0": task,
                    "tasks": [task],
                }
            )
    return rows
