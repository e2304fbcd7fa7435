"""Grace sets up a webhook in the console, sees its secret once, tests it and reads the delivery log."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.hooks.builders import ingest_conversation
from townsquare.hooks.delivering import send_due
from townsquare.hooks.models import Delivery, Endpoint


def test_grace_adds_a_webhook_and_sees_the_secret_once(client, grace, receiver):
    client.force_login(grace)
    page = client.get(reverse("web:webhooks"))
    assert page.status_code == 200
    assert b'href="/webhooks/"' in page.content  # the nav link, for admins

    created = client.post(
        reverse("web:webhooks"),
        {
            "url": receiver.url,
            "description": "CRM",
            "kinds": ["conversation.created", "sla.breached"],
            "is_active": "on",
        },
    )

    assert created.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.kinds == ["conversation.created", "sla.breached"] and endpoint.created_by == grace
    assert endpoint.secret.encode() in created.content
    assert created["Cache-Control"] == "no-store"
    assert endpoint.secret.encode() not in client.get(reverse("web:webhooks")).content
    assert endpoint.secret.encode() not in client.get(reverse("web:webhook", args=[endpoint.pk])).content


def test_bad_url_is_explained(client, grace):
    client.force_login(grace)
    response = client.post(reverse("web:webhooks"), {"url": "ftp://example.org", "kinds": ["*"]})
    assert response.status_code == 400
    assert b"must start with http:// or https://" in response.content
    assert not Endpoint.objects.exists()


def test_the_delivery_log_shows_attempts_and_status(client, grace, endpoint, receiver, twitter):
    receiver.script = [500]
    ingest_conversation(twitter)
    send_due(now=timezone.now())
    client.force_login(grace)

    page = client.get(reverse("web:webhook", args=[endpoint.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "conversation.created" in html and "HTTP 500" in html and "Failed" in html
    assert "next try" in html


def test_grace_tests_rotates_redelivers_and_deletes(client, grace, endpoint, receiver, twitter):
    ingest_conversation(twitter)
    send_due(now=timezone.now())
    client.force_login(grace)

    tested = client.post(reverse("web:webhook-test", args=[endpoint.pk]), follow=True)
    assert b"Test ping delivered: HTTP 200" in tested.content
    rotated = client.post(reverse("web:webhook-rotate-secret", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret.encode() in rotated.content
    delivery = Delivery.objects.filter(kind="conversation.created").get()
    client.post(reverse("web:webhook-redeliver", args=[delivery.pk]))
    assert Delivery.objects.filter(redelivery_of=delivery).count() == 1
    saved = client.post(
        reverse("web:webhook", args=[endpoint.pk]),
        {"url": receiver.url, "kinds": ["*"], "description": "off"},
    )
    assert saved.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active is False and endpoint.description == "off"

    client.post(reverse("web:webhook-delete", args=[endpoint.pk]))
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "carol", "bob"])
def test_other_roles_get_403_and_no_link(client, endpoint, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("web:webhooks")).status_code == 403
    assert client.get(reverse("web:webhook", args=[endpoint.pk])).status_code == 403
    assert client.post(reverse("web:webhook-delete", args=[endpoint.pk])).status_code == 403
    assert Endpoint.objects.exists()
    assert b'href="/webhooks/"' not in client.get(reverse("web:tokens")).content


def test_the_log_page_costs_the_same_queries_however_many_deliveries(
    client, grace, endpoint, receiver, twitter
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    receiver.default = 500
    client.force_login(grace)
    url = reverse("web:webhook", args=[endpoint.pk])

    def queries_with(conversations: int) -> int:
        for n in range(conversations):
            ingest_conversation(twitter, external_id=f"q{conversations}-{n}")
        send_due(now=timezone.now())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_with(2) == queries_with(12)
