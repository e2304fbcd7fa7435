"""Alice's console session ends after an hour without a request, and 12 hours after sign-in."""

import time

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.helpers import is_signed_in
from townsquare.events.models import Event
from townsquare.people.tokens import create_token
from townsquare.security import sessions

pytestmark = pytest.mark.django_db
CONSOLE = reverse("web:conversations")


def shift_clock(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


def test_sign_in_starts_both_clocks(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    session = client.session
    assert abs(session[sessions.LOGIN_AT] - time.time()) < 5
    assert session[sessions.LAST_SEEN] == session[sessions.LOGIN_AT]


def test_an_idle_session_is_signed_out(client, settings, alice):
    client.force_login(alice)
    shift_clock(client, sessions.LAST_SEEN, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(CONSOLE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not is_signed_in(client)
    login_page = client.get(response["Location"]).content.decode()
    assert "without activity" in login_page
    event = Event.objects.get(kind="auth.logout")
    assert event.actor_id == alice.pk and event.data["reason"] == "idle"


def test_an_active_session_still_ends_at_its_maximum_age(client, settings, alice):
    client.force_login(alice)
    shift_clock(client, sessions.LOGIN_AT, settings.SESSION_MAX_AGE + 1)
    response = client.get(CONSOLE)
    assert response.status_code == 302
    assert not is_signed_in(client)
    assert Event.objects.get(kind="auth.logout").data["reason"] == "absolute"


def test_activity_keeps_a_session_alive(client, settings, alice):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(alice)
    shift_clock(client, sessions.LAST_SEEN, 500)
    assert client.get(CONSOLE).status_code == 200
    assert abs(client.session[sessions.LAST_SEEN] - time.time()) < 5
    shift_clock(client, sessions.LAST_SEEN, 500)
    assert client.get(CONSOLE).status_code == 200


def test_the_last_seen_time_is_not_written_on_every_request(client, alice):
    client.force_login(alice)
    client.get(CONSOLE)
    before = client.session[sessions.LAST_SEEN]
    shift_clock(client, sessions.LAST_SEEN, 5)  # 5 s ago: within the write resolution
    client.get(CONSOLE)
    assert client.session[sessions.LAST_SEEN] == before - 5


def test_an_expired_session_gets_401_from_the_api(client, settings, alice):
    client.force_login(alice)
    shift_clock(client, sessions.LAST_SEEN, settings.SESSION_IDLE_TIMEOUT + 1)
    assert client.get("/api/v1/conversations").status_code == 401


def test_api_tokens_have_no_session_clock(client, alice):
    _, token = create_token(alice)
    response = client.get("/api/v1/conversations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_the_session_cookie_lasts_no_longer_than_the_maximum_age(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_AGE == 12 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def test_background_polls_of_an_open_tab_do_not_count_as_activity(client, settings, alice):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(alice)
    shift_clock(client, sessions.LAST_SEEN, 500)
    seen = client.session[sessions.LAST_SEEN]
    assert client.get(reverse("web:live-changes"), {"after": 0}).status_code != 302
    assert client.session[sessions.LAST_SEEN] == seen
    shift_clock(client, sessions.LAST_SEEN, 200)
    assert client.get(reverse("web:live-changes"), {"after": 0}).status_code in {302, 401, 403}
    assert not is_signed_in(client)
