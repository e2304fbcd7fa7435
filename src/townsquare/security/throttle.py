"""Login rate limits: failed sign-in steps counted per username and per IP address.

A username or address with too many failures inside the window is refused until enough of them
age out, without its password or code being checked at all. Refused attempts are not counted
again, so a lockout ends on time. A complete sign-in clears that username's failures (not the
address's, or an attacker with one account could reset the count between guesses).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from townsquare.security.models import FailureScope, LoginFailure

MAX_KEY_LENGTH = LoginFailure._meta.get_field("key").max_length


def username_key(username: str) -> str:
    # Case-folded: "Alice" and "alice" share one count, so case changes do not buy more guesses.
    return (username or "").strip().casefold()[:MAX_KEY_LENGTH]


def _limits(username: str, ip: str) -> list[tuple[str, str, int]]:
    return [
        (FailureScope.USERNAME, username_key(username), settings.LOGIN_MAX_FAILURES),
        (FailureScope.IP, ip[:MAX_KEY_LENGTH], settings.LOGIN_MAX_FAILURES_PER_IP),
    ]


def retry_after(username: str, ip: str, now=None) -> int | None:
    """Seconds until this username and address may try again, or None when they may now."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    waits = []
    for scope, key, limit in _limits(username, ip):
        times = list(
            LoginFailure.objects.filter(scope=scope, key=key, failed_at__gt=now - window)
            .order_by("failed_at")
            .values_list("failed_at", flat=True)
        )
        if len(times) >= limit:
            # Enough failures must age out to bring the count under the limit.
            frees_at = times[len(times) - limit] + window
            waits.append(max(1, int((frees_at - now).total_seconds() + 0.999)))
    return max(waits) if waits else None


def record_failure(username: str, ip: str, now=None) -> None:
    now = now or timezone.now()
    LoginFailure.objects.bulk_create(
        LoginFailure(scope=scope, key=key, failed_at=now) for scope, key, _ in _limits(username, ip)
    )
    # Failures past the window no longer count anywhere; dropping them keeps the table small.
    cutoff = now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    LoginFailure.objects.filter(failed_at__lt=cutoff).delete()


def clear_username(username: str) -> None:
    LoginFailure.objects.filter(scope=FailureScope.USERNAME, key=username_key(username)).delete()
