"""A captured delivery replayed later, or one stamped far in the future, is refused."""

import time

import pytest
from django.test import override_settings

from tests.api.signing import message, post_signed
from townsquare.inbox.models import Message

BODY = {"messages": [message(1)]}


# 10 s past the 300 s window: a slow machine taking a second to send must not make it pass.
@pytest.mark.parametrize("offset", [-310, -3600, 310, 86400])
def test_a_timestamp_outside_the_window_is_refused(client, hook, offset):
    response = post_signed(client, hook, BODY, timestamp=int(time.time()) + offset)
    assert response.status_code == 401
    assert "replayed or stale" in response.json()["detail"]
    assert not Message.objects.exists()


@pytest.mark.parametrize("offset", [-290, 0, 290])
def test_a_timestamp_inside_the_window_is_accepted(client, hook, offset):
    assert post_signed(client, hook, BODY, timestamp=int(time.time()) + offset).status_code == 202


@override_settings(WEBHOOK_MAX_SKEW_SECONDS=10)
def test_the_window_comes_from_settings(client, hook):
    response = post_signed(client, hook, BODY, timestamp=int(time.time()) - 60)
    assert response.status_code == 401


def test_re_signing_an_old_body_with_a_new_timestamp_needs_the_secret(client, hook):
    old = int(time.time()) - 3600
    captured = post_signed(client, hook, BODY, timestamp=old)
    assert captured.status_code == 401
    # An attacker can change the timestamp header but not the signature that covers it.
    from tests.api.signing import sign

    response = client.post(
        f"/api/v1/channels/{hook.pk}/messages",
        b'{"messages": []}',
        content_type="application/json",
        headers={
            "X-Townsquare-Timestamp": str(int(time.time())),
            "X-Townsquare-Signature": sign(hook.secret, old, b'{"messages": []}'),
        },
    )
    assert response.status_code == 401
