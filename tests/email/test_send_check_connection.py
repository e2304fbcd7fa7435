"""Test connection on an email channel: connect, EHLO, log in and NOOP against the SMTP server."""

import pytest

from tests.delivery.email_fixtures import email_channel, set_password
from tests.delivery.smtp_sink import SilentServer, SmtpSink
from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.registry import connector_for

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("quiet_delivery")]


def test_a_working_server_with_the_right_login_is_ok(db):
    with SmtpSink(logins={"acme": "s3cret"}) as sink:
        channel = email_channel(sink.port, smtp_username="acme")
        set_password(channel, "s3cret")
        report = connector_for(channel).check()
    assert report.ok and "accepted the connection and the login as acme" in report.detail
    assert report.checked_at is not None


def test_a_wrong_password_is_reported(db):
    with SmtpSink(logins={"acme": "s3cret"}) as sink:
        channel = email_channel(sink.port, smtp_username="acme")
        set_password(channel, "guess")
        report = connector_for(channel).check()
    assert not report.ok and "refused the login: 535" in report.detail


def test_an_unreachable_or_silent_server_is_reported(closed_smtp_port, db):
    report = connector_for(email_channel(closed_smtp_port)).check()
    assert not report.ok and "refused the connection" in report.detail
    with SilentServer() as silent:
        report = connector_for(email_channel(silent.port, name="slow", smtp_timeout=1)).check()
    assert not report.ok and "did not answer within 1 s" in report.detail


def test_a_server_without_starttls_is_reported_when_starttls_is_asked(db):
    with SmtpSink() as sink:
        report = connector_for(email_channel(sink.port, smtp_security="starttls")).check()
    assert not report.ok and "smtp_security" in report.detail


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"smtp_port": "smtp"}, "smtp_port"),
        ({"smtp_port": 70000}, "smtp_port"),
        ({"smtp_security": "tls1.0"}, "smtp_security"),
        ({"smtp_host": "mail example com"}, "smtp_host"),
        ({"from_address": "not an address"}, "from_address"),
        ({"from_name": "Acme\r\nBcc: x@evil.test"}, "from_name"),
    ],
)
def test_unusable_settings_name_the_field(overrides, field, db):
    channel = email_channel(25, **overrides)
    with pytest.raises(ConfigInvalid) as refused:
        connector_for(channel).validate()
    assert field in refused.value.fields
    report = connector_for(channel).check()
    assert not report.ok and "SMTP settings cannot be used" in report.detail


def test_an_inbound_only_channel_validates_without_smtp(db):
    channel = email_channel(25, smtp_host="")
    connector_for(channel).validate()  # nothing to send with, nothing wrong either
    assert not connector_for(channel).check().ok
