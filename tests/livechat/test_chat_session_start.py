"""The widget starts (or resumes) Dana's chat with POST /livechat/<id>/session; a shop that knows
who Dana is signs her identity with the channel secret, and a verified email comes with it."""

import time

import pytest
from django.test import Client

from tests.livechat.chat_sockets import SHOP, start_session
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.livechat.models import ChatSession
from townsquare.livechat.tokens import identity_signature

pytestmark = pytest.mark.django_db


def post(channel_id: int, body, origin: str | None = SHOP, **extra):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return Client().post(
        f"/livechat/{channel_id}/session", body, content_type="application/json", **headers, **extra
    )


def signed(channel, **identity):
    identity.setdefault("ts", int(time.time()))
    return {"identity": identity, "identity_signature": identity_signature(channel.secret, identity)}


def test_a_new_visitor_gets_a_token_and_the_chat_settings(shop_chat):
    body = start_session(shop_chat)
    session = ChatSession.objects.get()
    assert body["session"] == session.pk.hex
    assert body["resumed"] is False
    assert body["ws_url"] == f"/ws/livechat/{shop_chat.pk}/"
    assert body["agents_online"] is True
    assert body["greeting"] == "Hi! How can we help?"
    assert body["limits"] == {
        "max_text": 4000,
        "max_upload_bytes": 10 * 1024 * 1024,
        "upload_types": [
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "application/pdf",
            "text/plain",
        ],
    }
    assert session.ip_hash and "127.0.0.1" not in session.ip_hash


def test_the_token_resumes_the_same_session(shop_chat):
    first = start_session(shop_chat)
    again = start_session(shop_chat, token=first["token"])
    assert again["session"] == first["session"] and again["resumed"] is True
    assert ChatSession.objects.count() == 1
    assert Event.objects.filter(kind="livechat.session_started").count() == 1


def test_a_tampered_token_starts_a_new_session(shop_chat):
    first = start_session(shop_chat)
    again = start_session(shop_chat, token=first["token"][:-3] + "abc")
    assert again["session"] != first["session"] and again["resumed"] is False


def test_the_channel_settings_shape_the_answer(shop_chat):
    shop_chat.settings = {
        **shop_chat.settings,
        "greeting": "Welcome to the shop",
        "agents_online_mode": "never",
        "max_upload_bytes": 2048,
        "upload_types": ["png", "pdf"],
    }
    shop_chat.save()
    body = start_session(shop_chat)
    assert body["greeting"] == "Welcome to the shop"
    assert body["agents_online"] is False
    assert body["limits"]["max_upload_bytes"] == 2048
    assert body["limits"]["upload_types"] == ["image/png", "application/pdf"]


def test_a_signed_host_identity_names_the_visitor_with_a_verified_email(shop_chat):
    body = start_session(shop_chat, **signed(shop_chat, id="u-77", email="Dana@Example.org", name="Dana"))
    session = ChatSession.objects.get(pk=body["session"])
    assert (session.host_user_id, session.name, session.email, session.email_verified) == (
        "u-77",
        "Dana",
        "dana@example.org",
        True,
    )
    assert session.identity.external_id == "host:u-77"
    assert session.identity.email == "dana@example.org" and session.identity.email_verified
    assert session.identity.customer.display_name == "Dana"
    assert Event.objects.get(kind="livechat.session_started").data["host_identified"] is True


def test_the_same_host_user_keeps_one_identity_across_sessions(shop_chat):
    first = start_session(shop_chat, **signed(shop_chat, id="u-77"))
    second = start_session(shop_chat, **signed(shop_chat, id="u-77"))
    assert first["session"] != second["session"]
    identities = {s.identity_id for s in ChatSession.objects.all()}
    assert len(identities) == 1


def test_another_signed_in_visitor_on_the_same_browser_gets_a_fresh_session(shop_chat):
    first = start_session(shop_chat, **signed(shop_chat, id="u-77"))
    other = start_session(shop_chat, token=first["token"], **signed(shop_chat, id="u-78"))
    assert other["session"] != first["session"]


def test_a_bad_signature_is_refused(shop_chat):
    body = signed(shop_chat, id="u-77", email="dana@example.org")
    body["identity"]["email"] = "ceo@example.org"
    response = post(shop_chat.pk, body)
    assert response.status_code == 403
    assert response.json() == {"error": "identity_signature does not match the identity"}
    assert not ChatSession.objects.exists()


def test_a_missing_signature_is_refused(shop_chat):
    response = post(shop_chat.pk, {"identity": {"id": "u-77", "ts": int(time.time())}})
    assert response.status_code == 403


def test_a_stale_identity_is_refused(shop_chat):
    response = post(shop_chat.pk, signed(shop_chat, id="u-77", ts=int(time.time()) - 25 * 3600))
    assert response.status_code == 403
    assert "24 hours" in response.json()["error"]


def test_an_identity_signed_with_another_secret_is_refused(shop_chat):
    identity = {"id": "u-77", "ts": int(time.time())}
    body = {"identity": identity, "identity_signature": identity_signature("another secret", identity)}
    assert post(shop_chat.pk, body).status_code == 403


def test_unknown_inactive_and_non_chat_channels_are_404(shop_chat):
    email = Channel.objects.create(name="mail", kind=ChannelKind.EMAIL)
    off = Channel.objects.create(name="old chat", kind=ChannelKind.LIVECHAT, is_active=False)
    for channel_id in (shop_chat.pk + 999, email.pk, off.pk):
        assert post(channel_id, {}).status_code == 404


def test_a_page_the_channel_does_not_allow_is_refused(shop_chat):
    response = post(shop_chat.pk, {}, origin="https://evil.example")
    assert response.status_code == 403
    assert not ChatSession.objects.exists()
    # The refused page may read why (the widget shows it instead of retrying), and nothing else.
    assert response["Access-Control-Allow-Origin"] == "https://evil.example"
    assert response.json() == {"error": "this site may not use the channel's chat"}
    preflight = Client().options(f"/livechat/{shop_chat.pk}/session", HTTP_ORIGIN="https://evil.example")
    assert preflight.status_code == 204 and preflight.content == b""


def test_the_allowed_page_gets_cors_headers_and_a_preflight(shop_chat):
    response = post(shop_chat.pk, {})
    assert response["Access-Control-Allow-Origin"] == SHOP
    preflight = Client().options(f"/livechat/{shop_chat.pk}/session", HTTP_ORIGIN=SHOP)
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == SHOP
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight["Access-Control-Allow-Headers"]


def test_bad_bodies_are_400(shop_chat):
    client = Client()
    url = f"/livechat/{shop_chat.pk}/session"
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert client.post(url, "[1]", content_type="application/json").status_code == 400
    assert post(shop_chat.pk, {"identity": "u-77", "identity_signature": "00"}).status_code == 403
    assert client.get(url).status_code == 405


def test_too_many_new_sessions_from_one_address_are_429(shop_chat, settings):
    settings.LIVECHAT_SESSIONS_PER_IP_HOUR = 2
    first = start_session(shop_chat)
    start_session(shop_chat)
    response = post(shop_chat.pk, {})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "too many chat sessions" in response.json()["error"]
    # Resuming is not starting: the token still works.
    assert start_session(shop_chat, token=first["token"])["resumed"] is True
    assert post(shop_chat.pk, {}, REMOTE_ADDR="192.0.2.44").status_code == 200


def test_in_auto_mode_agents_are_online_while_someone_has_the_console_open(shop_chat):
    from townsquare.livechat.presence import mark_agents_seen

    shop_chat.settings = {**shop_chat.settings, "agents_online_mode": "auto"}
    shop_chat.save()
    assert start_session(shop_chat)["agents_online"] is False
    mark_agents_seen()  # what an agent's console socket does
    assert start_session(shop_chat)["agents_online"] is True
