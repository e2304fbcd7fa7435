"""Grace or Carol press "Test connection": the connector really connects (to a service on loopback),
the result is shown, the health is recorded, and the last error shows on the list and in full on
the channel's page."""

import pytest
from django.urls import reverse

from tests.channel_kit import TOKEN, closed_port, probe_channel, probe_service
from townsquare.connectors.config import configure_channel
from townsquare.connectors.models import ConnectorState, Health
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def configured_probe(grace, port: int, token: str = TOKEN):
    channel = probe_channel()
    return configure_channel(
        grace, channel, settings={"host": "127.0.0.1", "port": port}, secrets={"api_token": token}
    )


def test_url(channel) -> str:
    return reverse("web:channel-test", args=[channel.pk])


test_url.__test__ = False


def test_a_working_connection_is_shown_and_recorded(client, grace):
    with probe_service() as port:
        channel = configured_probe(grace, port)
        client.force_login(grace)
        html = client.post(test_url(channel)).content.decode()
    assert 'data-testid="test-result"' in html and "Connection works" in html and "OK welcome" in html
    state = ConnectorState.objects.get(channel=channel)
    assert state.health == Health.OK and state.last_ok_at is not None and state.consecutive_failures == 0
    event = Event.objects.get(kind="channel.tested", channel_id=channel.pk)
    assert event.actor_id == grace.pk and event.data["ok"] is True
    assert 'data-testid="health">Working<' in client.get(reverse("web:channels")).content.decode()


def test_a_refused_connection_is_a_failing_report_not_an_error_page(client, grace):
    channel = configured_probe(grace, closed_port())
    client.force_login(grace)
    response = client.post(test_url(channel))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Connection failed" in html and "ConnectionRefusedError" in html
    state = ConnectorState.objects.get(channel=channel)
    assert state.health == Health.FAILING and state.consecutive_failures == 1
    assert "ConnectionRefusedError" in state.last_error and state.last_error_at is not None
    assert Event.objects.filter(kind="channel.health_changed", channel_id=channel.pk).exists()
    assert Event.objects.get(kind="channel.tested", channel_id=channel.pk).data["ok"] is False


def test_the_secret_reaches_the_connector_a_wrong_one_fails(client, grace):
    with probe_service(token="the-right-one") as port:  # noqa: S106
        channel = configured_probe(grace, port, token="a-wrong-one")  # noqa: S106
        client.force_login(grace)
        html = client.post(test_url(channel)).content.decode()
    assert "Connection failed" in html and "NO bad token" in html
    assert "a-wrong-one" not in html


def test_a_service_that_never_answers_fails_after_the_timeout(client, grace, settings):
    settings.CHANNEL_TEST_TIMEOUT = 0.5
    with probe_service(silent=True) as port:
        channel = configured_probe(grace, port)
        client.force_login(grace)
        html = client.post(test_url(channel)).content.decode()
    assert "no answer within 0.5 s" in html
    assert ConnectorState.objects.get(channel=channel).health == Health.FAILING


def test_missing_settings_fail_the_test_with_the_reason(client, carol):
    channel = probe_channel()
    client.force_login(carol)
    html = client.post(test_url(channel)).content.decode()
    assert "Connection failed" in html and "host: required" in html


def test_the_last_error_is_short_on_the_list_and_whole_on_the_page(client, grace, alice):
    channel = probe_channel()
    long_error = "SMTP said: " + "mailbox unavailable " * 30 + "THE END"
    ConnectorState.objects.create(
        channel=channel, health=Health.FAILING, last_error=long_error, consecutive_failures=3
    )
    client.force_login(alice)
    listing = client.get(reverse("web:channels")).content.decode()
    assert "SMTP said: mailbox unavailable" in listing and "THE END" not in listing and "…" in listing
    page = client.get(reverse("web:channel", args=[channel.pk])).content.decode()
    assert "THE END" in page and "3 failures in a row" in page and 'data-testid="health">Failing<' in page


def test_carol_may_test_alice_may_not(client, grace, carol, alice):
    channel = configured_probe(grace, closed_port())
    client.force_login(carol)
    assert client.post(test_url(channel)).status_code == 200
    client.force_login(alice)
    assert "Test connection" not in client.get(reverse("web:channel", args=[channel.pk])).content.decode()
    assert client.post(test_url(channel)).status_code == 403
    assert Event.objects.filter(kind="channel.tested").count() == 1


def test_testing_needs_post(client, grace, hook):
    client.force_login(grace)
    assert client.get(test_url(hook)).status_code == 405
    assert client.post(reverse("web:channel-test", args=[4040])).status_code == 404


def test_a_stored_only_channel_tests_fine(client, grace, hook):
    client.force_login(grace)
    html = client.post(test_url(hook)).content.decode()
    assert "Connection works" in html and "nothing to check" in html


def test_settings_stored_by_hand_that_the_connector_cannot_read_fail_the_test(client, grace):
    channel = probe_channel(host="127.0.0.1", port="not a number")  # written straight to the database
    client.force_login(grace)
    response = client.post(test_url(channel))
    assert response.status_code == 200
    assert (
        "Connection failed" in response.content.decode()
        and "cannot use these settings" in response.content.decode()
    )
    assert ConnectorState.objects.get(channel=channel).health == Health.FAILING
