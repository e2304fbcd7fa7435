"""Grace switches a channel off and on, and downloads the raw bytes of email the channel rejected;
staff see the rejected list with its reasons, only admins download."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.signing import message, post_signed
from townsquare.connectors.models import RejectedInbound
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db
BROKEN_MIME = b"From: dana@example.com\r\nContent-Type: multipart/mixed\r\n\r\nno boundary here\r\n"


@pytest.fixture
def mailbox(db):
    channel = Channel.objects.create(
        name="support-mail", kind=ChannelKind.EMAIL, settings={"address": "help@example.com"}
    )
    RejectedInbound.objects.create(
        channel=channel,
        reason="multipart message without a boundary",
        summary="from dana@example.com: Broken",
        raw=BROKEN_MIME,
        size=len(BROKEN_MIME),
        sha256=hashlib.sha256(BROKEN_MIME).hexdigest(),
    )
    return channel


def switch(client, channel, active: str):
    return client.post(reverse("web:channel-switch", args=[channel.pk]), {"active": active})


def test_grace_switches_a_channel_off_and_it_takes_no_input(client, grace, hook):
    client.force_login(grace)
    html = switch(client, hook, "off").content.decode()
    assert "Channel switched off." in html and 'data-testid="channel-inactive"' in html
    assert not Channel.objects.get(pk=hook.pk).is_active
    assert Event.objects.filter(kind="channel.disabled", channel_id=hook.pk, actor_id=grace.pk).exists()
    hook.refresh_from_db()
    assert post_signed(Client(), hook, {"messages": [message(1)]}).status_code != 202
    switch(client, hook, "on")
    assert Channel.objects.get(pk=hook.pk).is_active
    assert Event.objects.filter(kind="channel.enabled", channel_id=hook.pk).count() == 1
    assert post_signed(Client(), hook, {"messages": [message(2)]}).status_code == 202


def test_switching_to_the_same_state_writes_no_event(client, grace, hook):
    client.force_login(grace)
    assert switch(client, hook, "on").status_code == 200
    assert not Event.objects.filter(kind__in=["channel.enabled", "channel.disabled"]).exists()


@pytest.mark.parametrize("value", ["", "maybe", "ON"])
def test_a_bad_switch_value_is_a_400(client, grace, hook, value):
    client.force_login(grace)
    assert switch(client, hook, value).status_code == 400
    assert Channel.objects.get(pk=hook.pk).is_active


def test_staff_see_the_address_and_what_was_rejected_with_the_reason(client, alice, mailbox):
    client.force_login(alice)
    html = client.get(reverse("web:channel", args=[mailbox.pk])).content.decode()
    assert 'data-testid="email-address">help@example.com<' in html
    assert "multipart message without a boundary" in html and "from dana@example.com: Broken" in html
    assert "Download raw" not in html


def test_grace_downloads_the_raw_bytes_as_an_attachment(client, grace, mailbox):
    rejected = RejectedInbound.objects.get(channel=mailbox)
    raw_url = reverse("web:channel-rejected-raw", args=[mailbox.pk, rejected.pk])
    client.force_login(grace)
    assert raw_url in client.get(reverse("web:channel", args=[mailbox.pk])).content.decode()
    response = client.get(raw_url)
    assert response.status_code == 200
    assert response.content == BROKEN_MIME
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="rejected-{rejected.pk}.eml"'


@pytest.mark.parametrize("persona", ["alice", "carol", "bob"])
def test_only_admins_download(client, request, mailbox, persona):
    rejected = RejectedInbound.objects.get(channel=mailbox)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("web:channel-rejected-raw", args=[mailbox.pk, rejected.pk])).status_code == 403


def test_rejected_input_of_another_channel_is_a_404(client, grace, mailbox, hook):
    rejected = RejectedInbound.objects.get(channel=mailbox)
    client.force_login(grace)
    assert client.get(reverse("web:channel-rejected-raw", args=[hook.pk, rejected.pk])).status_code == 404
    assert client.get(reverse("web:channel-rejected-raw", args=[mailbox.pk, 4040])).status_code == 404


def test_an_email_channel_with_nothing_rejected_says_so(client, grace):
    channel = Channel.objects.create(name="quiet-mail", kind=ChannelKind.EMAIL)
    client.force_login(grace)
    assert "Nothing rejected." in client.get(reverse("web:channel", args=[channel.pk])).content.decode()


def test_switching_and_downloading_need_the_right_method(client, grace, mailbox):
    rejected = RejectedInbound.objects.get(channel=mailbox)
    client.force_login(grace)
    assert client.get(reverse("web:channel-switch", args=[mailbox.pk])).status_code == 405
    assert client.post(reverse("web:channel-rejected-raw", args=[mailbox.pk, rejected.pk])).status_code == 405
    assert client.post(reverse("web:channel-switch", args=[4040]), {"active": "off"}).status_code == 404
