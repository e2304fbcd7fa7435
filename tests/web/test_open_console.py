"""Who may open the console at all: staff and ambassadors yes, customers and moderators no."""

import pytest
from django.urls import reverse

from tests.web.conftest import conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(twitter, dana):
    conv = conversation(twitter, [("in", "hello")], customer=dana)
    return [reverse("web:conversations"), reverse("web:conversation", args=[conv.pk])]


@pytest.mark.parametrize("persona", ["farid", "eve"])
def test_roles_without_console_access_get_a_clear_403(client, request, pages, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        body = response.content.decode()
        assert "no access to the care console" in body
        assert "ask an admin" in body
        assert "hello" not in body


def test_anonymous_is_redirected_to_login_from_every_page(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("persona", ["grace", "carol", "alice", "bob"])
def test_console_roles_open_the_list(client, request, pages, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(pages[0])
    assert response.status_code == 200
    assert user.get_role_display() in response.content.decode()


def test_console_pages_only_answer_get(client, alice, pages):
    client.force_login(alice)
    for url in pages:
        assert client.post(url).status_code == 405
