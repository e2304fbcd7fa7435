"""The notes and canned-replies API."""

import pytest

from townsquare.replies.models import CannedReply


def post(client, url, headers, body):
    return client.post(url, body, content_type="application/json", headers=headers)


def test_notes_with_mentions_through_the_api(client, bearer, alice, carol, dana_asks):
    url = f"/api/v1/conversations/{dana_asks.pk}/notes"
    created = post(client, url, bearer(alice), {"text": "@carol may we refund order 48213?"})
    assert created.status_code == 201
    assert created.json()["mentions"] == ["carol"]
    listed = client.get(url, headers=bearer(carol)).json()
    assert [note["text"] for note in listed] == ["@carol may we refund order 48213?"]
    assert post(client, url, bearer(alice), {"text": "  "}).status_code == 422
    assert post(client, url, bearer(alice), {"text": "a\u0000b"}).status_code == 422


def test_ambassador_reads_notes_with_personal_data_masked(client, bearer, alice, bob, community_question):
    from townsquare.inbox.models import Conversation
    from townsquare.replies.notes import add_note

    Conversation.objects.filter(pk=community_question.pk).update(assignee=bob)
    community_question.refresh_from_db()
    add_note(alice, community_question, "Farid wrote from farid@example.org, call +44 20 7946 0958")
    [note] = client.get(f"/api/v1/conversations/{community_question.pk}/notes", headers=bearer(bob)).json()
    assert "farid@example.org" not in note["text"] and "[email]" in note["text"]
    assert "7946" not in note["text"]


def test_carol_manages_canned_replies_and_alice_reads_them(client, bearer, alice, carol, dana_asks):
    created = post(
        client,
        "/api/v1/canned-replies",
        bearer(carol),
        {
            "title": "Where is my order",
            "shortcut": "where-order",
            "text": "Hi {{customer.first_name}}, order {{order_number}} ships today.",
        },
    )
    assert created.status_code == 201, created.content
    canned_id = created.json()["id"]
    assert (
        post(
            client, "/api/v1/canned-replies", bearer(alice), {"title": "x", "shortcut": "x", "text": "x"}
        ).status_code
        == 403
    )
    assert [c["shortcut"] for c in client.get("/api/v1/canned-replies", headers=bearer(alice)).json()] == [
        "where-order"
    ]
    patched = client.patch(
        f"/api/v1/canned-replies/{canned_id}",
        {"title": "Order status"},
        content_type="application/json",
        headers=bearer(carol),
    )
    assert patched.status_code == 200 and patched.json()["title"] == "Order status"
    [suggestion] = client.get(
        f"/api/v1/conversations/{dana_asks.pk}/canned-suggestions", headers=bearer(alice)
    ).json()
    assert suggestion["text"] == "Hi Dana, order 48213 ships today."
    assert suggestion["reasons"] == ["written in en"]
    assert client.delete(f"/api/v1/canned-replies/{canned_id}", headers=bearer(alice)).status_code == 403
    assert client.delete(f"/api/v1/canned-replies/{canned_id}", headers=bearer(carol)).status_code == 204
    assert not CannedReply.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Hi", "shortcut": "hi", "text": "Hi {{customer.nickname}}"},
        {"title": "Hi", "shortcut": "hi", "text": "Hi {{ customer.name"},
        {"title": "Hi", "shortcut": "Not A Slug!", "text": "Hi"},
        {"title": "Hi", "shortcut": "hi", "language": "english!", "text": "Hi"},
        {"title": "Hi", "shortcut": "hi", "text": "Hi", "team_id": 424242},
        {"title": "Hi", "shortcut": "hi"},
        {"title": "", "shortcut": "hi", "text": "Hi"},
    ],
)
def test_bad_canned_replies_answer_422_with_the_reason(client, bearer, carol, body):
    response = post(client, "/api/v1/canned-replies", bearer(carol), body)
    assert response.status_code == 422, response.content
    assert not CannedReply.objects.exists()


def test_unknown_variable_is_named_in_the_error(client, bearer, carol):
    response = post(
        client,
        "/api/v1/canned-replies",
        bearer(carol),
        {"title": "Hi", "shortcut": "hi", "text": "Hi {{customer.nickname}}"},
    )
    assert "{{customer.nickname}}" in response.json()["errors"][0]["msg"]


def test_a_second_text_in_the_same_language_is_refused(client, bearer, carol):
    body = {"title": "Hi", "shortcut": "hi", "text": "Hi"}
    assert post(client, "/api/v1/canned-replies", bearer(carol), body).status_code == 201
    assert post(client, "/api/v1/canned-replies", bearer(carol), body).status_code == 422
    assert (
        post(
            client, "/api/v1/canned-replies", bearer(carol), {**body, "language": "es", "text": "Hola"}
        ).status_code
        == 201
    )


def test_unknown_canned_reply_is_404(client, bearer, carol):
    assert client.get("/api/v1/canned-replies/999", headers=bearer(carol)).status_code == 404


def test_bob_gets_canned_suggestions_with_the_order_number_masked(client, bearer, bob, carol, twitter):
    from townsquare.inbox.models import Channel, ChannelKind, Conversation
    from townsquare.replies.canned import create_canned

    from .conftest import conversation_of, customer_message, ingest

    community = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    [first] = ingest(community, customer_message("q1", "My order 48213 never came", author="farid"))
    question = conversation_of(first)
    Conversation.objects.filter(pk=question.pk).update(assignee=bob)
    create_canned(carol, title="Order", shortcut="order", text="Order {{order_number}} is on its way")
    [suggestion] = client.get(
        f"/api/v1/conversations/{question.pk}/canned-suggestions", headers=bearer(bob)
    ).json()
    assert "48213" not in suggestion["text"] and "[account]" in suggestion["text"]
