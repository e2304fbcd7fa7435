"""Notification stories: Farid asks on Devices, Bob answers, Dana follows along."""

import pytest
from django.core.cache import cache

from townsquare.community.models import Notification
from townsquare.community.posting import ask
from townsquare.people.tokens import create_token


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bearer():
    def headers_for(user) -> dict:
        _, plaintext = create_token(user, "tests")
        return {"Authorization": f"Bearer {plaintext}"}

    return headers_for


@pytest.fixture
def question(devices_space, members):
    return ask(
        members["farid"], devices_space, "My headphones will not pair", "They blink red and never connect."
    )


# What these listeners write; badges, trust levels and moderation notify through their own areas.
OUR_KINDS = ("topic", "answer", "comment", "mention", "accepted", "solved")


def only_ours() -> None:
    """Drop the other areas' notifications (a first question earns a badge), so counts are about ours."""
    Notification.objects.exclude(kind__in=OUR_KINDS).delete()


def told(user) -> list[tuple[str, str]]:
    """(kind, text) of each notification of ours `user` got, oldest first."""
    rows = Notification.objects.filter(user=user, kind__in=OUR_KINDS).order_by("created_at", "id")
    return list(rows.values_list("kind", "text"))
