"""A sender delivers messages to a webhook channel; only a correct signature gets them stored."""

import json
import time

import pytest

from tests.api.signing import message, post_signed
from townsquare.inbox.models import Message, new_channel_secret
from townsquare.inbox.webhook import SignatureError, sign, verify

BODY = {"messages": [message(1)]}


def test_sign_is_hmac_sha256_of_timestamp_dot_body():
    # A fixed vector, so senders in other languages can check their implementation against it.
    assert sign("s3cret", 1763633700, b'{"messages":[]}') == (
        "sha256=6c04f16ea157364f1ea435f0bfc0e07e81016f5f45f013484225a02e349132bd"
    )


@pytest.mark.parametrize(
    ("timestamp", "signature", "reason"),
    [
        (None, "sha256=00", "missing X-Townsquare-Timestamp"),
        ("1000", None, "missing X-Townsquare-Signature"),
        ("10.5", "sha256=00", "unix time"),
        ("+1000", "sha256=00", "unix time"),
        ("1000", "md5=00", "sha256="),
        ("1000", "sha256=00", "does not match"),
        ("1000", "sha256=ünïcode", "does not match"),
    ],
)
def test_verify_says_what_is_wrong(timestamp, signature, reason):
    with pytest.raises(SignatureError, match=reason):
        verify("secret", timestamp, signature, b"{}", now=1000, max_skew=300)


def test_verify_accepts_the_right_signature():
    body = b'{"messages": []}'
    verify("secret", "1000", sign("secret", 1000, body), body, now=1100, max_skew=300)


def test_a_signed_delivery_is_stored(client, hook):
    response = post_signed(client, hook, BODY)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["stored"] == 1
    assert body["messages"] == [
        {"id": "m-1", "status": "stored", "message_id": Message.objects.get(external_id="m-1").pk}
    ]


def test_missing_signature_is_401_and_nothing_is_stored(client, hook):
    response = client.post(f"/api/v1/channels/{hook.pk}/messages", BODY, content_type="application/json")
    assert response.status_code == 401
    assert "missing" in response.json()["detail"]
    assert not Message.objects.exists()


def test_signature_with_another_secret_is_401(client, hook):
    response = post_signed(client, hook, BODY, secret=new_channel_secret())
    assert response.status_code == 401
    assert "does not match" in response.json()["detail"]
    assert not Message.objects.exists()


def test_a_body_changed_after_signing_is_401(client, hook):
    stamp = str(int(time.time()))
    signed = json.dumps(BODY).encode()
    tampered = json.dumps({"messages": [message(1, text="send me a refund")]}).encode()
    response = client.post(
        f"/api/v1/channels/{hook.pk}/messages",
        tampered,
        content_type="application/json",
        headers={
            "X-Townsquare-Timestamp": stamp,
            "X-Townsquare-Signature": sign(hook.secret, stamp, signed),
        },
    )
    assert response.status_code == 401
    assert not Message.objects.exists()


def test_a_token_is_no_substitute_for_a_signature(client, hook, grace, bearer):
    response = client.post(
        f"/api/v1/channels/{hook.pk}/messages", BODY, content_type="application/json", headers=bearer(grace)
    )
    assert response.status_code == 401


def test_no_csrf_token_needed_even_with_a_session_cookie(hook, grace):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(grace)
    assert post_signed(browser, hook, BODY).status_code == 202
