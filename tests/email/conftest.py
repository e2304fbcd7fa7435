"""Inbound email fixtures: email channels, a real SMTP/LMTP listener on loopback, a data folder."""

import socket

import pytest

from townsquare.connectors.email.listener import start_listener
from townsquare.inbox.models import Channel, ChannelKind

SUPPORT = "support@shop.test"
SALES = "sales@shop.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def email_data_dir(settings, tmp_path):
    """Attachments land in a temporary data folder; triage waits (it has its own tests)."""
    settings.DATA_DIR = tmp_path / "data"
    settings.TRIAGE_ON_INGEST = False
    return settings.DATA_DIR


@pytest.fixture
def support(db):
    """The shop's support mailbox, also reached as help@shop.test."""
    return Channel.objects.create(
        name="support-mail",
        kind=ChannelKind.EMAIL,
        settings={"address": SUPPORT, "aliases": ["help@shop.test"]},
    )


@pytest.fixture
def sales(db):
    return Channel.objects.create(name="sales-mail", kind=ChannelKind.EMAIL, settings={"address": SALES})


def _listener(lmtp: bool):
    port = free_port()
    controller = start_listener("127.0.0.1", port, lmtp=lmtp)
    try:
        yield port
    finally:
        controller.stop()
        controller.handler.close()


@pytest.fixture
def smtp_port(transactional_db):
    """A real SMTP listener on a loopback port; the messages it stores are committed."""
    yield from _listener(lmtp=False)


@pytest.fixture
def lmtp_port(transactional_db):
    yield from _listener(lmtp=True)
