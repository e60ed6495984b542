from django.contrib import admin

from .models import Area, Unit, UnitAlias, UnitGroup, UnitGroupAlias
from .text import name_key


class KeyedAdminMixin:
    """Admin edits bypass the services: keep the matching keys right (nothing else)."""

    def save_model(self, request, obj, form, change):
        obj.normalized_name = name_key(obj.name)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            instance.normalized_name = name_key(instance.name)
            if getattr(instance, "area_id", None) is None and getattr(form.instance, "area_id", None):
                instance.area_id = form.instance.area_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "division_type", "parent"]
    list_filter = ["level", "division_type"]
    search_fields = ["code", "name", "short_name", "codename"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    fk_name = "unit"
    extra = 0
    fields = ["name", "area"]
    autocomplete_fields = ["area"]


@admin.register(Unit)
class UnitAdmin(KeyedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit_type", "area", "status", "created_at"]
    list_filter = ["status", "unit_type", "area__level"]
    search_fields = ["name", "short_name", "normalized_name", "aliases__name"]
    list_select_related = ["area"]
    autocomplete_fields = ["parent", "area", "merged_into"]
    readonly_fields = ["normalized_name", "created_at"]
    inlines = [UnitAliasInline]


class UnitGroupAliasInline(admin.TabularInline):
    model = UnitGroupAlias
    extra = 0
    fields = ["name", "area"]
    autocomplete_fields = ["area"]


@admin.register(UnitGroup)
class UnitGroupAdmin(KeyedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "area", "member_type", "member_level"]
    list_filter = ["member_type", "member_level", "area__level"]
    search_fields = ["name", "normalized_name", "aliases__name"]
    list_select_related = ["area"]
    autocomplete_fields = ["area", "member_parent"]
    readonly_fields = ["normalized_name", "created_at"]
    inlines = [UnitGroupAliasInline]
