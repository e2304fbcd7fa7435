"""Who is calling: a personal API token (Bearer) or the console's signed-in session (with CSRF)."""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from townsquare.people.tokens import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer ts_…`, a personal token made with `townsquare token create`."""

    def authenticate(self, request, token):
        return user_for_token(token.strip())


class ConsoleSession(APIKeyCookie):
    """The console's Django session, so htmx can call the API; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # Without a signed-in session there is nothing to protect: skip the CSRF check, so a
        # token client with a bad token gets 401, not "CSRF check failed".
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


# Bearer first: a script sending a token never needs a CSRF token, even with a stray cookie.
api_auth = [BearerToken(), ConsoleSession()]


def caller(request):
    """The authenticated user for this request."""
    return request.auth
