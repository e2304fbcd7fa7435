"""Retries wait exponentially longer (with jitter), never less than the channel asked (Retry-After)."""

from datetime import timedelta

from townsquare.replies.undelivered import retry_delay


def test_each_retry_waits_about_twice_as_long(settings):
    settings.DELIVERY_RETRY_BASE_SECONDS = 30
    settings.DELIVERY_RETRY_MAX_SECONDS = 600
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (6, 600), (20, 600)]:
        wait = retry_delay(attempt)
        assert timedelta(seconds=ceiling / 2) <= wait <= timedelta(seconds=ceiling)


def test_a_rate_limit_wait_is_honoured(settings):
    settings.DELIVERY_RETRY_BASE_SECONDS = 30
    settings.DELIVERY_RETRY_MAX_SECONDS = 600
    assert retry_delay(1, retry_after=900) == timedelta(seconds=900)
