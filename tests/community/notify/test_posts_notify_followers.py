"""Answers, comments and accepted answers notify the topic's followers, never the member who acted,
and each member at most once per event (the most specific message)."""

import pytest

from townsquare.community.accepting import accept
from townsquare.community.models import Notification
from townsquare.community.notify.subscriptions import subscribe
from townsquare.community.posting import answer, ask, comment

from .conftest import told

pytestmark = pytest.mark.django_db


def test_an_answer_tells_the_asker_and_followers(question, members):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    subscribe(dana, topic=question)
    answer(bob, question, "Hold the power button for ten seconds.")
    assert told(farid) == [("answer", "Bob answered your topic “My headphones will not pair”")]
    assert told(dana) == [("answer", "Bob answered “My headphones will not pair”")]
    assert told(bob) == []  # never the one who acted
    assert Notification.objects.filter(user=farid, kind="answer").get().actor == bob


def test_comments_tell_the_answers_author(question, members):
    farid, bob = members["farid"], members["bob"]
    reply = answer(bob, question, "Hold the power button for ten seconds.")
    Notification.objects.all().delete()
    comment(farid, question, "That worked, thanks!", parent=reply)
    assert told(bob) == [("comment", "Farid commented on your answer in “My headphones will not pair”")]
    assert told(farid) == []


def test_accepting_tells_the_answerer_and_followers(question, members):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    reply = answer(bob, question, "Hold the power button for ten seconds.")
    subscribe(dana, topic=question)
    Notification.objects.all().delete()
    accept(farid, reply)
    assert told(bob) == [("accepted", "Farid accepted your answer to “My headphones will not pair”")]
    assert told(dana) == [("solved", "“My headphones will not pair” has an accepted answer")]
    assert told(farid) == []


def test_one_notification_per_member_per_event(question, members):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    subscribe(dana, topic=question)
    answer(bob, question, "Hold the power button, @farid and @dana; @farid again.")
    assert told(farid) == [("mention", "Bob mentioned you in “My headphones will not pair”")]
    assert told(dana) == [("mention", "Bob mentioned you in “My headphones will not pair”")]


def test_following_a_space_tells_of_new_topics(devices_space, members):
    subscribe(members["dana"], space=devices_space)
    ask(members["farid"], devices_space, "Battery drains overnight", "Even when switched off.")
    assert told(members["dana"]) == [("topic", "Farid asked “Battery drains overnight” in Devices")]
    ask(members["dana"], devices_space, "Which charger do I need?", "For the new model.")
    assert len(told(members["dana"])) == 1  # not about her own topic


def test_a_deactivated_member_is_not_notified(question, members):
    farid = members["farid"]
    farid.is_active = False
    farid.save(update_fields=["is_active"])
    answer(members["bob"], question, "Hold the power button for ten seconds.")
    assert told(farid) == []
