from django.contrib import admin

from . import tallies
from .models import (
    Activity,
    AudienceMonthTally,
    AudienceTally,
    BulkImportJob,
    PlanChannelTally,
    PlanMonthTally,
    PlanTally,
    QuotaForm,
    TaskTally,
    ThemeMonthTally,
    ThemeTally,
)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Edits here bypass the services, so the tallies of the plans touched are recomputed here."""

    list_display = ["date", "unit", "channel", "form", "quantity", "title", "is_sample"]
    list_filter = ["channel", "form", "is_sample"]
    search_fields = ["title", "summary", "unit__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["unit"]
    raw_id_fields = ["tasks", "themes", "created_by"]

    def save_related(self, request, form, formsets, change):
        activity = form.instance
        before = tallies.documents_of(activity) if change else set()
        old_unit = form.initial.get("unit") if change else None
        super().save_related(request, form, formsets, change)
        after = tallies.documents_of(activity)
        tallies.touch(unit_id=activity.unit_id, document_ids=before | after)
        if old_unit and old_unit != activity.unit_id:
            tallies.touch(unit_id=old_unit, document_ids=before)

    def delete_model(self, request, obj):
        touched = tallies.documents_of(obj)
        super().delete_model(request, obj)
        tallies.touch(unit_id=obj.unit_id, document_ids=touched)

    def delete_queryset(self, request, queryset):
        with tallies.deferred():
            for activity in queryset:
                self.delete_model(request, activity)


class TallyAdmin(admin.ModelAdmin):
    """Derived figures: read-only (``loa rebuild-tallies`` recomputes them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanTally)
class PlanTallyAdmin(TallyAdmin):
    list_display = ["document", "unit", "month", "channel", "activities", "quantity", "reach"]
    list_filter = ["channel"]
    list_select_related = ["document", "unit"]


@admin.register(PlanMonthTally)
class PlanMonthTallyAdmin(TallyAdmin):
    list_display = ["document", "unit", "month", "activities", "quantity", "reach"]
    list_select_related = ["document", "unit"]


@admin.register(PlanChannelTally)
class PlanChannelTallyAdmin(TallyAdmin):
    list_display = ["document", "unit", "channel", "activities", "quantity", "reach"]
    list_filter = ["channel"]
    list_select_related = ["document", "unit"]


@admin.register(TaskTally)
class TaskTallyAdmin(TallyAdmin):
    list_display = ["task", "unit", "activities", "quantity"]
    list_select_related = ["task", "unit"]


@admin.register(AudienceTally)
class AudienceTallyAdmin(TallyAdmin):
    list_display = ["document", "unit", "audience", "activities", "reach"]
    list_select_related = ["document", "unit"]


@admin.register(ThemeTally)
class ThemeTallyAdmin(TallyAdmin):
    list_display = ["theme", "unit", "activities"]
    list_select_related = ["theme", "unit"]


@admin.register(AudienceMonthTally)
class AudienceMonthTallyAdmin(TallyAdmin):
    list_display = ["document", "unit", "month", "audience", "activities", "reach"]
    list_select_related = ["document", "unit"]


@admin.register(ThemeMonthTally)
class ThemeMonthTallyAdmin(TallyAdmin):
    list_display = ["theme", "unit", "month", "activities"]
    list_select_related = ["theme", "unit"]


@admin.register(QuotaForm)
class QuotaFormAdmin(admin.ModelAdmin):
    list_display = ["quota_unit", "form"]
    list_filter = ["form"]
    search_fields = ["quota_unit"]


@admin.register(BulkImportJob)
class BulkImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "progress", "created", "updated", "created_by", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "progress", "stage", "message", "created", "updated", "unchanged", "errors"]
