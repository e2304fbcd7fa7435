"""Console sign-in: password, then the TOTP code when the person has a device, then sign-out.

Both steps are rate limited per username and per IP address, and both write audit events.
The session is signed in (Django's `login`, which gives it a new key) only once every factor
the account has is right.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.inbox.visibility import can_use_console
from townsquare.security import auth_events, pending, recovery, sessions, throttle, twofactor
from townsquare.security.middleware import EXPIRED_NOTICE

EXPIRED_MESSAGES = {
    "idle": "You were signed out after a while without activity. Sign in again to go on.",
    "absolute": "Your session reached its maximum age. Sign in again to go on.",
}


def safe_next(request, candidate: str | None = None, *, user=None) -> str:
    candidate = candidate if candidate is not None else request.POST.get("next", request.GET.get("next", ""))
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if candidate and allowed:
        return candidate
    # Community members (customers, moderators) have no console: with nowhere asked for, the community.
    if user is not None and not can_use_console(user):
        return reverse("community:index")
    return reverse(settings.LOGIN_REDIRECT_URL)


def _login_page(request, form, *, status: int = 200, error: str = "", retry_after: int | None = None):
    context = {
        "form": form,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "error": error,
        "expired": EXPIRED_MESSAGES.get(request.session.pop(EXPIRED_NOTICE, "")),
    }
    response = render(request, "registration/login.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def rate_limited_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return (
        f"Too many failed sign-in attempts. Try again in about {minutes} minute{'s' if minutes > 1 else ''}."
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.method == "GET":
        return _login_page(request, AuthenticationForm(request))
    username, ip = request.POST.get("username", ""), auth_events.client_ip(request)
    wait = throttle.retry_after(username, ip)
    if wait:
        # An unbound form: a bound one would check the password while rendering its errors.
        form = AuthenticationForm(request, initial={"username": username})
        return _login_page(request, form, status=429, error=rate_limited_message(wait), retry_after=wait)
    form = AuthenticationForm(request, data=request.POST)
    if not form.is_valid():
        throttle.record_failure(username, ip)
        tried = get_user_model()._default_manager.filter(username=username[:150]).first()
        auth_events.login_failed(request, username, tried, step="password", reason="invalid_credentials")
        return _login_page(request, form)
    user = form.get_user()
    if twofactor.has_device(user):
        pending.start(request, user, safe_next(request, user=user))
        return redirect("security:login-code")
    complete_login(request, user, "password")
    if twofactor.is_required(user):
        messages.info(request, "Your role needs two-factor login: set it up to go on.")
        return redirect("security:two-factor")
    return redirect(safe_next(request, user=user))


def complete_login(request, user, method: str) -> None:
    login(request, user)  # a new session key, and the clocks start (see sessions.py)
    if method != "password":
        sessions.mark_second_factor(request.session, method)
    throttle.clear_username(user.get_username())
    auth_events.logged_in(request, user, method)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code_view(request):
    user = pending.pending_user(request)
    if user is None:
        pending.clear(request)
        return redirect_to_login(reverse(settings.LOGIN_REDIRECT_URL))
    if request.method == "GET":
        return _code_page(request, user)
    ip = auth_events.client_ip(request)
    wait = throttle.retry_after(user.get_username(), ip)
    if wait:
        return _code_page(request, user, status=429, error=rate_limited_message(wait), retry_after=wait)
    method = twofactor.verify(user, request.POST.get("code", ""))
    if method is None:
        throttle.record_failure(user.get_username(), ip)
        auth_events.login_failed(request, user.get_username(), user, step="code", reason="invalid_code")
        return _code_page(request, user, error="That code is not right, or it was already used.")
    destination = safe_next(request, pending.next_url(request), user=user)
    pending.clear(request)
    complete_login(request, user, method)
    if method == "recovery_code":
        left = recovery.unused_count(user)
        messages.warning(request, f"You signed in with a recovery code; {left} left. Set up new codes soon.")
    return redirect(destination)


def _code_page(request, user, *, status: int = 200, error: str = "", retry_after: int | None = None):
    response = render(
        request, "registration/login_code.html", {"pending_user": user, "error": error}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        auth_events.logged_out(request, request.user.pk, "user")
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
