"""Who sees what on /channels/<id>/: staff see health; only admins see setting values and forms;
ambassadors, moderators and customers get a 403, anonymous visitors the login page."""

import pytest
from django.urls import reverse

from tests.channel_kit import TOKEN, probe_channel
from townsquare.connectors.config import configure_channel
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe(grace):
    channel = probe_channel(name="mail-relay")
    return configure_channel(
        grace,
        channel,
        settings={"host": "relay.internal.example", "port": 2525},
        secrets={"api_token": TOKEN},
    )


def url(channel, name="web:channel") -> str:
    return reverse(name, args=[channel.pk])


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_staff_see_health_but_no_setting_values_and_no_forms(client, request, probe, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(probe))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="channel-health"' in html and "Not checked yet" in html
    assert "relay.internal.example" not in html and TOKEN not in html
    assert 'data-testid="configure-channel"' not in html and "Switch off" not in html
    assert "Rotate signing secret" not in html


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_staff_cannot_change_anything(client, request, probe, persona):
    client.force_login(request.getfixturevalue(persona))
    before = Event.objects.count()
    assert client.post(url(probe), {"setting-host": "evil.example", "setting-port": "25"}).status_code == 403
    assert client.post(url(probe, "web:channel-switch"), {"active": "off"}).status_code == 403
    assert Channel.objects.get(pk=probe.pk).settings["host"] == "relay.internal.example"
    assert Channel.objects.get(pk=probe.pk).is_active
    assert Event.objects.count() == before


@pytest.mark.parametrize("persona", ["bob", "eve", "farid"])
def test_other_roles_get_a_403(client, request, probe, persona):
    community = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    client.force_login(request.getfixturevalue(persona))
    for channel in (probe, community):
        response = client.get(url(channel))
        assert response.status_code == 403
        assert "relay.internal.example" not in response.content.decode()
        assert client.post(url(channel, "web:channel-test")).status_code == 403


def test_ambassadors_keep_the_plain_list_without_health(client, bob):
    Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    client.force_login(bob)
    html = client.get(reverse("web:channels")).content.decode()
    assert "forum" in html and 'data-testid="health"' not in html
    assert reverse("web:channel", args=[Channel.objects.get(name="forum").pk]) not in html


def test_anonymous_is_sent_to_login(client, probe):
    for response in (client.get(url(probe)), client.post(url(probe, "web:channel-test"))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_an_unknown_channel_is_a_404(client, grace):
    client.force_login(grace)
    assert client.get(reverse("web:channel", args=[4040])).status_code == 404


def test_the_list_links_each_channel_to_its_page(client, alice, probe):
    client.force_login(alice)
    html = client.get(reverse("web:channels")).content.decode()
    assert f'href="{url(probe)}"' in html and "Probe" in html


def test_the_channel_page_is_not_cached(client, grace, probe):
    client.force_login(grace)
    assert client.get(url(probe))["Cache-Control"] == "no-store"


@pytest.mark.parametrize("kind", [ChannelKind.EMAIL, ChannelKind.FEDIVERSE])
def test_adding_a_channel_that_needs_settings_leads_to_its_page(client, grace, kind):
    client.force_login(grace)
    response = client.post(reverse("web:channels"), {"name": "new-one", "kind": kind})
    channel = Channel.objects.get(name="new-one")
    assert response.status_code == 302 and response["Location"] == url(channel) + "?added=1"
    html = client.get(response["Location"]).content.decode()
    assert "Fill in its settings" in html and 'data-testid="configure-channel"' in html


def test_adding_a_live_chat_shows_its_signing_secret_once_without_a_webhook_url(client, grace):
    client.force_login(grace)
    html = client.post(reverse("web:channels"), {"name": "site-chat", "kind": "livechat"}).content.decode()
    assert Channel.objects.get(name="site-chat").secret in html
    assert 'data-testid="webhook-url"' not in html and "signed-in visitor" in html
    assert 'data-testid="configure-link"' in html
