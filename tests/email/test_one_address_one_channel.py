"""An address reaches one email channel: a second channel cannot take it (nor as an alias), so mail
is never silently routed to whichever channel is older."""

import pytest

from tests.email.conftest import SUPPORT
from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.config import configure_channel
from townsquare.connectors.email.recipients import channel_for
from townsquare.inbox.channels import create_channel

pytestmark = pytest.mark.db


def test_a_second_channel_cannot_take_an_address_or_alias(grace, support):
    returns, _ = create_channel(grace, "returns", "email")
    with pytest.raises(ConfigInvalid) as refused:
        configure_channel(grace, returns, settings={"address": SUPPORT.upper()})
    assert refused.value.fields == {"address": f"{SUPPORT} is taken by the channel 'support-mail'"}
    with pytest.raises(ConfigInvalid) as refused:
        configure_channel(
            grace, returns, settings={"address": "returns@shop.test", "aliases": ["help@shop.test"]}
        )
    assert list(refused.value.fields) == ["aliases"]
    assert channel_for(SUPPORT) == support and channel_for("help@shop.test") == support


def test_a_channel_keeps_its_own_address_when_it_saves_again(grace, support):
    configure_channel(grace, support, settings={"from_name": "Shop support"})
    support.refresh_from_db()
    assert support.settings["from_name"] == "Shop support"
