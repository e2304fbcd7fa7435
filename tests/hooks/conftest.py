"""Fixtures for outgoing webhooks: a real receiver on 127.0.0.1 and endpoints pointing at it."""

import pytest

from tests.hooks.receiver import Receiver
from townsquare.hooks.services import create_endpoint


@pytest.fixture
def receiver():
    """A live HTTP server in a thread; answers 200 unless its script says otherwise."""
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def quick_webhooks(settings):
    # A short timeout so "slow" receivers fail fast; the backoff stays real (tests use a clock).
    settings.WEBHOOK_TIMEOUT = 0.5
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    settings.WEBHOOK_MAX_ATTEMPTS = 8


@pytest.fixture
def endpoint(grace, receiver):
    """Grace's endpoint at the receiver, subscribed to every kind."""
    made, _secret = create_endpoint(grace, receiver.url, ["*"], description="CRM sync")
    return made


def make_endpoint(actor, url, kinds, **options):
    return create_endpoint(actor, url, kinds, **options)[0]
