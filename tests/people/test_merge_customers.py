"""Alice the agent sees that Dana (chat) and "D. Smith" (email) are the same person and merges them by
hand, saying why; the audit event names who, why and what moved, so a split can undo it."""

import pytest

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.care.models import Queue
from townsquare.events.models import Event
from townsquare.inbox.channels import OPERATOR
from townsquare.inbox.visibility import Forbidden
from townsquare.people.merging import MergeError, merge_customers
from townsquare.people.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana():
    customer, identity = person(chat_channel(), "visitor-7", name="Dana")
    conversation_by(identity)
    return customer


@pytest.fixture
def d_smith():
    customer, identity = person(email_channel(), "d.smith@example.org", name="D. Smith", created_minutes=3)
    conversation_by(identity)
    conversation_by(identity)
    return customer


def test_merge_moves_identities_and_conversations_and_records_why(alice, dana, d_smith):
    moved_identities = list(d_smith.identities.values_list("pk", flat=True))
    moved_conversations = sorted(d_smith.conversations.values_list("pk", flat=True))

    survivor = merge_customers(alice, dana, d_smith, reason="  same order number in both  ")

    assert survivor == dana
    d_smith.refresh_from_db()
    assert d_smith.merged_into == dana and d_smith.merged_at is not None
    assert dana.identities.count() == 2 and dana.conversations.count() == 3
    assert not d_smith.identities.exists() and not d_smith.conversations.exists()
    event = Event.objects.get(kind="customer.merged")
    assert event.actor_id == alice.pk
    assert event.data["reason"] == "same order number in both"
    assert event.data["via"] == "staff"
    assert event.data["identities"] == moved_identities
    assert sorted(event.data["conversations"]) == moved_conversations


def test_the_survivor_keeps_its_name_and_fills_its_blanks(alice, dana, d_smith):
    dana.attributes = {"tier": "gold"}
    dana.save()
    d_smith.attributes = {"tier": "silver", "city": "Lyon"}
    d_smith.first_seen_as = "2:d.smith@example.org"
    d_smith.save()
    Customer.objects.filter(pk=dana.pk).update(first_seen_as="")

    merge_customers(alice, dana, d_smith, reason="same person")

    dana.refresh_from_db()
    assert dana.display_name == "Dana"
    assert dana.attributes == {"tier": "gold", "city": "Lyon"}
    assert dana.first_seen_as == "2:d.smith@example.org"


def test_chains_point_straight_at_the_last_survivor(alice, dana, d_smith):
    third, identity = person(email_channel(), "dana.work@example.org", created_minutes=7)
    conversation_by(identity)
    merge_customers(alice, d_smith, third, reason="same person")

    merge_customers(alice, dana, d_smith, reason="same person")

    third.refresh_from_db()
    assert third.merged_into == dana  # not d_smith, which is merged away itself
    assert dana.identities.count() == 3 and dana.conversations.count() == 4
    assert Event.objects.filter(kind="customer.merged").last().data["repointed"] == [third.pk]


def test_merging_into_itself_is_refused(alice, dana):
    with pytest.raises(MergeError, match="into itself"):
        merge_customers(alice, dana, dana, reason="oops")


def test_a_customer_merged_away_names_the_one_to_use(alice, dana, d_smith):
    merge_customers(alice, dana, d_smith, reason="same person")
    third, identity = person(email_channel(), "x@example.org", created_minutes=9)
    conversation_by(identity)
    d_smith.refresh_from_db()

    with pytest.raises(MergeError, match=f"use customer {dana.pk} instead"):
        merge_customers(alice, d_smith, third, reason="same person")
    with pytest.raises(MergeError, match=f"use customer {dana.pk} instead"):
        merge_customers(alice, third, d_smith, reason="same person")
    assert Event.objects.filter(kind="customer.merged").count() == 1


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 501, "a\x00b"])
def test_a_reason_is_required(alice, dana, d_smith, reason):
    with pytest.raises(MergeError):
        merge_customers(alice, dana, d_smith, reason=reason)
    d_smith.refresh_from_db()
    assert d_smith.merged_into is None


def test_ambassadors_and_moderators_may_not_merge(bob, eve, dana, d_smith):
    for user in (bob, eve):
        with pytest.raises(Forbidden):
            merge_customers(user, dana, d_smith, reason="same person")
    d_smith.refresh_from_db()
    assert d_smith.merged_into is None


def test_an_agent_cannot_merge_a_customer_she_cannot_see(alice, dana, d_smith):
    billing = Queue.objects.create(name="Billing")
    d_smith.conversations.update(queue=billing)

    with pytest.raises(LookupError):
        merge_customers(alice, dana, d_smith, reason="same person")
    d_smith.refresh_from_db()
    assert d_smith.merged_into is None


def test_the_cli_operator_merges_without_a_role(dana, d_smith):
    merge_customers(OPERATOR, dana, d_smith, reason="cleanup after import")
    event = Event.objects.get(kind="customer.merged")
    assert event.actor_id is None and event.data["via"] == "cli"
