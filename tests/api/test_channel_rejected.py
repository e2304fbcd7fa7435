"""GET /api/v1/channels/{id}/rejected (paged, newest first) and .../rejected/{rid}/raw: Grace reads
what an email channel could not parse, and downloads it byte for byte."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from townsquare.connectors.models import RejectedInbound
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(db):
    channel = Channel.objects.create(name="support-mail", kind=ChannelKind.EMAIL)
    now = timezone.now()
    for number in range(5):
        raw = f"Subject: broken {number}\r\n\r\n\xff".encode("latin-1")
        RejectedInbound.objects.create(
            channel=channel,
            received_at=now - timedelta(minutes=number),
            reason=f"undecodable body {number}",
            raw=raw,
            size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
        )
    return channel


def test_grace_pages_through_rejected_input_newest_first(client, grace, bearer, mailbox):
    url = f"/api/v1/channels/{mailbox.pk}/rejected"
    first = client.get(url, {"limit": 3}, headers=bearer(grace)).json()
    assert [row["reason"] for row in first["items"]] == [f"undecodable body {n}" for n in range(3)]
    assert "raw" not in first["items"][0] and first["items"][0]["size"] > 0
    rest = client.get(url, {"limit": 3, "cursor": first["next_cursor"]}, headers=bearer(grace)).json()
    assert [row["reason"] for row in rest["items"]] == ["undecodable body 3", "undecodable body 4"]
    assert rest["next_cursor"] is None


def test_grace_downloads_the_raw_bytes(client, grace, bearer, mailbox):
    rejected = RejectedInbound.objects.filter(channel=mailbox).first()
    response = client.get(f"/api/v1/channels/{mailbox.pk}/rejected/{rejected.pk}/raw", headers=bearer(grace))
    assert response.status_code == 200
    assert response.content == bytes(rejected.raw)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"


def test_bad_cursors_and_limits_are_refused(client, grace, bearer, mailbox):
    url = f"/api/v1/channels/{mailbox.pk}/rejected"
    assert client.get(url, {"cursor": "nonsense"}, headers=bearer(grace)).status_code == 400
    assert client.get(url, {"limit": 0}, headers=bearer(grace)).status_code == 422
    assert client.get(url, {"limit": 201}, headers=bearer(grace)).status_code == 422


@pytest.mark.parametrize("persona", ["alice", "carol", "bob", "farid"])
def test_only_admins_read_rejected_input(client, request, bearer, mailbox, persona):
    rejected = RejectedInbound.objects.filter(channel=mailbox).first()
    headers = bearer(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/channels/{mailbox.pk}/rejected", headers=headers).status_code == 403
    assert (
        client.get(f"/api/v1/channels/{mailbox.pk}/rejected/{rejected.pk}/raw", headers=headers).status_code
        == 403
    )


def test_unknown_ids_are_404(client, grace, bearer, mailbox, hook):
    rejected = RejectedInbound.objects.filter(channel=mailbox).first()
    headers = bearer(grace)
    assert client.get("/api/v1/channels/4040/rejected", headers=headers).status_code == 404
    assert (
        client.get(f"/api/v1/channels/{hook.pk}/rejected/{rejected.pk}/raw", headers=headers).status_code
        == 404
    )
    assert client.get(f"/api/v1/channels/{mailbox.pk}/rejected/4040/raw", headers=headers).status_code == 404
