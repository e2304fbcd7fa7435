"""Served over ASGI (as uvicorn serves it), a page crosses between the event loop and its thread
three times, on a thread (and database connection) kept from the previous request, and every
middleware still does its job: sign-in, CSRF, session expiry, two-factor enrolment, framing
headers."""

import asyncio
import collections
import threading
from unittest import mock
from urllib.parse import urlencode

import asgiref.sync
import pytest
from django.core.signals import request_finished
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.urls import reverse

from tests.asgi_http import asgi_get, asgi_post, asgi_request
from tests.conftest import PASSWORD
from townsquare.events.models import Event
from townsquare.ops.http_handler import RequestThreads
from townsquare.security import sessions

# Requests run in threads of their own, with their own database connections: the rows they read
# must be committed.
pytestmark = pytest.mark.django_db(transaction=True)
CONSOLE = reverse("web:conversations")


@pytest.fixture(scope="module")
def application():
    from townsquare.asgi import application

    return application


def signed_in(user) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}"


def shift_clock(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


def test_a_console_page_crosses_threads_three_times(application, alice):
    _, cookie = signed_in(alice)
    assert asgi_get(application, CONSOLE, cookie=cookie).status == 200
    crossings = collections.Counter()
    to_thread, to_loop = asgiref.sync.SyncToAsync.__call__, asgiref.sync.AsyncToSync.__call__

    async def counted_to_thread(self, *args, **kwargs):
        crossings[self.func.__qualname__] += 1
        return await to_thread(self, *args, **kwargs)

    def counted_to_loop(self, *args, **kwargs):
        crossings[self.awaitable.__qualname__] += 1
        return to_loop(self, *args, **kwargs)

    with (
        mock.patch.object(asgiref.sync.SyncToAsync, "__call__", counted_to_thread),
        mock.patch.object(asgiref.sync.AsyncToSync, "__call__", counted_to_loop),
    ):
        assert asgi_get(application, CONSOLE, cookie=cookie).status == 200
    # request_started, the middleware chain with the view, closing the response (request_finished).
    # Django's own handler made 9: each sync middleware method and the view on its own.
    assert sum(crossings.values()) == 3, crossings


def request_threads(application, requests) -> list[threading.Thread]:
    """The thread each of the requests finished on, in the order they finished."""
    finished_on = []

    def note(**kwargs):
        finished_on.append(threading.current_thread())

    request_finished.connect(note)
    try:
        requests()
    finally:
        request_finished.disconnect(note)
    return finished_on


def test_successive_requests_reuse_one_thread_and_its_database_connection(application, alice):
    _, cookie = signed_in(alice)
    assert asgi_get(application, CONSOLE, cookie=cookie).status == 200
    opened = []

    def note(connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(note)
    try:
        threads = request_threads(
            application, lambda: [asgi_get(application, CONSOLE, cookie=cookie) for _ in range(3)]
        )
    finally:
        connection_created.disconnect(note)
    assert len(threads) == 3 and threads[0] is threads[1] is threads[2]
    assert threads[0] is not threading.current_thread()
    if connection.vendor == "sqlite" or connection.pool is None:
        # Django's handler started a thread per request, and each opened a connection of its own.
        assert opened == []


def test_concurrent_requests_get_threads_of_their_own(application, alice):
    _, cookie = signed_in(alice)

    async def two_at_once():
        await asyncio.gather(*(asgi_request(application, "GET", CONSOLE, cookie=cookie) for _ in range(2)))

    threads = request_threads(application, lambda: asyncio.run(two_at_once()))
    assert len(threads) == 2 and threads[0] is not threads[1]


def test_idle_threads_beyond_the_kept_number_end():
    threads = RequestThreads(keep=1)
    first, second = threads.borrow(), threads.borrow()
    assert first is not second
    assert first.submit(threading.get_ident).result() != second.submit(threading.get_ident).result()
    threads.give_back(first)
    threads.give_back(second)
    assert list(threads.idle) == [first]
    with pytest.raises(RuntimeError):
        second.submit(print)  # shut down
    assert threads.borrow() is first


def test_a_visitor_is_sent_to_sign_in(application, alice):
    response = asgi_get(application, CONSOLE)
    assert response.status == 302 and response["Location"].startswith(reverse("login"))
    # Clickjacking and sniffing headers are set on every response.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_signed_in_page_opens_and_records_activity(application, settings, alice):
    settings.SESSION_IDLE_TIMEOUT = 600
    client, cookie = signed_in(alice)
    shift_clock(client, sessions.LAST_SEEN, 500)
    response = asgi_get(application, CONSOLE, cookie=cookie)
    assert response.status == 200 and b"<html" in response.body
    assert response["X-Frame-Options"] == "DENY"
    assert client.session[sessions.LAST_SEEN] >= client.session[sessions.LOGIN_AT] - 5


def test_a_post_without_the_csrf_token_is_refused(application, alice):
    response = asgi_post(
        application, reverse("login"), urlencode({"username": "alice", "password": PASSWORD}).encode()
    )
    assert response.status == 403
    assert not Event.objects.filter(kind="auth.login").exists()


def test_an_idle_session_is_signed_out(application, settings, alice):
    client, cookie = signed_in(alice)
    shift_clock(client, sessions.LAST_SEEN, settings.SESSION_IDLE_TIMEOUT + 1)
    response = asgi_get(application, CONSOLE, cookie=cookie)
    assert response.status == 302 and response["Location"].startswith(reverse("login"))
    assert Event.objects.get(kind="auth.logout").data["reason"] == "idle"


def test_a_supervisor_who_must_enrol_in_two_factor_login_is_sent_to_enrol(application, settings, carol):
    settings.REQUIRE_2FA = True
    _, cookie = signed_in(carol)
    enrol = reverse("security:two-factor")
    assert asgi_get(application, CONSOLE, cookie=cookie)["Location"] == enrol
    htmx = asgi_get(application, CONSOLE, cookie=cookie, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == enrol
    assert asgi_get(application, enrol, cookie=cookie).status == 200
