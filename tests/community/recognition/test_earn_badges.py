"""Badges come by themselves, once each: a first question, a first answer, a first accepted answer,
answers in three languages, a well-received question, a streak of days helping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.community import badges
from townsquare.community.accepting import accept
from townsquare.community.models import BadgeAward, Notification
from townsquare.community.posting import answer, ask
from townsquare.community.voting import vote
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def held(user) -> set[str]:
    return set(BadgeAward.objects.filter(user=user).values_list("badge", flat=True))


def test_first_question_answer_and_accepted_answer(devices_space, members):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "My headphones will not pair", "They blink red and never connect.")
    reply = answer(bob, topic, "Hold the power button for ten seconds, then pair them again.")
    accept(farid, reply)
    assert held(farid) == {"first-question"}
    assert held(bob) == {"first-answer", "first-accepted"}
    award = Event.objects.get(kind="community.badge_awarded", data__badge="first-accepted")
    assert award.data["user"] == bob.pk and award.actor_id == farid.pk
    second = ask(farid, devices_space, "Battery drains overnight", "Even when it is switched off.")
    answer(bob, second, "Turn off the always-listening feature in the app.")
    assert Event.objects.filter(kind="community.badge_awarded").count() == 3  # once each
    told = Notification.objects.filter(user=bob, kind="badge").values_list("text", flat=True)
    assert sorted(told) == [
        "You earned the badge Helping hand: first answer.",
        "You earned the badge Solved it: first accepted answer.",
    ]


def test_answering_in_three_languages_earns_polyglot(devices_space, members):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "My headphones will not pair", "They blink red and never connect.")
    answer(bob, topic, "Hold the power button for ten seconds, then pair them again from the settings.")
    answer(bob, topic, "Mantén pulsado el botón de encendido durante diez segundos y vuelve a emparejarlos.")
    assert "polyglot" not in held(bob)
    answer(bob, topic, "Halte die Einschalttaste zehn Sekunden lang gedrückt und kopple sie dann erneut.")
    assert "polyglot" in held(bob)
    assert BadgeAward.objects.get(user=bob, badge="polyglot").reason == "answered in 3 languages"


def test_a_question_with_score_five_is_well_received(devices_space, members, eve, alice, carol, grace):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "Which charger do I need?", "For the new model.")
    for voter in (eve, alice, carol, grace):
        vote(voter, topic=topic, value=1)
    assert "well-received" not in held(farid)
    vote(bob, topic=topic, value=1)
    assert "well-received" in held(farid)


def test_a_streak_counts_days_in_a_row():
    today = timezone.now().date()
    days = {today - timedelta(days=n) for n in (0, 1, 2, 3, 4, 6)}
    assert badges.run_length(days, today) == 5
    assert badges.run_length(days, today - timedelta(days=6)) == 1
    assert badges.run_length(set(), today) == 0


def test_the_badge_table_has_each_rule_once():
    slugs = [badge.slug for badge in badges.BADGES]
    assert len(slugs) == len(set(slugs)) >= 8
