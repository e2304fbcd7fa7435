"""POST /api/v1/identities/{id}/split: Carol (supervisor) undoes a wrong merge through the API."""

import json

import pytest

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.events.models import Event
from townsquare.people.merging import merge_customers

pytestmark = pytest.mark.django_db


def split(client, headers, identity_id, body):
    return client.post(
        f"/api/v1/identities/{identity_id}/split",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def merged(carol):
    """Dana (chat) with Sam (email) wrongly merged into her: (dana, sam, sam's identity, his conversation)."""
    dana, dana_identity = person(chat_channel(), "visitor-7", name="Dana")
    conversation_by(dana_identity)
    sam, sam_identity = person(email_channel(), "sam@example.org", name="Sam", created_minutes=4)
    sams = conversation_by(sam_identity)
    merge_customers(carol, dana, sam, reason="looked alike")
    return dana, sam, sam_identity, sams


def test_carol_splits_sam_back_off(client, bearer, carol, merged):
    dana, sam, identity, sams = merged

    response = split(client, bearer(carol), identity.pk, {"reason": "Sam is not Dana"})

    assert response.status_code == 201, response.content
    assert response.json() == {
        "identity_id": identity.pk,
        "customer_id": sam.pk,
        "from_customer_id": dana.pk,
        "revived": True,
        "conversations": [sams.pk],
    }
    assert Event.objects.get(kind="identity.split").actor_id == carol.pk


def test_splitting_the_only_identity_is_a_400(client, bearer, carol, merged):
    _, _, identity, _ = merged
    split(client, bearer(carol), identity.pk, {"reason": "Sam is not Dana"})

    again = split(client, bearer(carol), identity.pk, {"reason": "again"})

    assert again.status_code == 400
    assert "only identity" in again.json()["detail"]


@pytest.mark.parametrize(("body", "status"), [({}, 422), ({"reason": ""}, 422), ({"reason": "  "}, 400)])
def test_a_reason_is_required(client, bearer, carol, merged, body, status):
    assert split(client, bearer(carol), merged[2].pk, body).status_code == status
    assert not Event.objects.filter(kind="identity.split").exists()


def test_unknown_identities_are_not_found_and_ambassadors_refused(client, bearer, carol, bob, merged):
    assert split(client, bearer(carol), 999999, {"reason": "x"}).status_code == 404
    assert split(client, bearer(carol), 0, {"reason": "x"}).status_code == 422
    assert split(client, bearer(bob), merged[2].pk, {"reason": "x"}).status_code == 403
    assert split(client, {}, merged[2].pk, {"reason": "x"}).status_code == 401
