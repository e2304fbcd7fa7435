"""POST /api/v1/guard/check: a dry run of the reply guard for the console and integrations."""

from townsquare.events.models import Event
from townsquare.people.consent import record_consent

PITCH = "and use code SAVE20 for 20% off your next order!"


def check(client, headers, **body):
    return client.post("/api/v1/guard/check", body, content_type="application/json", headers=headers)


def test_pitch_in_dana_conversation_is_blocked_with_reasons(client, bearer, alice, dana_conversation):
    response = check(client, bearer(alice), text=PITCH, conversation_id=dana_conversation.pk)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["blocked"] is True and body["needs_consent"] == "offers"
    assert body["reasons"][0] == "Mentions a discount code (SAVE20) and Dana has not opted in to offers."
    assert body["override_allowed"] is False
    assert not Event.objects.filter(kind__startswith="guard.").exists()  # a dry run logs nothing


def test_supervisor_is_told_she_may_override(client, bearer, carol, dana_conversation):
    body = check(client, bearer(carol), text=PITCH, conversation_id=dana_conversation.pk).json()
    assert body["blocked"] and body["override_allowed"] is True


def test_opted_in_customer_passes(client, bearer, carol, dana, dana_conversation):
    record_consent(carol, dana, "offers", granted=True, source="livechat", wording="Offers: yes")
    body = check(client, bearer(carol), text=PITCH, customer_id=dana.pk).json()
    assert body["blocked"] is False and body["reasons"] == []


def test_support_reply_passes_and_chatter_warns(client, bearer, alice, dana_conversation):
    dana_conversation.kind, dana_conversation.invites_reply = "chatter", False
    dana_conversation.save(update_fields=["kind", "invites_reply"])
    body = check(
        client, bearer(alice), text="We've refunded your order.", conversation_id=dana_conversation.pk
    ).json()
    assert body["blocked"] is False
    assert body["warnings"] == ["This conversation did not invite a reply from the brand (chatter)."]


def test_unknown_conversation_or_customer_is_404(client, bearer, alice):
    assert check(client, bearer(alice), text=PITCH, conversation_id=999_999).status_code == 404
    assert check(client, bearer(alice), text=PITCH, customer_id=999_999).status_code == 404


def test_ambassador_cannot_check_against_a_conversation_outside_the_community(
    client, bearer, bob, dana_conversation
):
    assert check(client, bearer(bob), text=PITCH, conversation_id=dana_conversation.pk).status_code == 404


def test_moderator_is_403_and_bad_input_422(client, bearer, eve, alice):
    assert check(client, bearer(eve), text=PITCH).status_code == 403
    assert check(client, bearer(alice), text="").status_code == 422
    assert check(client, bearer(alice), text="a\x00b").status_code == 422
    assert check(client, bearer(alice), text="x" * 20_001).status_code == 422
    assert check(client, bearer(alice), text=PITCH, conversation_id=0).status_code == 422
