"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, or refuses as told.

`refuse_data` answers DATA with a given reply the next `times` times (451 to make a delivery retry,
550 to fail it), `refuse_rcpt` does the same for RCPT TO. With `logins`, AUTH PLAIN/LOGIN is
offered (without TLS, loopback only) and only those user/password pairs are accepted.
"""

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Refusal:
    reply: str
    times: int


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Sink:
    received: list[Received] = field(default_factory=list)
    refuse_data: Refusal | None = None
    refuse_rcpt: Refusal | None = None
    logins: dict[str, str] | None = None
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _refusal(self, name: str) -> str | None:
        with self.lock:
            refusal = getattr(self, name)
            if refusal is None or refusal.times <= 0:
                return None
            refusal.times -= 1
            return refusal.reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refused = self._refusal("refuse_rcpt")
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refused = self._refusal("refuse_data")
        if refused:
            return refused
        message = message_from_bytes(envelope.content, policy=default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and self.logins is not None:
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if self.logins.get(user) == password:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [item.message for item in self.received]


class SmtpSink:
    """Context manager: a running sink on 127.0.0.1:<port>."""

    def __init__(self, *, logins: dict[str, str] | None = None, starttls=None, implicit_tls=None):
        """`starttls` / `implicit_tls`: a server ssl.SSLContext offered by STARTTLS or from the start."""
        self.port = free_port()
        self.sink = Sink(logins=logins, port=self.port)
        options = {"authenticator": self.sink.authenticate, "auth_require_tls": False} if logins else {}
        if starttls is not None:
            options.update(tls_context=starttls, require_starttls=True)
        if implicit_tls is not None:
            options.update(ssl_context=implicit_tls, server_hostname="127.0.0.1")
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port, **options)

    def __enter__(self) -> Sink:
        self.controller.start()
        return self.sink

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class SilentServer:
    """Accepts TCP connections and never says a word: an SMTP server that hangs."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.listener.close()
