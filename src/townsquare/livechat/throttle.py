"""In-process counters for chat sockets: frames per socket, messages per session, sockets per address.

They live in the web process (no round trip on the hot path); with several web processes each
counts its own sockets, so the limits are per process.
"""

import time


class WindowCounter:
    """Counts events in fixed windows of `window` seconds; `hit()` says whether this one is allowed."""

    __slots__ = ("limit", "window", "started", "count")

    def __init__(self, limit: int, window: float):
        self.limit = limit
        self.window = window
        self.started = 0.0
        self.count = 0

    def hit(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if now - self.started >= self.window:
            self.started, self.count = now, 0
        self.count += 1
        return self.limit <= 0 or self.count <= self.limit


class SessionCounters:
    """One message counter per chat session, shared by the session's sockets in this process."""

    def __init__(self):
        self.counters: dict[str, tuple[WindowCounter, int]] = {}

    def hit(self, session_key: str, limit: int, window: float) -> bool:
        counter, users = self.counters.get(session_key, (None, 0))
        if counter is None:
            counter = WindowCounter(limit, window)
            self.counters[session_key] = (counter, users)
        counter.limit, counter.window = limit, window
        return counter.hit()

    def join(self, session_key: str) -> None:
        counter, users = self.counters.get(session_key, (None, 0))
        self.counters[session_key] = (counter or WindowCounter(0, 1), users + 1)

    def leave(self, session_key: str) -> None:
        counter, users = self.counters.get(session_key, (None, 0))
        if users <= 1:
            self.counters.pop(session_key, None)
        else:
            self.counters[session_key] = (counter, users - 1)


class AddressSockets:
    """Open sockets per client address."""

    def __init__(self):
        self.open: dict[str, int] = {}

    def acquire(self, address: str, limit: int) -> bool:
        current = self.open.get(address, 0)
        if limit > 0 and current >= limit:
            return False
        self.open[address] = current + 1
        return True

    def release(self, address: str) -> None:
        current = self.open.get(address, 0)
        if current <= 1:
            self.open.pop(address, None)
        else:
            self.open[address] = current - 1


session_messages = SessionCounters()
address_sockets = AddressSockets()
