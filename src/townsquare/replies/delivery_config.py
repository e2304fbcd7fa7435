"""How often and how long a reply's delivery is tried: a Django setting wins, then the environment.

Read at call time, so tests and long-running processes see the current value.
"""

import os

from django.conf import settings

from townsquare.envvars import ConfigError
from townsquare.tasks.config import seconds


def max_attempts() -> int:
    """Attempts (first try included) before a reply that keeps failing for now is marked failed."""
    value = getattr(settings, "DELIVERY_MAX_ATTEMPTS", None)
    if value is None:
        raw = os.environ.get("TOWNSQUARE_DELIVERY_MAX_ATTEMPTS", "").strip() or "6"
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"TOWNSQUARE_DELIVERY_MAX_ATTEMPTS={raw!r} is not a whole number") from None
    if value < 1:
        raise ConfigError("DELIVERY_MAX_ATTEMPTS must be at least 1")
    return int(value)


def sending_timeout_seconds() -> float:
    """A reply SENDING for this long lost its worker mid-delivery; the periodic check tries it again."""
    return seconds("DELIVERY_TIMEOUT_SECONDS", 300.0)


def retry_base_seconds() -> float:
    """Wait before the second attempt; it doubles for each further attempt (with jitter)."""
    return seconds("DELIVERY_RETRY_BASE_SECONDS", 30.0)


def retry_max_seconds() -> float:
    return seconds("DELIVERY_RETRY_MAX_SECONDS", 30 * 60.0)
