def can_import(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_perm("plans.add_document"))
