"""A sign-in half done: the password was right, the second factor is still to come.

The session holds only the user's id until the code is right; it is not signed in, so no page
or API call treats it as that user. The half-done state lasts a few minutes.
"""

import time

from django.contrib.auth import get_user_model

PENDING_USER = "security.pending_user"
PENDING_BACKEND = "security.pending_backend"
PENDING_SINCE = "security.pending_since"
PENDING_NEXT = "security.pending_next"
PENDING_MAX_AGE_SECONDS = 300
KEYS = (PENDING_USER, PENDING_BACKEND, PENDING_SINCE, PENDING_NEXT)


def start(request, user, next_url: str) -> None:
    session = request.session
    # A new session key for the new privilege level, as Django's login() does.
    session.cycle_key()
    session[PENDING_USER] = user.pk
    session[PENDING_BACKEND] = getattr(user, "backend", "") or "django.contrib.auth.backends.ModelBackend"
    session[PENDING_SINCE] = int(time.time())
    session[PENDING_NEXT] = next_url


def pending_user(request):
    """The user waiting for their second factor, or None when there is none or it is too old."""
    session = request.session
    user_id, since = session.get(PENDING_USER), session.get(PENDING_SINCE)
    if user_id is None or since is None or time.time() - since > PENDING_MAX_AGE_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is not None:
        user.backend = session.get(PENDING_BACKEND)
    return user


def next_url(request) -> str:
    return request.session.get(PENDING_NEXT) or ""


def clear(request) -> None:
    for key in KEYS:
        request.session.pop(key, None)
