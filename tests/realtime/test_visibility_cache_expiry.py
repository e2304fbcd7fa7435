"""Answers a console socket cached in one burst expire spread out, not all at once."""

import time

from townsquare.realtime.console_access import VisibilityCache


class Agent:
    role = "agent"


def test_answers_cached_together_expire_over_the_second_half_of_the_ttl():
    cache = VisibilityCache(Agent(), ttl=10.0)
    before = time.monotonic()
    for conversation_id in range(1, 201):
        cache.remember(conversation_id, True)
    expiries = [deadline - before for _, deadline in cache._answers.values()]
    assert all(4.9 <= left <= 10.1 for left in expiries)
    # Spread: at 200 messages/s, a wave of re-asks all at once was a latency spike every TTL.
    assert max(expiries) - min(expiries) > 3.0
    assert len({round(left, 3) for left in expiries}) > 150


def test_an_answer_is_trusted_until_it_expires():
    cache = VisibilityCache(Agent(), ttl=0.05)
    cache.remember(7, False)
    assert cache.cached(7) is False
    time.sleep(0.06)
    assert cache.cached(7) is None
