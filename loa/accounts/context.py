from .access import scope_for


def roles(request):
    """Whether the menu shows the office's pages (the pages themselves check again)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"loa_manages": False}
    return {"loa_manages": scope_for(user).manages_plans}
