"""Carol the supervisor finds that the email identity merged into Dana is someone else: she splits it
off with a reason. It gets its own customer (or its old one back, with that customer's consent),
takes the conversations it started, and a verified email never glues it back on its own."""

import pytest

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person, write
from townsquare.care.models import Queue
from townsquare.events.models import Event
from townsquare.inbox.channels import OPERATOR
from townsquare.inbox.visibility import Forbidden
from townsquare.people.consent import has_consent, record_consent
from townsquare.people.merging import MergeError, attach_email, merge_customers, split_identity
from townsquare.people.models import Customer, Identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana_by_chat():
    customer, identity = person(chat_channel(), "visitor-7", name="Dana")
    conversation_by(identity, subject="late parcel")
    return identity


@pytest.fixture
def sam_by_email():
    """Sam, another person, first known as his own customer."""
    customer, identity = person(email_channel(), "sam@example.org", name="Sam", created_minutes=4)
    conversation_by(identity, subject="refund for Sam")
    return identity


def test_an_identity_of_the_customer_itself_gets_a_new_customer(carol, dana_by_chat):
    dana = dana_by_chat.customer
    other = Identity.objects.create(
        channel=email_channel(), external_id="sam@x.org", handle="sam", customer=dana
    )
    started = conversation_by(other, subject="Sam asks")
    stays = conversation_by(dana_by_chat, subject="Dana again")
    write(stays, other, "Sam wrote in Dana's thread", seconds=5)  # Dana started it: it stays

    new = split_identity(carol, other, reason="a colleague of Dana, not Dana")

    assert new.pk != dana.pk and new.merged_into is None
    assert new.display_name == "sam" and new.first_seen_as == f"{other.channel_id}:sam@x.org"
    other.refresh_from_db()
    assert other.customer == new
    assert list(new.conversations.all()) == [started]
    stays.refresh_from_db()
    assert stays.customer == dana
    event = Event.objects.get(kind="identity.split")
    assert event.actor_id == carol.pk
    assert event.data == {
        "identity": other.pk,
        "from_customer": dana.pk,
        "to_customer": new.pk,
        "revived": False,
        "reason": "a colleague of Dana, not Dana",
        "conversations": [started.pk],
        "via": "staff",
    }


def test_a_split_after_a_wrong_merge_brings_the_old_customer_back_with_its_consent(
    carol, dana_by_chat, sam_by_email
):
    dana, sam = dana_by_chat.customer, sam_by_email.customer
    record_consent(carol, sam, "offers", granted=True, source="email", wording="Send me offers.")
    merge_customers(carol, dana, sam, reason="looked alike")
    dana.refresh_from_db()
    assert has_consent(dana, "offers")  # Sam's consent reads through the merge

    back = split_identity(carol, sam_by_email, reason="Sam is not Dana")

    assert back == sam
    sam.refresh_from_db()
    assert sam.merged_into is None and sam.merged_at is None
    assert list(sam.conversations.values_list("subject", flat=True)) == ["refund for Sam"]
    assert has_consent(sam, "offers") and not has_consent(dana, "offers")
    assert Event.objects.get(kind="identity.split").data["revived"] is True


def test_a_verified_email_does_not_merge_what_staff_split(carol, dana_by_chat, sam_by_email):
    attach_email(dana_by_chat, "shared@example.org", verified=True)
    attach_email(sam_by_email, "shared@example.org", verified=True)
    sam_by_email.refresh_from_db()
    assert sam_by_email.customer == dana_by_chat.customer

    split_identity(carol, sam_by_email, reason="shared family mailbox, two people")
    sam_by_email.refresh_from_db()
    dana_by_chat.refresh_from_db()
    attach_email(sam_by_email, "shared@example.org", verified=True)
    attach_email(dana_by_chat, "shared@example.org", verified=True)

    sam_by_email.refresh_from_db()
    assert sam_by_email.customer != dana_by_chat.customer
    assert Event.objects.filter(kind="customer.merged").count() == 1


def test_the_only_identity_cannot_be_split_off(carol, dana_by_chat):
    with pytest.raises(MergeError, match="only identity"):
        split_identity(carol, dana_by_chat, reason="test")
    assert Customer.objects.count() == 1


def test_a_reason_is_required(carol, dana_by_chat, sam_by_email):
    merge_customers(carol, dana_by_chat.customer, sam_by_email.customer, reason="same")
    sam_by_email.refresh_from_db()
    with pytest.raises(MergeError, match="reason"):
        split_identity(carol, sam_by_email, reason=" ")


def test_brand_and_customerless_identities_cannot_be_split(carol):
    brand = Identity.objects.create(channel=email_channel(), external_id="care@brand", is_brand=True)
    stray = Identity.objects.create(channel=email_channel(), external_id="nobody@x.org")
    for identity in (brand, stray):
        with pytest.raises(MergeError):
            split_identity(carol, identity, reason="why not")


def test_ambassadors_may_not_split_and_agents_only_what_they_see(
    alice, bob, carol, dana_by_chat, sam_by_email
):
    merge_customers(carol, dana_by_chat.customer, sam_by_email.customer, reason="same")
    sam_by_email.refresh_from_db()
    with pytest.raises(Forbidden):
        split_identity(bob, sam_by_email, reason="not the same")
    dana_by_chat.customer.conversations.update(queue=Queue.objects.create(name="Billing"))
    with pytest.raises(LookupError):
        split_identity(alice, sam_by_email, reason="not the same")
    assert not Event.objects.filter(kind="identity.split").exists()


def test_the_cli_operator_splits_without_a_role(dana_by_chat, sam_by_email):
    merge_customers(OPERATOR, dana_by_chat.customer, sam_by_email.customer, reason="same")
    sam_by_email.refresh_from_db()
    split_identity(OPERATOR, sam_by_email, reason="undo")
    event = Event.objects.get(kind="identity.split")
    assert event.actor_id is None and event.data["via"] == "cli"


def test_a_split_identity_merged_elsewhere_by_hand_still_keeps_apart(carol, dana_by_chat, sam_by_email):
    attach_email(dana_by_chat, "shared@example.org", verified=True)
    attach_email(sam_by_email, "shared@example.org", verified=True)
    split_identity(carol, sam_by_email, reason="two people")
    sam_by_email.refresh_from_db()
    erin, erin_identity = person(email_channel(), "erin@example.org", name="Erin", created_minutes=8)
    conversation_by(erin_identity)
    merge_customers(carol, erin, sam_by_email.customer, reason="Sam writes from Erin's shop too")

    third = Identity.objects.create(channel=chat_channel(), external_id="visitor-9", customer=erin)
    attach_email(third, "shared@example.org", verified=True)

    dana_by_chat.refresh_from_db()
    assert Customer.objects.get(pk=erin.pk).merged_into is None
    assert dana_by_chat.customer.merged_into is None and dana_by_chat.customer != erin
    assert Event.objects.filter(kind="customer.merged").count() == 2  # the email merge, Carol's merge
