"""Fixtures for the page tests: a question Farid asked in Devices, with Bob's answer."""

import pytest

from townsquare.community.posting import answer, ask
from townsquare.community.views.topic import topic_url


@pytest.fixture
def question(devices_space, members):
    """Farid's question about pairing, tagged "pairing"."""
    return ask(
        members["farid"],
        devices_space,
        "My headphones will not pair",
        "They blink **red** and never connect.",
        tags=["pairing"],
    )


@pytest.fixture
def bobs_answer(question, members):
    return answer(members["bob"], question, "Hold the power button for ten seconds, then pair again.")


def page_of(topic) -> str:
    return topic_url(topic)
