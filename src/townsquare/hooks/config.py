"""Outgoing webhook timings: a Django setting wins, then the environment, then a default.

Read at call time, so tests and long-running workers see the current value.
"""

import os

from django.conf import settings

from townsquare.envvars import ConfigError


def _number(setting: str, env: str, default: float, *, minimum: float) -> float:
    value = getattr(settings, setting, None)
    if value is None:
        raw = os.environ.get(env, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"{env}={raw!r} is not a number") from None
    if value < minimum:
        raise ConfigError(f"{env} must be at least {minimum:g}")
    return float(value)


def timeout_seconds() -> float:
    """How long one attempt may wait for the receiver (connect, then each read)."""
    return _number("WEBHOOK_TIMEOUT", "TOWNSQUARE_WEBHOOK_TIMEOUT", 10.0, minimum=0.1)


def max_attempts() -> int:
    return int(_number("WEBHOOK_MAX_ATTEMPTS", "TOWNSQUARE_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1))


def backoff_base_seconds() -> float:
    """Wait after the first failed attempt; each further wait is four times the one before."""
    return _number("WEBHOOK_BACKOFF_SECONDS", "TOWNSQUARE_WEBHOOK_BACKOFF_SECONDS", 30.0, minimum=0)


def backoff_max_seconds() -> float:
    return _number(
        "WEBHOOK_BACKOFF_MAX_SECONDS", "TOWNSQUARE_WEBHOOK_BACKOFF_MAX_SECONDS", 6 * 3600.0, minimum=0
    )
