"""Grace imports the Beer site's questions and answers from the CSV pair into a new space."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.hashers import is_password_usable

from tests.community.importers.conftest import CSV_SAMPLE, ingest
from townsquare.community.models import Member, Post, Space, Topic
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation, Message
from townsquare.people.models import Role, User

pytestmark = pytest.mark.django_db


def test_questions_answers_and_accepted_answers_arrive_in_a_space_named_after_the_site(tmp_path):
    summary = ingest(CSV_SAMPLE, "--rejects", str(tmp_path / "rejects.csv"))

    assert summary["topics"] == 12
    assert summary["answers"] == 31
    assert summary["accepted"] == 10
    assert summary["rejected"] == 0
    space = Space.objects.get(slug="beer")
    assert Topic.objects.filter(space=space).count() == 12
    citra = Topic.objects.get(external_id="stackexchange:beer:1")
    assert citra.title == "What is a citra hop, and how does it differ from other hops?"
    assert citra.score == 17
    assert citra.view_count == 698
    assert citra.created_at == datetime(2014, 1, 21, 20, 26, 5, 383000, tzinfo=UTC)
    assert list(citra.tags.values_list("name", flat=True)) == ["hops"]
    assert citra.answer_count == 1
    accepted = Post.objects.get(external_id="stackexchange:beer:4")
    assert citra.accepted_post_id == accepted.pk
    assert accepted.score == 12
    assert "Citra is a registered trademark" in accepted.body
    assert citra.last_activity_at == accepted.created_at


def test_each_dump_account_becomes_a_customer_member_who_cannot_sign_in():
    ingest(CSV_SAMPLE)

    asker = User.objects.get(username="se-beer-7")
    assert asker.role == Role.CUSTOMER
    assert not is_password_usable(asker.password)
    member = Member.objects.get(user=asker)
    assert member.topics_posted == Topic.objects.filter(author=asker).count() > 0
    answerer = Post.objects.get(external_id="stackexchange:beer:4").author
    assert answerer.member.accepted_answers >= 1
    assert answerer.member.reputation > 0


def test_history_is_in_the_event_log_with_the_dump_dates_and_not_in_the_care_inbox():
    ingest(CSV_SAMPLE)

    topic = Topic.objects.get(external_id="stackexchange:beer:1")
    created = Event.objects.get(kind="community.topic_created", data__topic=topic.pk)
    assert created.occurred_at == topic.created_at
    assert created.data["imported"] is True
    votes = Event.objects.get(kind="community.imported_votes", data__target="topic", data__topic=topic.pk)
    assert (votes.data["up"], votes.data["down"]) == (17, 0)
    assert votes.data["beneficiary"] == topic.author_id
    accepted = Event.objects.get(kind="community.answer_accepted", data__topic=topic.pk)
    assert accepted.data["post"] == topic.accepted_post_id
    assert accepted.data["imported"] is True and accepted.data["peer"] is True
    assert accepted.actor_id == topic.author_id
    assert Event.objects.filter(kind="community.answer_accepted").count() == 10
    assert not Message.objects.exists()
    assert not Conversation.objects.exists()


def test_an_existing_space_can_be_chosen_with_space(devices_space):
    summary = ingest(CSV_SAMPLE, "--space", "devices")

    assert summary["space"] == "devices"
    assert Topic.objects.filter(space=devices_space).count() == 12
    assert not Space.objects.filter(slug="beer").exists()
