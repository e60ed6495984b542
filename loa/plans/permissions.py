from loa.accounts.access import scope_for


def can_import(user) -> bool:
    """Importing plans is the office's job (or the system admin's)."""
    if not user.is_authenticated:
        return False
    return scope_for(user).manages_plans or user.has_perm("plans.add_document")
