"""Bridge fixtures: Farid's question in the devices space, queues for ambassadors and for staff."""

import pytest

from tests.care.routing_helpers import on_duty, queue, team
from tests.community.conftest import at_trust_level
from townsquare.community.posting import ask


@pytest.fixture
def farids_question(members, devices_space):
    return ask(
        members["farid"],
        devices_space,
        "My headphones will not pair with my phone",
        "They blink red and the phone never finds them. What can I try?",
    )


@pytest.fixture
def care_desk(alice, bob, members):
    """The demo's set-up: community questions go to Bob's ambassador queue first, the rest to Devices
    (Alice's team). Both are on duty."""
    community_queue = queue("Community", position=20, rules={"channel_kind": ["community"]})
    devices_team = team("Devices", alice)
    devices_queue = queue("Devices", position=100, team=devices_team)
    on_duty(bob, queues=[community_queue])
    on_duty(alice)
    at_trust_level(alice, 2)
    return {"community": community_queue, "devices": devices_queue}
