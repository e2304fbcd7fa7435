"""Grace rotates a webhook channel's secret: the old one stops working at once."""

import pytest

from tests.api.signing import message, post_signed
from townsquare.events.models import Event
from townsquare.inbox.models import Channel


def test_grace_rotates_the_secret(client, grace, hook, bearer):
    old_secret = hook.secret
    response = client.post(f"/api/v1/channels/{hook.pk}/rotate-secret", headers=bearer(grace))
    assert response.status_code == 200
    new_secret = response.json()["secret"]
    assert new_secret != old_secret
    assert Channel.objects.get(pk=hook.pk).secret == new_secret
    assert Event.objects.filter(kind="channel.secret_rotated", channel_id=hook.pk, actor_id=grace.pk).exists()

    assert post_signed(client, hook, {"messages": [message(1)]}, secret=old_secret).status_code == 401
    hook.refresh_from_db()
    assert post_signed(client, hook, {"messages": [message(1)]}).status_code == 202


@pytest.mark.parametrize("user", ["alice", "carol", "farid"])
def test_only_an_admin_may_rotate(client, hook, bearer, request, user):
    response = client.post(
        f"/api/v1/channels/{hook.pk}/rotate-secret", headers=bearer(request.getfixturevalue(user))
    )
    assert response.status_code == 403
    assert Channel.objects.get(pk=hook.pk).secret == hook.secret


def test_unknown_channel_is_404(client, grace, bearer):
    assert client.post("/api/v1/channels/4040/rotate-secret", headers=bearer(grace)).status_code == 404
