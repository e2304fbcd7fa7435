"""Timings of retries and recovery: a Django setting wins, then the environment, then a default.

Read at call time, so tests and long-running processes see the current value.
"""

import os

from django.conf import settings

from townsquare.envvars import ConfigError


def seconds(name: str, default: float) -> float:
    value = getattr(settings, name, None)
    if value is None:
        raw = os.environ.get(f"TOWNSQUARE_{name}", "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"TOWNSQUARE_{name}={raw!r} is not a number of seconds") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative")
    return float(value)


def retry_base_seconds() -> float:
    """Wait before the second attempt; it doubles for each further attempt."""
    return seconds("TASK_RETRY_BASE_SECONDS", 10.0)


def retry_max_seconds() -> float:
    return seconds("TASK_RETRY_MAX_SECONDS", 15 * 60.0)


def stale_after_seconds() -> float:
    """A task RUNNING this long is presumed to have lost its worker."""
    return seconds("TASK_STALE_SECONDS", 30 * 60.0)


def recovery_interval_seconds() -> float:
    return seconds("TASK_RECOVERY_INTERVAL_SECONDS", 60.0)
