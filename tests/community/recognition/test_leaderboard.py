"""The leaderboard ranks members by peer resolutions over a period, then by speed; an unaccepted
answer stops counting; staff answers (not peer) never count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.community.ambassadors import duration_text, leaderboard
from townsquare.community.errors import CommunityError
from townsquare.community.events import record_community

pytestmark = pytest.mark.django_db


def accepted(answerer, asker, topic: int, seconds: int, *, peer=True):
    record_community(
        "community.answer_accepted",
        actor=asker,
        data={
            "topic": topic,
            "post": 100 + topic,
            "answerer": answerer.pk,
            "asker": asker.pk,
            "peer": peer,
            "answered_after_seconds": seconds,
        },
    )


def test_more_resolutions_first_then_faster(members, alice):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    accepted(bob, farid, 1, 600)
    accepted(bob, farid, 2, 1200)
    accepted(dana, farid, 3, 60)
    accepted(dana, farid, 4, 120)
    accepted(farid, dana, 5, 30)
    accepted(alice, farid, 6, 10, peer=False)
    rows = leaderboard("30d")
    assert [(r.username, r.resolutions, r.median_seconds) for r in rows] == [
        ("dana", 2, 90),
        ("bob", 2, 900),
        ("farid", 1, 30),
    ]


def test_unaccepted_answers_stop_counting(members):
    farid, bob = members["farid"], members["bob"]
    accepted(bob, farid, 1, 600)
    record_community(
        "community.answer_unaccepted",
        actor=farid,
        data={"topic": 1, "post": 101, "answerer": bob.pk, "asker": farid.pk, "peer": True},
    )
    assert leaderboard("all") == []


def test_the_period_limits_what_counts(members):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    accepted(bob, farid, 1, 600)
    accepted(dana, farid, 2, 600)
    # The log is append-only; move the clock instead: a board computed 40 days from now sees neither.
    assert leaderboard("30d", now=timezone.now() + timedelta(days=40)) == []
    assert {r.username for r in leaderboard("all")} == {"bob", "dana"}


def test_an_unknown_period_is_refused(db):
    with pytest.raises(CommunityError, match="period"):
        leaderboard("week")


def test_speed_reads_as_minutes_hours_or_days():
    assert [duration_text(s) for s in (None, 20, 5400, 23400, 3 * 86400)] == [
        "—",
        "1 min",
        "90 min",
        "6.5 h",
        "3 days",
    ]
