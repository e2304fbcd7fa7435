"""Deliveries to unknown or inactive channels, and too many deliveries, are refused clearly."""

from django.test import override_settings

from tests.api.signing import message, post_signed
from townsquare.inbox.models import Channel, Message, new_channel_secret

BODY = {"messages": [message(1)]}


def test_unknown_channel_is_404(client, db):
    ghost = Channel(pk=987654)
    assert post_signed(client, ghost, BODY).status_code == 404


def test_inactive_channel_is_409_with_a_message(client, hook):
    Channel.objects.filter(pk=hook.pk).update(is_active=False)
    response = post_signed(client, hook, BODY)
    assert response.status_code == 409
    assert "inactive" in response.json()["detail"]
    assert not Message.objects.exists()


@override_settings(WEBHOOK_RATE_LIMIT=3, WEBHOOK_RATE_WINDOW_SECONDS=60)
def test_too_many_deliveries_in_a_minute_get_429_with_retry_after(client, hook):
    statuses = [post_signed(client, hook, {"messages": [message(n)]}).status_code for n in range(3)]
    assert statuses == [202, 202, 202]
    response = post_signed(client, hook, {"messages": [message(9)]})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert not Message.objects.filter(external_id="m-9").exists()


@override_settings(WEBHOOK_RATE_LIMIT=1)
def test_the_limit_is_per_channel_and_unsigned_requests_do_not_use_it(client, hook):
    other = Channel.objects.create(name="other-hook", kind="webhook")
    for _ in range(5):
        assert post_signed(client, hook, BODY, secret=new_channel_secret()).status_code == 401
    assert post_signed(client, hook, BODY).status_code == 202
    assert post_signed(client, other, BODY).status_code == 202
    assert post_signed(client, hook, BODY).status_code == 429
