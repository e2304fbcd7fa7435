"""Only signed-in staff with the console keep a console socket; a sign-in that ends closes it."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.contrib.sessions.backends.db import SessionStore

from tests.realtime.console_sockets import console_socket, message_event, run, session_cookie
from townsquare.realtime import console
from townsquare.security import sessions

pytestmark = pytest.mark.django_db(transaction=True)


def connect_result(cookie=None, origin=b"http://testserver"):
    async def scenario():
        socket = console_socket(cookie, origin)
        connected, code = await socket.connect()
        await socket.disconnect()
        return connected, code

    return run(scenario)


def test_a_visitor_who_is_not_signed_in_is_refused_with_4401():
    assert connect_result() == (False, 4401)


def test_a_forged_session_cookie_is_refused_with_4401():
    assert connect_result("not-a-session") == (False, 4401)


def test_a_customer_and_a_moderator_are_refused_with_4403(farid, eve):
    assert connect_result(session_cookie(farid)) == (False, 4403)
    assert connect_result(session_cookie(eve)) == (False, 4403)


def test_alice_the_agent_and_bob_the_ambassador_may_open_it(alice, bob):
    assert connect_result(session_cookie(alice))[0] is True
    assert connect_result(session_cookie(bob))[0] is True


def test_a_page_on_another_site_cannot_open_alices_socket(alice):
    connected, _ = connect_result(session_cookie(alice), origin=b"https://evil.example")
    assert connected is False


def test_a_session_past_its_age_is_refused(alice, settings):
    cookie = session_cookie(alice)
    store = SessionStore(cookie)
    store[sessions.LOGIN_AT] -= settings.SESSION_MAX_AGE + 1
    store.save()
    assert connect_result(cookie) == (False, 4401)


def test_signing_out_closes_an_open_socket_at_the_next_event(alice, devices_chat, monkeypatch):
    monkeypatch.setattr(console, "SESSION_CHECK_SECONDS", 0)
    cookie = session_cookie(alice)

    async def scenario():
        socket = console_socket(cookie)
        assert (await socket.connect())[0]
        await get_channel_layer().group_send("console", message_event(devices_chat.pk, 10))
        first = await socket.receive_json_from(timeout=3)
        await sync_to_async(SessionStore(cookie).delete)()
        await get_channel_layer().group_send("console", message_event(devices_chat.pk, 11))
        closed = await socket.receive_output(timeout=3)
        await socket.disconnect()
        return first, closed

    first, closed = run(scenario)
    assert first["message"] == 10
    assert closed == {"type": "websocket.close", "code": 4401}


def test_an_agent_turned_customer_is_closed_with_4403(alice, devices_chat, monkeypatch):
    monkeypatch.setattr(console, "SESSION_CHECK_SECONDS", 0)
    cookie = session_cookie(alice)

    async def scenario():
        socket = console_socket(cookie)
        assert (await socket.connect())[0]
        await sync_to_async(type(alice).objects.filter(pk=alice.pk).update)(role="customer")
        await socket.send_json_to({"type": "ping"})
        closed = await socket.receive_output(timeout=3)
        await socket.disconnect()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": 4403}


def test_an_agent_opening_the_console_tells_chat_visitors_someone_is_there(alice, bob):
    from django.core.cache import cache

    from townsquare.livechat.presence import AGENTS_SEEN_KEY

    cache.delete(AGENTS_SEEN_KEY)
    assert connect_result(session_cookie(bob))[0] is True
    assert cache.get(AGENTS_SEEN_KEY) is None  # an ambassador does not answer chats
    assert connect_result(session_cookie(alice))[0] is True
    assert cache.get(AGENTS_SEEN_KEY) is not None


def test_the_server_routes_ws_console_to_the_console_socket(alice):
    from tests.realtime.console_sockets import ORIGIN, WebsocketCommunicator
    from townsquare.asgi import application

    cookie = session_cookie(alice)

    async def scenario():
        headers = [(b"origin", ORIGIN), (b"host", b"testserver"), (b"cookie", f"sessionid={cookie}".encode())]
        socket = WebsocketCommunicator(application, "/ws/console/", headers=headers)
        connected, _ = await socket.connect()
        await socket.send_json_to({"type": "ping"})
        pong = await socket.receive_json_from()
        await socket.disconnect()
        return connected, pong

    assert run(scenario) == (True, {"type": "pong"})
