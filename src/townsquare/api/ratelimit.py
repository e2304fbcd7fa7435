"""A fixed-window request counter in Django's cache (shared across processes with Redis)."""

import math
import time

from django.core.cache import cache


def over_limit(key: str, limit: int, window_seconds: int, now: float | None = None) -> int | None:
    """Count one request under key; return the seconds to wait if it is over the limit, else None."""
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    cache_key = f"ratelimit:{key}:{window}"
    # add() only sets a missing key, so the first request of a window starts the count atomically.
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the key expired between add() and incr()
            cache.add(cache_key, 1, timeout=window_seconds + 1)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * window_seconds - now))
