"""Middleware: sessions that run out, and people who must enrol in two-factor login first."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from townsquare.security import auth_events, sessions, twofactor

EXPIRED_NOTICE = "security.expired"
# Requests an open console tab makes by itself (live updates, presence, "who is typing"): they
# are not a person's activity, so they do not hold off the idle timeout.
BACKGROUND_URL_NAMES = {"web:live-changes", "web:presence", "web:reply-typing"}


class SessionExpiryMiddleware:
    """Signs out a session past its absolute age or idle for too long, before any view runs.

    The request then goes on as anonymous: console pages send the visitor to the login page,
    the API answers 401. Reads only the session, which authentication loads anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        user_id = session.get(SESSION_KEY)
        if user_id is not None:
            now = time.time()
            reason = sessions.expiry_reason(session, now)
            if reason is None:
                if not _is_background(request):
                    sessions.touch(session, now)
            else:
                auth_events.logged_out(request, _as_id(user_id), reason)
                sessions.end_session(request)
                request.session[EXPIRED_NOTICE] = reason
        return self.get_response(request)


def _is_background(request) -> bool:
    if request.method != "GET":
        return False
    try:
        return resolve(request.path_info).view_name in BACKGROUND_URL_NAMES
    except Resolver404:
        return False


def _as_id(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


class TwoFactorEnrolmentMiddleware:
    """When two-factor login is required, an admin or supervisor whose session has not passed it
    can open only the enrolment and sign-in pages: without a device they are sent to enrol, with
    one (a session from before the requirement) to the code step.

    API calls with a bearer token are not affected: see `twofactor` for why.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def __call__(self, request):
        if settings.REQUIRE_2FA and self._needs_second_factor(request) and not self._is_open(request):
            return self._refuse(request)
        return self.get_response(request)

    def _needs_second_factor(self, request) -> bool:
        session = request.session
        if session.get(SESSION_KEY) is None or sessions.passed_second_factor(session):
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        return twofactor.is_required(request.user)

    def _is_open(self, request) -> bool:
        if self._open_paths is None:
            names = [
                "security:two-factor",
                "security:two-factor-enable",
                "login",
                "security:login-code",
                "logout",
            ]
            self._open_paths = {reverse(name) for name in names}
        return request.path_info in self._open_paths or request.path_info.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        )

    def _refuse(self, request):
        user = request.user
        if twofactor.has_device(user):
            twofactor.ask_for_code_again(request, user)
            target = f"{reverse('security:login-code')}"
        else:
            target = reverse("security:two-factor")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": f"two-factor login is required for your role: complete it at {target}"}, status=403
            )
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
