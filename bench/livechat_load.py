"""The live chat bench's load generator: a child process with its own event loop and CPU time.

    python -m bench.livechat_load < config.json

Reads one JSON config line on stdin (see `run`), drives visitor sockets (and agent console
sockets) against one or more servers and prints JSON lines on stdout. In "hold" mode it prints
`{"event": "held", ...}` once every socket is open and waits for any line on stdin (the parent
reads the server's memory meanwhile) before checking each socket with a ping and closing them.

Every visitor connects from its own loopback address (127.1.x.y): real visitors come from many
addresses, and the server's per-IP limits would otherwise count the whole load as one visitor.
"""

import asyncio
import json
import resource
import sys
import time
import uuid
from dataclasses import dataclass, field

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.livechat_stats import summary_ms

FRAME_TIMEOUT = 15.0


def visitor_address(index: int) -> str:
    return f"127.1.{(index // 250) % 250}.{index % 250 + 1}"


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


@dataclass
class Visitor:
    index: int
    socket: ClientConnection
    connect_ms: float
    ready_ms: float
    acks: int = 0
    errors: list = field(default_factory=list)


async def frame_of_type(socket: ClientConnection, kind: str, timeout: float = FRAME_TIMEOUT) -> dict:
    """Read frames until one of `kind`; an error frame or a close ends the wait with an exception."""
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame.get("type") == kind:
                return frame
            if frame.get("type") == "error":
                raise RuntimeError(f"error frame while waiting for {kind}: {frame}")


async def open_visitor(index: int, target: dict, token: str) -> Visitor:
    started = time.perf_counter()
    socket = await connect(
        f"{target['url']}?token={token}",
        origin=target["origin"],
        local_addr=(visitor_address(index), 0),
        open_timeout=FRAME_TIMEOUT,
        ping_interval=None,
        max_queue=None,
    )
    connected = time.perf_counter()
    await socket.send(json.dumps({"type": "hello", "last_id": 0}))
    await frame_of_type(socket, "ready")
    return Visitor(index, socket, (connected - started) * 1000, (time.perf_counter() - connected) * 1000)


async def open_in_waves(config: dict, first: int, end: int) -> tuple[list[Visitor], list[str]]:
    """Open visitors first..end-1, `wave` at a time, spread over the targets; stop at the first wave with an error."""
    targets, tokens, wave = config["customer_targets"], config["tokens"], config.get("wave", 100)
    visitors, errors = [], []
    for start in range(first, end, wave):
        indexes = range(start, min(end, start + wave))
        results = await asyncio.gather(
            *(open_visitor(i, targets[i % len(targets)], tokens[i]) for i in indexes), return_exceptions=True
        )
        for result in results:
            if isinstance(result, Visitor):
                visitors.append(result)
            else:
                errors.append(f"{type(result).__name__}: {result}"[:300])
        if errors:
            break
    return visitors, errors


async def still_alive(visitor: Visitor) -> bool:
    try:
        await visitor.socket.send(json.dumps({"type": "ping"}))
        await frame_of_type(visitor.socket, "pong")
    except Exception:  # noqa: BLE001 - any failure means the session was not held
        return False
    return True


async def close_all(sockets: list[ClientConnection]) -> None:
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)


def emit_line(payload: dict) -> None:
    print(json.dumps(payload), flush=True)


async def checkpoint(payload: dict) -> None:
    """Tell the parent where we are and wait until it has measured the server (any line on stdin)."""
    emit_line(payload)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


async def hold(config: dict) -> dict:
    # A few sessions first, so the server's imports and caches are warm when its memory is read.
    warm, errors = await open_in_waves(config, 0, config["warm_sessions"])
    await checkpoint({"event": "warm", "opened": len(warm), "errors": errors[:5]})
    started = time.perf_counter()
    visitors, errors = (
        await open_in_waves(config, len(warm), config["sessions"]) if not errors else ([], errors)
    )
    opened_s = time.perf_counter() - started
    visitors = warm + visitors
    await checkpoint(
        {"event": "held", "opened": len(visitors), "errors": errors[:5], "seconds": round(opened_s, 2)}
    )
    alive = await asyncio.gather(*(still_alive(visitor) for visitor in visitors))
    await close_all([visitor.socket for visitor in visitors])
    return {
        "event": "done",
        "attempted": config["sessions"],
        "opened": len(visitors),
        "alive": sum(alive),
        "errors": errors[:5],
        "error_count": len(errors),
        "open_seconds": round(opened_s, 2),
        "connect_ms": summary_ms([v.connect_ms for v in visitors]),
        "ready_ms": summary_ms([v.ready_ms for v in visitors]),
    }


class Fanout:
    """Visitors send on an open-loop schedule; agents' console sockets time each client_id's arrival."""

    def __init__(self, config: dict):
        self.config = config
        self.sent: dict[str, float] = {}
        self.lag_ms: list[float] = []
        # Per agent: client_id -> latency in ms (a second arrival of the same id counts as a duplicate).
        self.arrivals: list[dict[str, float]] = []
        self.duplicates = 0
        self.send_failures = 0
        # Sockets the server closed (or that broke) before the run ended: "who: code reason".
        self.closed: list[str] = []
        self.finishing = False

    def note_closed(self, who: str, exc: ConnectionClosed) -> None:
        if not self.finishing:
            received = exc.rcvd
            self.closed.append(f"{who}: {received.code} {received.reason}" if received else f"{who}: {exc}")

    async def open_agent(self, target: dict) -> ClientConnection:
        return await connect(
            target["url"],
            origin=target["origin"],
            additional_headers={"Cookie": self.config["cookie"]},
            open_timeout=FRAME_TIMEOUT,
            ping_interval=None,
            max_queue=None,
        )

    async def read_agent(self, socket: ClientConnection, arrivals: dict[str, float]) -> None:
        try:
            async for raw in socket:
                received = time.perf_counter()
                frame = json.loads(raw)
                sent_at = self.sent.get(frame.get("client_id") or "")
                if frame.get("type") != "message" or sent_at is None:
                    continue
                if frame["client_id"] in arrivals:
                    self.duplicates += 1
                else:
                    arrivals[frame["client_id"]] = (received - sent_at) * 1000
        except ConnectionClosed as exc:
            self.note_closed("agent", exc)

    async def read_visitor(self, visitor: Visitor) -> None:
        try:
            async for raw in visitor.socket:
                frame = json.loads(raw)
                if frame.get("type") == "ack":
                    visitor.acks += 1
                elif frame.get("type") == "error":
                    visitor.errors.append(frame)
        except ConnectionClosed as exc:
            self.note_closed(f"visitor {visitor.index}", exc)

    async def send(self, visitor: Visitor, text: str, due: float) -> str:
        client_id = uuid.uuid4().hex
        now = time.perf_counter()
        self.lag_ms.append((now - due) * 1000)
        self.sent[client_id] = now
        try:
            await visitor.socket.send(json.dumps({"type": "message", "client_id": client_id, "text": text}))
        except ConnectionClosed:
            self.send_failures += 1  # counted as lost too: it never reaches an agent
        return client_id

    async def schedule(self, visitors: list[Visitor], rate: float, total: int, label: str) -> list[str]:
        """Send `total` messages at `rate` per second, round robin over the visitors, never waiting for answers."""
        start = time.perf_counter() + 0.05
        tasks = []
        for k in range(total):
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            text = f"{label} message {k} from visitor {visitors[k % len(visitors)].index}"
            tasks.append(asyncio.create_task(self.send(visitors[k % len(visitors)], text, due)))
        return list(await asyncio.gather(*tasks))

    async def drain(self, client_ids: list[str], timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if all(all(cid in arrivals for cid in client_ids) for arrivals in self.arrivals):
                return
            await asyncio.sleep(0.05)

    async def run(self) -> dict:
        config = self.config
        consoles = config["console_targets"]
        try:
            agents = [
                await self.open_agent(consoles[i % len(consoles)]) for i in range(config.get("agents", 1))
            ]
        except Exception as exc:  # noqa: BLE001 - reported as the run's error, like a visitor's
            return {
                "event": "done",
                "errors": [f"agent console: {type(exc).__name__}: {exc}"],
                "error_count": 1,
            }
        self.arrivals = [{} for _ in agents]
        readers = [
            asyncio.create_task(self.read_agent(s, a)) for s, a in zip(agents, self.arrivals, strict=True)
        ]
        visitors, errors = await open_in_waves(config, 0, config["sessions"])
        if errors:
            await close_all([s for s in agents] + [v.socket for v in visitors])
            return {
                "event": "done",
                "errors": errors[:5],
                "error_count": len(errors),
                "opened": len(visitors),
            }
        readers += [asyncio.create_task(self.read_visitor(v)) for v in visitors]
        # Warm-up: each visitor's first message opens its conversation (a different, slower path).
        warmup = await self.schedule(visitors, min(config["rate"], 100), len(visitors), "warm-up")
        await self.drain(warmup, config.get("drain_seconds", 10))
        warmup_lost = sum(1 for a in self.arrivals for cid in warmup if cid not in a)
        total = int(config["rate"] * config["seconds"])
        started = time.perf_counter()
        measured = await self.schedule(visitors, config["rate"], total, "timed")
        send_seconds = time.perf_counter() - started
        await self.drain(measured, config.get("drain_seconds", 10))
        self.finishing = True
        await close_all(agents + [v.socket for v in visitors])
        for reader in readers:
            reader.cancel()
        return self.result(visitors, warmup, measured, warmup_lost, send_seconds)

    def timeline(self, measured: list[str], arrivals: dict[str, float], step: float = 2.0) -> list:
        """p99 of the messages sent in each `step` seconds of the timed run: a queue that grows shows here."""
        if not measured:
            return []
        start, buckets = self.sent[measured[0]], {}
        for cid in measured:
            buckets.setdefault(int((self.sent[cid] - start) // step), []).append(
                arrivals.get(cid, float("inf"))
            )
        p99s = [summary_ms(buckets[k])["p99"] for k in sorted(buckets)]
        return [None if p99 == float("inf") else round(p99, 1) for p99 in p99s]  # None: some never arrived

    def result(self, visitors, warmup, measured, warmup_lost, send_seconds) -> dict:
        first = self.arrivals[0]
        lost = sum(1 for arrivals in self.arrivals for cid in measured if cid not in arrivals)
        frame_errors = [error for visitor in visitors for error in visitor.errors]
        return {
            "event": "done",
            "sessions": len(visitors),
            "agents": len(self.arrivals),
            "sent": len(measured),
            "send_seconds": round(send_seconds, 2),
            "achieved_rate": round(len(measured) / send_seconds, 1) if send_seconds else 0,
            "latency_ms": summary_ms([first[cid] for cid in measured if cid in first]),
            "p99_ms_by_second": self.timeline(measured, first),
            "all_agents_latency_ms": summary_ms(
                [a[cid] for a in self.arrivals for cid in measured if cid in a]
            ),
            "lost": lost,
            "warmup_lost": warmup_lost,
            "duplicates": self.duplicates,
            "acks": sum(v.acks for v in visitors),
            "expected_acks": len(warmup) + len(measured),
            "send_failures": self.send_failures,
            "closed_by_server": len(self.closed),
            "closed_examples": self.closed[:3],
            "error_frames": len(frame_errors),
            "error_examples": frame_errors[:3],
            "send_lag_ms": summary_ms(self.lag_ms),
            "errors": [],
            "error_count": 0,
        }


async def run(config: dict) -> dict:
    raise_fd_limit()
    if config["mode"] == "hold":
        return await hold(config)
    return await Fanout(config).run()


def main() -> None:
    config = json.loads(sys.stdin.readline())
    emit_line(asyncio.run(run(config)))


if __name__ == "__main__":
    main()
