"""Presence changes fold into shifts: online starts one, away or offline ends it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from townsquare.care.models import AgentProfile
from townsquare.care.presence import set_presence, sweep_stale
from townsquare.events.log import record
from townsquare.insights.models import ShiftFact
from townsquare.insights.projection import rebuild, refresh

pytestmark = pytest.mark.django_db


def at(hour, minute=0):
    return datetime(2026, 11, 2, hour, minute, tzinfo=UTC)


def presence(user, before, after, when):
    record(
        "agent.presence_changed",
        actor=user,
        data={"user_id": user.pk, "from": before, "to": after},
        occurred_at=when,
    )


def shifts_of(user):
    return list(
        ShiftFact.objects.filter(user_id=user.pk).order_by("started_at").values_list("started_at", "ended_at")
    )


def test_online_away_online_offline_and_a_repeated_online(alice, bruno):
    presence(alice, "offline", "online", at(9))
    presence(alice, "online", "online", at(9, 30))  # said twice: the shift goes on
    presence(alice, "online", "away", at(10))
    presence(alice, "away", "away", at(10, 5))  # away again without a shift: nothing
    presence(alice, "away", "online", at(10, 15))
    presence(alice, "online", "offline", at(12))
    presence(alice, "offline", "offline", at(12, 30))
    presence(alice, "offline", "online", at(13))  # still online: an open shift
    presence(bruno, "offline", "away", at(8))  # away from offline starts nothing
    refresh()
    assert shifts_of(alice) == [(at(9), at(10)), (at(10, 15), at(12)), (at(13), None)]
    assert shifts_of(bruno) == []


def test_a_shift_opened_in_one_refresh_ends_in_a_later_one(alice):
    presence(alice, "offline", "online", at(9))
    refresh()
    assert shifts_of(alice) == [(at(9), None)]
    presence(alice, "online", "online", at(9, 30))
    refresh()
    presence(alice, "online", "offline", at(11))
    refresh()
    assert shifts_of(alice) == [(at(9), at(11))]
    before = shifts_of(alice)
    rebuild()
    assert shifts_of(alice) == before
    assert ShiftFact.objects.count() == 1


def test_the_presence_service_records_what_the_fold_needs(alice):
    set_presence(alice, "online")
    set_presence(alice, "offline")
    refresh()
    [(started, ended)] = shifts_of(alice)
    assert ended is not None and ended >= started


def test_the_stale_sweep_ends_the_shift_when_they_were_last_seen(alice):
    started = timezone.now() - timedelta(hours=2)
    last_seen = timezone.now() - timedelta(minutes=40)
    # Online for two hours by the log; the console last heard from them 40 minutes ago.
    presence(alice, "offline", "online", started)
    AgentProfile.objects.create(
        user=alice, presence="online", presence_changed_at=started, last_seen_at=last_seen
    )
    assert sweep_stale(15) == ["alice"]
    refresh()
    assert shifts_of(alice) == [(started, last_seen)]
