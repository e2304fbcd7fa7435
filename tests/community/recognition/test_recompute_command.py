"""`townsquare community-recompute` rebuilds reputation, counters, trust levels and badges from the
log: after an import (history written in bulk, no listeners) and whenever a cache drifted."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from townsquare.community.members import member_of
from townsquare.community.models import BadgeAward, Member, Notification
from townsquare.events.log import record
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


def imported_history(asker, answerer):
    """What the Stack Exchange importer writes: created posts, net scores as votes, the accept."""
    record(
        "community.topic_created",
        actor=asker,
        data={"topic": 1, "kind": "question", "held": False, "imported": True},
    )
    for post in range(2, 8):
        record(
            "community.post_created",
            actor=answerer,
            data={
                "post": post,
                "topic": 1,
                "kind": "answer",
                "language": "en",
                "held": False,
                "imported": True,
            },
        )
        record(
            "community.imported_votes",
            data={"beneficiary": answerer.pk, "target": "post", "post": post, "topic": 1, "up": 1, "down": 0},
        )
    record(
        "community.answer_accepted",
        actor=asker,
        data={
            "topic": 1,
            "post": 2,
            "answerer": answerer.pk,
            "asker": asker.pk,
            "peer": True,
            "imported": True,
        },
    )


def run(*args) -> str:
    out = StringIO()
    call_command("community-recompute", *args, stdout=out)
    return out.getvalue()


def test_recompute_brings_imported_history_into_members(members):
    farid, dana = members["farid"], members["dana"]
    imported_history(farid, dana)
    assert Member.objects.get(user=dana).reputation == 0  # bulk history: nothing ran yet
    report = json.loads(run("--dry-run", "--json"))
    assert report["dry_run"] and report["members_changed"] == 3 and report["badges_added"] == 3
    assert Member.objects.get(user=dana).reputation == 0 and not BadgeAward.objects.exists()
    assert "changed 3" in run("--chunk", "2")
    member = Member.objects.get(user=dana)
    assert (member.reputation, member.answers_posted, member.accepted_answers, member.peer_resolutions) == (
        6 * 10 + 15,
        6,
        1,
        1,
    )
    assert member.trust_level == 2  # 6 answers, 75 reputation, 1 accepted
    assert Member.objects.get(user=members["bob"]).trust_level == 0  # his level 3 was never earned
    assert set(BadgeAward.objects.filter(user=dana).values_list("badge", flat=True)) == {
        "first-answer",
        "first-accepted",
    }
    assert Member.objects.get(user=farid).reputation == 2
    assert not Notification.objects.exists()  # history found by the recompute is not news
    assert Event.objects.filter(kind="community.trust_level_changed", data__source="recompute").count() >= 1
    # Run again: nothing left to change.
    assert json.loads(run("--json"))["members_changed"] == 0


def test_recompute_repairs_a_drifted_cache_and_keeps_admin_locks(members):
    bob, dana = members["bob"], members["dana"]
    Member.objects.filter(user=dana).update(reputation=999)
    member = member_of(bob)
    Member.objects.filter(pk=member.pk).update(trust_level=4, trust_level_locked=True)
    run()
    assert Member.objects.get(user=dana).reputation == 0
    assert Member.objects.get(user=bob).trust_level == 4


def test_a_bad_chunk_is_refused(db):
    with pytest.raises(CommandError, match="chunk"):
        run("--chunk", "0")
