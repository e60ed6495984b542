from django.contrib import admin

from .models import ResponsePolicy, RoutingRule


@admin.register(ResponsePolicy)
class ResponsePolicyAdmin(admin.ModelAdmin):
    list_display = ["kind", "ack_hours", "urgent_ack_hours", "answer_days", "remind_hours"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["office", "document", "match", "value", "unit"]
    list_filter = ["match"]
    raw_id_fields = ["office", "document", "unit"]
