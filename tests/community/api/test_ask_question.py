"""Farid asks a question through the API; visitors without an account cannot."""

import pytest

from townsquare.community.models import Topic
from townsquare.events.models import Event

from .conftest import API

pytestmark = pytest.mark.django_db


def test_farid_asks_a_question(client, bearer, devices_space, members):
    response = client.post(
        f"{API}/topics",
        {
            "space_id": devices_space.pk,
            "title": "Battery drains overnight",
            "body": "Even when off.",
            "tags": ["battery"],
        },
        content_type="application/json",
        headers=bearer(members["farid"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tags"] == ["battery"] and body["answers"] == [] and body["kind"] == "question"
    topic = Topic.objects.get(pk=body["id"])
    assert topic.author == members["farid"]
    assert Event.objects.filter(kind="community.topic_created", actor_id=members["farid"].pk).exists()


def test_a_visitor_must_sign_in_to_ask(client, devices_space):
    response = client.post(
        f"{API}/topics",
        {"space_id": devices_space.pk, "title": "Battery drains overnight", "body": "Even when off."},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"title": "Hi", "body": "Too short a title."}, 400, "title must have at least 5"),
        ({"title": "Battery drains", "body": "x", "tags": ["Not A Tag!"]}, 400, "tag"),
        ({"title": "Battery drains", "body": "x", "kind": "poll"}, 422, ""),
        ({"title": "Battery drains"}, 422, ""),
        ({"title": "Look at this", "body": "See https://example.com/page"}, 403, "trust level 1"),
    ],
)
def test_bad_questions_are_refused_with_the_reason(
    client, bearer, devices_space, members, payload, status, message
):
    response = client.post(
        f"{API}/topics",
        {"space_id": devices_space.pk, **payload},
        content_type="application/json",
        headers=bearer(members["farid"]),
    )
    assert response.status_code == status, response.content
    assert message in response.json()["detail"]
    assert not Topic.objects.exists()


def test_an_unknown_space_is_404(client, bearer, members):
    response = client.post(
        f"{API}/topics",
        {"space_id": 999999, "title": "Battery drains", "body": "Even when off."},
        content_type="application/json",
        headers=bearer(members["farid"]),
    )
    assert response.status_code == 404
