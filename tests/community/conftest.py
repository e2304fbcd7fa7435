"""Community fixtures: spaces, and members at the trust levels the stories need."""

import pytest

from townsquare.community.members import member_of
from townsquare.community.models import Space
from townsquare.inbox.models import Channel, ChannelKind


def at_trust_level(user, level: int):
    member = member_of(user)
    member.trust_level = level
    member.save(update_fields=["trust_level"])
    return user


@pytest.fixture
def community_channel(db):
    return Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)


@pytest.fixture
def devices_space(community_channel):
    """The English space for the brand's devices."""
    return Space.objects.create(slug="devices", name="Devices", language="en", channel=community_channel)


@pytest.fixture
def espanol_space(community_channel):
    return Space.objects.create(slug="espanol", name="Dispositivos", language="es", channel=community_channel)


@pytest.fixture
def dana(db):
    """Dana, a customer (es) with a community account."""
    from tests.conftest import make_user
    from townsquare.people.models import Role

    return make_user("dana", Role.CUSTOMER, ["es"])


@pytest.fixture
def members(farid, bob, dana):
    """Farid (new, trust level 0), Bob (an ambassador, level 3), Dana (basic, level 1)."""
    at_trust_level(bob, 3)
    at_trust_level(dana, 1)
    member_of(farid)
    return {"farid": farid, "bob": bob, "dana": dana}
