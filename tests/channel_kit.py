"""A connector kind for the channel configuration tests ("probe"), with one setting of each kind,
and a real loopback TCP service for its connection test.

The probe's check connects to host:port, sends its `api_token` secret and reads one line back:
"OK …" means working. A closed port, a wrong token or a silent service fail for real.
"""

import socket
import socketserver
import threading
from contextlib import contextmanager

from townsquare.connectors.base import ConfigInvalid, Connector, HealthReport, Setting
from townsquare.connectors.registry import register
from townsquare.inbox.models import Channel

PROBE = "probe"
TOKEN = "tok-3f9a-very-secret-value"  # noqa: S105 (a test secret)


@register(PROBE)
class ProbeConnector(Connector):
    kind = PROBE
    label = "Probe"
    settings_schema = (
        Setting("host", "Host", required=True, help="name or address"),
        Setting("port", "Port", kind="int", required=True),
        Setting("use_tls", "Use TLS", kind="bool", default=False),
        Setting("allowed_origins", "Allowed origins", kind="list", default=[]),
        Setting("contact", "Contact address", kind="email"),
        Setting("home", "Home page", kind="url"),
        Setting("api_token", "API token", secret=True, kind="password"),
        Setting("signing_key", "Signing key", secret=True, kind="password"),
    )

    def validate(self) -> None:
        super().validate()
        port = self.settings.get("port")
        if not 1 <= port <= 65535:
            raise ConfigInvalid("the port is out of range", {"port": "must be between 1 and 65535"})

    def check(self) -> HealthReport:
        with socket.create_connection((self.settings["host"], self.settings["port"]), timeout=5) as conn:
            conn.sendall((self.secrets.get("api_token", "") + "\n").encode())
            answer = conn.makefile("rb").readline().decode().strip()
        return HealthReport(ok=answer.startswith("OK"), detail=answer or "the service said nothing")


def probe_channel(name: str = "probe-1", **settings) -> Channel:
    return Channel.objects.create(name=name, kind=PROBE, settings=settings)


def closed_port() -> int:
    """A loopback port with nobody listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Greeter(socketserver.StreamRequestHandler):
    def handle(self):
        token = self.rfile.readline().decode().strip()
        if self.server.silent:
            self.server.release.wait(10)
            return
        self.wfile.write(b"OK welcome\n" if token == self.server.token else b"NO bad token\n")


@contextmanager
def probe_service(token: str = TOKEN, *, silent: bool = False):
    """A TCP service on loopback answering the probe; yields its port."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Greeter)
    server.daemon_threads = True
    server.token, server.silent, server.release = token, silent, threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
