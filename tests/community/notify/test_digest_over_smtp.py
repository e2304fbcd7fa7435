"""The digest through Django's SMTP backend to a real SMTP server on loopback; when the server is
down nothing is marked as sent, and the next run sends it."""

import socket

import pytest

from townsquare.community.models import Member, Notification
from townsquare.community.notify.digest import send_digests
from townsquare.community.posting import answer

from .conftest import only_ours
from .smtp_server import LoopbackSMTP

pytestmark = pytest.mark.django_db


def smtp_to(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def answered(question, members):
    farid = members["farid"]
    farid.email = "farid@example.com"
    farid.save(update_fields=["email"])
    answer(members["bob"], question, "Hold the power button for ten seconds.")
    only_ours()
    return Notification.objects.get(user=farid)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_digest_goes_out_over_smtp(settings, answered):
    settings.DEFAULT_FROM_EMAIL = "Community <community@example.com>"
    with LoopbackSMTP() as server:
        smtp_to(settings, server.port)
        report = send_digests()
    assert report.sent == 1
    [(sender, recipients, message)] = server.messages
    assert sender == "community@example.com" and recipients == ["farid@example.com"]
    assert message.get_content_type() == "multipart/alternative"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert "Bob answered your topic" in parts["text/plain"]
    assert "Bob answered your topic" in parts["text/html"]


def test_a_server_that_is_down_loses_nothing(settings, answered):
    smtp_to(settings, free_port())
    report = send_digests()
    assert (report.sent, report.failed) == (0, 1)
    answered.refresh_from_db()
    assert answered.emailed_at is None
    assert Member.objects.get(user=answered.user).last_digest_at is None  # the claim was given back
    with LoopbackSMTP() as server:
        smtp_to(settings, server.port)
        assert send_digests().sent == 1
    assert len(server.messages) == 1
