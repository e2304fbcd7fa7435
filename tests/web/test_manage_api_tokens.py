"""Anyone signed in manages their own API tokens at /account/tokens/ (shown once, revocable)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from townsquare.events.models import Event
from townsquare.people.models import ApiToken
from townsquare.people.tokens import create_token

pytestmark = pytest.mark.django_db
URL = reverse("web:tokens")
API = "/api/v1/conversations"


def plaintext_in(html: str) -> str:
    match = re.search(r'value="(ts_[A-Za-z0-9_-]+)"', html)
    assert match, "the new token is not on the page"
    return match.group(1)


def api_status(token: str) -> int:
    return Client().get(API, headers={"Authorization": f"Bearer {token}"}).status_code


def test_alice_creates_a_token_that_is_shown_once_and_works(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"name": "CRM sync"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    plaintext = plaintext_in(html)
    assert "shown only this once" in html and "copy" in html.lower()
    token = ApiToken.objects.get(user=alice)
    assert (token.name, plaintext[: len(token.prefix)]) == ("CRM sync", token.prefix)
    assert Event.objects.filter(kind="token.created", actor_id=alice.pk).exists()

    assert api_status(plaintext) == 200
    listing = client.get(URL).content.decode()
    assert plaintext not in listing
    assert token.prefix in listing and "CRM sync" in listing


def test_the_list_shows_only_my_tokens_with_their_state(client, alice, bruno):
    mine, _ = create_token(alice, "laptop")
    create_token(bruno, "bruno's script")
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert mine.prefix in html and "laptop" in html and "never" in html and "active" in html
    assert "bruno&#x27;s script" not in html


def test_revoking_makes_the_token_401(client, alice):
    token, plaintext = create_token(alice, "old")
    client.force_login(alice)
    response = client.post(reverse("web:revoke-token", args=[token.pk]), follow=True)
    assert response.status_code == 200
    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_status(plaintext) == 401


def test_someone_elses_token_cannot_be_revoked(client, alice, bruno):
    token, plaintext = create_token(bruno, "bruno's")
    client.force_login(alice)
    assert client.post(reverse("web:revoke-token", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and api_status(plaintext) == 200


def test_revoking_needs_a_post_with_csrf(alice):
    token, _ = create_token(alice)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("web:revoke-token", args=[token.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_name_over_100_characters_is_a_400_with_the_reason(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"name": "x" * 101})
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    for response in (client.get(URL), client.post(URL, {"name": "x"}), client.post(URL + "1/revoke")):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert not ApiToken.objects.exists()


def test_a_customer_manages_tokens_but_still_cannot_open_conversations(client, farid):
    client.force_login(farid)
    page = client.get(URL)
    assert page.status_code == 200
    assert ">Conversations</a>" not in page.content.decode()  # no nav link to a page that is a 403
    plaintext = plaintext_in(client.post(URL, {"name": "community bot"}).content.decode())
    assert api_status(plaintext) == 403
    assert client.get(reverse("web:conversations")).status_code == 403


def test_the_nav_links_to_the_page(client, alice):
    client.force_login(alice)
    assert f'href="{URL}"' in client.get(reverse("web:conversations")).content.decode()
