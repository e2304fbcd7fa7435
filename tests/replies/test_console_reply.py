"""The conversation page: reply box with guard reasons, override for supervisors, undo, status buttons,
notes, canned preview, collision banner and the CSAT result."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townsquare.inbox.models import Conversation
from townsquare.replies.canned import create_canned
from townsquare.replies.csat import answer_survey
from townsquare.replies.models import CsatSurvey, Note, Reply
from townsquare.replies.notes import add_note
from townsquare.replies.presence import heartbeat
from townsquare.replies.send import send_reply
from townsquare.replies.status import change_status

from .helpers import PITCH, SUPPORT

HTMX = {"HX-Request": "true"}


def page(client, conversation):
    return client.get(reverse("web:conversation", args=[conversation.pk]))


def test_alice_sees_the_reply_box_notes_and_status_buttons(client, alice, dana_asks):
    client.force_login(alice)
    html = page(client, dana_asks).content.decode()
    assert 'data-testid="reply-form"' in html and 'data-shortcut="reply"' in html
    assert 'data-testid="note-form"' in html
    assert 'data-testid="status-open"' in html and 'data-testid="status-closed"' not in html
    assert 'data-testid="override-reason"' not in html


def test_alice_replies_from_the_console_and_can_undo_in_the_window(client, alice, dana_asks):
    client.force_login(alice)
    response = client.post(reverse("web:reply", args=[dana_asks.pk]), {"text": SUPPORT}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reply scheduled" in html and 'data-testid="undo-reply"' in html
    reply = Reply.objects.get()
    undone = client.post(reverse("web:undo-reply", args=[reply.pk]), headers=HTMX)
    assert "Reply undone" in undone.content.decode()
    assert Reply.objects.get().status == "cancelled"


def test_a_full_page_post_redirects_back_to_the_conversation(client, alice, dana_asks):
    client.force_login(alice)
    response = client.post(reverse("web:reply", args=[dana_asks.pk]), {"text": SUPPORT})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:conversation", args=[dana_asks.pk]))


def test_the_guard_reasons_are_shown_and_only_carol_gets_the_override_field(client, alice, carol, dana_asks):
    client.force_login(alice)
    blocked = client.post(reverse("web:reply", args=[dana_asks.pk]), {"text": PITCH}, headers=HTMX)
    assert blocked.status_code == 409
    html = blocked.content.decode()
    assert 'data-testid="guard-blocked"' in html and "SAVE20" in html  # the draft is kept
    assert 'data-testid="override-reason"' not in html
    client.force_login(carol)
    assert 'data-testid="override-reason"' in page(client, dana_asks).content.decode()
    sent = client.post(
        reverse("web:reply", args=[dana_asks.pk]),
        {"text": PITCH, "override_reason": "Dana asked for a coupon"},
        headers=HTMX,
    )
    assert sent.status_code == 200
    assert Reply.objects.filter(status="scheduled", overridden_by=carol).exists()


def test_warnings_ask_for_acknowledgement(client, alice, dana_asks):
    Conversation.objects.filter(pk=dana_asks.pk).update(invites_reply=False, kind="chatter")
    client.force_login(alice)
    url = reverse("web:reply", args=[dana_asks.pk])
    warned = client.post(url, {"text": SUPPORT}, headers=HTMX)
    assert warned.status_code == 409 and 'data-testid="acknowledge-warnings"' in warned.content.decode()
    sent = client.post(url, {"text": SUPPORT, "acknowledge_warnings": "on"}, headers=HTMX)
    assert sent.status_code == 200 and Reply.objects.get().status == "scheduled"


def test_status_buttons_resolve_and_a_refused_move_says_why(client, alice, dana_asks):
    client.force_login(alice)
    url = reverse("web:conversation-status", args=[dana_asks.pk])
    assert client.post(url, {"status": "open"}, headers=HTMX).status_code == 200
    html = page(client, dana_asks).content.decode()
    assert 'data-shortcut="resolve"' in html
    refused = client.post(url, {"status": "new"}, headers=HTMX)
    assert refused.status_code == 409 and "cannot go from open to new" in refused.content.decode()
    assert client.post(url, {"status": "resolved"}, headers=HTMX).status_code == 200
    assert Conversation.objects.get(pk=dana_asks.pk).status == "resolved"


def test_the_csat_answer_is_shown_on_the_conversation(client, alice, dana_asks):
    change_status(alice, dana_asks, "open")
    change_status(alice, dana_asks, "resolved")
    answer_survey(CsatSurvey.objects.get().token, 5, "Great help")
    client.force_login(alice)
    html = page(client, dana_asks).content.decode()
    assert 'data-testid="csat-result"' in html and "5/5" in html and "Great help" in html


def test_alice_adds_a_note_with_a_mention_from_the_console(client, alice, carol, dana_asks):
    client.force_login(alice)
    response = client.post(
        reverse("web:add-note", args=[dana_asks.pk]), {"text": "@carol refund?"}, headers=HTMX
    )
    assert response.status_code == 200 and "@carol" in response.content.decode()
    assert list(Note.objects.get().mentions.all()) == [carol]
    empty = client.post(reverse("web:add-note", args=[dana_asks.pk]), {"text": " "}, headers=HTMX)
    assert empty.status_code == 400 and 'data-testid="note-error"' in empty.content.decode()


def test_bob_sees_notes_with_personal_data_masked(client, alice, bob, community_question):
    Conversation.objects.filter(pk=community_question.pk).update(assignee=bob)
    community_question.refresh_from_db()
    add_note(alice, community_question, "He wrote from farid@example.org")
    client.force_login(bob)
    html = page(client, community_question).content.decode()
    assert "farid@example.org" not in html and "[email]" in html


def test_the_canned_picker_fills_the_draft_rendered_for_the_conversation(client, alice, carol, dana_asks):
    canned = create_canned(
        carol, title="Order", shortcut="order", text="Hi {{customer.first_name}}, {{order_number}}"
    )
    client.force_login(alice)
    assert "/order · Order" in page(client, dana_asks).content.decode()
    preview = client.get(
        reverse("web:canned-preview", args=[dana_asks.pk]), {"canned": canned.pk}, headers=HTMX
    )
    assert preview.status_code == 200 and "Hi Dana, 48213" in preview.content.decode()
    assert (
        client.get(reverse("web:canned-preview", args=[dana_asks.pk]), {"canned": "99999"}).status_code == 404
    )


def test_the_collision_banner_shows_bruno_replying(client, alice, bruno, dana_asks):
    heartbeat(bruno, dana_asks)
    client.force_login(alice)
    banner = client.get(reverse("web:reply-typing", args=[dana_asks.pk]))
    assert "Bruno is replying to this conversation now" in banner.content.decode()
    client.post(reverse("web:reply-typing", args=[dana_asks.pk]))
    client.force_login(bruno)
    assert (
        "Alice is replying" in client.get(reverse("web:reply-typing", args=[dana_asks.pk])).content.decode()
    )


def test_a_failed_delivery_is_shown_on_the_conversation(client, alice, dana_asks):
    reply = send_reply(alice, dana_asks, SUPPORT)
    Reply.objects.filter(pk=reply.pk).update(status="failed", error="the channel refused it")
    client.force_login(alice)
    assert "Delivery failed: the channel refused it" in page(client, dana_asks).content.decode()


@pytest.mark.parametrize("name", ["web:reply", "web:conversation-status", "web:add-note"])
def test_console_forms_need_the_csrf_token(alice, dana_asks, name):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(reverse(name, args=[dana_asks.pk]), {"text": "x", "status": "open"}).status_code == 403


def test_eve_cannot_post_a_reply_from_the_console(client, eve, dana_asks):
    client.force_login(eve)
    assert client.post(reverse("web:reply", args=[dana_asks.pk]), {"text": SUPPORT}).status_code == 403


def test_the_page_makes_the_same_number_of_queries_however_many_replies_and_notes(
    client, alice, bruno, carol, dana_asks, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    send_reply(alice, dana_asks, SUPPORT)
    add_note(alice, dana_asks, "@carol first")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as baseline:
        page(client, dana_asks)
    for n in range(6):
        send_reply(carol, dana_asks, f"{PITCH} {n}", override_reason="asked")
        add_note(bruno, dana_asks, f"@alice @carol note {n}")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = page(client, dana_asks).content.decode()
    assert html.count('data-testid="note"') == 7 and html.count('data-testid="reply"') == 7


def test_the_page_does_not_ask_again_whether_alice_may_see_it(client, alice, dana_asks):
    """The reply box and the notes both need the answer; the page found the conversation among the
    ones Alice sees, so neither asks the database again."""
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        html = page(client, dana_asks).content.decode()
    checks = [q["sql"] for q in captured.captured_queries if 'AS "a" FROM "inbox_conversation"' in q["sql"]]
    assert checks == []
    assert 'data-testid="reply-form"' in html and 'data-testid="note-form"' in html


def test_bob_gets_the_reply_box_on_the_community_question_routed_to_him(client, bob, community_question):
    Conversation.objects.filter(pk=community_question.pk).update(assignee=bob)
    client.force_login(bob)
    html = page(client, community_question).content.decode()
    assert 'data-testid="reply-form"' in html and 'data-testid="note-form"' in html
