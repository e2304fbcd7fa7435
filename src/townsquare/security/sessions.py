"""Session clocks: when a console session signed in, when it was last used, whether it passed 2FA.

Times are kept in the session as Unix seconds. They are written at sign-in (through Django's
`user_logged_in` signal, so every way of signing in stamps them) and the last-used time at most
once a minute afterwards: a page view does not turn into a session write.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT = "security.login_at"
LAST_SEEN = "security.last_seen"
SECOND_FACTOR = "security.second_factor"
# How stale the last-used time may get before it is written again (also bounds idle accuracy).
LAST_SEEN_RESOLUTION_SECONDS = 60


def stamp_login(session, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session[LOGIN_AT] = int(now)
    session[LAST_SEEN] = int(now)


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        stamp_login(request.session)


def expiry_reason(session, now: float) -> str | None:
    """ "absolute" or "idle" when the session has run out, else None."""
    login_at, last_seen = session.get(LOGIN_AT), session.get(LAST_SEEN)
    if login_at is None or last_seen is None:
        return None
    if now - login_at >= settings.SESSION_MAX_AGE:
        return "absolute"
    if now - last_seen >= settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


def touch(session, now: float) -> None:
    """Record activity; a session signed in before these clocks existed starts them now."""
    if session.get(LOGIN_AT) is None:
        stamp_login(session, now)
        return
    resolution = min(LAST_SEEN_RESOLUTION_SECONDS, max(1, settings.SESSION_IDLE_TIMEOUT // 10))
    if now - session.get(LAST_SEEN, 0) >= resolution:
        session[LAST_SEEN] = int(now)


def end_session(request) -> None:
    logout(request)


def mark_second_factor(session, method: str) -> None:
    session[SECOND_FACTOR] = method


def passed_second_factor(session) -> bool:
    return bool(session.get(SECOND_FACTOR))
