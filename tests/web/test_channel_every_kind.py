"""Every kind of channel has a working page: Grace opens it, saves the form as shown (which
changes nothing), and a live chat channel shows the widget snippet to paste into the site."""

import re

import pytest
from django.urls import reverse

from townsquare.connectors.registry import registered_kinds
from townsquare.events.models import Event
from townsquare.inbox.models import Channel

pytestmark = pytest.mark.django_db
FIELD = re.compile(r'<(input|textarea)[^>]*name="(setting-[^"]+)"[^>]*>')


def shown_values(html: str) -> dict:
    """The form's setting fields as a browser would send them back untouched."""
    values = {}
    for tag in re.finditer(r"<input[^>]*>", html):
        text = tag.group(0)
        name = re.search(r'name="(setting-[^"]+)"', text)
        if not name:
            continue
        if 'type="checkbox"' in text:
            if " checked" in text:
                values[name.group(1)] = "on"
            continue
        value = re.search(r'value="([^"]*)"', text)
        values[name.group(1)] = value.group(1) if value else ""
    for area in re.finditer(r'<textarea[^>]*name="(setting-[^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        values[area.group(1)] = area.group(2)
    return values


@pytest.mark.parametrize("kind", [kind for kind in registered_kinds() if kind != "probe"])
def test_grace_opens_and_saves_every_kind_unchanged(client, grace, kind):
    channel = Channel.objects.create(name=f"a-{kind}", kind=kind)
    client.force_login(grace)
    page = client.get(reverse("web:channel", args=[channel.pk]))
    assert page.status_code == 200
    response = client.post(reverse("web:channel", args=[channel.pk]), shown_values(page.content.decode()))
    assert response.status_code in {200, 400}, response.content.decode()[:2000]
    if response.status_code == 400:
        # Only a kind with required settings may refuse an empty form, and it says which.
        assert "required" in response.content.decode()
    assert not Event.objects.filter(kind="channel.configured").exists()
    assert Channel.objects.get(pk=channel.pk).settings == {}


def test_a_live_chat_channel_shows_its_snippet(client, alice):
    channel = Channel.objects.create(name="site-chat", kind="livechat")
    client.force_login(alice)
    html = client.get(reverse("web:channel", args=[channel.pk])).content.decode()
    assert 'data-testid="livechat-snippet"' in html
    assert f'data-townsquare-channel="{channel.pk}"' in html and "livechat/widget.js" in html


def test_grace_sets_the_chats_allowed_origins(client, grace):
    channel = Channel.objects.create(name="site-chat", kind="livechat")
    client.force_login(grace)
    origins = "https://shop.example\r\nhttps://www.shop.example"
    response = client.post(reverse("web:channel", args=[channel.pk]), {"setting-allowed_origins": origins})
    assert response.status_code == 200
    channel.refresh_from_db()
    assert channel.settings == {"allowed_origins": ["https://shop.example", "https://www.shop.example"]}


def test_a_live_chat_test_checks_its_offline_email_channel(transactional_db, client, grace):
    # The check runs in a thread of its own (bounded by a timeout) and reads the database there.
    from tests.channel_kit import closed_port

    Channel.objects.create(
        name="support-mail",
        kind="email",
        settings={"address": "support@shop.test", "smtp_host": "127.0.0.1", "smtp_port": closed_port()},
    )
    chat = Channel.objects.create(
        name="site-chat", kind="livechat", settings={"offline_email_channel": "support-mail"}
    )
    client.force_login(grace)
    html = client.post(reverse("web:channel-test", args=[chat.pk])).content.decode()
    assert "Connection failed" in html and "offline answers by support-mail" in html


@pytest.mark.parametrize("kind", [kind for kind in registered_kinds() if kind != "probe"])
def test_testing_an_unconfigured_channel_of_any_kind_answers(client, grace, kind):
    channel = Channel.objects.create(name=f"a-{kind}", kind=kind)
    client.force_login(grace)
    response = client.post(reverse("web:channel-test", args=[channel.pk]))
    assert response.status_code == 200
    assert 'data-testid="test-result"' in response.content.decode()
