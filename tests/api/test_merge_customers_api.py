"""POST /api/v1/customers/{id}/merge: Alice (agent) merges D. Smith into Dana with a reason; bad
requests get a 400 or 422 with the reason, other roles 403, customers she cannot see 404."""

import json

import pytest

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.care.models import Queue
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def merge(client, headers, survivor_id, body):
    return client.post(
        f"/api/v1/customers/{survivor_id}/merge",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def dana():
    customer, identity = person(chat_channel(), "visitor-7", name="Dana")
    conversation_by(identity)
    return customer


@pytest.fixture
def d_smith():
    customer, identity = person(email_channel(), "d.smith@example.org", name="D. Smith", created_minutes=3)
    conversation_by(identity)
    return customer


def test_alice_merges_and_gets_the_survivors_identities(client, bearer, alice, dana, d_smith):
    response = merge(client, bearer(alice), dana.pk, {"other": d_smith.pk, "reason": "same order number"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["customer_id"] == dana.pk and body["merged"] == d_smith.pk
    assert {row["channel_kind"] for row in body["identities"]} == {"livechat", "email"}
    d_smith.refresh_from_db()
    assert d_smith.merged_into_id == dana.pk
    event = Event.objects.get(kind="customer.merged")
    assert event.actor_id == alice.pk and event.data["reason"] == "same order number"


def test_merging_twice_names_the_survivor(client, bearer, alice, dana, d_smith):
    merge(client, bearer(alice), dana.pk, {"other": d_smith.pk, "reason": "same"})
    again = merge(client, bearer(alice), dana.pk, {"other": d_smith.pk, "reason": "same"})
    assert again.status_code == 400
    assert again.json()["detail"] == (
        f"customer {d_smith.pk} was merged into customer {dana.pk}: use customer {dana.pk} instead"
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"other": "self", "reason": "x"}, 400),
        ({"other": "d_smith", "reason": "   "}, 400),
        ({"other": "d_smith", "reason": "a\u0000b"}, 400),
        ({"other": "d_smith"}, 422),
        ({"other": "d_smith", "reason": ""}, 422),
        ({"other": "d_smith", "reason": "x" * 501}, 422),
        ({"other": 0, "reason": "x"}, 422),
        ({"other": "nope", "reason": "x"}, 422),
        ({"reason": "x"}, 422),
        ({"other": 999999, "reason": "x"}, 404),
    ],
)
def test_bad_requests_say_why(client, bearer, alice, dana, d_smith, body, status):
    body = {**body}
    if body.get("other") == "self":
        body["other"] = dana.pk
    elif body.get("other") == "d_smith":
        body["other"] = d_smith.pk

    response = merge(client, bearer(alice), dana.pk, body)

    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert not Event.objects.filter(kind="customer.merged").exists()


def test_a_body_that_is_not_json_is_refused(client, bearer, alice, dana):
    response = client.post(
        f"/api/v1/customers/{dana.pk}/merge", data="{", content_type="application/json", headers=bearer(alice)
    )
    assert response.status_code in {400, 422}


def test_ambassadors_moderators_and_customers_are_refused(client, bearer, bob, eve, farid, dana, d_smith):
    for user in (bob, eve, farid):
        response = merge(client, bearer(user), dana.pk, {"other": d_smith.pk, "reason": "same"})
        assert response.status_code == 403, user.username
    assert merge(client, {}, dana.pk, {"other": d_smith.pk, "reason": "same"}).status_code == 401
    d_smith.refresh_from_db()
    assert d_smith.merged_into is None


def test_a_customer_the_agent_cannot_see_is_not_found(client, bearer, alice, dana, d_smith):
    d_smith.conversations.update(queue=Queue.objects.create(name="Billing"))

    assert merge(client, bearer(alice), dana.pk, {"other": d_smith.pk, "reason": "same"}).status_code == 404
    assert merge(client, bearer(alice), d_smith.pk, {"other": dana.pk, "reason": "same"}).status_code == 404
    assert not Event.objects.filter(kind="customer.merged").exists()
