"""labels.services.correct: the one way a person corrects triage, with its feedback row and event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.factories import routed_to
from tests.labels.builders import label, thread
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.inbox.visibility import Forbidden
from townsquare.labels.models import MessageLabels, TriageFeedback
from townsquare.labels.services import InvalidCorrection, correct, training_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def spam(twitter):
    message = thread(twitter, "follow me for free followers")["t0"]
    label(message, kind="spam", invites_reply=False, not_for_us=True)
    return message


@pytest.fixture
def community():
    return Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)


def test_moving_spam_back_updates_labels_roll_up_feedback_and_event(alice, spam):
    conversation = Conversation.objects.get(pk=spam.conversation_id)
    feedback = correct(spam, alice, "kind", "question")

    labels = MessageLabels.objects.get(pk=spam.pk)
    assert (labels.kind, labels.kind_score, labels.not_for_us) == ("question", 1.0, False)
    assert labels.reviewed_by == alice and labels.reviewed_at is not None
    assert (feedback.field, feedback.old_value, feedback.new_value, feedback.user) == (
        "kind",
        "spam",
        "question",
        alice,
    )
    [event] = Event.objects.filter(kind="triage.corrected")
    assert (event.actor_id, event.message_id, event.conversation_id, event.channel_id) == (
        alice.pk,
        spam.pk,
        spam.conversation_id,
        spam.channel_id,
    )
    assert event.data == {"field": "kind", "old_value": "spam", "new_value": "question"}
    conversation.refresh_from_db()
    assert (conversation.kind, conversation.not_for_us) == ("question", False)


def test_not_for_us_correction_is_a_boolean_and_rolls_up(carol, spam):
    correct(spam, carol, "not_for_us", False)
    assert MessageLabels.objects.get(pk=spam.pk).not_for_us is False
    assert TriageFeedback.objects.get().old_value is True
    with pytest.raises(InvalidCorrection):
        correct(spam, carol, "not_for_us", "no")


def test_a_corrected_not_for_us_survives_a_later_kind_correction(carol, spam):
    correct(spam, carol, "not_for_us", False)
    correct(
        spam, carol, "kind", "chatter"
    )  # chatter that does not invite a reply, but a person said "for us"
    assert MessageLabels.objects.get(pk=spam.pk).not_for_us is False


def test_intent_correction_goes_first_and_keeps_the_others(alice, twitter):
    message = thread(twitter, "I want my money back")["t0"]
    label(message, intents=[["order_status", 0.6], ["refund", 0.3], ["cancel", 0.1]])
    feedback = correct(message, alice, "intent", "refund")
    assert MessageLabels.objects.get(pk=message.pk).intents == [
        ["refund", 1.0],
        ["order_status", 0.6],
        ["cancel", 0.1],
    ]
    assert feedback.old_value == "order_status"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "rant"),
        ("sentiment", "angry"),
        ("language", "english!"),
        ("invites_reply", 1),
        ("colour", "red"),
    ],
)
def test_bad_fields_and_values_are_refused(alice, spam, field, value):
    with pytest.raises(InvalidCorrection):
        correct(spam, alice, field, value)
    assert not TriageFeedback.objects.exists()


def test_a_message_without_labels_cannot_be_corrected_yet(alice, twitter):
    message = thread(twitter, "hi")["t0"]
    with pytest.raises(InvalidCorrection, match="no triage labels"):
        correct(message, alice, "kind", "question")


def test_ambassadors_correct_community_messages_only(bob, spam, community):
    post = thread(community, "how do I pair my headset?")["t0"]
    label(post, kind="chatter", invites_reply=False, not_for_us=True)
    with pytest.raises(Forbidden):  # not routed to Bob yet
        correct(post, bob, "kind", "question")
    routed_to(post.conversation, bob)
    correct(post, bob, "kind", "question")
    with pytest.raises(Forbidden):
        correct(spam, bob, "kind", "question")
    assert MessageLabels.objects.get(pk=spam.pk).kind == "spam"


@pytest.mark.parametrize("persona", ["eve", "farid"])
def test_roles_without_the_care_console_are_refused(request, spam, persona):
    with pytest.raises(Forbidden):
        correct(spam, request.getfixturevalue(persona), "kind", "question")
    assert not TriageFeedback.objects.exists()
    assert not Event.objects.filter(kind="triage.corrected").exists()


def test_training_feedback_yields_the_latest_value_per_field(alice, carol, spam, twitter):
    message = thread(twitter, "bonjour, ma commande?", prefix="fr")["fr0"]
    label(message, language="en")
    correct(spam, alice, "kind", "question")
    correct(message, alice, "language", "FR")
    correct(spam, carol, "kind", "problem")

    assert list(training_feedback()) == [
        ("bonjour, ma commande?", "language", "fr"),
        ("follow me for free followers", "kind", "problem"),
    ]
    assert list(training_feedback(since=timezone.now() + timedelta(seconds=1))) == []
