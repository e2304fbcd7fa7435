"""Channel services: only admins create channels or rotate secrets, each with its event."""

import pytest

from townsquare.events.models import Event
from townsquare.inbox import channels as channel_services
from townsquare.inbox.channels import ChannelError, ChannelNameTaken, create_channel, rotate_secret
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.inbox.visibility import Forbidden, visible_channels

pytestmark = pytest.mark.django_db


def test_grace_creates_a_channel_and_gets_its_secret(grace):
    channel, secret = create_channel(grace, "  shop  ", ChannelKind.WEBHOOK, {"region": "eu"})
    channel.refresh_from_db()
    assert (channel.name, channel.kind, channel.settings) == ("shop", "webhook", {"region": "eu"})
    assert secret == channel.secret and len(secret) >= 40
    event = Event.objects.get(kind="channel.created")
    assert (event.actor_id, event.channel_id, event.data) == (
        grace.pk,
        channel.pk,
        {"name": "shop", "kind": "webhook"},
    )


@pytest.mark.parametrize("user", ["alice", "carol", "bob", "eve", "farid"])
def test_only_an_admin_may_create_a_channel(request, user):
    with pytest.raises(Forbidden):
        create_channel(request.getfixturevalue(user), "shop", ChannelKind.WEBHOOK, {})
    assert not Channel.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize(
    ("name", "kind", "channel_settings", "reason"),
    [
        ("", "webhook", {}, "needs a name"),
        ("   ", "webhook", {}, "needs a name"),
        ("x" * 101, "webhook", {}, "at most 100"),
        ("shop", "carrier-pigeon", {}, "kind must be one of"),
        ("shop", "webhook", ["not", "a", "dict"], "settings must be an object"),
    ],
)
def test_bad_input_is_a_channel_error(grace, name, kind, channel_settings, reason):
    with pytest.raises(ChannelError, match=reason):
        create_channel(grace, name, kind, channel_settings)
    assert not Channel.objects.exists()


def test_a_taken_name_is_refused_and_writes_no_event(grace, twitter):
    with pytest.raises(ChannelNameTaken, match="already exists"):
        create_channel(grace, "twitter", ChannelKind.WEBHOOK, {})
    assert not Event.objects.filter(kind="channel.created").exists()


def test_the_channel_and_its_event_are_one_transaction(grace, monkeypatch):
    def broken_record(*args, **kwargs):
        raise RuntimeError("event log unavailable")

    monkeypatch.setattr(channel_services, "record", broken_record)
    with pytest.raises(RuntimeError):
        create_channel(grace, "shop", ChannelKind.WEBHOOK, {})
    assert not Channel.objects.exists()


def test_rotating_gives_a_new_secret_and_an_event(grace, hook):
    old = hook.secret
    new = rotate_secret(grace, hook)
    assert new != old and Channel.objects.get(pk=hook.pk).secret == new
    assert Event.objects.filter(kind="channel.secret_rotated", channel_id=hook.pk, actor_id=grace.pk).exists()


@pytest.mark.parametrize("user", ["alice", "carol", "bob", "farid"])
def test_only_an_admin_may_rotate(request, hook, user):
    with pytest.raises(Forbidden):
        rotate_secret(request.getfixturevalue(user), hook)
    assert Channel.objects.get(pk=hook.pk).secret == hook.secret
    assert not Event.objects.exists()


def test_staff_see_every_channel_and_ambassadors_the_community_only(alice, bob, twitter, hook):
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    assert set(visible_channels(alice)) == {twitter, hook, forum}
    assert list(visible_channels(bob)) == [forum]


def test_customers_see_no_channels(farid):
    with pytest.raises(Forbidden):
        visible_channels(farid)
