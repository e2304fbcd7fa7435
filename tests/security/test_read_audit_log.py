"""Carol (supervisor) and Grace (admin) read who did what and when; nobody else can."""

import re

import pytest
from django.urls import reverse

from townsquare.people.tokens import create_token
from townsquare.security import audit_views

pytestmark = pytest.mark.django_db
PAGE = reverse("security:audit")
API = "/api/v1/audit"


def api_get(client, user, params=None):
    # The console session: a token would add its own token.created event to the log.
    client.force_login(user)
    return client.get(API, params or {})


def api_get_with_token(client, user):
    _, token = create_token(user, "audit test")
    return client.get(API, headers={"Authorization": f"Bearer {token}"})


def kinds_on_page(response) -> list[str]:
    return re.findall(r"<td><code>([a-z_.]+)</code></td>", response.content.decode())


@pytest.mark.parametrize("persona", ["carol", "grace"])
def test_supervisors_and_admins_read_it(client, request, audit_trail, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert kinds_on_page(response) == [e.kind for e in reversed(audit_trail)]
    assert "bruno" in response.content.decode()
    items = api_get(client, user).json()["items"]
    assert [item["id"] for item in items] == [e.pk for e in reversed(audit_trail)]
    assert items[0]["actor"] == "bruno" and items[0]["data"]["reason"] == "user"


@pytest.mark.parametrize("persona", ["alice", "bob", "eve", "farid"])
def test_other_roles_may_not(client, request, audit_trail, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
    client.logout()
    response = api_get_with_token(client, user)
    assert response.status_code == 403
    assert "admins and supervisors" in response.json()["detail"]


def test_anonymous_visitors_are_refused(client, audit_trail):
    assert client.get(PAGE)["Location"].startswith(reverse("login"))
    assert client.get(API).status_code == 401


def test_the_audit_link_is_in_the_menu_for_supervisors_only(client, carol, alice):
    client.force_login(carol)
    assert f'href="{PAGE}"' in client.get(reverse("security:two-factor")).content.decode()
    client.force_login(alice)
    assert f'href="{PAGE}"' not in client.get(reverse("security:two-factor")).content.decode()


def test_filter_by_actor_kind_conversation_and_period(client, carol, alice, audit_trail):
    client.force_login(carol)
    by = lambda **params: kinds_on_page(client.get(PAGE, params))  # noqa: E731
    assert by(actor="alice") == ["note.added", "auth.login"]
    assert by(kind="auth.") == ["auth.logout", "auth.login"]
    assert by(kind="auth.login") == ["auth.login"]
    assert by(conversation=11) == ["note.added", "conversation.assigned"]
    assert by(since="2026-11-02", until="2026-11-02") == ["note.added", "conversation.assigned"]
    assert by(actor="alice", since="2026-11-02") == ["note.added"]

    api = lambda **params: [i["kind"] for i in api_get(client, carol, params).json()["items"]]  # noqa: E731
    assert api(actor=alice.pk) == ["note.added", "auth.login"]
    assert api(kind="conversation.") == ["conversation.status_changed", "conversation.assigned"]
    assert api(conversation=12) == ["conversation.status_changed"]
    assert api(since="2026-11-02T00:00:00Z", until="2026-11-03T00:00:00Z") == [
        "note.added",
        "conversation.assigned",
    ]


def test_bad_filters_are_a_clear_400_or_422(client, carol, audit_trail):
    client.force_login(carol)
    response = client.get(PAGE, {"actor": "nobody-like-this"})
    assert response.status_code == 400 and "nobody is called" in response.content.decode()
    assert client.get(PAGE, {"since": "2026-11-03", "until": "2026-11-01"}).status_code == 400
    assert client.get(PAGE, {"conversation": "x"}).status_code == 400
    assert api_get(client, carol, {"actor": "x"}).status_code == 422
    assert api_get(client, carol, {"kind": "a\x00b"}).status_code == 422
    assert api_get(client, carol, {"cursor": "not-a-cursor"}).status_code == 400
    assert api_get(client, carol, {"limit": 0}).status_code == 422


def test_pages_follow_the_cursor_without_gaps_or_repeats(client, carol, audit_trail):
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api_get(client, carol, params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [e.pk for e in reversed(audit_trail)]


def test_the_console_pages_by_older_link(client, carol, audit_trail, monkeypatch):
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 3)
    client.force_login(carol)
    first = client.get(PAGE, {"kind": ""})
    assert len(kinds_on_page(first)) == 3
    older = f"before={audit_trail[2].pk}"
    assert older in first.content.decode()
    second = client.get(f"{PAGE}?kind=&{older}")
    assert kinds_on_page(second) == [e.kind for e in reversed(audit_trail[:2])]


def test_the_page_costs_a_fixed_number_of_queries(client, carol, audit_trail, django_assert_max_num_queries):
    client.force_login(carol)
    client.get(PAGE)
    # session, user, the events page, the actors' names (one query however many)
    with django_assert_max_num_queries(4):
        assert client.get(PAGE).status_code == 200
