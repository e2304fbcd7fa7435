"""`townsquare run` as a real process: WebSockets without per-message compression, and the chat
token a widget puts in its WebSocket URL never written to the log."""

import asyncio
import os
import socket
import subprocess
import sys
import time

import pytest
import websockets

from townsquare.ops.serving import redact

SECRET = "s3cr3t-session-token-value"  # noqa: S105 (a made-up token)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": "", "TOWNSQUARE_DATA_DIR": str(tmp_path)}
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "townsquare.cli", "run", "--no-worker", "--no-demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process)
        yield port, log
    finally:
        process.terminate()
        process.wait(20)


def test_redact_replaces_token_values_only():
    assert redact('"WebSocket /ws/livechat/3/?token=abc.def:ghi" [accepted]') == (
        '"WebSocket /ws/livechat/3/?token=[redacted]" [accepted]'
    )
    assert redact("/x/?a=1&token=zz&b=2") == "/x/?a=1&token=[redacted]&b=2"
    assert redact("/x/?tokens=1") == "/x/?tokens=1"


def test_a_websocket_gets_no_compression_and_its_token_stays_out_of_the_log(server):
    port, log = server

    async def connect():
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/ws/livechat/999999/?token={SECRET}",
            origin=f"http://127.0.0.1:{port}",
            compression="deflate",
        ) as ws:
            extensions = ws.response.headers.get("Sec-WebSocket-Extensions")
            try:
                await asyncio.wait_for(ws.recv(), 5)
            except websockets.ConnectionClosed as closed:
                return extensions, closed.rcvd.code if closed.rcvd else None
            return extensions, None

    extensions, code = asyncio.run(connect())
    assert extensions is None  # the client offered permessage-deflate; the server declined
    assert code == 4404  # unknown channel: the consumer really ran
    time.sleep(0.5)
    text = log.read_text()
    assert "/ws/livechat/999999/" in text
    assert SECRET not in text
