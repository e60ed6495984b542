from django.contrib import admin

from .models import PlanDraft, ReportFile, ReportRound, ReportSection


class SectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    fields = ["unit", "submitted_at", "submitted_by"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(ReportRound)
class ReportRoundAdmin(admin.ModelAdmin):
    list_display = ["document", "office", "start", "end", "due", "closed_at"]
    list_select_related = ["document", "office"]
    raw_id_fields = ["document", "office", "created_by"]
    inlines = [SectionInline]


@admin.register(ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ["unit", "round", "submitted_at"]
    list_select_related = ["unit", "round__document"]
    raw_id_fields = ["round", "unit", "submitted_by"]


@admin.register(PlanDraft)
class PlanDraftAdmin(admin.ModelAdmin):
    list_display = ["unit", "parent", "issued", "updated_at"]
    list_select_related = ["unit", "parent", "issued"]
    raw_id_fields = ["parent", "unit", "issued", "created_by"]


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "document",
        "start",
        "end",
        "status",
        "rows",
        "seconds",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["document", "created_by"]
    raw_id_fields = ["document", "round", "created_by"]
    readonly_fields = ["status", "progress", "stage", "message", "rows", "seconds"]
