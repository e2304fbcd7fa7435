"""Alice logs in to the console and out again."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_has_a_form_with_csrf(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'name="username"' in body and 'name="password"' in body
    assert '<label for="id_username">' in body


def test_alice_logs_in_and_lands_on_the_conversations(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:conversations")
    body = response.content.decode()
    assert "Alice" in body
    assert "Agent" in body  # her role, shown next to her name
    assert f'action="{reverse("logout")}"' in body


def test_wrong_password_shows_an_error_and_does_not_log_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get(reverse("web:conversations"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_follows_next(client, alice, twitter):
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": "/?status=open"}
    )
    assert response["Location"] == "/?status=open"


def test_logout_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("web:conversations")).status_code == 302
