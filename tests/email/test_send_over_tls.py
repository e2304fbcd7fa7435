"""Replies go out over STARTTLS (the default) or implicit TLS, and only to a server whose certificate
the machine trusts: an untrusted certificate fails the reply with a clear reason, not silently."""

import pytest

from tests.delivery.email_fixtures import DANA, customer_email, deliver_now, email_channel
from tests.delivery.smtp_sink import SmtpSink
from tests.delivery.tls import self_signed, server_context
from townsquare.replies.send import send_reply

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("quiet_delivery")]


@pytest.fixture
def certificate(tmp_path):
    return self_signed(tmp_path)


def reply_through(alice, channel) -> str:
    conversation = customer_email(channel, "m1@customer.test", "Hello?").conversation
    reply = send_reply(alice, conversation, "Hello Dana.")
    deliver_now(reply)
    return reply


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_trusted_server_gets_the_reply_encrypted(alice, certificate, monkeypatch, security):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # this machine trusts the test CA
    context = server_context(*certificate)
    tls = {"starttls": context} if security == "starttls" else {"implicit_tls": context}
    with SmtpSink(**tls) as sink:
        reply = reply_through(alice, email_channel(sink.port, smtp_security=security))
    assert reply.status == "sent"
    assert sink.received[0].rcpt_tos == [DANA]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_an_untrusted_certificate_fails_the_reply(alice, certificate, security):
    context = server_context(*certificate)
    tls = {"starttls": context} if security == "starttls" else {"implicit_tls": context}
    with SmtpSink(**tls) as sink:
        reply = reply_through(alice, email_channel(sink.port, smtp_security=security))
    assert reply.status == "failed"
    assert "TLS certificate is not trusted" in reply.error
    assert sink.received == []


def test_a_server_that_requires_starttls_refuses_plain_mail(alice, certificate):
    with SmtpSink(starttls=server_context(*certificate)) as sink:
        reply = reply_through(alice, email_channel(sink.port, smtp_security="none"))
    assert reply.status == "failed" and "530" in reply.error
