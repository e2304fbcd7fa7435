"""Grace sets up an email channel in the console — its address, SMTP server and password — and
tests the connection against a real SMTP server on loopback; a wrong password or a closed port
shows the reason, and the password is never shown back."""

import pytest
from django.urls import reverse

from tests.channel_kit import closed_port
from tests.delivery.smtp_sink import SmtpSink
from townsquare.connectors.models import ConnectorState, Health
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-smtp-pass"  # noqa: S105 (a test secret)


@pytest.fixture
def mailbox(db):
    return Channel.objects.create(name="support-mail", kind=ChannelKind.EMAIL)


def form(port: int, **changes) -> dict:
    return {
        "setting-address": "support@shop.test",
        "setting-aliases": "help@shop.test",
        "setting-from_name": "Acme Support",
        "setting-smtp_host": "127.0.0.1",
        "setting-smtp_port": str(port),
        "setting-smtp_security": "none",
        "setting-smtp_username": "acme",
        "setting-smtp_timeout": "2",
        "secret-smtp_password": PASSWORD,
        **changes,
    }


def configure_and_test(client, channel, data) -> str:
    saved = client.post(reverse("web:channel", args=[channel.pk]), data)
    assert saved.status_code == 200, saved.content.decode()[:3000]
    return client.post(reverse("web:channel-test", args=[channel.pk])).content.decode()


def test_grace_sets_up_email_and_the_test_logs_in(client, grace, mailbox):
    client.force_login(grace)
    with SmtpSink(logins={"acme": PASSWORD}) as sink:
        html = configure_and_test(client, mailbox, form(sink.port))
    assert "Connection works" in html and "the login as acme" in html
    assert PASSWORD not in html
    mailbox.refresh_from_db()
    assert mailbox.settings["smtp_port"] == sink.port and mailbox.settings["aliases"] == ["help@shop.test"]
    assert 'data-testid="email-address">support@shop.test<' in html
    assert ConnectorState.objects.get(channel=mailbox).health == Health.OK


def test_a_wrong_password_fails_with_the_servers_reason(client, grace, mailbox):
    client.force_login(grace)
    with SmtpSink(logins={"acme": "another-password"}) as sink:
        html = configure_and_test(client, mailbox, form(sink.port))
    assert "Connection failed" in html and "535" in html
    assert PASSWORD not in html
    state = ConnectorState.objects.get(channel=mailbox)
    assert state.health == Health.FAILING and "535" in state.last_error


def test_a_closed_port_fails_and_the_list_shows_the_error(client, grace, mailbox):
    client.force_login(grace)
    html = configure_and_test(client, mailbox, form(closed_port()))
    assert "Connection failed" in html
    listing = client.get(reverse("web:channels")).content.decode()
    assert 'data-testid="health">Failing<' in listing and 'data-testid="last-error"' in listing


def test_the_email_connectors_own_checks_name_the_field(client, grace, mailbox):
    client.force_login(grace)
    response = client.post(
        reverse("web:channel", args=[mailbox.pk]), form(25, **{"setting-smtp_security": "carrier-pigeon"})
    )
    assert response.status_code == 400
    assert 'data-testid="error-smtp_security"' in response.content.decode()
    assert Channel.objects.get(pk=mailbox.pk).settings == {}
