"""The HTTP API (django-ninja), mounted at /api/ with OpenAPI docs at /api/docs.

Callers authenticate with ``Authorization: Bearer <key>`` (keys are made in the admin, see
``loa.accounts.tokens``) or, for the browsable docs, with their logged-in session. Handlers use
``request.auth`` as the acting person; visibility comes only from ``loa.accounts.access.scope_for``.
"""

from django.core.exceptions import ValidationError
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from loa.accounts.tokens import authenticate_token
from loa.activities.api import router as activities_router
from loa.activities.api import tasks_router
from loa.feedback.api import router as feedback_router


class UnicodeJSONRenderer(JSONRenderer):
    """Vietnamese stays readable in responses ("Tin bài", not "Tin b\\u00e0i")."""

    json_dumps_params = {"ensure_ascii": False}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The logged-in session, with ninja's CSRF check for unsafe methods. Anonymous requests are
    declined before that check, so a bad or missing key answers 401, not a CSRF 403."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="Loa API",
    version="1",
    urls_namespace="api",
    renderer=UnicodeJSONRenderer(),
    auth=[TokenAuth(), BrowserSessionAuth()],
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


api.add_router("/activities", activities_router)
api.add_router("/tasks", tasks_router)
api.add_router("/public", feedback_router)
