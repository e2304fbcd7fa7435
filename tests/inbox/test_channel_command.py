"""Grace sets up channels from a script: create one, read its secret once, rotate it, list them."""

import io
import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townsquare.events.models import Event
from townsquare.inbox.models import Channel
from townsquare.inbox.webhook import sign

pytestmark = pytest.mark.django_db


def channel_command(*args) -> dict | list:
    out = io.StringIO()
    call_command("channel", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_create_prints_the_secret_that_signs_webhook_calls(client):
    created = channel_command("create", "shop-webhook", "--kind", "webhook")
    channel = Channel.objects.get(name="shop-webhook")
    assert created["id"] == channel.pk and created["secret"] == channel.secret
    assert created["webhook_path"] == f"/api/v1/channels/{channel.pk}/messages"
    body = b'{"messages": [{"id": "m-1", "author": "dana", "text": "hola", "created_at": "2026-11-20T10:00:00Z"}]}'
    stamp = str(int(time.time()))
    answer = client.post(
        created["webhook_path"],
        body,
        content_type="application/json",
        headers={
            "X-Townsquare-Timestamp": stamp,
            "X-Townsquare-Signature": sign(created["secret"], stamp, body),
        },
    )
    assert answer.status_code == 202, answer.content
    event = Event.objects.get(kind="channel.created")
    assert (event.actor_id, event.data["via"]) == (None, "cli")


def test_rotate_secret_replaces_it_and_list_never_shows_it():
    first = channel_command("create", "shop-webhook")
    rotated = channel_command("rotate-secret", "shop-webhook")
    assert rotated["secret"] != first["secret"]
    assert Channel.objects.get(name="shop-webhook").secret == rotated["secret"]
    listed = channel_command("list")
    assert [c["name"] for c in listed] == ["shop-webhook"]
    assert "secret" not in listed[0]
    assert Event.objects.filter(kind="channel.secret_rotated", data__via="cli").count() == 1


def test_bad_input_is_a_clear_error():
    channel_command("create", "shop-webhook")
    with pytest.raises(CommandError, match="already exists"):
        channel_command("create", "shop-webhook")
    with pytest.raises(CommandError, match="no channel named"):
        channel_command("rotate-secret", "nope")
    with pytest.raises(CommandError, match="needs a name"):
        channel_command("create", "  ")
