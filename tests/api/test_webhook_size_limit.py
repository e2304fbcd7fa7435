"""Oversize deliveries are refused with 413 before they are parsed."""

import json

from django.test import override_settings

from tests.api.signing import message, post_signed
from townsquare.inbox.models import Message


@override_settings(WEBHOOK_MAX_BODY_BYTES=2000)
def test_a_body_over_the_limit_is_413(client, hook):
    body = {"messages": [message(1, text="x" * 3000)]}
    response = post_signed(client, hook, body)
    assert response.status_code == 413
    assert "2000 bytes" in response.json()["detail"]
    assert not Message.objects.exists()


@override_settings(WEBHOOK_MAX_BODY_BYTES=2000)
def test_a_body_just_under_the_limit_is_accepted(client, hook):
    body = {"messages": [message(1, text="")]}
    raw = json.dumps(body).encode()
    body["messages"][0]["text"] = "x" * (2000 - len(raw))
    assert len(json.dumps(body).encode()) == 2000
    assert post_signed(client, hook, body).status_code == 202


@override_settings(WEBHOOK_MAX_BODY_BYTES=2000)
def test_content_length_is_checked_before_the_body_is_read(client, hook):
    response = post_signed(client, hook, {"messages": [message(1)]}, CONTENT_LENGTH="999999")
    assert response.status_code == 413


def test_a_content_length_that_is_not_a_number_is_400(client, hook):
    response = post_signed(client, hook, {"messages": [message(1)]}, CONTENT_LENGTH="12abc")
    assert response.status_code == 400
