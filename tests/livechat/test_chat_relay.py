"""On the embedded default (in-memory layer, one web process) a task worker's publishes never reach
the web process: its relay tails the event log and brings delivered replies and failures to the
sockets, once, without repeating what the web process published itself."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from tests.livechat.chat_sockets import ChatSocket, Listener, run, start_session
from townsquare.events.log import record
from townsquare.inbox.ingest.normalized import InboundMessage
from townsquare.inbox.ingest.store import store_messages
from townsquare.inbox.models import Message
from townsquare.realtime.publish import CONSOLE_GROUP
from townsquare.replies.models import Reply, ReplyStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def relay_on(settings):
    settings.LIVECHAT_RELAY = True
    settings.CHANNEL_LAYER = "memory"


def stored_by_a_worker(channel, conversation_id: int, text: str) -> int:
    """What a worker process's delivery does, minus its publish (which only its own process hears)."""
    parent = Message.objects.filter(conversation_id=conversation_id).order_by("-id").first()
    result = store_messages(
        channel,
        [
            InboundMessage(
                external_id=f"worker-{text}",
                author_id="brand",
                text=text,
                created_at=timezone.now(),
                direction="out",
                parent_external_id=parent.external_id,
            )
        ],
        source="reply",
    )
    return result.outcomes[0][2]


def failed_by_a_worker(conversation_id: int, author) -> int:
    reply = Reply.objects.create(
        conversation_id=conversation_id,
        author=author,
        text="x",
        status=ReplyStatus.FAILED,
        error="SMTP said no",
    )
    record(
        "reply.failed", conversation_id=conversation_id, data={"reply_id": reply.pk, "error": "SMTP said no"}
    )
    return reply.pk


def test_the_relay_brings_another_processs_reply_and_failure_once(shop_chat, alice):
    token = start_session(shop_chat)["token"]

    async def scenario():
        async with Listener(CONSOLE_GROUP) as console:
            socket = ChatSocket(shop_chat.pk, token)
            await socket.open()
            await socket.hello()
            ack = await socket.say("Hello?", "c-1")
            own = await console.receive_type("console.message")
            conversation_id = await database_sync_to_async(
                lambda: Message.objects.get(pk=ack["id"]).conversation_id
            )()
            reply_id = await database_sync_to_async(stored_by_a_worker)(
                shop_chat, conversation_id, "from-the-worker"
            )
            live = await socket.receive(timeout=3)
            relayed = await console.receive_type("console.message", timeout=3)
            failed_id = await database_sync_to_async(failed_by_a_worker)(conversation_id, alice)
            failure = await console.receive_type("console.reply_failed", timeout=3)
            quiet_socket = await socket.silent(0.6)
            try:
                extra = await console.receive(timeout=0.6)
            except TimeoutError:
                extra = None
            await socket.close()
            return ack, own, reply_id, live, relayed, failed_id, failure, quiet_socket, extra

    ack, own, reply_id, live, relayed, failed_id, failure, quiet_socket, extra = run(scenario)
    assert own["message"] == ack["id"]
    assert live["id"] == reply_id and live["text"] == "from-the-worker" and live["direction"] == "out"
    assert relayed["message"] == reply_id and relayed["client_id"] is None
    assert failure == {
        "type": "console.reply_failed",
        "conversation": relayed["conversation"],
        "reply": failed_id,
        "error": "SMTP said no",
    }
    assert quiet_socket, "the relayed reply reaches the socket once"
    assert extra is None, "nothing is announced twice"


def test_a_process_serving_only_console_sockets_relays_too(shop_chat):
    from townsquare.realtime.publish import remember_server_loop

    token = start_session(shop_chat)["token"]

    async def scenario():
        socket = ChatSocket(shop_chat.pk, token)
        await socket.open()
        await socket.hello()
        ack = await socket.say("Hello?", "c-1")
        await socket.close()
        conversation_id = await database_sync_to_async(
            lambda: Message.objects.get(pk=ack["id"]).conversation_id
        )()
        from townsquare.realtime import relay

        relay.stop()
        async with Listener(CONSOLE_GROUP) as console:
            remember_server_loop()  # what a console socket's connect does
            await asyncio.sleep(0.5)  # the relay's first read sets where it starts
            reply_id = await database_sync_to_async(stored_by_a_worker)(
                shop_chat, conversation_id, "from-the-worker"
            )
            relayed = await console.receive_type("console.message", timeout=3)
        return reply_id, relayed

    reply_id, relayed = run(scenario)
    assert relayed["message"] == reply_id


def test_the_relay_reads_on_one_thread_of_its_own_and_closes_its_connection_when_stopped():
    """Five reads a second from a pool's threads left a database connection open in each."""
    import threading

    from django.db import connections

    from townsquare.realtime.relay import Relay

    relay = Relay()
    seen: set[str] = set()
    original = relay.tick

    def tick():
        seen.add(threading.current_thread().name)
        original()

    relay.tick = tick
    closed: list[bool] = []
    close = relay.close

    def close_and_note():
        close()
        closed.append(connections["default"].connection is None)

    relay.close = close_and_note

    async def run_for_a_second():
        task = asyncio.ensure_future(relay.run())
        await asyncio.sleep(1.0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(run_for_a_second())
    relay.thread.shutdown(wait=True)
    assert len(seen) == 1 and next(iter(seen)).startswith("live-relay")
    assert len(closed) == 1
    if connections["default"].vendor == "postgresql":  # Django keeps in-memory SQLite test databases open
        assert closed == [True]
