"""A receiver gets each delivery as signed JSON and can prove it came from Townsquare."""

import json
import time

from django.utils import timezone

from tests.hooks.builders import ingest_conversation
from tests.hooks.receiver import verify
from townsquare.hooks.delivering import send_due
from townsquare.hooks.models import Delivery, DeliveryStatus
from townsquare.hooks.services import create_endpoint, rotate_secret


def test_the_signature_verifies_with_the_endpoint_secret(grace, receiver, twitter):
    endpoint, secret = create_endpoint(grace, receiver.url, ["conversation.created"])
    conversation = ingest_conversation(twitter)

    report = send_due(now=timezone.now())

    assert report.succeeded == 1
    [request] = receiver.requests
    assert request.path == "/hooks/townsquare"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "Townsquare-Webhooks/1"
    assert request.headers["X-Townsquare-Event"] == "conversation.created"
    delivery = Delivery.objects.get()
    assert request.headers["X-Townsquare-Delivery"] == str(delivery.uuid)
    assert verify(secret, request.headers["X-Townsquare-Signature"], request.body, now=time.time())
    assert not verify(
        "whsec_someone-else", request.headers["X-Townsquare-Signature"], request.body, now=time.time()
    )
    tampered = request.body.replace(b'"new"', b'"open"')
    assert not verify(secret, request.headers["X-Townsquare-Signature"], tampered, now=time.time())

    body = json.loads(request.body)
    assert body["id"] == str(delivery.uuid)
    assert body["event"] == "conversation.created"
    assert body["conversation"]["id"] == conversation.pk
    assert body["conversation"]["channel"] == {"id": twitter.pk, "name": "twitter", "kind": "import"}
    # The customer's own words and identity stay inside Townsquare.
    assert "broken" not in request.body.decode() and "dana" not in request.body.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.delivered_at is not None
    assert delivery.next_attempt_at is None


def test_after_rotation_deliveries_are_signed_with_the_new_secret(grace, receiver, twitter):
    endpoint, old_secret = create_endpoint(grace, receiver.url, ["*"])
    new_secret = rotate_secret(grace, endpoint)
    ingest_conversation(twitter)

    send_due(now=timezone.now())

    [request] = receiver.requests
    signature = request.headers["X-Townsquare-Signature"]
    assert verify(new_secret, signature, request.body, now=time.time())
    assert not verify(old_secret, signature, request.body, now=time.time())
