"""Sockets that may not chat are closed with a code the widget explains: a bad or expired token
(4401), a page the channel does not allow or a switched-off channel (4403), no such chat (4404)."""

import pytest
from django.core import signing

from tests.livechat.chat_sockets import ChatSocket, run, start_session
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.livechat.tokens import SESSION_SALT

pytestmark = pytest.mark.django_db(transaction=True)


def opened(channel_id: int, token: str, **options) -> int | None:
    async def scenario():
        socket = ChatSocket(channel_id, token, **options)
        code = await socket.open()
        if code is None:
            await socket.close()
        return code

    return run(scenario)


def test_a_valid_token_from_the_shop_opens_the_chat(shop_chat):
    assert opened(shop_chat.pk, start_session(shop_chat)["token"]) is None


def test_a_missing_token_is_refused(shop_chat):
    assert opened(shop_chat.pk, "") == 4401


def test_a_tampered_token_is_refused(shop_chat):
    token = start_session(shop_chat)["token"]
    value, _, signature = token.rpartition(":")
    assert opened(shop_chat.pk, f"{value}:{signature[:-2]}xx") == 4401


def test_a_token_forged_without_the_key_is_refused(shop_chat):
    session = start_session(shop_chat)["session"]
    forged = signing.dumps({"s": session, "c": shop_chat.pk}, key="not-our-key", salt=SESSION_SALT)
    assert opened(shop_chat.pk, forged) == 4401


def test_an_expired_token_is_refused(shop_chat, monkeypatch):
    token = start_session(shop_chat)["token"]
    monkeypatch.setattr("townsquare.livechat.tokens.SESSION_MAX_AGE_SECONDS", -1)
    assert opened(shop_chat.pk, token) == 4401


def test_another_channels_token_is_refused(shop_chat):
    other = Channel.objects.create(name="other chat", kind=ChannelKind.LIVECHAT)
    token = start_session(other, origin=None)["token"]
    assert opened(shop_chat.pk, token) == 4401


def test_a_page_the_channel_does_not_allow_is_refused(shop_chat):
    token = start_session(shop_chat)["token"]
    assert opened(shop_chat.pk, token, origin="https://evil.example") == 4403


def test_townsquare_itself_and_listed_origins_are_allowed(shop_chat):
    token = start_session(shop_chat)["token"]
    assert opened(shop_chat.pk, token, origin="http://testserver") is None
    shop_chat.settings = {"allowed_origins": ["*"]}
    shop_chat.save()
    assert opened(shop_chat.pk, token, origin="https://anywhere.example") is None


def test_a_switched_off_channel_is_refused(shop_chat):
    token = start_session(shop_chat)["token"]
    Channel.objects.filter(pk=shop_chat.pk).update(is_active=False)
    assert opened(shop_chat.pk, token) == 4403


def test_an_unknown_channel_is_refused(shop_chat):
    token = start_session(shop_chat)["token"]
    assert opened(shop_chat.pk + 999, token) == 4404


def test_a_channel_that_is_not_a_chat_is_refused(db):
    email = Channel.objects.create(name="support mail", kind=ChannelKind.EMAIL)
    assert opened(email.pk, "anything") == 4404


def test_too_many_sockets_from_one_address_are_refused(shop_chat, settings):
    settings.LIVECHAT_SOCKETS_PER_IP = 2
    token = start_session(shop_chat)["token"]

    async def scenario():
        sockets = [ChatSocket(shop_chat.pk, token, address="203.0.113.9") for _ in range(3)]
        codes = [await s.open() for s in sockets]
        elsewhere = ChatSocket(shop_chat.pk, token, address="203.0.113.10")
        codes.append(await elsewhere.open())
        await sockets[0].close()
        again = ChatSocket(shop_chat.pk, token, address="203.0.113.9")
        codes.append(await again.open())
        for s in (sockets[1], elsewhere, again):
            await s.close()
        return codes

    assert run(scenario) == [None, None, 4429, None, None]
