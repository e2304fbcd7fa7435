"""GET /api/v1/connectors and /channels/{id} (health for staff, settings for admins only) and
POST /channels/{id}/test (admins and supervisors; a real connection on loopback)."""

import pytest

from tests.channel_kit import PROBE, TOKEN, closed_port, probe_channel, probe_service
from townsquare.connectors.config import configure_channel
from townsquare.connectors.models import ConnectorState, Health
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe(grace):
    return configure_channel(
        grace,
        probe_channel(),
        settings={"host": "127.0.0.1", "port": closed_port()},
        secrets={"api_token": TOKEN},
    )


def test_staff_list_the_connector_kinds_and_their_settings(client, alice, bearer):
    response = client.get("/api/v1/connectors", headers=bearer(alice))
    assert response.status_code == 200
    kinds = {row["kind"]: row for row in response.json()}
    assert {"email", "livechat", "mastodon", "webhook", PROBE} <= set(kinds)
    settings = {s["name"]: s for s in kinds[PROBE]["settings"]}
    assert settings["port"]["kind"] == "int" and settings["port"]["required"] is True
    assert settings["api_token"]["secret"] is True and settings["api_token"]["default"] is None


@pytest.mark.parametrize("persona", ["bob", "eve", "farid"])
def test_other_roles_may_not_list_connectors(client, request, bearer, persona):
    assert (
        client.get("/api/v1/connectors", headers=bearer(request.getfixturevalue(persona))).status_code == 403
    )


def test_grace_reads_settings_and_the_names_of_secrets_set(client, grace, bearer, probe):
    body = client.get(f"/api/v1/channels/{probe.pk}", headers=bearer(grace)).json()
    assert body["settings"]["host"] == "127.0.0.1"
    assert body["secrets_set"] == ["api_token"]
    assert TOKEN not in str(body)


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_staff_read_health_but_no_settings(client, request, bearer, probe, persona):
    ConnectorState.objects.filter(channel=probe).update(
        health=Health.FAILING, last_error="connection refused", consecutive_failures=2
    )
    body = client.get(f"/api/v1/channels/{probe.pk}", headers=bearer(request.getfixturevalue(persona))).json()
    assert body["health"]["status"] == "failing" and body["health"]["last_error"] == "connection refused"
    assert body["health"]["consecutive_failures"] == 2
    assert body["settings"] is None and body["secrets_set"] is None


def test_a_failing_test_is_an_answer_with_the_reason(client, grace, bearer, probe):
    response = client.post(f"/api/v1/channels/{probe.pk}/test", headers=bearer(grace))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and "ConnectionRefusedError" in body["detail"] and body["checked_at"]
    health = client.get(f"/api/v1/channels/{probe.pk}", headers=bearer(grace)).json()["health"]
    assert health["status"] == "failing" and "ConnectionRefusedError" in health["last_error"]
    assert health["last_error_at"] is not None


def test_carol_tests_a_working_connection(client, grace, carol, bearer, probe):
    with probe_service() as port:
        configure_channel(grace, probe, settings={"port": port})
        response = client.post(f"/api/v1/channels/{probe.pk}/test", headers=bearer(carol))
    assert response.json() == {
        "ok": True,
        "detail": "OK welcome",
        "checked_at": response.json()["checked_at"],
    }
    assert ConnectorState.objects.get(channel=probe).health == Health.OK
    assert Event.objects.filter(kind="channel.tested", channel_id=probe.pk, actor_id=carol.pk).exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "eve", "farid"])
def test_others_may_not_test(client, request, bearer, probe, persona):
    response = client.post(
        f"/api/v1/channels/{probe.pk}/test", headers=bearer(request.getfixturevalue(persona))
    )
    assert response.status_code == 403
    assert not Event.objects.filter(kind="channel.tested").exists()


def test_testing_an_unknown_channel_is_404(client, grace, bearer):
    assert client.post("/api/v1/channels/4040/test", headers=bearer(grace)).status_code == 404
