"""Grace runs the same import again (or the other format of the same site): nothing is stored twice."""

import pytest

from tests.community.importers.conftest import CSV_SAMPLE, XML_SAMPLE, ingest
from townsquare.community.models import Member, Post, Tag, Topic
from townsquare.events.models import Event
from townsquare.people.models import User


def snapshot():
    return (
        Topic.objects.count(),
        Post.objects.count(),
        User.objects.count(),
        Tag.objects.count(),
        Event.objects.exclude(kind="community.import_finished").count(),
        sorted(Member.objects.values_list("reputation", "answers_posted", "accepted_answers")),
        list(
            Topic.objects.order_by("id").values_list("answer_count", "accepted_post_id", "last_activity_at")
        ),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("sample", [CSV_SAMPLE, XML_SAMPLE], ids=["csv", "dump"])
def test_a_second_run_stores_nothing_new(sample):
    ingest(sample)
    before = snapshot()

    again = ingest(sample)

    assert (again["topics"], again["answers"], again["comments"], again["users"]) == (0, 0, 0, 0)
    assert again["duplicates"] == (43 if sample == CSV_SAMPLE else 46)  # posts (+ comments)
    assert snapshot() == before


@pytest.mark.django_db
def test_the_dump_after_the_csv_pair_adds_only_the_comments():
    ingest(CSV_SAMPLE)
    topics, posts = Topic.objects.count(), Post.objects.count()

    summary = ingest(XML_SAMPLE)

    assert (summary["topics"], summary["answers"], summary["comments"]) == (0, 0, 3)
    assert (Topic.objects.count(), Post.objects.count()) == (topics, posts + 3)
