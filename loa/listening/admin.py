from django.contrib import admin

from .models import Claim, Source, Surge


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "document", "kind", "rows", "created", "duplicates", "created_at"]
    list_select_related = ["document"]


@admin.register(Surge)
class SurgeAdmin(admin.ModelAdmin):
    list_display = ["label", "document", "window_start", "observed", "expected", "severity"]
    list_select_related = ["document"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["summary", "document", "status", "first_seen", "answered_at"]
    list_select_related = ["document"]
