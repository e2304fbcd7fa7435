"""/channels/: staff see every channel with its counters; only Grace the admin adds channels and
rotates secrets, and sees a secret once, right after."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.api.signing import message, post_signed
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db
URL = reverse("web:channels")


@pytest.fixture(autouse=True)
def fresh_cache():
    # Signed deliveries below count against the webhook rate limit, kept in the cache.
    cache.clear()
    yield
    cache.clear()


def shown(html: str, testid: str) -> str:
    match = re.search(rf'value="([^"]+)"[^>]*data-testid="{testid}"', html)
    assert match, f"{testid} is not on the page"
    return match.group(1)


def rotate_url(channel: Channel) -> str:
    return reverse("web:rotate-secret", args=[channel.pk])


def test_staff_see_every_channel_with_its_counters(client, carol, twitter, hook):
    Channel.objects.filter(pk=twitter.pk).update(
        messages_stored=1234, messages_duplicate=5, messages_rejected=7
    )
    client.force_login(carol)
    html = client.get(URL).content.decode()
    assert "twitter" in html and "shop-webhook" in html and "Signed webhook" in html
    assert ">1234<" in html and ">5<" in html and ">7<" in html
    # No secret, no form, no rotate button for non-admins.
    assert twitter.secret not in html and hook.secret not in html
    assert "Add a channel" not in html and "Rotate secret" not in html


def test_grace_adds_a_channel_and_sees_its_url_and_secret_once(client, grace):
    client.force_login(grace)
    page = client.get(URL).content.decode()
    assert "Add a channel" in page
    response = client.post(URL, {"name": "shop", "kind": ChannelKind.WEBHOOK})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    channel = Channel.objects.get(name="shop")
    assert shown(html, "secret") == channel.secret
    assert shown(html, "webhook-url") == f"http://testserver/api/v1/channels/{channel.pk}/messages"
    assert Event.objects.filter(kind="channel.created", channel_id=channel.pk, actor_id=grace.pk).exists()
    # The secret signs deliveries right away, and is not shown again.
    assert post_signed(Client(), channel, {"messages": [message(1)]}).status_code == 202
    assert channel.secret not in client.get(URL).content.decode()


def test_grace_rotates_a_secret_and_the_old_one_stops_working(client, grace, hook):
    old = hook.secret
    client.force_login(grace)
    html = client.post(rotate_url(hook)).content.decode()
    hook.refresh_from_db()
    assert hook.secret != old and shown(html, "secret") == hook.secret
    assert Event.objects.filter(kind="channel.secret_rotated", channel_id=hook.pk).exists()
    assert post_signed(Client(), hook, {"messages": [message(1)]}, secret=old).status_code == 401
    assert post_signed(Client(), hook, {"messages": [message(2)]}).status_code == 202


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"name": "twitter", "kind": "webhook"}, "already exists"),
        ({"name": "", "kind": "webhook"}, "This field is required"),
        ({"name": "x" * 101, "kind": "webhook"}, "at most 100 characters"),
        ({"name": "shop", "kind": "carrier-pigeon"}, "not one of the available choices"),
        ({"name": "   ", "kind": "webhook"}, "This field is required"),
    ],
)
def test_bad_input_is_a_400_with_the_reason(client, grace, twitter, data, reason):
    client.force_login(grace)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert list(Channel.objects.values_list("name", flat=True)) == ["twitter"]


@pytest.mark.parametrize("persona", ["alice", "carol", "bob"])
def test_only_an_admin_may_add_or_rotate(client, request, hook, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(URL, {"name": "shop", "kind": "webhook"}).status_code == 403
    assert client.post(rotate_url(hook)).status_code == 403
    assert not Channel.objects.filter(name="shop").exists()
    assert Channel.objects.get(pk=hook.pk).secret == hook.secret


def test_ambassadors_see_only_community_channels(client, bob, twitter):
    Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    client.force_login(bob)
    html = client.get(URL).content.decode()
    assert "forum" in html and "twitter" not in html


@pytest.mark.parametrize("persona", ["farid", "eve"])
def test_roles_without_console_access_get_a_403(client, request, twitter, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 403
    assert "twitter" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, hook):
    for response in (client.get(URL), client.post(rotate_url(hook))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_unknown_channel_is_404_and_rotate_needs_post(client, grace, hook):
    client.force_login(grace)
    assert client.post(reverse("web:rotate-secret", args=[4040])).status_code == 404
    assert client.get(rotate_url(hook)).status_code == 405


def test_the_forms_carry_a_csrf_token(grace, hook):
    client = Client(enforce_csrf_checks=True)
    client.force_login(grace)
    assert "csrfmiddlewaretoken" in client.get(URL).content.decode()
    assert client.post(rotate_url(hook)).status_code == 403
    assert Channel.objects.get(pk=hook.pk).secret == hook.secret
