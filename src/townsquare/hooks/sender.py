"""One HTTP POST to a receiver, with the standard library: a timeout, no redirects followed.

http.client never follows redirects, so a 3xx answer counts as a failed attempt: a receiver
that moved must be updated by an admin, not silently followed to wherever it points.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from townsquare.hooks.models import RESPONSE_EXCERPT_BYTES

USER_AGENT = "Townsquare-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    """What one attempt got back: a status code, or the error that stopped it."""

    status_code: int | None
    error: str
    excerpt: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def unreachable(self) -> bool:
        """No HTTP answer at all: the receiver is down or too slow, not unhappy with this payload."""
        return self.status_code is None


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    started = time.monotonic()
    try:
        status, excerpt = _post(url, body, headers, timeout)
    except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as exc:
        return Answer(None, describe(exc, timeout), "", _ms_since(started))
    error = "" if 200 <= status < 300 else f"HTTP {status}"
    return Answer(status, error, excerpt, _ms_since(started))


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        # Only an excerpt: a receiver answering with megabytes must not hold the worker.
        excerpt = response.read(RESPONSE_EXCERPT_BYTES)
        return response.status, excerpt.decode("utf-8", "replace")
    finally:
        connection.close()


def describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError):
        return "the receiver closed the connection without an answer"
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror})"
    return f"{type(exc).__name__}: {exc}"[:500]


def _ms_since(started: float) -> int:
    return max(0, round((time.monotonic() - started) * 1000))
