"""`townsquare smtp-listen` runs as its own process behind the mail server; `townsquare run` starts
the same listener when TOWNSQUARE_SMTP_LISTEN is set."""

import signal
import smtplib
import time

import pytest

from tests.email.conftest import SUPPORT, free_port
from tests.email.inbound_mails import plain, send_smtp
from tests.inbox.fresh_db import fresh_database, popen, townsquare
from townsquare.connectors.email.listener import listen_from_settings, parse_listen_address, stop_listener
from townsquare.inbox.models import Message

pytestmark = [pytest.mark.db]

CREATE_CHANNEL = (
    "from townsquare.inbox.models import Channel; "
    "Channel.objects.create(name='support-mail', kind='email', settings={'address': 'support@shop.test'})"
)


def wait_for_port(port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=2) as client:
                client.noop()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_listener_process_stores_mail_and_stops_on_sigterm(tmp_path):
    with fresh_database(tmp_path) as (url, query):
        assert townsquare(["shell", "-c", CREATE_CHANNEL], url, tmp_path).returncode == 0
        port = free_port()
        process = popen(["smtp-listen", "--port", str(port)], url, tmp_path)
        try:
            wait_for_port(port)
            send_smtp(port, plain("Sent through the listener process", message_id="proc@c.test"), [SUPPORT])
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                send_smtp(port, plain("x", message_id="y@c.test"), ["nobody@shop.test"])
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert f"Listening for SMTP on 127.0.0.1:{port}" in out
        assert query("SELECT external_id FROM inbox_message") == [("proc@c.test",)]


def test_run_listens_when_smtp_listen_is_set(settings, support, transactional_db, email_data_dir):
    port = free_port()
    settings.SMTP_LISTEN = f"127.0.0.1:{port}"
    controller = listen_from_settings()
    try:
        send_smtp(port, plain("hello", message_id="run@c.test"), [SUPPORT])
    finally:
        stop_listener(controller)
    assert Message.objects.filter(external_id="run@c.test").exists()


def test_no_listener_without_the_setting(settings):
    settings.SMTP_LISTEN = ""
    assert listen_from_settings() is None


@pytest.mark.parametrize("value", ["2525", "host:", "host:99999", "host:port"])
def test_a_bad_listen_address_says_what_to_write(value):
    with pytest.raises(ValueError, match="is not host:port"):
        parse_listen_address(value)


def test_listen_addresses_with_ipv6_hosts():
    assert parse_listen_address("[::1]:2525") == ("::1", 2525)
    assert parse_listen_address(":25") == ("127.0.0.1", 25)
