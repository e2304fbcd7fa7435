"""The replies API: reply, undo, list, status, typing — and bad input never answers 500."""

import pytest

from townsquare.inbox.models import Message
from townsquare.replies.models import Reply

from .helpers import PITCH, SUPPORT, deliver_now


def post(client, url, headers, body):
    return client.post(url, body, content_type="application/json", headers=headers)


def replies_url(conversation):
    return f"/api/v1/conversations/{conversation.pk}/replies"


def test_alice_replies_lists_and_undoes(client, bearer, alice, dana_asks):
    headers = bearer(alice)
    created = post(client, replies_url(dana_asks), headers, {"text": SUPPORT})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["author"], body["text"]) == ("scheduled", "alice", SUPPORT)
    assert body["send_after"] is not None
    listed = client.get(replies_url(dana_asks), headers=headers).json()
    assert [reply["id"] for reply in listed] == [body["id"]]
    undone = client.post(f"/api/v1/replies/{body['id']}/undo", headers=headers)
    assert undone.status_code == 200 and undone.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/replies/{body['id']}/undo", headers=headers)
    assert again.status_code == 409 and "cancelled" in again.json()["detail"]


def test_a_pitch_answers_409_with_the_guards_reasons_and_carol_overrides(
    client, bearer, alice, carol, dana_asks
):
    blocked = post(
        client, replies_url(dana_asks), bearer(alice), {"text": PITCH, "override_reason": "please"}
    )
    assert blocked.status_code == 409
    body = blocked.json()
    assert body["reasons"] and "supervisor" in body["detail"]
    assert Reply.objects.get(pk=body["reply_id"]).status == "blocked"
    overridden = post(
        client,
        replies_url(dana_asks),
        bearer(carol),
        {"text": PITCH, "override_reason": "she asked by phone"},
    )
    assert overridden.status_code == 201
    assert overridden.json()["override_reason"] == "she asked by phone"


def test_warnings_answer_409_until_acknowledged(client, bearer, alice, bruno, dana_asks):
    seen = Message.objects.get(external_id="t1").pk
    deliver_now(
        Reply.objects.create(conversation=dana_asks, author=bruno, text="Bruno here", status="scheduled")
    )
    warned = post(client, replies_url(dana_asks), bearer(alice), {"text": SUPPORT, "seen_message_id": seen})
    assert warned.status_code == 409 and warned.json()["warnings"]
    sent = post(
        client,
        replies_url(dana_asks),
        bearer(alice),
        {"text": SUPPORT, "seen_message_id": seen, "acknowledge_warnings": True},
    )
    assert sent.status_code == 201


def test_status_changes_and_refused_moves(client, bearer, alice, dana_asks):
    url = f"/api/v1/conversations/{dana_asks.pk}/status"
    assert post(client, url, bearer(alice), {"status": "open"}).json()["status"] == "open"
    refused = post(client, url, bearer(alice), {"status": "new"})
    assert refused.status_code == 409 and "open to new" in refused.json()["detail"]
    assert post(client, url, bearer(alice), {"status": "archived"}).status_code == 422
    resolved = post(client, url, bearer(alice), {"status": "resolved", "reason": "answered"})
    assert resolved.json()["resolved_at"] is not None
    csat = client.get(f"/api/v1/conversations/{dana_asks.pk}/csat", headers=bearer(alice))
    assert csat.status_code == 200 and csat.json()["score"] is None


def test_csat_is_404_before_the_conversation_was_resolved(client, bearer, alice, dana_asks):
    response = client.get(f"/api/v1/conversations/{dana_asks.pk}/csat", headers=bearer(alice))
    assert response.status_code == 404 and "no CSAT survey" in response.json()["detail"]


def test_typing_reports_who_else_is_drafting(client, bearer, alice, bruno, dana_asks):
    url = f"/api/v1/conversations/{dana_asks.pk}/typing"
    assert client.post(url, headers=bearer(alice)).json() == {"replying_now": []}
    assert client.post(url, headers=bearer(bruno)).json() == {"replying_now": ["alice"]}


def test_bob_gets_404_for_a_conversation_he_cannot_see(client, bearer, bob, dana_asks):
    assert post(client, replies_url(dana_asks), bearer(bob), {"text": SUPPORT}).status_code == 404
    assert client.post(f"/api/v1/conversations/{dana_asks.pk}/typing", headers=bearer(bob)).status_code == 404


def test_eve_the_moderator_gets_403(client, bearer, eve, dana_asks):
    assert post(client, replies_url(dana_asks), bearer(eve), {"text": SUPPORT}).status_code == 403


def test_anonymous_gets_401(client, dana_asks):
    assert (
        client.post(replies_url(dana_asks), {"text": "x"}, content_type="application/json").status_code == 401
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": 5},
        {"text": None},
        {"text": "x" * 10_001},
        {"text": "nul \u0000 here"},
        {"text": "lone \ud800 surrogate"},
        {"text": "ok", "seen_message_id": 0},
        {"text": "ok", "seen_message_id": 2**70},
        {"text": "ok", "acknowledge_warnings": "perhaps"},
        {"text": "ok", "override_reason": "x" * 1001},
        {"text": "ok", "override_reason": "nul \u0000"},
        [1, 2],
        "just a string",
    ],
)
def test_bad_reply_bodies_answer_4xx_and_store_nothing(client, bearer, alice, dana_asks, body):
    response = post(client, replies_url(dana_asks), bearer(alice), body)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert not Reply.objects.exists()


def test_broken_json_and_unknown_ids_are_4xx(client, bearer, alice, dana_asks):
    headers = bearer(alice)
    broken = client.post(
        replies_url(dana_asks), "{not json", content_type="application/json", headers=headers
    )
    assert 400 <= broken.status_code < 500
    assert (
        client.post(
            "/api/v1/conversations/999999/replies",
            {"text": "x"},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/conversations/{2**64}/replies",
            {"text": "x"},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 422
    )
    assert client.post("/api/v1/replies/999999/undo", headers=headers).status_code == 404
    assert (
        client.post(
            "/api/v1/conversations/999999/status",
            {"status": "open"},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 404
    )


def test_the_openapi_document_declares_the_409s(client):
    spec = client.get("/api/v1/openapi.json").json()
    reply_op = spec["paths"]["/api/v1/conversations/{conversation_id}/replies"]["post"]
    assert {"201", "409", "422", "404", "403"} <= set(reply_op["responses"])
    assert "409" in spec["paths"]["/api/v1/conversations/{conversation_id}/status"]["post"]["responses"]


@pytest.mark.parametrize("reason", ["lone \ud800", "x" * 501, "nul \u0000"])
def test_an_unstorable_status_reason_is_422(client, bearer, alice, dana_asks, reason):
    url = f"/api/v1/conversations/{dana_asks.pk}/status"
    response = post(client, url, bearer(alice), {"status": "open", "reason": reason})
    assert response.status_code == 422
    assert post(client, url, bearer(alice), {"status": "open", "reason": "taking it"}).status_code == 200
