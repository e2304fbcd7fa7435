"""Every sign-in, failed attempt and sign-out leaves an event: who, from where, how."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.helpers import code, enrol
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="198.51.100.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_sign_in_is_recorded_with_its_address_and_method(client, alice):
    login(client, "alice", PASSWORD)
    event = Event.objects.get(kind="auth.login")
    assert event.actor_id == alice.pk
    assert event.data == {"ip": "198.51.100.7", "method": "password"}


def test_a_sign_in_with_a_code_says_so(client, carol):
    enrol(carol)
    login(client, "carol", PASSWORD)
    assert not Event.objects.filter(kind="auth.login").exists()  # not yet: the code is missing
    client.post(reverse("security:login-code"), {"code": code()})
    assert Event.objects.get(kind="auth.login").data["method"] == "totp"


def test_a_wrong_password_is_recorded_against_the_account(client, alice):
    login(client, "alice", "wrong")
    event = Event.objects.get(kind="auth.login_failed")
    assert event.actor_id == alice.pk
    assert event.data == {
        "username": "alice",
        "ip": "198.51.100.7",
        "step": "password",
        "reason": "invalid_credentials",
    }


def test_an_unknown_username_is_recorded_without_an_actor(client):
    login(client, "mallory", "guess")
    event = Event.objects.get(kind="auth.login_failed")
    assert event.actor_id is None and event.data["username"] == "mallory"


def test_a_wrong_code_is_recorded(client, carol):
    enrol(carol)
    login(client, "carol", PASSWORD)
    wrong = "000000" if code() != "000000" else "111111"
    client.post(reverse("security:login-code"), {"code": wrong})
    event = Event.objects.get(kind="auth.login_failed")
    assert event.actor_id == carol.pk and event.data["step"] == "code"


def test_signing_out_is_recorded(client, alice):
    client.force_login(alice)
    client.post(reverse("logout"))
    event = Event.objects.get(kind="auth.logout")
    assert event.actor_id == alice.pk and event.data["reason"] == "user"


def test_a_refused_attempt_past_the_limit_is_not_recorded_again(client, alice):
    for _ in range(7):
        login(client, "alice", "wrong")
    assert Event.objects.filter(kind="auth.login_failed").count() == 5
