"""Optional authentication for the community's public operations, and their per-address rate limit.

Community reads are public: anyone may read questions and answers without an account. The same
operation still recognises a signed-in caller (their own held posts, moderators' hidden ones), so
it authenticates with a token or the session first and falls back to an anonymous caller. A request
that sends a token which does not verify is refused with 401 rather than quietly read anonymously:
a script with an expired token should learn so, not see less than it expects.

Use on an operation::

    @router.get("/spaces", auth=PUBLIC_AUTH, openapi_extra=PUBLIC_OPENAPI, ...)
    def list_spaces(request):
        check_public_rate(request)
        user = optional_caller(request)  # a User, or None when anonymous
"""

from django.conf import settings
from ninja.errors import HttpError

from townsquare.api.auth import BearerToken, ConsoleSession
from townsquare.api.ratelimit import over_limit

# Reads per client address per window when not signed in (signed-in callers are not limited here).
PUBLIC_READ_LIMIT = 300
PUBLIC_READ_WINDOW_SECONDS = 60


class Anonymous:
    """The caller of a public operation who sent no credentials (truthy, so ninja accepts it)."""

    is_authenticated = False
    is_active = False
    pk = None
    id = None

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "Anonymous()"


ANONYMOUS = Anonymous()


class AnonymousCaller:
    """Last in an auth list: lets a request with no credentials through as ANONYMOUS.

    A request that carries an Authorization header is not anonymous: if the token checks before
    this one failed, the request gets 401. Not an OpenAPI security scheme itself; operations that
    use it add the empty requirement `{}` through PUBLIC_OPENAPI.
    """

    def __call__(self, request):
        if request.headers.get("Authorization"):
            return None
        return ANONYMOUS


PUBLIC_AUTH = [BearerToken(), ConsoleSession(), AnonymousCaller()]
# OpenAPI: a token, the session, or nothing at all.
PUBLIC_OPENAPI = {"security": [{"BearerToken": []}, {"ConsoleSession": []}, {}]}


def optional_caller(request):
    """The signed-in User calling a public operation, or None for an anonymous caller."""
    user = getattr(request, "auth", None)
    if user is None or isinstance(user, Anonymous) or not getattr(user, "is_authenticated", False):
        return None
    return user


def client_address(request) -> str:
    # REMOTE_ADDR: behind a reverse proxy, uvicorn runs with --proxy-headers (see README).
    return request.META.get("REMOTE_ADDR") or "unknown"


class RateLimited(HttpError):
    """429 with Retry-After (the API's error handler writes the header from `wait`)."""

    def __init__(self, wait: int, what: str = "requests"):
        self.wait = wait
        super().__init__(429, f"too many {what} from this address; retry in {wait} s")


def check_public_rate(request, bucket: str = "read", limit: int | None = None, window: int | None = None):
    """Count an anonymous request against its address's budget; raise RateLimited when over it.

    Signed-in callers are accountable through their account and are not counted here.
    """
    if optional_caller(request) is not None:
        return
    limit = (
        limit if limit is not None else getattr(settings, "COMMUNITY_PUBLIC_RATE_LIMIT", PUBLIC_READ_LIMIT)
    )
    window = (
        window
        if window is not None
        else getattr(settings, "COMMUNITY_PUBLIC_RATE_WINDOW_SECONDS", PUBLIC_READ_WINDOW_SECONDS)
    )
    wait = over_limit(f"community:{bucket}:{client_address(request)}", limit, window)
    if wait is not None:
        raise RateLimited(wait)
