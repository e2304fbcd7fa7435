"""Anonymous reads are limited per address (429 with Retry-After); signed-in members are not."""

import pytest

from .conftest import API

pytestmark = pytest.mark.django_db


def test_an_address_over_its_budget_waits(client, settings, question, bearer, members):
    settings.COMMUNITY_PUBLIC_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get(f"{API}/topics").status_code == 200
    limited = client.get(f"{API}/topics")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    other_address = client.get(f"{API}/topics", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200
    assert client.get(f"{API}/topics", headers=bearer(members["dana"])).status_code == 200
