"""Dana chats on the brand's site (signed in there, so her email is verified by the host) and later
writes to support by email: Townsquare knows her as one customer, without anyone merging by hand."""

import pytest

from tests.people.merge_builders import channel, chat_channel, conversation_by, email_channel, person
from townsquare.events.models import Event
from townsquare.inbox.models import ChannelKind
from townsquare.people.merging import InvalidEmail, attach_email, email_hash, normalize_email
from townsquare.people.models import Customer, Identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana_by_chat():
    """Dana's chat customer (the older one) and her chat identity, with one chat conversation."""
    customer, identity = person(chat_channel(), "visitor-7", created_minutes=0)
    conversation_by(identity, texts=("my parcel is late",))
    return customer, identity


@pytest.fixture
def dana_by_email():
    customer, identity = person(email_channel(), "dana@example.org", created_minutes=5)
    conversation_by(identity, texts=("still no parcel",))
    return customer, identity


def test_chat_and_email_with_the_same_verified_email_are_one_customer(dana_by_chat, dana_by_email):
    chat_customer, chat_identity = dana_by_chat
    email_customer, email_identity = dana_by_email

    assert attach_email(chat_identity, "Dana@Example.ORG", verified=True) == chat_customer
    survivor = attach_email(email_identity, " dana@example.org ", verified=True)

    assert survivor == chat_customer  # the oldest customer survives
    email_customer.refresh_from_db()
    assert email_customer.merged_into == chat_customer and email_customer.merged_at is not None
    assert set(chat_customer.identities.all()) == {chat_identity, email_identity}
    assert chat_customer.conversations.count() == 2
    merged = Event.objects.get(kind="customer.merged")
    assert merged.data["via"] == "verified email"
    assert merged.data["survivor"] == chat_customer.pk and merged.data["merged"] == email_customer.pk
    assert merged.data["email"] == email_hash("dana@example.org")
    assert merged.actor_id is None


def test_the_address_is_stored_with_a_lower_case_domain_and_never_in_events(dana_by_chat):
    _, chat_identity = dana_by_chat

    attach_email(chat_identity, "  Dana.Smith@Example.ORG\n", verified=True)

    chat_identity.refresh_from_db()
    assert chat_identity.email == "Dana.Smith@example.org" and chat_identity.email_verified
    attached = Event.objects.get(kind="identity.email_attached")
    assert attached.data["identity"] == chat_identity.pk and attached.data["verified"] is True
    assert "example" not in str(Event.objects.values_list("data", flat=True)[::1]).lower()


def test_an_email_typed_into_the_offline_form_does_not_merge(dana_by_chat, dana_by_email):
    chat_customer, chat_identity = dana_by_chat
    email_customer, email_identity = dana_by_email
    attach_email(email_identity, "dana@example.org", verified=True)

    kept = attach_email(chat_identity, "dana@example.org", verified=False)

    assert kept == chat_customer
    email_customer.refresh_from_db()
    assert email_customer.merged_into is None
    assert not Event.objects.filter(kind="customer.merged").exists()
    chat_identity.refresh_from_db()
    assert chat_identity.email == "dana@example.org" and not chat_identity.email_verified


def test_a_verified_email_is_never_downgraded_by_an_unverified_one(dana_by_chat):
    _, chat_identity = dana_by_chat
    attach_email(chat_identity, "dana@example.org", verified=True)

    attach_email(chat_identity, "someone.else@example.com", verified=False)

    chat_identity.refresh_from_db()
    assert (chat_identity.email, chat_identity.email_verified) == ("dana@example.org", True)
    assert Event.objects.filter(kind="identity.email_attached").count() == 1


def test_attaching_the_same_email_again_writes_nothing(dana_by_chat):
    _, chat_identity = dana_by_chat
    attach_email(chat_identity, "dana@example.org", verified=True)
    attach_email(chat_identity, "dana@example.org", verified=True)
    assert Event.objects.filter(kind="identity.email_attached").count() == 1


def test_three_customers_with_one_verified_email_become_the_oldest(dana_by_chat, dana_by_email):
    chat_customer, chat_identity = dana_by_chat
    _, email_identity = dana_by_email
    mastodon_customer, mastodon_identity = person(
        channel("fedi", ChannelKind.FEDIVERSE),
        "@dana@social.example",
        created_minutes=9,
    )
    attach_email(email_identity, "dana@example.org", verified=True)
    attach_email(mastodon_identity, "DANA@example.org", verified=True)

    survivor = attach_email(chat_identity, "dana@example.org", verified=True)

    assert survivor == chat_customer
    assert Customer.objects.filter(merged_into__isnull=True).count() == 1
    assert chat_customer.identities.count() == 3
    mastodon_customer.refresh_from_db()
    assert mastodon_customer.merged_into == chat_customer  # never points at a merged customer


def test_an_identity_without_a_customer_joins_the_customer_of_its_verified_email(dana_by_chat):
    chat_customer, chat_identity = dana_by_chat
    attach_email(chat_identity, "dana@example.org", verified=True)
    stray = Identity.objects.create(channel=email_channel(), external_id="dana@example.org")

    assert attach_email(stray, "dana@example.org", verified=True) == chat_customer
    stray.refresh_from_db()
    assert stray.customer == chat_customer


def test_the_brand_account_is_never_merged_into_a_customer(dana_by_chat):
    _, chat_identity = dana_by_chat
    attach_email(chat_identity, "care@brand.example", verified=True)
    brand = Identity.objects.create(channel=email_channel(), external_id="care@brand.example", is_brand=True)

    assert attach_email(brand, "care@brand.example", verified=True) is None
    brand.refresh_from_db()
    assert brand.customer is None
    assert not Event.objects.filter(kind="customer.merged").exists()


@pytest.mark.parametrize("bad", ["", "   ", "not an address", "dana@", "@example.org", None, 42, "a@b@c"])
def test_something_that_is_not_an_address_changes_nothing(dana_by_chat, bad):
    chat_customer, chat_identity = dana_by_chat
    with pytest.raises(InvalidEmail):
        normalize_email(bad)

    assert (
        attach_email(chat_identity, bad, verified=True) == chat_customer
    )  # mail from odd senders is still stored

    chat_identity.refresh_from_db()
    assert chat_identity.email == "" and not chat_identity.email_verified
    assert not Event.objects.filter(kind="identity.email_attached").exists()
