"""Flags and moderators at the same moment: the row lock makes each decision happen once."""

import threading

import pytest
from django.db import connection, connections

from tests.community.conftest import at_trust_level
from tests.conftest import make_user
from townsquare.community.errors import Conflict
from townsquare.community.models import Flag, ModerationAction, Post, Space, Topic, Visibility
from townsquare.community.moderation.actions import moderate
from townsquare.community.moderation.flags import flag
from townsquare.people.models import Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks across connections"),
]


def at_once(calls) -> list:
    """Run each call in its own thread and connection, released together; returns results or errors."""
    barrier, results = threading.Barrier(len(calls)), []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def answer_row(bob, farid):
    space = Space.objects.create(slug="devices", name="Devices")
    topic = Topic.objects.create(
        space=space, title="Will not pair", body="Blinks red.", author=farid, answer_count=1
    )
    return Post.objects.create(topic=topic, author=bob, body="Buy the new model at example.shop")


def test_four_flags_at_once_hide_the_answer_once(answer_row):
    flaggers = [at_trust_level(make_user(f"member{n}", Role.CUSTOMER, ["en"]), 1) for n in range(4)]
    results = at_once(
        [lambda user=user: flag(user, post_id=answer_row.pk, reason="spam") for user in flaggers]
    )
    # Three flags hide it; whoever comes after the lock is released finds it already under review.
    assert sum(isinstance(r, Flag) for r in results) == 3
    assert [str(r) for r in results if isinstance(r, Exception)] == [
        "this answer is not shown; moderators already review it"
    ]
    answer_row.refresh_from_db()
    assert answer_row.visibility == Visibility.HIDDEN
    assert ModerationAction.objects.filter(action="hide").count() == 1
    assert Topic.objects.get(pk=answer_row.topic_id).answer_count == 0


def test_two_moderators_hide_at_once_and_one_is_told_it_is_done(answer_row, eve, carol):
    results = at_once(
        [
            lambda user=user: moderate(user, "hide", post_id=answer_row.pk, reason="Advert for a shop")
            for user in (eve, carol)
        ]
    )
    assert sum(isinstance(r, ModerationAction) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert ModerationAction.objects.count() == 1
    assert Topic.objects.get(pk=answer_row.topic_id).answer_count == 0
