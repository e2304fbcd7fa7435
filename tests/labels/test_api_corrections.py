"""POST /api/v1/messages/{id}/corrections: a person corrects a triage label; it is recorded as feedback."""

import pytest

from tests.api.factories import make_conversation, routed_to
from tests.labels.console_factories import first_inbound, labelled, token_headers
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.labels.models import TriageFeedback

pytestmark = pytest.mark.django_db


def url(message) -> str:
    return f"/api/v1/messages/{message.pk}/corrections"


@pytest.fixture
def chatter(twitter):
    message = first_inbound(make_conversation(twitter, texts=("my cat loves the box",)))
    labelled(message, kind="chatter", invites_reply=False)
    return message


def post(client, message, body, headers):
    return client.post(url(message), body, content_type="application/json", headers=headers)


def test_alice_moves_a_message_back_and_gets_the_feedback(client, alice, chatter):
    response = post(client, chatter, {"field": "not_for_us", "value": False}, token_headers(alice))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["field"], body["old_value"], body["new_value"], body["user"]) == (
        "not_for_us",
        True,
        False,
        "alice",
    )
    assert body["message_id"] == chatter.pk
    assert TriageFeedback.objects.get().pk == body["id"]
    assert Event.objects.filter(kind="triage.corrected", message_id=chatter.pk).count() == 1
    assert Conversation.objects.get(pk=chatter.conversation_id).not_for_us is False
    labels = client.get(f"/api/v1/messages/{chatter.pk}", headers=token_headers(alice)).json()["labels"]
    assert labels["reviewed_by"] == "alice"


def test_changing_the_kind(client, alice, chatter):
    response = post(client, chatter, {"field": "kind", "value": "question"}, token_headers(alice))
    assert response.status_code == 201
    assert response.json()["old_value"] == "chatter"


@pytest.mark.parametrize(
    "body",
    [
        {"field": "kind", "value": "rant"},
        {"field": "kind", "value": True},
        {"field": "not_for_us", "value": "no"},
        {"field": "priority", "value": "urgent"},
        {"field": "language", "value": "English!"},
        {"value": "spam"},
    ],
)
def test_bad_corrections_answer_422(client, alice, chatter, body):
    response = post(client, chatter, body, token_headers(alice))
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not TriageFeedback.objects.exists()


def test_a_message_without_labels_answers_422(client, alice, twitter):
    message = first_inbound(make_conversation(twitter, texts=("hello",)))
    response = post(client, message, {"field": "kind", "value": "question"}, token_headers(alice))
    assert response.status_code == 422
    assert "no triage labels yet" in response.json()["detail"]


def test_who_may_correct(client, bob, eve, farid, chatter):
    body = {"field": "kind", "value": "question"}
    assert post(client, chatter, body, {}).status_code == 401
    assert post(client, chatter, body, token_headers(eve)).status_code == 403
    assert post(client, chatter, body, token_headers(farid)).status_code == 403
    assert post(client, chatter, body, token_headers(bob)).status_code == 404  # not a community message
    forum = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    community_post = first_inbound(routed_to(make_conversation(forum, texts=("Buy watches",)), bob))
    labelled(community_post)
    assert (
        post(client, community_post, {"field": "kind", "value": "spam"}, token_headers(bob)).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/messages/424242/corrections",
            body,
            content_type="application/json",
            headers=token_headers(bob),
        ).status_code
        == 404
    )
