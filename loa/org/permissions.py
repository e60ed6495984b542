"""Who may do what with units; used by the HTML views and the API alike."""


def can_manage_units(user) -> bool:
    """Confirm, merge and rename units: staff, or anyone granted ``org.change_unit``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.has_perm("org.change_unit"))
