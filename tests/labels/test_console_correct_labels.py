"""Alice corrects triage: moves a message back to the inbox, marks one not for us, changes its kind."""

import pytest
from django.urls import reverse

from tests.labels.console_factories import first_inbound, labelled
from tests.web.conftest import conversation
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.labels.models import MessageLabels, TriageFeedback

pytestmark = pytest.mark.django_db


def correct_url(message) -> str:
    return reverse("web:correct", args=[message.pk])


@pytest.fixture
def chatter(twitter):
    conv = conversation(twitter, [("in", "my kettle is so pretty lol")], handle="lee")
    message = first_inbound(conv)
    labelled(message, kind="chatter", invites_reply=False)
    return message


def test_moving_a_message_back_puts_it_in_the_inbox_and_records_feedback_and_an_event(client, alice, chatter):
    client.force_login(alice)
    assert [c.pk for c in client.get(reverse("web:not-for-us")).context["page"].rows] == [
        chatter.conversation_id
    ]

    response = client.post(correct_url(chatter), {"field": "not_for_us", "value": "false"})

    assert response.status_code == 302
    assert response["Location"] == f"/conversations/{chatter.conversation_id}/#message-{chatter.pk}"
    feedback = TriageFeedback.objects.get()
    assert (feedback.user, feedback.field, feedback.old_value, feedback.new_value) == (
        alice,
        "not_for_us",
        True,
        False,
    )
    event = Event.objects.get(kind="triage.corrected")
    assert (event.actor_id, event.message_id) == (alice.pk, chatter.pk)
    assert Conversation.objects.get(pk=chatter.conversation_id).not_for_us is False
    assert [c.pk for c in client.get(reverse("web:conversations")).context["page"].rows] == [
        chatter.conversation_id
    ]
    assert client.get(reverse("web:not-for-us")).context["page"].rows == []


def test_htmx_correction_returns_the_labels_with_who_corrected_them(client, alice, twitter):
    conv = conversation(twitter, [("in", "Your prices are a scam")])
    message = first_inbound(conv)
    labelled(message, kind="question")
    client.force_login(alice)

    response = client.post(
        correct_url(message), {"field": "kind", "value": "complaint"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="reviewed-by">Corrected by Alice' in body
    assert '<option value="complaint" selected>' in body
    # The conversation header's roll-up comes back too, swapped in out of band.
    assert '<div id="conversation-triage" hx-swap-oob="true">' in body
    assert '<span class="visually-hidden">Kind: </span>Complaint' in body.split("conversation-triage")[1]
    assert MessageLabels.objects.get(pk=message.pk).kind == "complaint"
    assert Conversation.objects.get(pk=conv.pk).kind == "complaint"


def test_marking_not_for_us_takes_the_conversation_out_of_the_inbox(client, alice, twitter):
    conv = conversation(twitter, [("in", "Follow me for crypto tips")])
    labelled(first_inbound(conv), kind="question")
    client.force_login(alice)
    client.post(correct_url(first_inbound(conv)), {"field": "not_for_us", "value": "true"})
    assert client.get(reverse("web:conversations")).context["page"].rows == []
    body = client.get(reverse("web:not-for-us")).content.decode()
    assert 'data-testid="not-for-us-reason">Marked not for us by a person<' in body


@pytest.mark.parametrize(
    "data",
    [
        {"field": "kind", "value": "rant"},
        {"field": "not_for_us", "value": "perhaps"},
        {"field": "priority", "value": "urgent"},
        {},
    ],
)
def test_a_bad_correction_answers_400_and_changes_nothing(client, alice, chatter, data):
    client.force_login(alice)
    response = client.post(correct_url(chatter), data)
    assert response.status_code == 400
    assert "This correction is not valid" in response.content.decode()
    assert not TriageFeedback.objects.exists()


def test_a_message_not_triaged_yet_cannot_be_corrected(client, alice, twitter):
    message = first_inbound(conversation(twitter, [("in", "hello")]))
    client.force_login(alice)
    response = client.post(correct_url(message), {"field": "kind", "value": "question"})
    assert response.status_code == 400
    assert "no triage labels yet" in response.content.decode()


@pytest.mark.parametrize("persona", ["eve", "farid"])
def test_roles_without_the_console_get_a_403_with_the_reason(client, chatter, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(correct_url(chatter), {"field": "not_for_us", "value": "false"})
    assert response.status_code == 403
    assert "no access to the care console" in response.content.decode()
    assert not TriageFeedback.objects.exists()


def test_an_ambassador_corrects_community_messages_only(client, bob, chatter):
    forum = Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)
    post = first_inbound(conversation(forum, [("in", "Buy cheap watches")], handle="spammer"))
    labelled(post, kind="question")
    # Ambassadors see the community conversations routed to them (inbox.visibility).
    Conversation.objects.filter(pk=post.conversation_id).update(assignee=bob)
    client.force_login(bob)
    assert client.post(correct_url(chatter), {"field": "kind", "value": "question"}).status_code == 404
    assert client.post(correct_url(post), {"field": "kind", "value": "spam"}).status_code == 302
    assert TriageFeedback.objects.get().user == bob


def test_corrections_need_a_post_with_csrf(alice, chatter):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get(correct_url(chatter)).status_code == 405
    assert browser.post(correct_url(chatter), {"field": "kind", "value": "spam"}).status_code == 403
    assert not TriageFeedback.objects.exists()
