"""Grace manages webhooks through the API; nobody else may, and bad input gets a clear 422."""

import pytest

from tests.hooks.builders import ingest_conversation
from townsquare.events.models import Event
from townsquare.hooks.delivering import send_due
from townsquare.hooks.models import Delivery, Endpoint

API = "/api/v1/webhooks"


@pytest.fixture
def bearer():
    from townsquare.people.tokens import create_token

    def headers_for(user) -> dict:
        return {"Authorization": f"Bearer {create_token(user, 'tests')[1]}"}

    return headers_for


def create(client, headers, **fields):
    body = {"url": "https://crm.example.org/hooks", "kinds": ["conversation.resolved"], **fields}
    return client.post(API, body, content_type="application/json", headers=headers)


def test_grace_creates_lists_updates_and_deletes(client, grace, bearer):
    headers = bearer(grace)
    created = create(client, headers, description="CRM", kinds=["sla.breached", "sla.breached"])
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and body["kinds"] == ["sla.breached"]
    assert body["created_by_id"] == grace.pk
    endpoint_id = body["id"]

    listed = client.get(API, headers=headers).json()
    assert [e["id"] for e in listed] == [endpoint_id]
    assert "secret" not in listed[0]
    assert "secret" not in client.get(f"{API}/{endpoint_id}", headers=headers).json()

    changed = client.patch(
        f"{API}/{endpoint_id}",
        {"is_active": False, "kinds": ["*"]},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 200
    assert changed.json()["is_active"] is False and changed.json()["kinds"] == ["*"]
    assert changed.json()["description"] == "CRM"

    assert client.delete(f"{API}/{endpoint_id}", headers=headers).status_code == 204
    assert not Endpoint.objects.exists()
    kinds = list(Event.objects.filter(kind__startswith="webhook.").values_list("kind", flat=True))
    assert kinds == ["webhook.endpoint_created", "webhook.endpoint_updated", "webhook.endpoint_deleted"]


def test_rotate_secret_returns_a_new_one(client, grace, bearer):
    headers = bearer(grace)
    first = create(client, headers).json()
    rotated = client.post(f"{API}/{first['id']}/rotate-secret", headers=headers)
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != first["secret"]
    assert Endpoint.objects.get().secret == rotated.json()["secret"]


@pytest.mark.parametrize("persona", ["alice", "carol", "bob", "eve", "farid"])
def test_only_an_admin_may_touch_webhooks(client, grace, bearer, request, persona):
    endpoint = Endpoint.objects.create(url="https://crm.example.org/hooks", kinds=["*"], created_by=grace)
    headers = bearer(request.getfixturevalue(persona))
    attempts = [
        client.get(API, headers=headers),
        create(client, headers),
        client.get(f"{API}/{endpoint.pk}", headers=headers),
        client.patch(
            f"{API}/{endpoint.pk}", {"is_active": False}, content_type="application/json", headers=headers
        ),
        client.delete(f"{API}/{endpoint.pk}", headers=headers),
        client.post(f"{API}/{endpoint.pk}/rotate-secret", headers=headers),
        client.post(f"{API}/{endpoint.pk}/test", headers=headers),
        client.get(f"{API}/{endpoint.pk}/deliveries", headers=headers),
        client.post(f"{API}/deliveries/1/redeliver", headers=headers),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    endpoint.refresh_from_db()
    assert endpoint.is_active and Endpoint.objects.count() == 1


def test_anonymous_callers_get_401(client, db):
    assert client.get(API).status_code == 401


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"url": "ftp://crm.example.org/hooks"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://"}, "url"),
        ({"url": "https://crm.example.org:99999/"}, "url"),
        ({"url": "https://crm.example.org/a b"}, "url"),
        ({"url": "https://user:secret@crm.example.org/hooks"}, "url"),
        ({"url": "https://crm.example.org/hooks#top"}, "url"),
        ({"url": "https://crm.example.org/" + "a" * 2000}, "url"),
        ({"url": ""}, "url"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["conversation.deleted"]}, "kinds"),
        ({"kinds": "conversation.created"}, "kinds"),
        ({"description": "x" * 201}, "description"),
        ({"description": "nul \x00 byte"}, "description"),
    ],
)
def test_bad_input_is_422_with_the_reason(client, grace, bearer, fields, field):
    response = create(client, bearer(grace), **fields)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"] and field in body["errors"][0]["loc"]
    assert not Endpoint.objects.exists()


def test_bad_update_is_422_and_changes_nothing(client, grace, bearer):
    headers = bearer(grace)
    endpoint_id = create(client, headers).json()["id"]
    response = client.patch(
        f"{API}/{endpoint_id}", {"url": "gopher://x"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert Endpoint.objects.get().url == "https://crm.example.org/hooks"


def test_unknown_ids_are_404(client, grace, bearer):
    headers = bearer(grace)
    assert client.get(f"{API}/4040", headers=headers).status_code == 404
    assert client.post(f"{API}/deliveries/4040/redeliver", headers=headers).status_code == 404
    assert client.get(f"{API}/0", headers=headers).status_code == 422
    assert client.get(f"{API}/{2**70}", headers=headers).status_code == 422


def test_deliveries_are_paged_with_their_attempts(client, grace, bearer, endpoint, receiver, twitter):
    receiver.script = [500]
    for n in range(3):
        ingest_conversation(twitter, external_id=f"t{n}")
    from django.utils import timezone

    send_due(now=timezone.now())
    headers = bearer(grace)

    first = client.get(f"{API}/{endpoint.pk}/deliveries?limit=2", headers=headers).json()
    second = client.get(
        f"{API}/{endpoint.pk}/deliveries?limit=2&cursor={first['next_cursor']}", headers=headers
    )

    items = first["items"] + second.json()["items"]
    assert second.json()["next_cursor"] is None
    assert [i["id"] for i in items] == sorted(Delivery.objects.values_list("id", flat=True), reverse=True)
    oldest = items[-1]
    assert oldest["status"] == "failed" and oldest["attempts"] == 1
    assert oldest["attempt_log"][0]["status_code"] == 500
    assert oldest["payload"]["event"] == "conversation.created"
    failed = client.get(f"{API}/{endpoint.pk}/deliveries?status=failed", headers=headers).json()["items"]
    assert len(failed) == 1 and failed[0]["id"] == oldest["id"]
    assert (
        client.get(f"{API}/{endpoint.pk}/deliveries?status=succeeded", headers=headers).json()["items"]
        == items[:2]
    )
    bad = client.get(f"{API}/{endpoint.pk}/deliveries?cursor=nonsense", headers=headers)
    assert bad.status_code == 400
    assert client.get(f"{API}/{endpoint.pk}/deliveries?status=lost", headers=headers).status_code == 422


def test_redeliver_sends_the_same_payload_again(client, grace, bearer, endpoint, receiver, twitter):
    from django.utils import timezone

    ingest_conversation(twitter)
    send_due(now=timezone.now())
    original = Delivery.objects.get()

    response = client.post(f"{API}/deliveries/{original.pk}/redeliver", headers=bearer(grace))
    assert response.status_code == 202
    assert response.json()["redelivery_of_id"] == original.pk
    send_due(now=timezone.now())

    first, again = receiver.requests
    assert first.body == again.body  # the payload id repeats: the receiver can dedupe
    assert first.headers["X-Townsquare-Delivery"] != again.headers["X-Townsquare-Delivery"]
    assert Delivery.objects.get(pk=response.json()["id"]).status == "succeeded"


def test_test_ping_reaches_the_receiver_now(client, grace, bearer, endpoint, receiver):
    response = client.post(f"{API}/{endpoint.pk}/test", headers=bearer(grace))

    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "ping" and body["status"] == "succeeded"
    assert body["attempt_log"][0]["status_code"] == 200
    [request] = receiver.requests
    assert request.headers["X-Townsquare-Event"] == "ping"
    ping = client.post(f"{API}/deliveries/{body['id']}/redeliver", headers=bearer(grace))
    assert ping.status_code == 422


def test_a_failed_ping_says_why(client, grace, bearer, endpoint, receiver):
    receiver.script = [404]
    body = client.post(f"{API}/{endpoint.pk}/test", headers=bearer(grace)).json()
    assert body["status"] == "failed" and body["last_error"] == "HTTP 404"
    assert body["next_attempt_at"] is None  # a ping is tried once
