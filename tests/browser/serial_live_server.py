"""The browser tests' live server answers one request at a time.

Tests run on an in-memory SQLite database, so the live server's request threads share the test's
one connection. Live-update polls, "who is typing" posts and a page's own requests then overlap
on it and interleave their transactions ("bad parameter or other API misuse", a session read as
empty so the user seems signed out). Serializing requests keeps the threaded server (keep-alive
connections still work) but never runs two views at once.
"""

import threading

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread


class OneRequestAtATime(ThreadedWSGIServer):
    def set_app(self, application):
        lock = threading.Lock()

        def serialized(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(serialized)


def serialize_live_server() -> None:
    """Call at import time of a browser test module, before the (session-wide) live server starts."""
    LiveServerThread.server_class = OneRequestAtATime
