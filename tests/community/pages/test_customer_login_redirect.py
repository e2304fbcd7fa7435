"""After signing in, a community member without the console lands in the community; staff in the console."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def sign_in(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **extra})


def test_farid_the_customer_lands_in_the_community(client, farid):
    assert sign_in(client, farid)["Location"] == reverse("community:index")


def test_eve_the_moderator_lands_in_the_community(client, eve):
    assert sign_in(client, eve)["Location"] == reverse("community:index")


def test_alice_the_agent_still_lands_in_the_console(client, alice):
    assert sign_in(client, alice)["Location"] == reverse("web:conversations")


def test_a_next_address_wins(client, farid, devices_space):
    space = reverse("community:space", args=["devices"])
    assert sign_in(client, farid, next=space)["Location"] == space


def test_the_sign_in_page_links_to_sign_up(client):
    assert reverse("community:signup") in client.get(reverse("login")).content.decode()
