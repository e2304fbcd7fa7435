"""Spam caught by triage is held; a moderator approves it (then it counts and notifies as new) or rejects it."""

import pytest

from townsquare.community.errors import Conflict
from townsquare.community.models import ModerationAction, Notification, Topic, Visibility
from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.queue import held
from townsquare.community.posting import answer, ask
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def hold_everything(settings):
    # Triage's spam score is never below 0 %: every new post is held, as real spam would be.
    settings.COMMUNITY_SPAM_HOLD_PERCENT = 0


def test_eve_approves_a_held_answer_and_it_counts(question, members, eve, hold_everything):
    held_answer = answer(members["bob"], question, "Reset them by holding the power button.")
    assert held_answer.visibility == Visibility.HELD
    assert Topic.objects.get(pk=question.pk).answer_count == 0
    assert [item.row for item in held()] == [held_answer]
    moderate(eve, "approve", post_id=held_answer.pk, reason="Not spam: a real answer")
    held_answer.refresh_from_db()
    assert held_answer.visibility == Visibility.VISIBLE and held_answer.visibility_reason == ""
    assert Topic.objects.get(pk=question.pk).answer_count == 1
    approved = Event.objects.get(kind="community.post_approved")
    assert approved.actor_id == eve.pk
    assert approved.data | {"author": members["bob"].pk} == approved.data
    assert {"post", "topic", "space", "kind", "parent", "topic_author", "language", "held"} <= set(
        approved.data
    )
    assert approved.data["held"] is False and approved.data["kind"] == "answer"
    assert Event.objects.get(kind="community.moderated").data["action"] == "approve"
    assert Notification.objects.filter(user=members["bob"], kind="moderation").exists()
    with pytest.raises(Conflict, match="not held"):
        moderate(eve, "approve", post_id=held_answer.pk, reason="Not spam: a real answer")


def test_eve_approves_a_held_question(devices_space, members, eve, hold_everything):
    topic = ask(members["farid"], devices_space, "Where do I buy a spare cable?", "For the B-200.")
    assert topic.visibility == Visibility.HELD
    moderate(eve, "approve", topic_id=topic.pk, reason="A real question, not an advert")
    topic.refresh_from_db()
    assert topic.visibility == Visibility.VISIBLE
    approved = Event.objects.get(kind="community.topic_approved")
    assert approved.data["topic"] == topic.pk and approved.data["author"] == members["farid"].pk
    assert approved.data["space"] == devices_space.pk and approved.data["held"] is False


def test_eve_rejects_held_spam_and_it_never_shows(question, members, eve, hold_everything):
    spam = answer(members["bob"], question, "Cheap watches at example.shop, 90% off!!!")
    moderate(eve, "reject", post_id=spam.pk, reason="Advertising for a watch shop")
    spam.refresh_from_db()
    assert spam.visibility == Visibility.HIDDEN
    assert spam.visibility_reason.startswith("Not approved by a moderator: Advertising")
    assert Topic.objects.get(pk=question.pk).answer_count == 0
    assert ModerationAction.objects.get().action == "reject"
    assert not Event.objects.filter(kind="community.post_approved").exists()
    assert held() == []
