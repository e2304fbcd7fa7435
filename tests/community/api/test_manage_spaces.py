"""Grace (admin) opens and changes spaces; nobody else may."""

import pytest

from townsquare.community.models import Space
from townsquare.events.models import Event

from .conftest import API

pytestmark = pytest.mark.django_db


def test_grace_creates_and_changes_a_space(client, bearer, grace, db):
    headers = bearer(grace)
    created = client.post(
        f"{API}/spaces",
        {"slug": "speakers", "name": "Speakers", "language": "en"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    space_id = created.json()["id"]
    changed = client.patch(
        f"{API}/spaces/{space_id}",
        {"allows_promotion": True, "unanswered_after_hours": 12, "description": "Home speakers"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200
    space = Space.objects.get(pk=space_id)
    assert space.allows_promotion and space.unanswered_after_hours == 12
    event = Event.objects.get(kind="community.space_changed")
    assert event.actor_id == grace.pk
    assert event.data["fields"] == ["allows_promotion", "description", "unanswered_after_hours"]
    duplicate = client.post(
        f"{API}/spaces",
        {"slug": "speakers", "name": "Again"},
        content_type="application/json",
        headers=headers,
    )
    assert duplicate.status_code == 409


def test_others_cannot_manage_spaces(client, bearer, devices_space, carol, members):
    for user in (carol, members["bob"]):
        response = client.patch(
            f"{API}/spaces/{devices_space.pk}",
            {"allows_promotion": True},
            content_type="application/json",
            headers=bearer(user),
        )
        assert response.status_code == 403
    assert not Space.objects.get(pk=devices_space.pk).allows_promotion


def test_bad_space_input(client, bearer, grace, devices_space):
    headers = bearer(grace)
    bad_slug = client.post(
        f"{API}/spaces", {"slug": "No Spaces", "name": "X"}, content_type="application/json", headers=headers
    )
    assert bad_slug.status_code == 400 and "slug" in bad_slug.json()["detail"]
    bad_language = client.patch(
        f"{API}/spaces/{devices_space.pk}",
        {"language": "english"},
        content_type="application/json",
        headers=headers,
    )
    assert bad_language.status_code == 400
    assert (
        client.patch(
            f"{API}/spaces/{devices_space.pk}",
            {"unanswered_after_hours": 0},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 422
    )
