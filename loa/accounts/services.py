from django.db import transaction

from loa.audit.services import log_action

from .models import Membership


def grant_role(*, user, unit, role: str, actor=None) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        if created:
            log_action("accounts.role.granted", membership, actor=actor, data={"unit": unit.pk, "role": role})
    return membership


def revoke_role(*, membership: Membership, actor=None) -> None:
    with transaction.atomic():
        log_action(
            "accounts.role.revoked",
            membership,
            actor=actor,
            data={"unit": membership.unit_id, "role": membership.role, "user": membership.user_id},
        )
        membership.delete()
