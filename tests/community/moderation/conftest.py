"""Moderation fixtures: a question by Farid with Bob's answer, and a guideline to cite."""

import pytest

from townsquare.community.models import Guideline
from townsquare.community.posting import answer, ask


@pytest.fixture
def rule_3(db):
    return Guideline.objects.create(number=3, title="No referral links", text="Do not post referral links.")


@pytest.fixture
def question(devices_space, members):
    return ask(
        members["farid"], devices_space, "My headphones will not pair", "They blink red and never connect."
    )


@pytest.fixture
def bobs_answer(question, members):
    return answer(members["bob"], question, "Hold the power button for ten seconds, then pair again.")
