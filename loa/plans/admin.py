from django.contrib import admin

from .models import (
    Channel,
    Document,
    DocumentVersion,
    ImportJob,
    Indicator,
    Kpi,
    Reference,
    Section,
    Task,
    TaskAssignment,
    TaskComment,
    Theme,
)


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "filename", "size", "imported_at", "imported_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


class ReferenceInline(admin.TabularInline):
    model = Reference
    fk_name = "source"
    fields = ["cited", "text", "is_basis", "order"]
    raw_id_fields = ["cited"]
    extra = 0


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "issuer_name", "status", "is_sample", "area"]
    list_filter = ["status", "kind", "is_sample"]
    search_fields = ["number", "title", "issuer_name"]
    raw_id_fields = ["issuer", "area", "current_version"]
    inlines = [VersionInline, ReferenceInline]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "label", "heading", "depth"]
    extra = 0


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "filename", "size", "imported_at"]
    search_fields = ["document__number", "document__title", "filename"]
    readonly_fields = ["content_hash", "size", "imported_at"]
    raw_id_fields = ["document", "imported_by"]
    inlines = [SectionInline]


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "assignment_label", "deadline", "recurrence", "status"]
    list_filter = ["status", "recurrence"]
    search_fields = ["text", "unit_names"]
    raw_id_fields = ["document", "first_version", "last_version"]
    filter_horizontal = ["units", "groups"]
    inlines = [KpiInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "title", "version"]
    search_fields = ["title"]
    raw_id_fields = ["version"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["kind", "text", "version"]
    list_filter = ["kind"]
    raw_id_fields = ["version"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["metric", "comparator", "value", "unit", "year", "version"]
    raw_id_fields = ["version"]


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["source", "cited", "is_basis"]
    list_filter = ["is_basis"]
    raw_id_fields = ["source", "cited"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "progress", "created_by", "created_at"]
    list_filter = ["status"]
    readonly_fields = [
        "status",
        "progress",
        "stage",
        "message",
        "warnings",
        "document",
        "created_by",
        "created_at",
    ]


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "via_group", "done_at"]
    list_filter = ["done_at"]
    search_fields = ["task__text", "unit__name"]
    raw_id_fields = ["task", "unit", "via_group"]


@admin.register(TaskComment)
class TaskCommentAdmin(admin.ModelAdmin):
    list_display = ["assignment", "author", "created_at"]
    raw_id_fields = ["assignment", "author"]
