from typing import Any

from django.db import models

from .models import AuditEntry


def log_action(
    action: str, obj: models.Model | None, actor=None, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record one write. ``action`` is a stable dotted code such as ``plans.plan.imported``."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=data or {},
    )
