"""Grace the admin configures a channel on /channels/<id>/: a form built from its connector's
settings, secrets that are sealed and never shown back, and a 400 with the reason for bad values."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.channel_kit import TOKEN, probe_channel
from townsquare.connectors.models import ConnectorState
from townsquare.connectors.secrets import channel_secrets
from townsquare.events.models import Event
from townsquare.inbox.models import Channel

pytestmark = pytest.mark.django_db

GOOD = {
    "setting-host": "127.0.0.1",
    "setting-port": "2525",
    "setting-use_tls": "on",
    "setting-allowed_origins": "https://shop.example.com\nhttps://www.example.com",
    "setting-contact": "care@example.com",
    "setting-home": "https://example.com/help",
    "secret-api_token": TOKEN,
}


def url(channel: Channel) -> str:
    return reverse("web:channel", args=[channel.pk])


@pytest.fixture
def probe(db):
    return probe_channel()


def test_grace_sees_a_form_built_from_the_connectors_settings(client, grace, probe):
    client.force_login(grace)
    html = client.get(url(probe)).content.decode()
    for name in ("setting-host", "setting-port", "setting-use_tls", "setting-allowed_origins"):
        assert f'name="{name}"' in html
    assert 'type="email" name="setting-contact"' in html and 'type="url" name="setting-home"' in html
    assert 'type="password" name="secret-api_token"' in html
    assert 'data-testid="secret-state-api_token">not set<' in html
    assert "Test connection" in html and "Switch off" in html


def test_grace_saves_settings_and_a_secret(client, grace, probe):
    client.force_login(grace)
    response = client.post(url(probe), GOOD)
    assert response.status_code == 200, response.content.decode()[:2000]
    probe.refresh_from_db()
    assert probe.settings == {
        "host": "127.0.0.1",
        "port": 2525,
        "use_tls": True,
        "allowed_origins": ["https://shop.example.com", "https://www.example.com"],
        "contact": "care@example.com",
        "home": "https://example.com/help",
    }
    assert channel_secrets(probe) == {"api_token": TOKEN}
    # Sealed at rest: the stored text does not hold it.
    assert TOKEN not in ConnectorState.objects.get(channel=probe).sealed_secrets
    event = Event.objects.get(kind="channel.configured", channel_id=probe.pk)
    assert event.actor_id == grace.pk
    assert event.data["secrets"] == ["api_token"]
    assert event.data["settings"] == ["allowed_origins", "contact", "home", "host", "port", "use_tls"]
    assert TOKEN not in json.dumps(event.data)


def test_a_saved_secret_is_never_shown_back(client, grace, probe):
    client.force_login(grace)
    saved = client.post(url(probe), GOOD).content.decode()
    page = client.get(url(probe)).content.decode()
    for html in (saved, page):
        assert TOKEN not in html
        assert 'data-testid="secret-state-api_token">set<' in html
    assert TOKEN not in client.get(reverse("web:channels")).content.decode()


def test_an_empty_secret_field_keeps_the_secret_and_clear_removes_it(client, grace, probe):
    client.force_login(grace)
    client.post(url(probe), GOOD)
    kept = {**GOOD, "secret-api_token": "", "setting-port": "2526"}
    assert client.post(url(probe), kept).status_code == 200
    assert channel_secrets(probe) == {"api_token": TOKEN}
    assert Event.objects.filter(kind="channel.configured").last().data == {
        "settings": ["port"],
        "secrets": [],
    }
    cleared = {**kept, "clear-api_token": "on"}
    assert client.post(url(probe), cleared).status_code == 200
    assert channel_secrets(probe) == {}
    assert Event.objects.filter(kind="channel.configured").last().data["secrets"] == ["api_token"]


def test_typing_a_secret_and_clearing_it_at_once_is_refused(client, grace, probe):
    client.force_login(grace)
    client.post(url(probe), GOOD)
    response = client.post(url(probe), {**GOOD, "secret-api_token": "other", "clear-api_token": "on"})
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert channel_secrets(probe) == {"api_token": TOKEN}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("setting-port", "twenty", "must be a whole number"),
        ("setting-port", "70000", "must be between 1 and 65535"),
        ("setting-port", "", "required"),
        ("setting-host", "", "required"),
        ("setting-host", "mail.example.com\r\nBcc: x@example.com", "one line without control characters"),
        ("setting-contact", "not-an-address", "must be an email address"),
        ("setting-home", "javascript:alert(1)", "must be an http:// or https:// URL"),
        ("setting-home", "x" * 3000, "at most"),
    ],
)
def test_bad_values_are_a_400_with_the_reason_and_nothing_changes(client, grace, probe, field, value, reason):
    client.force_login(grace)
    client.post(url(probe), GOOD)
    before = Channel.objects.get(pk=probe.pk).settings
    events = Event.objects.count()
    response = client.post(url(probe), {**GOOD, field: value, "secret-api_token": "typed-but-refused-9c1"})
    assert response.status_code == 400
    assert reason in response.content.decode()
    # The refused page does not echo the secret just typed either.
    assert "typed-but-refused-9c1" not in response.content.decode()
    assert Channel.objects.get(pk=probe.pk).settings == before
    assert channel_secrets(probe) == {"api_token": TOKEN}
    assert Event.objects.count() == events


def test_saving_the_same_values_again_writes_no_event(client, grace, probe):
    client.force_login(grace)
    client.post(url(probe), GOOD)
    client.post(url(probe), {**GOOD, "secret-api_token": ""})
    assert Event.objects.filter(kind="channel.configured").count() == 1


def test_a_channel_kind_without_settings_says_so(client, grace, hook):
    client.force_login(grace)
    html = client.get(url(hook)).content.decode()
    assert "has no settings" in html
    response = client.post(url(hook), {"setting-anything": "x"})
    assert response.status_code == 200
    assert Channel.objects.get(pk=hook.pk).settings == {}


def test_the_form_needs_its_csrf_token(grace, probe):
    client = Client(enforce_csrf_checks=True)
    client.force_login(grace)
    assert "csrfmiddlewaretoken" in client.get(url(probe)).content.decode()
    assert client.post(url(probe), GOOD).status_code == 403
    assert Channel.objects.get(pk=probe.pk).settings == {}


def test_secrets_sealed_with_a_lost_key_are_flagged_and_set_again(client, grace, probe, settings):
    from townsquare.connectors.secrets import seal

    settings.SECRETS_KEYS = ["the-old-key"]
    ConnectorState.objects.create(channel=probe, sealed_secrets=seal({"api_token": "old"}))
    settings.SECRETS_KEYS = ["the-new-key"]
    client.force_login(grace)
    html = client.get(url(probe)).content.decode()
    assert "sealed with another key" in html and 'data-testid="secret-state-api_token">not set<' in html
    refused = client.post(url(probe), {**GOOD, "secret-api_token": ""})
    assert refused.status_code == 400 and "set it again" in refused.content.decode()
    assert client.post(url(probe), GOOD).status_code == 200
    assert channel_secrets(probe) == {"api_token": TOKEN}
    assert "sealed with another key" not in client.get(url(probe)).content.decode()
