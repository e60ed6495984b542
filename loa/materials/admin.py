from django.contrib import admin

from .models import Material, MaterialUse, MaterialVersion, Script


class VersionInline(admin.TabularInline):
    model = MaterialVersion
    fields = ["number", "status", "filename", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "document", "office", "access", "created_at"]
    list_filter = ["kind", "access"]
    raw_id_fields = ["document", "office", "source"]
    inlines = [VersionInline]


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    list_display = ["version", "limit_seconds", "seconds", "status", "approved_by"]
    readonly_fields = ["version", "seconds", "status", "approved_by", "approved_at"]


admin.site.register(MaterialUse)
