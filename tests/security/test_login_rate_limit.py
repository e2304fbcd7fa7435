"""Someone guesses passwords: after 5 failures per username (or 20 per address) in 15 minutes,
sign-in answers 429 with Retry-After, without checking the password."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.security.helpers import code, enrol, is_signed_in
from townsquare.security import throttle
from townsquare.security.models import LoginFailure

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def attempt(client, username="alice", password="wrong", ip="198.51.100.7"):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_sixth_try_is_refused_even_with_the_right_password(client, alice):
    for _ in range(5):
        assert attempt(client).status_code == 200
    response = attempt(client, password=PASSWORD)
    assert response.status_code == 429
    assert 850 <= int(response["Retry-After"]) <= 900
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not is_signed_in(client)


def test_the_count_ignores_the_case_of_the_username(client, alice):
    for name in ["alice", "Alice", "ALICE", "aLice", "alicE"]:
        attempt(client, username=name)
    assert attempt(client, password=PASSWORD).status_code == 429


def test_other_usernames_from_elsewhere_are_not_affected(client, alice, bruno):
    for _ in range(5):
        attempt(client)
    response = attempt(client, username="bruno", password=PASSWORD, ip="203.0.113.9")
    assert response.status_code == 302


def test_one_address_trying_many_usernames_is_limited(client, settings, alice):
    settings.LOGIN_MAX_FAILURES_PER_IP = 8
    for n in range(8):
        attempt(client, username=f"guess{n}")
    response = attempt(client, password=PASSWORD)
    assert response.status_code == 429
    # The same account from another address still works.
    assert attempt(client, password=PASSWORD, ip="203.0.113.9").status_code == 302


def test_the_lockout_ends_when_the_failures_age_out(client, alice):
    for _ in range(5):
        attempt(client)
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(minutes=16))
    assert attempt(client, password=PASSWORD).status_code == 302


def test_retry_after_counts_from_the_failure_that_must_age_out():
    now = timezone.now()
    for minutes_ago in [14, 10, 6, 3, 1]:
        throttle.record_failure("alice", "198.51.100.7", now=now - timedelta(minutes=minutes_ago))
    # The oldest of the five frees the username one minute from now.
    assert throttle.retry_after("alice", "198.51.100.7", now=now) == 60


def test_a_successful_sign_in_clears_the_username_count(client, alice):
    for _ in range(4):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client).status_code == 200
    assert attempt(client, password=PASSWORD).status_code == 302


def test_wrong_codes_count_too(client, carol):
    enrol(carol)
    code_url = reverse("security:login-code")
    wrong = "000000" if code() != "000000" else "111111"
    attempt(client, username="carol", password=PASSWORD)
    for _ in range(5):
        assert client.post(code_url, {"code": wrong}, REMOTE_ADDR="198.51.100.7").status_code == 200
    response = client.post(code_url, {"code": code()}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429 and response["Retry-After"]
    assert not is_signed_in(client)
    # And the password step for that username is closed too.
    assert attempt(client, username="carol", password=PASSWORD).status_code == 429


def test_old_failures_are_deleted_as_new_ones_arrive():
    now = timezone.now()
    throttle.record_failure("alice", "198.51.100.7", now=now - timedelta(hours=1))
    throttle.record_failure("bruno", "203.0.113.9", now=now)
    assert set(LoginFailure.objects.values_list("key", flat=True)) == {"bruno", "203.0.113.9"}
