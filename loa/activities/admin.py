from django.contrib import admin

from .models import Activity, BulkImportJob, QuotaForm


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "channel", "form", "quantity", "title", "is_sample"]
    list_filter = ["channel", "form", "is_sample"]
    search_fields = ["title", "summary", "unit__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["unit"]
    raw_id_fields = ["tasks", "themes", "created_by"]


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
