"""PATCH /api/v1/channels/{id}: Grace changes settings, secrets and the on/off switch; reads show
secrets only by name; bad values are a 400 naming each field; other roles are refused."""

import json

import pytest

from tests.channel_kit import TOKEN, probe_channel
from townsquare.connectors.models import ConnectorState
from townsquare.connectors.secrets import channel_secrets, seal
from townsquare.events.models import Event
from townsquare.inbox.models import Channel

pytestmark = pytest.mark.django_db

GOOD = {
    "settings": {
        "host": "127.0.0.1",
        "port": 2525,
        "use_tls": True,
        "allowed_origins": ["https://shop.example.com"],
        "contact": "care@example.com",
    },
    "secrets": {"api_token": TOKEN},
}


def patch(client, channel_id, body, headers):
    return client.patch(
        f"/api/v1/channels/{channel_id}",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def probe(db):
    return probe_channel()


def test_grace_configures_a_channel(client, grace, bearer, probe):
    response = patch(client, probe.pk, GOOD, bearer(grace))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["settings"] == GOOD["settings"]
    assert body["secrets_set"] == ["api_token"]
    assert body["kind_label"] == "Probe" and body["health"]["status"] == "unknown"
    assert TOKEN not in response.content.decode()
    assert channel_secrets(probe) == {"api_token": TOKEN}
    event = Event.objects.get(kind="channel.configured", channel_id=probe.pk)
    assert event.actor_id == grace.pk and event.data["secrets"] == ["api_token"]
    assert TOKEN not in json.dumps(event.data)


def test_strings_are_read_as_the_settings_kind(client, grace, bearer, probe):
    body = {"settings": {"host": "h", "port": "2525", "use_tls": "yes", "allowed_origins": "a, b,,a"}}
    assert patch(client, probe.pk, body, bearer(grace)).status_code == 200
    probe.refresh_from_db()
    assert probe.settings == {"host": "h", "port": 2525, "use_tls": True, "allowed_origins": ["a", "b"]}


def test_a_partial_patch_keeps_the_rest_and_null_removes(client, grace, bearer, probe):
    patch(client, probe.pk, GOOD, bearer(grace))
    response = patch(client, probe.pk, {"settings": {"contact": None, "port": 25}}, bearer(grace))
    assert response.status_code == 200
    settings = response.json()["settings"]
    assert settings["port"] == 25 and "contact" not in settings and settings["host"] == "127.0.0.1"
    assert channel_secrets(probe) == {"api_token": TOKEN}
    response = patch(client, probe.pk, {"secrets": {"api_token": None, "signing_key": "k2"}}, bearer(grace))
    assert response.json()["secrets_set"] == ["signing_key"]
    assert Event.objects.filter(kind="channel.configured").last().data == {
        "settings": [],
        "secrets": ["api_token", "signing_key"],
    }


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"settings": {"host": "h", "port": True}}, "port", "whole number"),
        ({"settings": {"host": "h", "port": 1.5}}, "port", "whole number"),
        ({"settings": {"host": "h", "port": "2²"}}, "port", "whole number"),
        ({"settings": {"host": "h", "port": "--5"}}, "port", "whole number"),
        ({"settings": {"host": "h", "port": 2**40}}, "port", "between"),
        ({"settings": {"host": "h", "port": 0}}, "port", "between 1 and 65535"),
        ({"settings": {"host": "h", "port": 1, "use_tls": "perhaps"}}, "use_tls", "true or false"),
        (
            {"settings": {"host": "h", "port": 1, "allowed_origins": [1, 2]}},
            "allowed_origins",
            "list of text",
        ),
        (
            {"settings": {"host": "h", "port": 1, "allowed_origins": {"a": 1}}},
            "allowed_origins",
            "list of text",
        ),
        ({"settings": {"host": ["h"], "port": 1}}, "host", "must be text"),
        ({"settings": {"host": "h\x00", "port": 1}}, "host", "control characters"),
        ({"settings": {"host": "h", "port": 1, "contact": "nope"}}, "contact", "email address"),
        ({"settings": {"host": "h", "port": 1, "home": "ftp://x"}}, "home", "http://"),
        ({"settings": {"host": "h", "port": 1, "colour": "red"}}, "colour", "unknown setting"),
        ({"settings": {"host": "h", "port": 1, "api_token": "x"}}, "api_token", "is a secret"),
        ({"settings": {"port": 1}, "secrets": {"host": "x"}}, "host", "is not a secret"),
        ({"settings": {"port": 1}}, "host", "required"),
        (
            {"secrets": {"api_token": "x" * 9000}, "settings": {"host": "h", "port": 1}},
            "api_token",
            "at most",
        ),
    ],
)
def test_bad_values_are_a_400_naming_the_field(client, grace, bearer, probe, body, field, reason):
    response = patch(client, probe.pk, body, bearer(grace))
    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert reason in fields[field], fields
    assert Channel.objects.get(pk=probe.pk).settings == {}
    assert not Event.objects.filter(kind="channel.configured").exists()


@pytest.mark.parametrize(
    "body", [{"settings": [1]}, {"secrets": {"api_token": 5}}, {"is_active": "sometimes"}]
)
def test_a_body_of_the_wrong_shape_is_a_422(client, grace, bearer, probe, body):
    assert patch(client, probe.pk, body, bearer(grace)).status_code == 422


@pytest.mark.parametrize("body", [["settings"], "settings", 5, None])
def test_a_body_that_is_not_an_object_is_a_400(client, grace, bearer, probe, body):
    response = patch(client, probe.pk, body, bearer(grace))
    assert response.status_code == 400 and response.json()["detail"] == "the body must be a JSON object"


def test_grace_switches_a_channel_off(client, grace, bearer, hook):
    response = patch(client, hook.pk, {"is_active": False}, bearer(grace))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert Event.objects.filter(kind="channel.disabled", channel_id=hook.pk, actor_id=grace.pk).exists()


@pytest.mark.parametrize("persona", ["alice", "carol", "bob", "eve", "farid"])
def test_only_an_admin_may_configure(client, request, bearer, probe, persona):
    response = patch(client, probe.pk, GOOD, bearer(request.getfixturevalue(persona)))
    assert response.status_code == 403
    assert Channel.objects.get(pk=probe.pk).settings == {}


def test_unknown_channel_is_404(client, grace, bearer):
    assert patch(client, 4040, GOOD, bearer(grace)).status_code == 404


def test_secrets_sealed_with_a_lost_key_must_be_set_again(client, grace, bearer, probe, settings):
    settings.SECRETS_KEYS = ["an-old-key"]
    ConnectorState.objects.create(channel=probe, sealed_secrets=seal({"api_token": "old"}))
    settings.SECRETS_KEYS = ["the-new-key"]
    body = {"settings": {"host": "h", "port": 1}}
    response = patch(client, probe.pk, body, bearer(grace))
    assert response.status_code == 400 and "set them again" in response.json()["detail"]
    response = patch(client, probe.pk, {**body, "secrets": {"api_token": TOKEN}}, bearer(grace))
    assert response.status_code == 200 and response.json()["secrets_set"] == ["api_token"]


def test_a_channel_of_a_kind_without_a_connector_cannot_be_configured(client, grace, bearer):
    # Left behind by an older version or written by hand: refused with the reason, never a 500.
    orphan = Channel.objects.create(name="old-kind", kind="gopher")
    response = patch(client, orphan.pk, {"settings": {"host": "h"}}, bearer(grace))
    assert (
        response.status_code == 400 and "no connector for channel kind 'gopher'" in response.json()["detail"]
    )
    assert client.get(f"/api/v1/channels/{orphan.pk}", headers=bearer(grace)).status_code == 200
    assert client.post(f"/api/v1/channels/{orphan.pk}/test", headers=bearer(grace)).json()["ok"] is False
