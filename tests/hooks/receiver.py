"""A real HTTP receiver on 127.0.0.1 for webhook tests: it records what arrives and answers as told.

`Receiver.script` is a list of behaviours consumed one per request, then `default`:
an int status code, "close" (drop the connection without answering) or "slow" (answer after the
client's timeout).
"""

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self):
        self.requests: list[Received] = []
        self.script: list = []
        self.default = 200
        self.slow_seconds = 2.0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/townsquare"

    def start(self) -> "Receiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def next_behaviour(self):
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
                behaviour = receiver.next_behaviour()
                if behaviour == "close":
                    self.close_connection = True
                    self.connection.close()
                    return
                if behaviour == "slow":
                    time.sleep(receiver.slow_seconds)
                    behaviour = 200
                answer = b'{"ok": true}' if behaviour < 400 else b"receiver is unhappy " + b"x" * 3000
                self.send_response(behaviour)
                if 300 <= behaviour < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        return Handler


def verify(secret: str, header: str, body: bytes, *, now: float, tolerance: int = 300) -> bool:
    """What a receiver does with X-Townsquare-Signature: t=<unix>,v1=<hex>."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(now - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])
