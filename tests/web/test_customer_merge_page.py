"""Alice opens Dana's customer page, finds "D. Smith" by his email, merges him in with a reason and
reads the merge in the page's history; she sees which emails are verified. Mistakes get a 400 with
the reason on the page, ambassadors a 403, customers she cannot see a 404."""

import pytest
from django.urls import reverse

from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.care.models import Queue
from townsquare.events.models import Event
from townsquare.people.merging import attach_email, merge_customers

pytestmark = pytest.mark.django_db


def page(customer) -> str:
    return reverse("web:customer", args=[customer.pk])


def merge_url(customer) -> str:
    return reverse("web:customer-merge", args=[customer.pk])


@pytest.fixture
def dana():
    customer, identity = person(chat_channel(), "visitor-7", name="Dana")
    attach_email(identity, "dana@example.org", verified=True)
    conversation_by(identity)
    return customer


@pytest.fixture
def d_smith():
    customer, identity = person(email_channel(), "d.smith@example.org", name="D. Smith", created_minutes=3)
    attach_email(identity, "D.Smith@example.org", verified=False)
    conversation_by(identity)
    return customer


def test_alice_finds_merges_and_reads_the_history(client, alice, dana, d_smith):
    client.force_login(alice)

    found = client.get(page(dana), {"find": "d.smith@EXAMPLE.org"})
    assert found.status_code == 200
    body = found.content.decode()
    assert f'data-customer="{d_smith.pk}"' in body and "D. Smith" in body
    assert f'value="{d_smith.pk}"' in body  # the only match is filled in

    response = client.post(merge_url(dana), {"other": str(d_smith.pk), "reason": "same order number"})
    assert response.status_code == 302 and response["Location"] == page(dana)

    d_smith.refresh_from_db()
    assert d_smith.merged_into == dana
    body = client.get(page(dana)).content.decode()
    assert f"Merged customer {d_smith.pk} into this customer." in body
    assert "d.smith@example.org" in body.lower() and 'data-testid="email-verified"' in body
    history = body[body.index('data-testid="merge-history"') :]
    assert f"customer #{d_smith.pk} merged into this customer" in history
    assert "Alice" in history and "same order number" in history
    assert 'data-testid="split-form"' in body


def test_search_by_handle_or_number_and_nothing_found(client, alice, dana, d_smith):
    client.force_login(alice)
    assert (
        f'data-customer="{d_smith.pk}"' in client.get(page(dana), {"find": f"#{d_smith.pk}"}).content.decode()
    )
    assert (
        f'data-customer="{d_smith.pk}"'
        in client.get(page(dana), {"find": "d.smith@example.org"}).content.decode()
    )
    nothing = client.get(page(dana), {"find": "nobody@example.org"}).content.decode()
    assert 'data-testid="merge-no-candidates"' in nothing
    itself = client.get(page(dana), {"find": str(dana.pk)}).content.decode()
    assert f'data-customer="{dana.pk}"' not in itself
    odd = client.get(page(dana), {"find": "\x00" + "9" * 300})
    assert odd.status_code == 200


def test_a_merged_customer_is_found_as_its_survivor(client, alice, dana, d_smith):
    merge_customers(alice, dana, d_smith, reason="same")
    third, identity = person(email_channel(), "third@example.org", created_minutes=9)
    conversation_by(identity)
    client.force_login(alice)
    body = client.get(page(third), {"find": "d.smith@example.org"}).content.decode()
    assert f'data-customer="{dana.pk}"' in body and f'data-customer="{d_smith.pk}"' not in body


def test_the_merged_customers_page_leads_to_the_survivor(client, alice, grace, dana, d_smith):
    merge_customers(alice, dana, d_smith, reason="same")
    for user in (alice, grace):
        client.force_login(user)
        response = client.get(page(d_smith))
        assert response.status_code == 302 and response["Location"] == page(dana)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"other": "abc", "reason": "x"}, "give the number of the customer"),
        ({"other": "", "reason": "x"}, "give the number of the customer"),
        ({"other": "9" * 30, "reason": "x"}, "give the number of the customer"),
        ({"other": "999999", "reason": "x"}, "customer 999999 not found"),
        ({"other": "SELF", "reason": "x"}, "cannot be merged into itself"),
        ({"other": "OTHER", "reason": "   "}, "a reason is required"),
        ({"other": "OTHER"}, "a reason is required"),
    ],
)
def test_mistakes_are_explained_on_the_page(client, alice, dana, d_smith, form, message):
    form = {
        key: {"SELF": str(dana.pk), "OTHER": str(d_smith.pk)}.get(value, value) for key, value in form.items()
    }
    client.force_login(alice)

    response = client.post(merge_url(dana), form)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'data-testid="merge-error"' in response.content.decode()
    assert not Event.objects.filter(kind="customer.merged").exists()


def test_a_customer_alice_cannot_see_is_not_found(client, alice, dana, d_smith):
    d_smith.conversations.update(queue=Queue.objects.create(name="Billing"))
    client.force_login(alice)

    response = client.post(merge_url(dana), {"other": str(d_smith.pk), "reason": "same"})
    assert response.status_code == 400 and "not found" in response.content.decode()
    assert client.post(merge_url(d_smith), {"other": str(dana.pk), "reason": "same"}).status_code == 404
    assert (
        f'data-customer="{d_smith.pk}"'
        not in client.get(page(dana), {"find": "d.smith@example.org"}).content.decode()
    )
    d_smith.refresh_from_db()
    assert d_smith.merged_into is None


def test_ambassadors_are_refused_and_get_is_not_allowed(client, bob, alice, dana, d_smith):
    client.force_login(bob)
    assert client.post(merge_url(dana), {"other": str(d_smith.pk), "reason": "same"}).status_code == 403
    client.force_login(alice)
    assert client.get(merge_url(dana)).status_code == 405
    d_smith.refresh_from_db()
    assert d_smith.merged_into is None


def test_the_page_shows_verified_and_unverified_emails(client, alice, dana, d_smith):
    merge_customers(alice, dana, d_smith, reason="same")
    client.force_login(alice)
    body = client.get(page(dana)).content.decode()
    assert body.count('data-testid="email-verified"') == 1
    assert "unverified" in body


def test_the_page_costs_the_same_queries_with_a_longer_history(client, alice, carol, dana, d_smith):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client.get(page(dana), {"find": "@twin"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(dana), {"find": "@twin"}).status_code == 200
        return len(captured)

    client.force_login(alice)
    merge_customers(alice, dana, d_smith, reason="same")
    conversation_by(person(chat_channel(), "twin", created_minutes=30)[1])
    few = queries()
    for n in range(6):
        other, identity = person(email_channel(), f"dana{n}@example.org", created_minutes=10 + n)
        conversation_by(identity)
        merge_customers(carol if n % 2 else alice, dana, other, reason=f"same {n}")
        twin, twin_identity = person(email_channel(), f"twin-{n}", created_minutes=20 + n)
        twin_identity.handle = "@twin"
        twin_identity.save()
        conversation_by(twin_identity)  # search results grow too
    body = client.get(page(dana), {"find": "twin"}).content.decode()
    assert body.count('data-testid="merge-history-entry"') == 7
    assert body.count('data-testid="merge-candidate"') == 7
    assert queries() == few
