"""Carol splits Sam's email identity off Dana's customer page: Sam's own customer comes back, the
page says so and its history shows the split with her reason."""

import pytest
from django.urls import reverse

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.events.models import Event
from townsquare.people.merging import merge_customers

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(carol):
    dana, dana_identity = person(chat_channel(), "visitor-7", name="Dana")
    conversation_by(dana_identity)
    sam, sam_identity = person(email_channel(), "sam@example.org", name="Sam", created_minutes=4)
    conversation_by(sam_identity)
    merge_customers(carol, dana, sam, reason="looked alike")
    return dana, sam, sam_identity


def split_url(identity) -> str:
    return reverse("web:identity-split", args=[identity.pk])


def test_carol_splits_sam_off_and_reads_it_in_the_history(client, carol, merged):
    dana, sam, identity = merged
    client.force_login(carol)

    response = client.post(split_url(identity), {"reason": "Sam is not Dana"})

    assert response.status_code == 302 and response["Location"] == reverse("web:customer", args=[dana.pk])
    identity.refresh_from_db()
    assert identity.customer == sam
    body = client.get(response["Location"]).content.decode()
    assert f"back to customer #{sam.pk} with 1 conversation." in body
    history = body[body.index('data-testid="merge-history"') :]
    assert "split off back to" in history and "Sam is not Dana" in history and "Carol" in history
    assert f"customer #{sam.pk} merged into this customer" in history  # the merge stays in the record
    assert 'data-testid="split-form"' not in body  # Dana has one identity left: nothing to split


def test_a_split_without_a_reason_is_explained(client, carol, merged):
    _, _, identity = merged
    client.force_login(carol)
    response = client.post(split_url(identity), {"reason": " "})
    assert response.status_code == 400 and "a reason is required" in response.content.decode()
    assert not Event.objects.filter(kind="identity.split").exists()


def test_unknown_identities_and_ambassadors(client, carol, bob, merged):
    client.force_login(carol)
    assert client.post(reverse("web:identity-split", args=[999999]), {"reason": "x"}).status_code == 404
    client.force_login(bob)
    assert client.post(split_url(merged[2]), {"reason": "x"}).status_code == 403
    assert not Event.objects.filter(kind="identity.split").exists()
